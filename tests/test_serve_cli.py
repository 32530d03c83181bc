"""`haizhi serve` end to end: a real server in a subprocess on a folder without applicant.yaml: the first line
is the address with the token, the page creates the file, Ctrl-C stops it cleanly; and the command's errors."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haizhi_cli.cli._app import app
from tests.conftest import ROOT

FIRST_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{32})")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`haizhi serve --no-browser FOLDER` running on an empty folder, and the first line it printed."""
    env = {**os.environ, "HAIZHI_LANG": "zh"}
    process = subprocess.Popen([sys.executable, "-m", "haizhi_cli", "serve", "--no-browser", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                               cwd=ROOT, env=env)
    assert process.stdout is not None
    first = process.stdout.readline().rstrip("\n")
    try:
        yield process, first
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def test_serve_prints_the_address_first_creates_the_file_and_stops_on_ctrl_c(
        server: tuple[subprocess.Popen[str], str], tmp_path: Path) -> None:
    process, first = server
    found = FIRST_LINE.fullmatch(first)
    assert found, first
    assert process.stdout is not None and "Ctrl-C" in process.stdout.readline()
    browser = opener()
    assert browser.open(first).geturl() == f"http://127.0.0.1:{found[1]}/"
    base = f"http://127.0.0.1:{found[1]}"
    assert json.load(browser.open(f"{base}/api/applicant")) == {"exists": False, "path": "applicant.yaml"}
    request = urllib.request.Request(f"{base}/api/new", data=json.dumps({"base_type": "work_base"}).encode(),
                                     headers={"Content-Type": "application/json", "Origin": base})
    assert json.load(browser.open(request))["exists"] is True
    assert "base_type: work_base" in (tmp_path / "applicant.yaml").read_text(encoding="utf-8")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode in (0, 130), err
    assert "Traceback" not in err and "Traceback" not in out
    assert err.strip() == "已停止。"


def test_the_server_refuses_a_request_without_the_token(server: tuple[subprocess.Popen[str], str]) -> None:
    _, first = server
    base = first.split("/?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener().open(f"{base}/api/applicant")
    assert refused.value.code == 403
    assert json.load(refused.value)["error"] == "token"


def test_serve_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--no-browser", "--lang", "zh", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "不存在或不是文件夹" in result.stderr and "Traceback" not in result.output


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--no-browser", "--port", str(port), str(tmp_path)])
    assert result.exit_code == 2
    assert f"127.0.0.1:{port}" in result.stderr and "--port 0" in result.stderr

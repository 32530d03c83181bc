"""Outputs of build-packet under stress: a killed build, an unwritable parent, hostile applicant text."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from pypdf import PdfReader
from typer.testing import CliRunner

from haizhi_cli.cli._app import app
from haizhi_cli.documents import _fontset as fontset
from haizhi_cli.documents._fontset import MissingGlyphError, resolve_fonts
from haizhi_cli.packet._building import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES

runner = CliRunner(env={"COLUMNS": "200"})
HOSTILE = ["{{ 7*7 }}", "{% for x in y %}{% endfor %}", "<w:p>", "a & b", "x < y > z", '"双引号"', "'单引号'"]
SLOW_BUILD = """
import sys, time
from haizhi_cli.documents import _pdf_writer as pdf_writer
real = pdf_writer.write_pdf
def slow(*args, **kwargs):
    pages = real(*args, **kwargs)
    time.sleep(30)
    return pages
pdf_writer.write_pdf = slow
from haizhi_cli.cli import main
sys.argv = ["haizhi", *sys.argv[1:]]
main()
"""


def unit_copy(tmp_path: Path, changes: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", folder)
    path = folder / "applicant.yaml"
    if changes:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["narratives"].update(changes)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_killed_build_leaves_the_previous_out_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    script = tmp_path / "slow_build.py"
    script.write_text(SLOW_BUILD, encoding="utf-8")
    command = [sys.executable, str(script), "build-packet", str(unit_copy(tmp_path)), "-o", str(out), "--force",
               "--as-of", "2023-09-01"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not any((p / "申报表.pdf").exists() for p in tmp_path.glob(".out.*")):
            assert time.monotonic() < deadline and process.poll() is None, "the build never started writing"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    # OUT is untouched; the hidden staging folder beside it is left by SIGKILL, which nothing can clean up.
    assert [p.name for p in out.iterdir()] == ["manifest.json"]
    assert (out / "manifest.json").read_text(encoding="utf-8") == "{}"


def test_an_unwritable_parent_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("不是文件夹", encoding="utf-8")
    res = runner.invoke(app, ["build-packet", str(unit_copy(tmp_path)), "-o", str(blocker / "out"),
                              "--as-of", "2023-09-01"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "内部错误" not in res.output
    assert "上级目录不存在" in res.output


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_parent_is_a_clear_error(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        res = runner.invoke(app, ["build-packet", str(unit_copy(tmp_path)), "-o", str(parent / "out"),
                                  "--as-of", "2023-09-01"])
    finally:
        parent.chmod(0o755)
    assert res.exit_code == 2, res.output
    assert "没有写入权限" in res.output


def test_out_that_is_a_file_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("我的文件", encoding="utf-8")
    res = runner.invoke(app, ["build-packet", str(unit_copy(tmp_path)), "-o", str(target), "--force",
                              "--as-of", "2023-09-01"])
    assert res.exit_code == 2, res.output
    assert target.read_text(encoding="utf-8") == "我的文件"


def test_hostile_text_comes_out_literally_in_word_and_pdf(tmp_path: Path) -> None:
    goals = "\n".join(HOSTILE)
    out = build_packet(unit_copy(tmp_path, {"goals": goals}), BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY)).out
    word = "\n".join(p.text for p in open_docx(str(out / "申报表.docx")).paragraphs)
    pdf = "".join(page.extract_text() for page in PdfReader(out / "申报表.pdf").pages)
    for text in HOSTILE:
        assert text in word
        assert text.replace(" ", "") in pdf.replace(" ", "").replace("\n", "")


def test_an_emoji_is_printed_when_a_font_has_it_and_named_when_none_does(tmp_path: Path) -> None:
    path = unit_copy(tmp_path, {"goals": "三年目标😀达成"})
    if resolve_fonts().missing("😀"):
        res = runner.invoke(app, ["build-packet", str(path), "-o", str(tmp_path / "out"), "--as-of", "2023-09-01"])
        assert res.exit_code == 2, res.output
        assert "U+1F600" in res.output and "narratives.goals" in res.output
        assert not (tmp_path / "out").exists()
    else:
        out = build_packet(path, BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY)).out
        assert "三年目标😀达成" in "".join(p.text for p in open_docx(str(out / "申报表.docx")).paragraphs)
        assert "三年目标😀达成" in "".join(page.extract_text() for page in PdfReader(out / "申报表.pdf").pages)


def test_a_character_no_font_has_is_an_error_naming_it_and_its_field(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontset, "system_faces", lambda: ())
    path = unit_copy(tmp_path, {"goals": "三年目标😀达成"})
    with pytest.raises(MissingGlyphError) as caught:
        build_packet(path, BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY))
    assert "U+1F600" in str(caught.value) and "narratives.goals" in str(caught.value)
    assert not (tmp_path / "out").exists()

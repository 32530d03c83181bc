"""Hardening, second round: special files in a scanned folder, node-count bombs, workflow-command and terminal
escapes through paths and keys. Each class is shown at work through the command line, in a subprocess where
it could hang or grow."""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

WORK_BASE = EXAMPLES / "work-base"


def haizhi(*args: str | Path, cwd: Path | None = None, timeout: float = 30,
           **env: str) -> subprocess.CompletedProcess[str]:
    """Run haizhi in a fresh interpreter; a hang fails the test through the timeout instead of blocking it."""
    environment = {**os.environ, "COLUMNS": "200", **env}
    environment.pop("HAIZHI_LANG", None)
    return subprocess.run([sys.executable, "-m", "haizhi_cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=environment, timeout=timeout, check=False)


# --- 1. special files named *.yaml in a scanned folder ------------------------------------------

@pytest.fixture
def folder_with_an_applicant(tmp_path: Path) -> Path:
    shutil.copytree(WORK_BASE, tmp_path / "unit")
    return tmp_path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_yaml_is_reported_not_waited_on(folder_with_an_applicant: Path) -> None:
    os.mkfifo(folder_with_an_applicant / "pipe.yaml")
    done = haizhi("check", "--as-of", "2023-09-01", folder_with_an_applicant, timeout=20)
    assert done.returncode == 2, done.stderr
    assert "pipe.yaml" in done.stderr and "不是普通文件" in done.stderr
    assert "符合申报条件" in done.stdout  # the real applicant beside it is still checked


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this system")
def test_a_socket_named_yaml_is_reported_not_waited_on(tmp_path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "s.yaml"))
        done = haizhi("check", "--format", "json", tmp_path, timeout=20)
    finally:
        listener.close()
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["file"].endswith("s.yaml") and "不是普通文件" in report["error"]["message"]


def test_a_device_named_yaml_is_reported_not_read(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    done = haizhi("check", "--format", "json", tmp_path, timeout=20)
    assert done.returncode == 2 and "不是普通文件" in json.loads(done.stdout)["error"]["message"]


# --- 2. memory from node count ---------------------------------------------------------------------

MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "haizhi_cli", *sys.argv[1:]], capture_output=True, text=True)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, peak_kb)
print(done.stdout)
"""
"""Runs haizhi as this wrapper's only child, so the peak RSS of children is haizhi's alone (KB on Linux)."""

LIMIT_BYTES = 5 * 1024 * 1024 - 64


def near_the_size_limit(unit: str, head: str = "x: [", tail: str = "]") -> str:
    """A document of `unit` repeated up to just under the size limit."""
    count = (LIMIT_BYTES - len(head) - len(tail)) // len(unit)
    return head + unit * count + tail


@pytest.mark.parametrize("text", [
    near_the_size_limit("1,", tail="1]"),                         # some 2.6 million scalars in one list
    near_the_size_limit("a,", head="x: {", tail="a}"),            # a flow mapping of keys without values
    near_the_size_limit("[],", tail="[]]"),                       # a list of empty lists
    "format: 1\nx:\n" + "- 1\n" * ((LIMIT_BYTES - 20) // 4),     # block style, one item a line
], ids=["flow-list", "flow-mapping", "lists-of-lists", "block-list"])
def test_a_file_of_millions_of_tiny_nodes_is_refused_in_little_memory(tmp_path: Path, text: str) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_text(text, encoding="utf-8")
    assert len(text.encode()) < 5 * 1024 * 1024
    done = subprocess.run([sys.executable, "-c", MEASURE, "check", "--format", "json", str(path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, check=True)
    status, peak_kb = map(int, done.stdout.splitlines()[0].split())
    report = json.loads("\n".join(done.stdout.splitlines()[1:]))
    assert status == 2 and "项数超过 100,000 个" in report["error"]["message"]
    assert report["error"]["line"] is not None
    assert peak_kb < 200 * 1024, f"peak RSS {peak_kb // 1024} MB"


def test_a_real_applicant_is_far_below_the_node_limit() -> None:
    from haizhi_cli.applicant._loading import MAX_NODES

    events = list(__import__("yaml").parse((WORK_BASE / "applicant.yaml").read_text(encoding="utf-8")))
    assert len(events) * 50 < MAX_NODES


# --- 3 and 4. workflow commands and terminal escapes through paths and keys ---------------------------

ACTING = ("\x1b[31m", "\x1b]0;title\x07", "\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\", "\x9b2J", "\u202e",
          "\u2028", "\r")


def a_unit_named(root: Path, name: str) -> Path:
    folder = root / name
    shutil.copytree(WORK_BASE, folder)
    return folder / "applicant.yaml"


def raw_acting(text: str) -> list[str]:
    """The acting characters that reached `text` as they are (a line break between lines is not one)."""
    return [c for c in "\x1b\x07\x9b\u202e\u2028\r" if c in text]


@pytest.mark.parametrize("name", ["::error file=README.md,line=1::pwned", "::stop-commands::x", " ::warning::x",
                                  "%0A::error::x", "a,b:c"])
def test_a_folder_name_never_becomes_a_workflow_command(tmp_path: Path, name: str) -> None:
    applicant = a_unit_named(tmp_path, name)
    done = haizhi("check", "--as-of", "2023-09-01", "--format", "github", applicant.relative_to(tmp_path),
                  cwd=tmp_path)
    commands = [line for line in done.stdout.splitlines() if line.lstrip().startswith("::")]
    assert commands and all(line.startswith("::notice file=") for line in commands), done.stdout
    assert all(name not in line for line in commands)  # the name reaches a property only escaped


@pytest.mark.parametrize("acting", ACTING)
@pytest.mark.parametrize("output_format", ["text", "github", "junit", "json"])
def test_acting_characters_in_a_folder_name_are_shown_escaped(tmp_path: Path, acting: str,
                                                               output_format: str) -> None:
    applicant = a_unit_named(tmp_path, f"unit{acting}name")
    done = haizhi("check", "--as-of", "2023-09-01", "--format", output_format, "--quiet", applicant,
                  cwd=tmp_path) if output_format == "text" else haizhi(
        "check", "--as-of", "2023-09-01", "--format", output_format, applicant, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    if output_format == "json":  # data for a program: the name exactly as it is, JSON-escaped where JSON must
        assert json.loads(done.stdout)["file"] == str(applicant)
        return
    assert raw_acting(done.stdout + done.stderr) == []
    assert "unit" in done.stdout and "name" in done.stdout


@pytest.mark.parametrize("key", ["\x1b]0;owned\x07x", "a\u202eb", "\x9bc", "k\x1b[2J"])
@pytest.mark.parametrize("where", ["unknown", "duplicate", "year"])
def test_acting_characters_in_a_quoted_key_are_shown_escaped(tmp_path: Path, key: str, where: str) -> None:
    text = (WORK_BASE / "applicant.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(key)  # a YAML double-quoted key: \x1b, \u202e written as escapes in the file
    if where == "unknown":
        text = text.replace("base_name:", f"{quoted}: 1\nbase_name:", 1)
    elif where == "duplicate":
        text = text.replace("base:\n", f"base:\n  {quoted}: 1\n  {quoted}: 2\n", 1)
    else:
        text = text.replace("    values:", f"    values:\n      {quoted}: 1", 1)
    path = tmp_path / "applicant.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copytree(WORK_BASE / "attachments", tmp_path / "attachments")
    for output_format in ("text", "github", "junit"):
        done = haizhi("check", "--as-of", "2023-09-01", "--format", output_format, path)
        assert done.returncode == 2
        assert raw_acting(done.stdout + done.stderr) == [], (output_format, done.stdout + done.stderr)


def test_the_escapes_are_what_repr_shows() -> None:
    from haizhi_cli.i18n import shown_path, visible

    assert visible("a\x1bb\u202ec\n\u3000") == "a\\x1bb\\u202ec\n\u3000"  # a full-width space is text
    assert shown_path("::x") == "./::x" and shown_path("a\nb") == "a\\x0ab"
    assert shown_path("苏州/a.yaml") == "苏州/a.yaml"


# --- 7. import memory ---------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.wordprocessingml.document.main+xml"/></Types>')


def a_docx(path: Path, body_chunks: int, chunk: str, lie_about_size: bool = False) -> Path:
    """A .docx whose document.xml is `chunk` repeated `body_chunks` times in its body, written in pieces (the
    file stays small: it compresses). With `lie_about_size`, its headers say the part is 1,000 bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            piece = chunk.encode() * 10_000
            for _ in range(body_chunks // 10_000):
                part.write(piece)
            part.write(b"</w:body></w:document>")
    if lie_about_size:
        _say_the_part_is_small(path)
    return path


def _say_the_part_is_small(path: Path) -> None:
    """Write 1,000 as the part's uncompressed size in its local header and in the central directory."""
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    local = next(i for i in _signatures(data, b"PK\x03\x04") if data[i + 30: i + 30 + len(name)] == name)
    central = next(i for i in _signatures(data, b"PK\x01\x02") if data[i + 46: i + 46 + len(name)] == name)
    struct.pack_into("<I", data, local + 22, 1000)
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))


def _signatures(data: bytearray, signature: bytes) -> list[int]:
    found, start = [], 0
    while (at := data.find(signature, start)) >= 0:
        found.append(at)
        start = at + 1
    return found


@pytest.mark.parametrize(("chunks", "chunk", "lie"), [
    (1_000_000, "<w:p><w:r><w:t>申报表申报表申报表申报表申报表申报表申报表申报表申报表</w:t></w:r></w:p>", False),
    (2_000_000, "<w:p/>", False),
    (1_000_000, "<w:p><w:r><w:t>申报表申报表申报表申报表申报表申报表申报表申报表申报表</w:t></w:r></w:p>", True),
], ids=["unpacks-to-100-MB", "millions-of-elements", "header-lies"])
def test_import_of_a_swollen_docx_is_refused_in_little_memory(tmp_path: Path, chunks: int, chunk: str,
                                                                lie: bool) -> None:
    form = a_docx(tmp_path / "申报表.docx", chunks, chunk, lie)
    assert form.stat().st_size < 2 * 1024 * 1024
    done = subprocess.run([sys.executable, "-c", MEASURE, "import", str(form)], capture_output=True, text=True,
                          encoding="utf-8", timeout=180, check=True)
    status, peak_kb = map(int, done.stdout.splitlines()[0].split())
    assert status == 2
    assert peak_kb < 300 * 1024, f"peak RSS {peak_kb // 1024} MB"


# --- smaller: pypdf's remarks, numbers with exponents --------------------------------------------------

def test_pypdf_s_remarks_never_reach_stderr(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(WORK_BASE, unit)
    proofs = unit / "attachments" / "proofs.pdf"
    data = proofs.read_bytes()
    at = data.rfind(b"%%EOF")
    proofs.write_bytes(data[:at] + data[at + 5:])  # pypdf says "EOF marker not found" while reading it
    done = haizhi("check", "--as-of", "2023-09-01", "--format", "json", unit / "applicant.yaml")
    assert done.stderr == ""
    finding = next(f for f in json.loads(done.stdout)["findings"] if "proofs.pdf" in f["message"])
    assert finding["status"] == "fail"  # the damage is reported where it belongs: on the attachment


@pytest.mark.parametrize(("written", "said"), [
    ("1.0e+3", "请写普通十进制数字"),        # a YAML 1.1 float: refused, not read as 1000
    ("3.5E2", "应为非负数"), ("1.e3", "应为非负数"),  # text to YAML 1.1: not a number either
])
def test_a_number_with_an_exponent_is_refused_as_security_md_says(tmp_path: Path, written: str, said: str) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(WORK_BASE, unit)
    path = unit / "applicant.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("service_area_m2: 350", f"service_area_m2: {written}"),
                    encoding="utf-8")
    done = haizhi("check", "--format", "json", path)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert said in error["message"] and error["line"] is not None


# --- 3 and 4, as a property: any name through every output format -----------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    ["\x1b", "\x07", "\x9b", "\u202e", "\u2028", "\r", "\n", ":", ",", "%", " "]), min_size=1, max_size=40)
"""Any name, rich in the characters that act on a terminal or a CI log (`::` is two of `:`)."""


def _outcomes(name: str) -> list[object]:
    from haizhi_cli.engine import Category, FileError, Finding, Report, Status

    review = Finding("work_base.channels", "一（一）2（3）", Category.eligibility, Status.review, f"说明{name}", 1)
    failed = Finding("work_base.service_area", "一（一）2（2）", Category.eligibility, Status.failed, "99", 99)
    return [Report(f"{name}/applicant.yaml", 2023, "work_base", name, [review, failed]),
            FileError(f"{name}.yaml", f"坏{name}", 3, 1)]


@settings(max_examples=150, deadline=None)
@given(NAMES)
def test_no_name_acts_in_any_output_format(name: str) -> None:
    import io

    from rich.console import Console

    from haizhi_cli.reports import write_text
    from haizhi_cli.reports._ci import github_lines, junit_tree

    outcomes = _outcomes(name)
    lines = github_lines(outcomes)  # type: ignore[arg-type]
    assert all(not line.lstrip().startswith("::") or line.startswith(("::notice ", "::error ")) for line in lines)
    assert all("\n" not in line and "\r" not in line for line in lines)
    text_out = io.StringIO()
    write_text(outcomes, "zh", Console(file=text_out, width=200, color_system=None))  # type: ignore[arg-type]
    import xml.etree.ElementTree as ET

    junit = ET.tostring(junit_tree(outcomes), encoding="unicode")  # type: ignore[arg-type]
    for shown in ("\n".join(lines), text_out.getvalue(), junit):
        assert raw_acting(shown) == [], repr(shown)

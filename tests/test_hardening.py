"""What `build-packet` promises about its output, whatever the applicant writes and whatever goes wrong.

- Applicant text is printed literally: template syntax, XML markup, quotes and ampersands are text, never
  template or markup; a character no font has stops the build with the character and the field named.
- OUT is replaced only when the new packet is complete: a build that is killed, or cannot write, leaves an
  existing OUT as it was and never a half-written OUT.
- An OUT that cannot be written, or that is a file, is a clear Chinese error with exit status 2.
- The same input and SOURCE_DATE_EPOCH give the same bytes, drafts included.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document as open_docx
from pypdf import PdfReader
from typer.testing import CliRunner, Result

from haizhi_cli.cli._app import app
from haizhi_cli.documents import _fontset as fontset
from haizhi_cli.documents._fontset import MissingGlyphError, resolve_fonts
from haizhi_cli.errors._errors import UserInputError
from haizhi_cli.packet import _placing as placing
from haizhi_cli.packet._building import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES

EPOCH = "1700000000"
"""2023-11-14T22:13:20Z: not the round's deadline, so a test can tell that SOURCE_DATE_EPOCH was used."""

runner = CliRunner(env={"SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "200", "HAIZHI_LANG": "zh", "HAIZHI_DEBUG": None,
                        "HAIZHI_FONT": None})
EMOJI = "😀"
HOSTILE = ("{{ 7*7 }}", "{% for x in y %}{% endfor %}", "<w:p>", "&", "<", ">", '"quotes"', "'single'")
HOSTILE_TEXT = {
    # field (dotted, list indexes as numbers) → text; every hostile string is in a form field and a plan field
    "narratives.foundation": "基地{{ 7*7 }}依托园区运行。\n{% for x in y %}{% endfor %}建立了工作机制。",
    "narratives.purpose": "搭建<w:p>平台，人才&项目落地。",
    "narratives.goals": "三年内联系人才数 > 60 人，流失率 < 5%。",
    "narratives.policies": '出台"quotes"政策与\'single\'措施。',
    "base.address": "江苏省苏州市<w:p>星湖街&328号\"quotes\"'single'{{ 7*7 }}",
    "plan.approach": "以人才为核心：" + "，".join(HOSTILE) + "。",
    "plan.safeguards": "{% for x in y %}{% endfor %}成立领导小组 & 专项经费 <w:p>。",
    "plan.tasks.0.content": "推动政策衔接{{ 7*7 }}，\"quotes\"与'single'，a < b > c。",
}
FORM_FIELDS = [field for field in HOSTILE_TEXT if not field.startswith("plan.")]
PLAN_FIELDS = [field for field in HOSTILE_TEXT if field.startswith("plan.")]


def unit_with(folder: Path, texts: dict[str, str], example: str = "work-base") -> Path:
    """A copy of an example in `folder` with the given fields replaced; the path of its applicant.yaml."""
    shutil.copytree(EXAMPLES / example, folder)
    path = folder / "applicant.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, text in texts.items():
        *parents, last = [int(part) if part.isdigit() else part for part in dotted.split(".")]
        node: Any = data
        for key in parents:
            node = node[key]
        node[last] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def docx_text(path: Path) -> str:
    """Every paragraph of a Word file, table cells included, one a line."""
    word = open_docx(str(path))
    paragraphs = [p.text for p in word.paragraphs]
    paragraphs += [p.text for table in word.tables for row in table.rows for cell in row.cells
                   for p in cell.paragraphs]
    return "\n".join(paragraphs)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squeeze(text: str) -> str:
    """Without whitespace: the PDF writer breaks lines where it must, and extraction adds or drops spaces."""
    return "".join(text.split())


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_clean_error(res: Result, *phrases: str) -> None:
    """Exit 2 with a Chinese message on stderr, no traceback, no internal error."""
    shown = f"exit {res.exit_code}\nstdout: {res.stdout}\nstderr: {res.stderr}"
    assert res.exception is None or isinstance(res.exception, SystemExit), f"{res.exception!r}\n{shown}"
    assert res.exit_code == 2, shown
    assert res.stderr.startswith("错误："), shown
    for stream in (res.stdout, res.stderr):
        assert "Traceback" not in stream and "内部错误" not in stream, shown
    for phrase in phrases:
        assert phrase in res.stderr, shown


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p != folder)


# --- hostile applicant text ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    path = unit_with(root / "unit", HOSTILE_TEXT)
    assert "49" not in path.read_text(encoding="utf-8")  # so that a 49 in the output can only come from {{ 7*7 }}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HAIZHI_FONT", raising=False)  # the bundled font: the same line breaks on every machine
        return build_packet(path, BuildOptions(out=root / "out", as_of=CHECK_DAY)).out


@pytest.mark.parametrize(("document", "fields"), [("申报表", FORM_FIELDS), ("建设方案", PLAN_FIELDS)])
def test_hostile_text_is_printed_literally_in_word(hostile_packet: Path, document: str, fields: list[str]) -> None:
    text = docx_text(hostile_packet / f"{document}.docx")
    for field in fields:
        for line in HOSTILE_TEXT[field].splitlines():
            assert line in text, f"{field}: {line!r}"
    assert "49" not in text


@pytest.mark.parametrize(("document", "fields"), [("申报表", FORM_FIELDS), ("建设方案", PLAN_FIELDS)])
def test_hostile_text_is_printed_literally_in_the_pdf(hostile_packet: Path, document: str, fields: list[str]) -> None:
    text = pdf_text(hostile_packet / f"{document}.pdf")
    for field in fields:
        for line in HOSTILE_TEXT[field].splitlines():
            assert squeeze(line) in squeeze(text), f"{field}: {line!r}"
    assert "49" not in text


def test_every_hostile_string_reaches_both_documents(hostile_packet: Path) -> None:
    """Each string of the brief, on its own and spaces included, in the Word and PDF files of both documents
    (each is written at least once where no line break falls inside it)."""
    for document in ("申报表", "建设方案"):
        word = docx_text(hostile_packet / f"{document}.docx")
        pdf = pdf_text(hostile_packet / f"{document}.pdf")
        for hostile in HOSTILE:
            assert hostile in word, (document, hostile)
            assert hostile in pdf, (document, hostile)


def test_hostile_text_in_word_is_escaped_not_markup(hostile_packet: Path) -> None:
    """`<w:p>` from the applicant must not open a paragraph: in document.xml it is &lt;w:p&gt;."""
    import zipfile

    with zipfile.ZipFile(hostile_packet / "申报表.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "&lt;w:p&gt;" in xml
    assert "{{ 7*7 }}" in xml


@pytest.fixture
def no_env_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAIZHI_FONT", raising=False)


@pytest.mark.usefixtures("no_env_font")
def test_an_emoji_is_printed_or_refused_by_name(tmp_path: Path) -> None:
    """The bundled font lacks 😀: a system font (Symbola, Noto Emoji …) prints it, or the build says which
    character of which field no font has. Which of the two depends on the machine's fonts."""
    path = unit_with(tmp_path / "unit", {"narratives.foundation": f"基地宗旨{EMOJI}明确，依托园区运行。"})
    out = tmp_path / "out"
    if resolve_fonts().missing(EMOJI):
        with pytest.raises(MissingGlyphError) as caught:
            build_packet(path, BuildOptions(out=out, as_of=CHECK_DAY))
        assert "U+1F600" in caught.value.message and "narratives.foundation" in caught.value.message
        assert not out.exists()
    else:
        build_packet(path, BuildOptions(out=out, as_of=CHECK_DAY))
        assert EMOJI in docx_text(out / "申报表.docx")
        assert f"基地宗旨{EMOJI}明确" in squeeze(pdf_text(out / "申报表.pdf"))


@pytest.mark.usefixtures("no_env_font")
def test_an_emoji_no_font_has_stops_the_build_naming_character_and_field(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With no system fonts at all (only the bundled one), 😀 has no font: exit 2, the character and the
    field named, nothing written."""
    monkeypatch.setattr(fontset, "system_faces", lambda: ())
    assert resolve_fonts().fallbacks == ()
    path = unit_with(tmp_path / "unit", {"narratives.purpose": f"搭建平台{EMOJI}，推动人才落地。"})
    out = tmp_path / "out"
    with pytest.raises(MissingGlyphError) as caught:
        build_packet(path, BuildOptions(out=out, as_of=CHECK_DAY))
    assert isinstance(caught.value, UserInputError)
    res = runner.invoke(app, ["build-packet", str(path), "-o", str(out), "--as-of", "2023-09-01"])
    assert_clean_error(res, "U+1F600", "narratives.purpose", EMOJI)
    assert siblings(out) == ["unit"]  # no OUT, no staging folder left behind


# --- interrupted and failed builds ---------------------------------------------------------------------------

SLOW_BUILD = """\
import sys, time
from pathlib import Path

import haizhi_cli.documents._pdf_writer as pdf_writer
from haizhi_cli.cli import main

signal_file = Path(sys.argv.pop(1))
real_write_pdf = pdf_writer.write_pdf


def slow_write_pdf(document, path, *args, **kwargs):
    pages = real_write_pdf(document, path, *args, **kwargs)
    signal_file.write_text(str(path), encoding="utf-8")  # a file of the new packet is on disk: kill me now
    time.sleep(120)
    return pages


pdf_writer.write_pdf = slow_write_pdf
sys.argv[0] = "haizhi"
main()
"""


def earlier_packet(out: Path) -> dict[str, bytes]:
    """An OUT that --force may replace (it holds a manifest.json), with a marker file; its contents."""
    out.mkdir()
    (out / "manifest.json").write_text('{"marker": "earlier packet"}\n', encoding="utf-8")
    (out / "marker.txt").write_text("旧的材料包，不可丢失", encoding="utf-8")
    return tree(out)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_build_killed_part_way_leaves_the_previous_out_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = earlier_packet(out)
    script, signal_file = tmp_path / "slow_build.py", tmp_path / "signal.txt"
    script.write_text(SLOW_BUILD, encoding="utf-8")
    command = [sys.executable, str(script), str(signal_file), "build-packet",
               str(EXAMPLES / "work-base" / "applicant.yaml"), "-o", str(out), "--force", "--as-of", "2023-09-01"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("HAIZHI_FONT", None)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while not signal_file.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert signal_file.exists(), f"the build never wrote a PDF: {process.communicate(timeout=5)}"
        written = Path(signal_file.read_text(encoding="utf-8"))
        assert written.is_file()
        staging = written.parent
        assert staging.parent == tmp_path and staging.name.startswith(".out.") and staging != out
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert tree(out) == before
    # SIGKILL gives no program a chance to clean up: the hidden staging folder beside OUT stays, and only it.
    assert all(name.startswith(".out.") for name in siblings(out) if name not in {"slow_build.py", "signal.txt"})
    # The leftover does not get in the way of the next build, which replaces the earlier packet.
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o", str(out),
                              "--force", "--as-of", "2023-09-01"])
    assert res.exit_code == 0, res.output
    assert (out / "packet.pdf").is_file() and not (out / "marker.txt").exists()


def test_a_failed_move_into_place_restores_the_previous_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last step can fail too (on Windows a folder that another program holds open cannot be renamed)."""
    out = tmp_path / "out"
    before = earlier_packet(out)
    real_rename = placing.rename_noreplace

    def rename(source: Path, target: Path) -> None:  # the final move (renameat2, or rename under a lock)
        if Path(target) == out and source.name.startswith(".out.") and ".old-" not in source.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        real_rename(source, target)

    monkeypatch.setattr(placing, "rename_noreplace", rename)
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o", str(out),
                              "--force", "--as-of", "2023-09-01"])
    assert_clean_error(res)
    assert out.is_dir() and tree(out) == before


def test_a_write_error_part_way_is_a_clear_error_and_leaves_no_trace(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    before = earlier_packet(out)

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("haizhi_cli.packet._building.shutil.copyfile", disk_full)
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o", str(out),
                              "--force", "--as-of", "2023-09-01"])
    assert_clean_error(res, "No space left on device")
    assert tree(out) == before
    assert siblings(out) == []  # the staging folder was removed


# --- OUT that cannot be written -------------------------------------------------------------------------------

def test_out_below_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    """A parent of OUT that is a file cannot hold a folder, for root too."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("不是文件夹", encoding="utf-8")
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o",
                              str(blocker / "out"), "--as-of", "2023-09-01"])
    assert_clean_error(res, "上级目录", str(blocker))
    assert blocker.read_text(encoding="utf-8") == "不是文件夹"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_read_only_parent_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = tmp_path / "readonly"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        try:
            (parent / "probe").touch()
        except PermissionError:
            pass
        else:  # root ignores permissions: have os.access answer as it would for anyone else
            (parent / "probe").unlink()
            real_access = os.access

            def access(path: Any, mode: int, **kwargs: Any) -> bool:
                if Path(path) == parent and mode & os.W_OK:
                    return False
                return real_access(path, mode, **kwargs)

            monkeypatch.setattr("haizhi_cli.packet._building.os.access", access)
        res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o",
                                  str(parent / "out"), "--as-of", "2023-09-01"])
        assert_clean_error(res, "没有写入权限", str(parent))
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


@pytest.mark.parametrize("force", [False, True])
def test_out_that_is_a_file_is_refused_and_left_unchanged(tmp_path: Path, force: bool) -> None:
    out = tmp_path / "out"
    out.write_bytes(b"%PDF-1.4 not a folder\n")
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o", str(out),
                              "--as-of", "2023-09-01", *(["--force"] if force else [])])
    assert_clean_error(res, "是一个文件" if force else "--force")
    assert out.read_bytes() == b"%PDF-1.4 not a folder\n"
    assert siblings(out) == []


# --- the same bytes twice ---------------------------------------------------------------------------------------

def test_a_draft_built_twice_is_byte_identical(tmp_path: Path) -> None:
    applicant = EXAMPLES / "fail-work-base-small-area" / "applicant.yaml"
    outs = [tmp_path / "first", tmp_path / "second"]
    for out in outs:
        res = runner.invoke(app, ["build-packet", str(applicant), "-o", str(out), "--draft", "--as-of", "2023-09-01"])
        assert res.exit_code == 0, res.output
    first, second = (tree(out) for out in outs)
    assert first.keys() == second.keys() and "packet.pdf" in first
    for name in first:
        assert first[name] == second[name], name
    manifest = json.loads(first["manifest.json"])
    assert manifest["draft"] is True
    assert manifest["generated"] == "2023-11-14T22:13:20+00:00"  # SOURCE_DATE_EPOCH, not the deadline

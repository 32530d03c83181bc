"""The text reporters: colour, quiet and explained reports, the summary with its totals, the build summary."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from haizhi_cli.checking._pipeline import CheckOptions, check_file
from haizhi_cli.cli._build_display import write_build_summary
from haizhi_cli.engine._results import Category, FileError, Finding, Outcome, Report, Status
from haizhi_cli.packet._building import BuildResult, WrittenFile
from haizhi_cli.reports._text import json_document, json_text, make_console, write_text
from tests.conftest import CHECK_DAY, EXAMPLES

PASS = Finding("work_base.service_area", "一（一）2（2）", Category.eligibility, Status.passed,
               "服务场地 350 平方米，要求 100 平方米以上", 350, ">= 100", "base.service_area_m2", 23)
FAIL = Finding("common.narrative_goals", "申报表四", Category.form, Status.failed,
               "预期目标 472 字，超出 400 字的限制 72 字，请删减", "472 字", "<= 400 字", "narratives.goals", 61)
WARN = Finding("common.round_open", "二（三）", Category.process, Status.warn,
               "申报已于 2023-09-15 截止", "2026-11-28", "<= 2023-09-15")
REVIEW = Finding("work_base.channels", "一（一）2（3）", Category.eligibility, Status.review,
                 "已说明联系海外科技人才和海外机构的渠道（66 字），须审核确认", "66 字", "书面说明",
                 "conditions.channels", 42)
NAME = "中国科协海智工作基地（苏州工业园区）"


def report(*findings: Finding, file: str = "a/applicant.yaml") -> Report:
    return Report(file, 2023, "work_base", NAME, list(findings))


def text(outcomes: list[Outcome], lang: str = "zh", width: int = 120, **options: bool) -> str:
    out = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    write_text(outcomes, lang, out, **options)
    stream = out.file
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


# Colour


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def colour_terminal(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A colour terminal's variables, and none of the variables that turn colour on or off."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    return monkeypatch


def printed(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, *, stderr: bool = False,
            no_color: bool = False) -> str:
    """What a console from make_console prints on `stream` standing for stdout (or stderr).

    The stream is swapped in here, in the test itself: pytest puts its own capture back between a
    fixture and the test.
    """
    monkeypatch.setattr(sys, "stderr" if stderr else "stdout", stream)
    make_console(stderr=stderr, no_color=no_color).print("[red]不通过[/]")
    return stream.getvalue()


def test_a_terminal_gets_colour(colour_terminal: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in printed(colour_terminal, Terminal())


def test_no_color_turns_every_escape_code_off(colour_terminal: pytest.MonkeyPatch) -> None:
    assert printed(colour_terminal, Terminal(), no_color=True) == "不通过\n"


def test_the_no_color_variable_turns_colour_off(colour_terminal: pytest.MonkeyPatch) -> None:
    colour_terminal.setenv("NO_COLOR", "1")
    assert printed(colour_terminal, Terminal()) == "不通过\n"


def test_an_empty_no_color_variable_does_not(colour_terminal: pytest.MonkeyPatch) -> None:
    colour_terminal.setenv("NO_COLOR", "")
    assert "\x1b[" in printed(colour_terminal, Terminal())


def test_a_stream_that_is_not_a_terminal_gets_no_colour(colour_terminal: pytest.MonkeyPatch) -> None:
    assert printed(colour_terminal, io.StringIO()) == "不通过\n"


def test_a_console_on_stderr_writes_there(colour_terminal: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in printed(colour_terminal, Terminal(), stderr=True)
    assert printed(colour_terminal, io.StringIO(), stderr=True) == "不通过\n"


# Quiet


def test_quiet_shows_fails_and_warnings_and_counts_the_rest() -> None:
    output = text([report(PASS, FAIL, WARN, REVIEW)], quiet=True)
    assert FAIL.message in output and WARN.message in output
    assert PASS.message not in output and REVIEW.message not in output
    assert "a/applicant.yaml  符合申报条件；材料不齐  通过 1 · 不通过 1 · 警告 1 · 待审核 1" in output


def test_quiet_prints_only_the_verdict_line_of_a_file_with_nothing_to_show() -> None:
    output = text([report(PASS, REVIEW)], quiet=True)
    assert output == "a/applicant.yaml  符合申报条件；材料齐全  通过 1 · 不通过 0 · 警告 0 · 待审核 1\n"


def test_quiet_still_reports_a_file_that_could_not_be_read(capsys: pytest.CaptureFixture[str]) -> None:
    output = text([FileError("b/applicant.yaml", "YAML 语法错误", 3, 1)], quiet=True)
    assert output == ""
    assert capsys.readouterr().err == "b/applicant.yaml:3:1: 错误: YAML 语法错误\n"


def test_without_quiet_every_finding_is_listed() -> None:
    output = text([report(PASS, FAIL, WARN, REVIEW)])
    assert all(f.message in output for f in (PASS, FAIL, WARN, REVIEW))


# Explain


def test_explain_adds_the_rule_the_key_its_line_and_the_value_read() -> None:
    output = text([report(PASS)], width=300, explain=True)
    assert "work_base.service_area" in output
    assert "base.service_area_m2（第 23 行）" in output
    assert "读到：350" in output
    assert ">= 100" in output


def test_explain_in_english() -> None:
    output = text([report(PASS, WARN)], "en", 300, explain=True)
    assert "base.service_area_m2 (line 23)" in output
    assert "read: 350" in output
    assert "rule and key" in output


def test_explain_shows_values_as_a_reader_writes_them() -> None:
    flag = Finding("work_base.registered_in_china", "一（一）2（1）", Category.eligibility, Status.passed,
                   "在中华人民共和国境内注册", True, "是", "applicant.registered_in_china", 13)
    missing = Finding("common.support_letter", "二（一）2", Category.materials, Status.failed,
                      "未提供地方政府支持函", None, "city", "attachments.support_letter")
    output = text([report(flag, missing)], width=300, explain=True)
    assert "读到：是" in output and "读到：（无）" in output
    assert "attachments.support_letter" in output and "第 None 行" not in output


def test_explain_prints_brackets_in_values_as_written() -> None:
    odd = Finding("common.base_name", "申报表一", Category.form, Status.failed, "基地名称不符合命名格式",
                  "[bold]基地[/bold]", "中国科协海智工作基地（…）", "base_name", 8)
    assert "读到：[bold]基地[/bold]" in text([report(odd)], width=300, explain=True)


def test_explain_on_a_checked_example_names_every_rule() -> None:
    checked = check_file(EXAMPLES / "fail-work-base-small-area" / "applicant.yaml", CheckOptions(CHECK_DAY))
    out = Console(file=io.StringIO(), width=400, highlight=False, color_system=None)
    write_text([checked], "zh", out, explain=True)
    stream = out.file
    assert isinstance(stream, io.StringIO)
    assert all(f.rule in stream.getvalue() for f in checked.findings)


# Summary of several files


def test_the_summary_names_the_type_in_chinese_and_totals_the_files() -> None:
    outcomes: list[Outcome] = [report(PASS), report(PASS, FAIL, file="b/applicant.yaml"),
                               FileError("c/applicant.yaml", "无法读取")]
    output = text(outcomes)
    assert "汇总" in output and "中国科协海智工作基地" in output.split("汇总", 1)[1]
    assert "共 3 个文件：符合申报条件 2，材料齐全 1，无法检查 1" in output


def test_the_summary_in_english() -> None:
    output = text([report(PASS), report(FAIL, file="b/applicant.yaml")], "en")
    assert "work_base" in output.split("summary", 1)[1]
    assert "2 files: eligible 2, complete 1, could not check 0" in output


def test_the_summary_can_be_left_out() -> None:
    output = text([report(PASS), report(FAIL, file="b/applicant.yaml")], show_summary=False)
    assert "汇总" not in output and "共 2 个文件" not in output


def test_one_file_has_no_summary() -> None:
    assert "汇总" not in text([report(PASS)])


# Build summary


def build_result() -> BuildResult:
    files = [WrittenFile("申报表.pdf", "application_form", "pdf", "ab" * 32, 3),
             WrittenFile("支持函代拟稿.docx", "support_letter_draft", "docx", "cd" * 32)]
    return BuildResult(Path("out/packet"), report(PASS), files)


def build_summary(lang: str | None, result: BuildResult | None = None, width: int = 120) -> str:
    out = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    if lang is None:
        write_build_summary(result or build_result(), out)
    else:
        write_build_summary(result or build_result(), out, lang=lang)
    stream = out.file
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


def test_the_build_summary_is_chinese_by_default() -> None:
    output = build_summary(None)
    assert "已生成 out/packet" in output
    assert "用途" in output and "申报表" in output and "支持函代拟稿" in output
    assert "符合申报条件；材料齐全；共 2 个文件，另有 manifest.json" in output


def test_the_build_summary_in_english() -> None:
    output = build_summary("en")
    assert "Written to out/packet" in output
    assert "role" in output and "application form" in output and "support letter (draft)" in output
    assert "eligible; complete; 2 files, plus manifest.json" in output
    assert "用途" not in output and "页数" not in output


ATTACHMENTS = ("attachments/七4-1-overseas-contacts.pdf", "attachments/七6-2-zone-policies.pdf")


def with_attachments() -> BuildResult:
    result = build_result()
    files = [*result.files, *(WrittenFile(path, "attachment", "pdf", "ef" * 32, 1) for path in ATTACHMENTS),
             WrittenFile("检查报告.pdf", "check_report", "pdf", "01" * 32, 5)]
    return BuildResult(result.out, result.report, files)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_narrow_terminal_breaks_a_name_after_its_folder_not_inside_it(lang: str) -> None:
    """80 columns cannot hold `attachments/七4-1-overseas-contacts.pdf` beside the other columns: the name goes
    below its folder, whole, and no line is wider than the terminal."""
    lines = build_summary(lang, with_attachments(), width=80).splitlines()
    assert max(len(line) for line in lines) <= 80
    cells = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    for path in ATTACHMENTS:
        folder, name = path.split("/")
        assert name in cells and f"{folder}/" in cells, (path, cells)


@pytest.mark.parametrize("width", [44, 60])
def test_a_very_narrow_terminal_folds_names_but_cuts_nothing_off(width: int) -> None:
    """Narrower still, names fold where they must; every character of every cell is still printed."""
    lines = build_summary("zh", with_attachments(), width=width).splitlines()
    assert max(len(line) for line in lines) <= width
    columns = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    printed = ["".join(column[index] for column in columns) for index in range(4)]
    for item in with_attachments().files:
        assert item.path in printed[0] and item.sha256[:12] in printed[3]


def test_a_wide_terminal_shows_each_path_on_one_line() -> None:
    output = build_summary("zh", with_attachments(), width=120)
    assert all(path in output for path in ATTACHMENTS)


@given(st.recursive(
    st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
))
def test_json_text_is_the_standard_library_text(document: object) -> None:
    """The fast encoder writes the bytes `json.dumps(..., ensure_ascii=False, indent=2)` writes."""
    assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_json_text_keeps_a_file_name_that_is_not_utf8() -> None:
    """Python reads such a name with lone surrogates (surrogateescape); orjson refuses them, json keeps them."""
    document = {"file": "申报/a\udcff.yaml", "error": {"message": "文件不存在", "line": None, "column": None}}
    assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_json_text_keeps_every_float_the_models_allow(value: float) -> None:
    assert json.loads(json_text({"actual": value})) == {"actual": value}


@pytest.mark.parametrize("name", ["work-base", "offshore-base", "rd-community"])
def test_json_text_of_every_example_report_is_the_standard_library_text(name: str) -> None:
    outcome = check_file(EXAMPLES / name / "applicant.yaml", CheckOptions(as_of=CHECK_DAY))
    document = json_document([outcome, outcome])
    assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_the_format_choices_are_the_registered_reporters() -> None:
    from haizhi_cli.cli._app import OutputFormat
    from haizhi_cli.reports import REPORTER_BY_NAME, default_format

    assert [f.value for f in OutputFormat] == list(REPORTER_BY_NAME) == ["text", "concise", "json", "junit", "github"]
    assert default_format(stdout_is_terminal=True) == "text"
    assert default_format(stdout_is_terminal=False) == "concise"

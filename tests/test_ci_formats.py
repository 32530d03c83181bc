"""The CI reporters: JUnit XML and GitHub Actions workflow commands."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from haizhi_cli.checking._pipeline import CheckOptions, check_file
from haizhi_cli.engine._results import Category, FileError, Finding, Outcome, Report, Status
from haizhi_cli.reports._ci import escape_data, escape_property, write_github, write_junit
from tests.conftest import CHECK_DAY, EXAMPLES

FILE = "sub/苏州,一:二/applicant.yaml"
FAIL = Finding("work_base.service_area", "一（一）2（2）", Category.eligibility, Status.failed,
               "服务场地 99 平方米, 达标率 99%\n第二行: 请核对", 99, ">= 100", "base.service_area_m2", 24)
WARN = Finding("common.round_open", "二（三）", Category.process, Status.warn, "申报已于 2023-09-15 截止",
               "2026-11-28", "<= 2023-09-15")
REVIEW = Finding("work_base.channels", "一（一）2（3）", Category.eligibility, Status.review,
                 "已说明渠道（66 字），须审核确认", "66 字", "书面说明", "conditions.channels", 42)
PASS = Finding("work_base.full_time_staff", "一（一）2（2）", Category.eligibility, Status.passed,
               "配备专职人员 6 人", 6, ">= 1", "base.staff_full_time", 27)
REPORT = Report(FILE, 2023, "work_base", "中国科协海智工作基地（苏州工业园区）", [PASS, FAIL, WARN, REVIEW])
ERROR = FileError("bad/applicant.yaml", "两处错误", 3, 1, [
    {"message": "YAML 语法错误", "line": 3, "column": 1},
    {"message": "未知的键 ofice_area_m2, 是否应为 office_area_m2？", "line": 24, "column": 3},
])


def junit(outcomes: list[Outcome], lang: str = "zh") -> str:
    out = io.StringIO()
    write_junit(outcomes, out, lang)
    return out.getvalue()


def github(outcomes: list[Outcome], lang: str = "zh") -> list[str]:
    out = io.StringIO()
    write_github(outcomes, out, lang)
    return out.getvalue().splitlines()


def counts(element: ET.Element) -> tuple[str | None, ...]:
    return tuple(element.get(name) for name in ("tests", "failures", "errors", "skipped"))


# JUnit XML


def test_junit_parses_with_a_suite_per_file_and_right_counts() -> None:
    root = ET.fromstring(junit([REPORT, ERROR]))
    assert root.tag == "testsuites"
    assert counts(root) == ("5", "1", "1", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [FILE, "bad/applicant.yaml"]
    assert counts(suites[0]) == ("4", "1", "0", "1")
    assert counts(suites[1]) == ("1", "0", "1", "0")


def test_junit_names_each_case_after_its_rule_and_clause() -> None:
    cases = ET.fromstring(junit([REPORT])).findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("work_base", "work_base.full_time_staff 一（一）2（2）"),
        ("work_base", "work_base.service_area 一（一）2（2）"),
        ("common", "common.round_open 二（三）"),
        ("work_base", "work_base.channels 一（一）2（3）"),
    ]
    assert cases[1].get("file") == FILE and cases[1].get("line") == "24"
    assert cases[2].get("line") is None
    assert list(cases[0]) == []


def test_a_failure_carries_its_message_key_and_line() -> None:
    failure = ET.fromstring(junit([REPORT])).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("type") == "eligibility"
    assert failure.get("message") == f"{FAIL.message}（base.service_area_m2，第 24 行）"
    body = failure.text or ""
    assert f"位置：{FILE}:24" in body and "键：base.service_area_m2" in body
    assert "读到：99" in body and "要求：>= 100" in body and "类别：申报条件" in body


def test_a_warning_is_not_a_failure_but_says_so() -> None:
    case = ET.fromstring(junit([REPORT])).findall("testsuite/testcase")[2]
    assert case.find("failure") is None and case.find("skipped") is None
    out = case.find("system-out")
    assert out is not None and (out.text or "").startswith("警告：申报已于 2023-09-15 截止")


def test_a_review_is_skipped_never_a_pass() -> None:
    skipped = ET.fromstring(junit([REPORT])).find("testsuite/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "待审核：已说明渠道（66 字），须审核确认"
    en = ET.fromstring(junit([REPORT], "en")).find("testsuite/testcase/skipped")
    assert en is not None and en.get("message") == "review: 已说明渠道（66 字），须审核确认"


def test_a_file_error_is_one_error_case_with_file_line_and_column() -> None:
    suite = ET.fromstring(junit([ERROR])).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 1
    error = cases[0].find("error")
    assert error is not None and error.get("message") == "两处错误"
    assert (error.text or "").splitlines() == [
        "bad/applicant.yaml:3:1: YAML 语法错误",
        "bad/applicant.yaml:24:3: 未知的键 ofice_area_m2, 是否应为 office_area_m2？",
    ]


def test_junit_is_the_same_every_time_and_has_no_timestamp() -> None:
    first = junit([REPORT, ERROR])
    assert first == junit([REPORT, ERROR])
    assert first.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert "timestamp" not in first and "time=" not in first


def test_junit_survives_characters_xml_cannot_hold() -> None:
    odd = Finding("common.base_name", "申报表一", Category.form, Status.failed, "名称含控制字符\x01与<&>\"",
                  "\x0b", "x", "base_name", 8)
    failure = ET.fromstring(junit([Report("a.yaml", 2023, "work_base", "x", [odd])])).find(".//failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith("名称含控制字符\\x01与<&>\"")  # shown, as it is there


def test_junit_of_a_checked_example() -> None:
    checked = check_file(EXAMPLES / "fail-work-base-small-area" / "applicant.yaml", CheckOptions(CHECK_DAY))
    suite = ET.fromstring(junit([checked])).find("testsuite")
    assert suite is not None
    assert counts(suite) == (str(len(checked.findings)), "1", "0", str(checked.count(Status.review)))
    failure = suite.find("testcase/failure")
    assert failure is not None and "第 24 行" in (failure.get("message") or "")


# GitHub workflow commands


def test_escaping_follows_the_github_toolkit() -> None:
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_github_lines_are_exact() -> None:
    assert github([REPORT, ERROR]) == [
        "::error file=sub/苏州%2C一%3A二/applicant.yaml,line=24,title=work_base.service_area 一（一）2（2）"
        "::服务场地 99 平方米, 达标率 99%25%0A第二行: 请核对",
        "::warning file=sub/苏州%2C一%3A二/applicant.yaml,title=common.round_open 二（三）"
        "::申报已于 2023-09-15 截止",
        "::notice file=sub/苏州%2C一%3A二/applicant.yaml,line=42,title=work_base.channels 一（一）2（3）"
        "::待审核：已说明渠道（66 字），须审核确认",
        "::error file=bad/applicant.yaml,line=3,col=1::YAML 语法错误",
        "::error file=bad/applicant.yaml,line=24,col=3::未知的键 ofice_area_m2, 是否应为 office_area_m2？",
        f"{FILE}：不符合申报条件；材料齐全（通过 1 · 不通过 1 · 警告 1 · 待审核 1）",
        "bad/applicant.yaml：无法检查：两处错误",
    ]


def test_a_file_error_without_details_or_position() -> None:
    assert github([FileError("x.yaml", "不是普通文件")]) == [
        "::error file=x.yaml::不是普通文件",
        "x.yaml：无法检查：不是普通文件",
    ]


def test_github_in_english_and_summary_lines_stay_one_line() -> None:
    broken = FileError("a\nb.yaml", "line one\nline two")
    lines = github([REPORT, broken], "en")
    assert "::notice file=sub/苏州%2C一%3A二/applicant.yaml,line=42,title=work_base.channels 一（一）2（3）" \
           "::review: 已说明渠道（66 字），须审核确认" in lines
    assert lines[-2] == f"{FILE}: NOT eligible; complete (pass 1 · fail 1 · warn 1 · review 1)"
    assert lines[-1] == "a\\x0ab.yaml: could not check: line one line two"  # the name as it is, on one line


def test_a_passing_file_gives_only_its_summary() -> None:
    passing = Report("ok.yaml", 2023, "work_base", "x", [PASS])
    assert github([passing]) == ["ok.yaml：符合申报条件；材料齐全（通过 1 · 不通过 0 · 警告 0 · 待审核 0）"]

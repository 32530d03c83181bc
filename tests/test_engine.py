"""The engine: messages filled from variables and nothing else, statuses from outcomes, report verdicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from haizhi_cli.applicant._models import BaseType
from haizhi_cli.engine._evaluation import _plain, _status, evaluate, format_message, run_rule
from haizhi_cli.engine._operators import Context, FileFact, Localized, OutcomeKind, Result
from haizhi_cli.engine._results import Category, FileError, Finding, Report, Status
from haizhi_cli.engine._rules import Rule, load_round
from haizhi_cli.i18n._language import current_lang, speaking

RULESET = load_round(2023)


def rule(rule_id: str) -> Rule:
    found = RULESET.get(rule_id)
    assert found is not None, rule_id
    return found


# --- format_message ------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "variables", "expected"), [
    ("服务场地 {actual} 平方米，要求 {value} 平方米以上", {"actual": 350.0, "value": 100},
     "服务场地 350 平方米，要求 100 平方米以上"),
    ("{actual}", {"actual": 99.9}, "99.9"),
    ("{actual}", {"actual": "无"}, "“无”"),
    ("{actual}", {"actual": 0}, "0"),
    ("{actual}", {"actual": dt.date(2023, 9, 15)}, "2023-09-15"),
    ("{a}{a}", {"a": "x"}, "xx"),
    ("无占位符", {"actual": 1}, "无占位符"),
    ("", {"actual": 1}, ""),
])
def test_placeholders_are_filled(template: str, variables: dict[str, Any], expected: str) -> None:
    assert format_message(template, variables, "zh") == expected


@pytest.mark.parametrize(("template", "expected"), [
    ("{nope}", "{nope}"),
    ("{actual} 与 {nope}", "7 与 {nope}"),
    ("{__class__}", "{__class__}"),
    ("{__init__}", "{__init__}"),
    ("{0}", "{0}"),
    ("{}", "{}"),
    ("{actual.__class__}", "{actual.__class__}"),
    ("{actual.__class__.__mro__}", "{actual.__class__.__mro__}"),
    ("{actual[0]}", "{actual[0]}"),
    ("{actual!r}", "{actual!r}"),
    ("{actual:>10}", "{actual:>10}"),
    ("{Actual}", "{Actual}"),
    ("{值}", "{值}"),
    ("{ actual }", "{ actual }"),
    ("{{actual}}", "{7}"),
    ("%(actual)s $actual {{ actual }}", "%(actual)s $actual {{ actual }}"),
])
def test_nothing_but_known_names_is_filled(template: str, expected: str) -> None:
    assert format_message(template, {"actual": 7}, "zh") == expected


def test_a_filled_value_is_not_filled_again() -> None:
    assert format_message("{actual} / {value}", {"actual": "{value}", "value": 5}, "zh") == "{value} / 5"


def test_a_value_is_shown_not_evaluated() -> None:
    assert format_message("{actual}", {"actual": "__import__('os').getcwd()"}, "zh") == "__import__('os').getcwd()"
    assert format_message("{actual}", {"actual": "{0.__class__}"}, "zh") == "{0.__class__}"


@pytest.mark.parametrize(("lang", "expected"), [("zh", "附件 a.pdf：文件不存在"), ("en", "附件 a.pdf：file not found")])
def test_localized_values_follow_the_language(lang: str, expected: str) -> None:
    variables = {"file": "a.pdf", "problem": Localized("文件不存在", "file not found")}
    assert format_message("附件 {file}：{problem}", variables, lang) == expected


# --- _status -------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule_id", "outcome", "status"), [
    ("common.round_open", "pass", Status.passed),
    ("common.round_open", "fail", Status.warn),
    ("common.city_review", "pass", Status.passed),
    ("common.city_review", "missing", Status.review),
    ("common.provincial_submission", "fail", Status.failed),
    ("common.provincial_submission", "missing", Status.review),
    ("common.credit_code", "pass", Status.passed),
    ("common.credit_code", "fail", Status.warn),
    ("common.credit_code", "missing", Status.warn),
    ("work_base.management_body", "review", Status.review),
    ("work_base.management_body", "missing", Status.failed),
])
def test_status_of_an_outcome(rule_id: str, outcome: OutcomeKind, status: Status) -> None:
    assert _status(rule(rule_id), Result(outcome)) is status


def test_the_real_rules_have_the_settings_these_tests_rely_on() -> None:
    assert rule("common.round_open").definition.severity == "warning"
    assert rule("common.round_open").definition.when_missing == "fail"
    assert rule("common.city_review").definition.severity == "error"
    assert rule("common.city_review").definition.when_missing == "review"
    assert rule("common.credit_code").definition.when_missing == "fail"


def with_settings(base: Rule, **settings: str) -> Rule:
    return dataclasses.replace(base, definition=base.definition.model_copy(update=settings))


@pytest.mark.parametrize(("severity", "when_missing", "status"), [
    ("error", "fail", Status.failed),
    ("error", "review", Status.review),
    ("warning", "fail", Status.warn),
    ("warning", "review", Status.review),
])
def test_a_missing_outcome_goes_through_when_missing_then_severity(severity: str, when_missing: str,
                                                                   status: Status) -> None:
    changed = with_settings(rule("common.city_review"), severity=severity, when_missing=when_missing)
    assert _status(changed, Result("missing")) is status


def test_a_review_stays_a_review_on_a_warning_rule() -> None:
    changed = with_settings(rule("work_base.management_body"), severity="warning")
    assert _status(changed, Result("review")) is Status.review


# --- run_rule and evaluate -----------------------------------------------------------------

def test_round_open_after_the_deadline_is_a_warning() -> None:
    findings = run_rule(rule("common.round_open"), BaseType.work_base, Context(data={}, as_of=dt.date(2023, 9, 16)))
    assert findings == [Finding(
        rule="common.round_open", clause="二（三）", category=Category.process, status=Status.warn,
        message="本轮申报已于 2023-09-15 截止（检查日期 2023-09-16）；如属补报或复核，请与省级科协确认",
        actual="2023-09-16", required="<= 2023-09-15", field=None,
    )]


def test_round_open_in_english() -> None:
    findings = run_rule(rule("common.round_open"), BaseType.work_base, Context(data={}, as_of=dt.date(2023, 9, 15)),
                        "en")
    assert [(f.status, f.message) for f in findings] == [
        (Status.passed, "checked on 2023-09-15; the round closes on 2023-09-15"),
    ]


def test_city_review_not_recorded_is_for_review() -> None:
    findings = run_rule(rule("common.city_review"), BaseType.work_base, Context(data={"process": None}))
    assert [(f.status, f.message, f.field) for f in findings] == [
        (Status.review, "未记录地市级科协审核及审核单位（process.city_review.by），报送省级科协前须经审核",
         "process.city_review.by"),
    ]


def test_a_rule_over_files_gives_one_finding_per_file() -> None:
    data = {"attachments": {"support_letter": {"file": "letter.pdf"}, "proofs": [{"file": "p.pdf"}]}}
    files = {"letter.pdf": FileFact("letter.pdf", None, 2),
             "p.pdf": FileFact("p.pdf", Localized("文件为空（0 字节）", "the file is empty (0 bytes)"))}
    findings = run_rule(rule("common.attachment_files"), BaseType.work_base, Context(data=data, files=files), "en")
    assert [(f.status, f.message, f.field, f.actual) for f in findings] == [
        (Status.passed, "attachment letter.pdf is readable (2 pages)", "attachments.support_letter", "letter.pdf"),
        (Status.failed, "attachment p.pdf: the file is empty (0 bytes)", "attachments.proofs[0]", "p.pdf"),
    ]


def test_a_whole_float_actual_is_reported_as_an_integer() -> None:
    data = {"base": {"service_area_m2": 350.0}}
    [finding] = run_rule(rule("work_base.service_area"), BaseType.work_base, Context(data=data))
    assert finding.status is Status.passed
    assert finding.actual == 350
    assert isinstance(finding.actual, int)
    assert "350 " in finding.message
    assert "350.0" not in finding.message


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_credit_code_problem_in_english_is_english() -> None:
    data = {"applicant": {"credit_code": "91110000600037341K"}}
    [finding] = run_rule(rule("common.credit_code"), BaseType.work_base, Context(data=data), "en")
    assert finding.status is Status.warn
    assert not CJK.search(finding.message), finding.message


@pytest.fixture
def process_in_english() -> Iterator[None]:
    with speaking("en"):
        yield


@pytest.mark.usefixtures("process_in_english")
@pytest.mark.parametrize(("lang", "required", "actual"), [
    ("zh", "书面说明", "7 字"),
    ("en", "a written statement", "7 characters"),
])
def test_a_finding_is_worded_in_the_language_given_not_the_process_one(lang: str, required: str,
                                                                        actual: str) -> None:
    data = {"conditions": {"management_body": "设立管理办公室"}}
    [finding] = run_rule(rule("work_base.management_body"), BaseType.work_base, Context(data=data), lang)
    assert (finding.status, finding.required, finding.actual) == (Status.review, required, actual)
    assert current_lang() == "en"


@pytest.mark.usefixtures("process_in_english")
def test_the_variables_an_operator_words_follow_the_language_given() -> None:
    targets = [{"indicator": "引进人才", "values": {2024: 1}}]
    data = {"plan": {"targets": targets}}
    [zh] = run_rule(rule("common.plan_years"), BaseType.work_base, Context(data=data), "zh")
    [en] = run_rule(rule("common.plan_years"), BaseType.work_base, Context(data=data), "en")
    assert zh.required == "2024、2025、2026" and "引进人才（缺 2025、2026）" in zh.message
    assert en.required == "2024, 2025, 2026" and "引进人才 (missing 2025, 2026)" in en.message


def test_evaluate_puts_eligibility_first_then_the_other_categories_in_order() -> None:
    findings = evaluate(RULESET, BaseType.overseas_base, Context(data={"base_type": "overseas_base"}))
    order = [list(Category).index(f.category) for f in findings]
    assert order == sorted(order)
    assert findings[0].rule == "common.base_type_open"
    assert findings[0].status is Status.failed
    assert {f.category for f in findings} == set(Category)


@pytest.mark.parametrize(("value", "expected"), [
    (350.0, 350), (350.5, 350.5), (3, 3), ("x", "x"), (True, True), (None, None),
    (dt.date(2023, 9, 15), "2023-09-15"), (["a"], "['a']"),
])
def test_plain(value: Any, expected: Any) -> None:
    assert _plain(value) == expected
    assert type(_plain(value)) is type(expected)


# --- Report --------------------------------------------------------------------------------

def finding(category: Category, status: Status, rule_id: str = "r.x") -> Finding:
    return Finding(rule=rule_id, clause="一", category=category, status=status, message="m")


def report(*findings: Finding) -> Report:
    return Report("a.yaml", 2023, "work_base", "中国科协海智工作基地（苏州）", list(findings))


def test_a_report_without_findings_is_eligible_and_complete() -> None:
    empty = report()
    assert (empty.eligible, empty.complete, empty.failed) == (True, True, False)
    assert [empty.count(s) for s in Status] == [0, 0, 0, 0]


@pytest.mark.parametrize(("category", "eligible", "complete"), [
    (Category.eligibility, False, True),
    (Category.materials, True, False),
    (Category.form, True, False),
    (Category.process, True, False),
])
def test_a_failure_decides_eligible_or_complete_by_its_category(category: Category, eligible: bool,
                                                                complete: bool) -> None:
    result = report(finding(Category.eligibility, Status.passed), finding(category, Status.failed))
    assert (result.eligible, result.complete, result.failed) == (eligible, complete, True)


@pytest.mark.parametrize("status", [Status.passed, Status.warn, Status.review])
@pytest.mark.parametrize("category", list(Category))
def test_pass_warn_and_review_never_fail_a_report(category: Category, status: Status) -> None:
    result = report(finding(category, status))
    assert (result.eligible, result.complete, result.failed) == (True, True, False)


def test_failures_of_both_kinds() -> None:
    result = report(finding(Category.eligibility, Status.failed), finding(Category.form, Status.failed),
                    finding(Category.process, Status.warn), finding(Category.materials, Status.review))
    assert (result.eligible, result.complete, result.failed) == (False, False, True)
    assert [result.count(s) for s in (Status.passed, Status.failed, Status.warn, Status.review)] == [0, 2, 1, 1]


def test_report_json() -> None:
    result = report(finding(Category.form, Status.failed),
                    dataclasses.replace(finding(Category.eligibility, Status.passed), field="base.x", line=12,
                                        actual=350, required=">= 100"))
    assert result.as_json() == {
        "file": "a.yaml", "round": 2023, "base_type": "work_base", "base_name": "中国科协海智工作基地（苏州）",
        "eligible": True, "complete": False,
        "findings": [
            {"rule": "r.x", "clause": "一", "category": "form", "status": "fail", "message": "m",
             "actual": None, "required": None},
            {"rule": "r.x", "clause": "一", "category": "eligibility", "status": "pass", "message": "m",
             "actual": 350, "required": ">= 100", "field": "base.x", "line": 12},
        ],
    }


def test_file_error_json_lists_details_only_when_there_are_several() -> None:
    one = FileError("a.yaml", "坏了", 3, 5, [{"message": "坏了", "line": 3, "column": 5}])
    assert one.as_json() == {"file": "a.yaml", "error": {"message": "坏了", "line": 3, "column": 5}}
    details = [{"message": "一", "line": 1, "column": 1}, {"message": "二", "line": 2, "column": 1}]
    two = FileError("a.yaml", "两处错误", 1, 1, details)
    assert two.as_json() == {"file": "a.yaml", "error": {"message": "两处错误", "line": 1, "column": 1,
                                                         "details": details}}


def test_a_finding_placed_at_a_line_keeps_every_other_field() -> None:
    """`Finding.at_line` spells the fields out for speed; a field added later must not be dropped by it."""
    values = {f.name: f"value of {f.name}" for f in dataclasses.fields(Finding)}
    finding = Finding(**values)
    assert finding.at_line(7) == dataclasses.replace(finding, line=7)

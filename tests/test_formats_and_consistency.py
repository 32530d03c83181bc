"""Only what the notice requires may fail: phone, mobile, e-mail and credit-code formats warn, figures that
disagree with each other warn naming both keys and lines, and `haizhi explain` heads each example by the
outcome it really gives."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from haizhi_cli.applicant._identifiers import credit_code_problem_kind
from haizhi_cli.applicant._models import BaseType
from haizhi_cli.checking._explaining import explain
from haizhi_cli.cli._app import app
from haizhi_cli.engine._evaluation import run_rule
from haizhi_cli.engine._operators import Context
from haizhi_cli.engine._results import Finding, Status
from haizhi_cli.engine._rules import Rule, load_round
from haizhi_cli.reports._explain import example_heading, write_explanation
from haizhi_cli.reports._ruledocs import EXAMPLE_HEADINGS, rule_page
from tests.conftest import EXAMPLE_FOR_TYPE, EXAMPLES, example_data, run_on

RULESET = load_round(2023)
NOTICE_SETS_NO_FORMAT = "通知未规定"


def rule(rule_id: str) -> Rule:
    found = RULESET.get(rule_id)
    assert found is not None
    return found


def only(rule_id: str, data: dict[str, Any], base_type: BaseType = BaseType.work_base) -> Finding:
    findings = run_on(rule(rule_id), data, EXAMPLE_FOR_TYPE[base_type])
    assert len(findings) == 1
    return findings[0]


def with_value(base_type: BaseType, section: str, key: str, value: Any) -> dict[str, Any]:
    data = example_data(base_type)
    data[section] = {**data[section], key: value}
    return data


def with_contact(key: str, value: str) -> dict[str, Any]:
    data = example_data(BaseType.work_base)
    data["base"]["contact"] = {**data["base"]["contact"], key: value}
    return data


def with_leader_phone(value: str) -> dict[str, Any]:
    data = example_data(BaseType.work_base)
    data["base"]["leader"] = {**data["base"]["leader"], "phone": value}
    return data


# --- phones, mobile, e-mail: ordinary ways of writing pass, the unreadable warn ----------------

ORDINARY_PHONES = ["0512-66681234转8001", "(0512)66681234", "（0512）66681234", "0512 6668 1234",
                   "138-1234-5678", "138 1234 5678", "+86 138 1234 5678", "010-62174066", "0512-66681235-801",
                   "+86 512 6668 1234"]
UNREADABLE = ["abc", "12", "1381234567a", "13812a45678"]


@pytest.mark.parametrize("phone", ORDINARY_PHONES)
def test_every_ordinary_way_of_writing_a_phone_passes(phone: str) -> None:
    assert only("common.leader_phone", with_leader_phone(phone)).status is Status.passed
    assert only("common.contact_phone", with_contact("phone", phone)).status is Status.passed


@pytest.mark.parametrize("phone", [*UNREADABLE, "6217406", "0512-6668"])
def test_an_unreadable_phone_warns_and_says_the_notice_sets_no_format(phone: str) -> None:
    for finding in (only("common.leader_phone", with_leader_phone(phone)),
                    only("common.contact_phone", with_contact("phone", phone))):
        assert finding.status is Status.warn
        assert phone in finding.message and NOTICE_SETS_NO_FORMAT in finding.message


@pytest.mark.parametrize("mobile", ["13812345678", "138-1234-5678", "138 1234 5678", "+86 138 1234 5678",
                                    "+8613812345678"])
def test_every_ordinary_way_of_writing_a_mobile_passes(mobile: str) -> None:
    assert only("common.contact_mobile", with_contact("mobile", mobile)).status is Status.passed


@pytest.mark.parametrize("mobile", [*UNREADABLE, "1381234567", "138123456789", "0512-66681234"])
def test_an_unreadable_mobile_warns(mobile: str) -> None:
    finding = only("common.contact_mobile", with_contact("mobile", mobile))
    assert finding.status is Status.warn
    assert NOTICE_SETS_NO_FORMAT in finding.message


@pytest.mark.parametrize(("email", "status"), [
    ("haizhi@cast.org.cn", Status.passed), ("a.b+c@sip-talent.example.cn", Status.passed),
    ("haizhi@cast", Status.warn), ("haizhi.cast.org.cn", Status.warn), ("abc", Status.warn),
])
def test_an_email_that_does_not_read_as_one_only_warns(email: str, status: Status) -> None:
    finding = only("common.contact_email", with_contact("email", email))
    assert finding.status is status
    assert (NOTICE_SETS_NO_FORMAT in finding.message) == (status is Status.warn)


@pytest.mark.parametrize("rule_id", ["common.leader_phone", "common.contact_phone", "common.contact_mobile",
                                     "common.contact_email", "common.credit_code"])
def test_format_rules_cite_the_form_and_are_warnings(rule_id: str) -> None:
    d = rule(rule_id).definition
    assert d.severity == "warning" and d.category == "form"
    assert d.clause in {"申报表一", "填表说明四"}
    assert NOTICE_SETS_NO_FORMAT in d.messages["fail"].zh
    assert "sets no format" in d.messages["fail"].en


# --- credit code ---------------------------------------------------------------------------

def with_credit_code(code: str) -> dict[str, Any]:
    return with_value(BaseType.work_base, "applicant", "credit_code", code)


def test_a_valid_credit_code_passes() -> None:
    assert only("common.credit_code", with_credit_code("91110000600037341L")).status is Status.passed


@pytest.mark.parametrize(("code", "kind", "words"), [
    ("12320500MB1234562D", "check", "多半是某一位抄错了"),
    ("12320500MB1234563C", "check", "多半是某一位抄错了"),
    ("12320500MB123456", "format", "通知本身未规定其格式"),
    ("12320500MB1234562c", "format", "通知本身未规定其格式"),
    ("12AB0500MB1234562C", "format", "通知本身未规定其格式"),
])
def test_a_wrong_credit_code_warns_and_says_which_kind_of_wrong(code: str, kind: str, words: str) -> None:
    assert credit_code_problem_kind(code) == kind
    finding = only("common.credit_code", with_credit_code(code))
    assert finding.status is Status.warn
    assert words in finding.message


def test_a_valid_code_has_no_problem_kind() -> None:
    assert credit_code_problem_kind("12320500MB1234562C") is None


# --- consistency between figures -----------------------------------------------------------

PAIRS = [
    ("offshore_base.famous_institutions_within_partners", BaseType.offshore_base,
     ("eligibility", "famous_overseas_institutions"), ("base", "overseas_partners")),
    ("rd_community.intl_orgs_within_partners", BaseType.rd_community,
     ("eligibility", "intl_org_partnerships"), ("base", "overseas_partners")),
    ("work_base.returnee_talents_within_long_term", BaseType.work_base,
     ("eligibility", "returnee_talents_long_term"), ("base", "overseas_talents_long_term")),
]


def with_pair(base_type: BaseType, first: tuple[str, str], second: tuple[str, str], a: int, b: int) -> dict[str, Any]:
    data = example_data(base_type)
    data[first[0]] = {**data[first[0]], first[1]: a}
    data[second[0]] = {**data[second[0]], second[1]: b}
    return data


@pytest.mark.parametrize(("rule_id", "base_type", "first", "second"), PAIRS)
def test_equal_figures_pass_and_one_more_warns_naming_both_keys(rule_id: str, base_type: BaseType,
                                                               first: tuple[str, str], second: tuple[str, str]) -> None:
    equal = only(rule_id, with_pair(base_type, first, second, 30, 30), base_type)
    assert equal.status is Status.passed
    more = only(rule_id, with_pair(base_type, first, second, 31, 30), base_type)
    assert more.status is Status.warn and more.category == "form"
    assert ".".join(first) in more.message and ".".join(second) in more.message


def proofs(count: int) -> list[dict[str, str]]:
    return [{"title": f"合作协议 {i}", "file": f"attachments/partner-{i:02d}.pdf"} for i in range(1, count + 1)]


@pytest.mark.parametrize(("partners", "status"), [(12, Status.passed), (11, Status.warn)])
def test_more_partner_proofs_than_overseas_partners_warns(partners: int, status: Status) -> None:
    data = with_value(BaseType.offshore_base, "base", "overseas_partners", partners)
    data["attachments"]["partner_agreements"] = proofs(12)
    finding = only("offshore_base.partner_agreements_within_partners", data, BaseType.offshore_base)
    assert finding.status is status


def test_a_proof_listed_twice_counts_once_against_the_partners() -> None:
    data = with_value(BaseType.offshore_base, "base", "overseas_partners", 12)
    data["attachments"]["partner_agreements"] = [*proofs(12), proofs(1)[0]]
    finding = only("offshore_base.partner_agreements_within_partners", data, BaseType.offshore_base)
    assert finding.status is Status.passed


def test_a_missing_figure_warns_that_it_cannot_compare() -> None:
    data = example_data(BaseType.work_base)
    del data["eligibility"]["returnee_talents_long_term"]
    finding = only("work_base.returnee_talents_within_long_term", data)
    assert finding.status is Status.warn
    assert "无法核对" in finding.message


def test_consistency_rules_only_for_the_types_whose_rules_use_the_keys() -> None:
    for rule_id, base_type, _, _ in PAIRS:
        assert list(rule(rule_id).params) == [base_type]
    assert list(rule("offshore_base.partner_agreements_within_partners").params) == [BaseType.offshore_base]


def test_without_known_lines_the_message_names_the_keys_alone() -> None:
    data = {"eligibility": {"returnee_talents_long_term": 33}, "base": {"overseas_talents_long_term": 32}}
    finding, = run_rule(rule("work_base.returnee_talents_within_long_term"), BaseType.work_base, Context(data=data))
    assert "（eligibility.returnee_talents_long_term）" in finding.message
    assert "第" not in finding.message


# --- end to end: a warning keeps exit status 0 and complete: true ----------------------------

def test_a_format_warning_and_an_inconsistent_figure_keep_the_application_complete(tmp_path: Path) -> None:
    folder = tmp_path / "warned"
    shutil.copytree(EXAMPLES / "work-base", folder)
    path = folder / "applicant.yaml"
    text = path.read_text(encoding="utf-8")
    changed = (text.replace("phone: 0512-66681234}", 'phone: "abc"}')
               .replace("credit_code: 12320500MB1234562C", "credit_code: 12320500MB1234562D")
               .replace("returnee_talents_long_term: 26", "returnee_talents_long_term: 40"))
    assert changed.count("\n") == text.count("\n") and changed != text
    path.write_text(changed, encoding="utf-8")
    res = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["check", "--as-of", "2023-09-01", "--format", "json", str(path)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["complete"] is True and report["eligible"] is True
    warned = {f["rule"]: f for f in report["findings"] if f["status"] == "warn"}
    assert set(warned) == {"common.leader_phone", "common.credit_code",
                           "work_base.returnee_talents_within_long_term"}
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines, 1) if "returnee_talents_long_term:" in line)
    second = next(i for i, line in enumerate(lines, 1) if "overseas_talents_long_term:" in line)
    consistency = warned["work_base.returnee_talents_within_long_term"]
    assert consistency["line"] == first
    assert f"eligibility.returnee_talents_long_term，第 {first} 行" in consistency["message"]
    assert f"base.overseas_talents_long_term，第 {second} 行" in consistency["message"]


# --- citations -----------------------------------------------------------------------------

def test_plan_years_cite_the_outline_of_the_plan() -> None:
    d = rule("common.plan_years").definition
    assert "（2024-2026年）" in d.quote


def test_process_order_cites_the_public_notice_without_objection() -> None:
    d = rule("common.process_order").definition
    assert d.clause == "二（二）（3）"
    assert "公示无异议后签署意见" in d.quote
    # the order of city review and 公示 is this rule's; the submission after the 公示 is its neighbour's
    assert "公示无异议后签署意见" in rule("common.submission_after_notice").definition.messages["fail"].zh


# --- explain: each example under the heading of its real outcome ----------------------------

HEADING_WORDS = {Status.passed: "通过的示例", Status.failed: "不通过的示例", Status.warn: "警告的示例",
                 Status.review: "待审核的示例"}
GRAVEST_FIRST = [Status.failed, Status.warn, Status.review, Status.passed]


def gravest(findings: tuple[Finding, ...]) -> Status:
    return next(status for status in GRAVEST_FIRST if status in {f.status for f in findings})


@pytest.mark.parametrize("each", RULESET.rules, ids=lambda r: r.id)
def test_every_example_is_headed_by_the_outcome_it_gives(each: Rule) -> None:
    expl = explain(RULESET, each.id, "zh")
    console = Console(record=True, width=200, highlight=False)
    write_explanation(expl, "zh", console)
    text = console.export_text()
    page = rule_page(RULESET, each)
    for run in expl.examples:
        if not run.findings:
            continue
        outcome = gravest(run.findings)
        assert example_heading(run).startswith(HEADING_WORDS[outcome])
        assert re.search(rf"^{HEADING_WORDS[outcome]}（改动 ", text, re.M), (each.id, outcome)
        assert EXAMPLE_HEADINGS[outcome] in page, (each.id, outcome)


def test_a_statement_s_passing_example_is_shown_as_for_review() -> None:
    """A statement is never a pass: the example that fills it in gives 待审核, and is headed so."""
    expl = explain(RULESET, "offshore_base.provincial_policy", "zh")
    headings = [example_heading(run) for run in expl.examples]
    assert headings[0].startswith("待审核的示例") and headings[1].startswith("不通过的示例")
    assert not any(h.startswith("通过的示例") for h in headings)


def test_the_support_letter_issuer_examples_really_pass_and_fail() -> None:
    expl = explain(RULESET, "common.support_letter_issuer", "zh")
    headings = [example_heading(run) for run in expl.examples]
    assert headings[0].startswith("通过的示例") and headings[1].startswith("不通过的示例")


def test_a_warning_example_is_headed_as_a_warning_in_english() -> None:
    expl = explain(RULESET, "common.contact_mobile", "en")
    console = Console(record=True, width=200, highlight=False)
    write_explanation(expl, "en", console)
    assert "example giving a warning (changes to examples/work-base)" in console.export_text()

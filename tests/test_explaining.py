"""`haizhi rules` and `haizhi explain`: the rows, the explanations and their printers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string

import pytest
from rich.console import Console

from haizhi_cli.applicant._models import BaseType
from haizhi_cli.checking._explaining import (
    Explanation,
    as_intended,
    describe_check,
    explain,
    rule_rows,
    yaml_line,
)
from haizhi_cli.engine._catalogue import threshold
from haizhi_cli.engine._operators import OPERATORS, Localized
from haizhi_cli.engine._results import Status
from haizhi_cli.engine._rules import Rule, load_round
from haizhi_cli.errors._errors import UsageError
from haizhi_cli.i18n._language import current_lang
from haizhi_cli.reports._explain import write_explanation, write_rules_table

RULESET = load_round(2023)
HAN = "\u4e00-\u9fff"


def rule(rule_id: str) -> Rule:
    found = RULESET.get(rule_id)
    assert found is not None
    return found


def printed(write: object, *args: object) -> str:
    console = Console(record=True, width=200, highlight=False)
    assert callable(write)
    write(*args, console)
    return console.export_text()


# --- rows ----------------------------------------------------------------------------------

def test_rows_cover_every_rule_and_every_type_it_applies_to() -> None:
    rows = rule_rows(RULESET)
    assert [r.id for r in RULESET.rules] == list(dict.fromkeys(row.id for row in rows))
    for each in RULESET.rules:
        types = [t for row in rows if row.id == each.id for t in row.base_types]
        assert sorted(types) == sorted(each.params), each.id


def test_row_thresholds_come_from_the_rules() -> None:
    for row in rule_rows(RULESET):
        for base_type in row.base_types:
            assert row.threshold == threshold(rule(row.id), base_type), row.id


def test_a_threshold_that_differs_by_type_gets_a_row_each() -> None:
    rows = [row for row in rule_rows(RULESET) if row.id == "common.support_letter"]
    assert [(row.base_types, row.threshold) for row in rows] == [
        ((BaseType.work_base, BaseType.rd_community), "city"), ((BaseType.offshore_base,), "province")]


def test_rows_of_one_type() -> None:
    rows = rule_rows(RULESET, BaseType.offshore_base, "zh")
    assert [row.id for row in rows] == [r.id for r in RULESET.for_type(BaseType.offshore_base)]
    by_id = {row.id: row for row in rows}
    assert by_id["offshore_base.service_area"].threshold == ">= 5000"
    assert by_id["common.support_letter"].threshold == "province"
    assert by_id["common.narrative_goals"].threshold == "<= 400 字"
    assert by_id["offshore_base.service_area"].title.en == "Service area"
    assert all(row.base_types == (BaseType.offshore_base,) for row in rows)


def test_row_thresholds_in_english() -> None:
    assert current_lang() == "zh"
    rows = {row.id: row for row in rule_rows(RULESET, BaseType.work_base, "en")}
    assert rows["common.narrative_goals"].threshold == "<= 400 characters"
    assert current_lang() == "zh"


# --- what is checked -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_every_operator_is_described_in_both_languages(name: str) -> None:
    assert OPERATORS[name].description, f"operator {name} has no description in its @operator(...)"
    params = set(OPERATORS[name].params.model_fields)
    for part in OPERATORS[name].description:
        for text in (part.zh, part.en):
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
            assert used <= params, f"{name}: {text!r} names {used - params}"


@pytest.fixture
def at_least_reworded(monkeypatch: pytest.MonkeyPatch) -> None:
    """`at_least` registered with other words: what the catalogue says of its rules must follow them."""
    spec = OPERATORS["at_least"]
    monkeypatch.setitem(OPERATORS, "at_least", dataclasses.replace(
        spec, description=(Localized("{field} 至少为 {value}", "{field} no less than {value}"),),
        requirement=lambda p: Localized(f"至少 {p.value:g}", f"at least {p.value:g}")))


@pytest.mark.usefixtures("at_least_reworded")
def test_what_is_checked_and_required_comes_from_the_operator() -> None:
    expl = explain(RULESET, "work_base.service_area", "en")
    assert [g.text for g in expl.checks] == ["base.service_area_m2 no less than 100"]
    assert [g.text for g in expl.thresholds] == ["at least 100"]
    assert explain(RULESET, "work_base.service_area", "zh").thresholds[0].text == "至少 100"
    rows = {row.id: row for row in rule_rows(RULESET, BaseType.work_base, "en")}
    assert rows["work_base.service_area"].threshold == "at least 100"
    assert describe_check(rule("work_base.service_area"), BaseType.work_base, "zh") == "base.service_area_m2 至少为 100"


def test_a_description_has_its_parameters_filled_in() -> None:
    area = rule("work_base.service_area")
    assert describe_check(area, BaseType.work_base, "zh") == "base.service_area_m2 不低于 100（“以上”“不低于”含本数）"
    assert describe_check(area, BaseType.work_base, "en") == "base.service_area_m2 is at least 100"
    letter = rule("common.support_letter")
    assert describe_check(letter, BaseType.offshore_base, "zh").endswith("为 province（省政府）")


def test_a_part_whose_parameter_is_empty_is_left_out() -> None:
    offshore = describe_check(rule("offshore_base.partner_agreements"), BaseType.offshore_base, "en")
    work = describe_check(rule("common.proofs"), BaseType.work_base, "en")
    assert "count once" in offshore
    assert work == "attachments.proofs has at least 1 items"


# --- explain -------------------------------------------------------------------------------

@pytest.mark.parametrize("each", RULESET.rules, ids=lambda r: r.id)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_rule_explains(each: Rule, lang: str) -> None:
    expl = explain(RULESET, each.id, lang)
    assert expl.quote == each.definition.quote and expl.clause == each.definition.clause
    assert all(group.text for group in expl.checks)
    assert expl.when_missing
    assert (expl.no_examples is None) == (each.definition.examples is not None)
    for run in expl.examples:
        statuses = {f.status for f in run.findings}
        assert as_intended(run.kind, statuses) or run.note, (each.id, run.kind, statuses)


def test_explain_a_numeric_rule() -> None:
    expl = explain(RULESET, "work_base.service_area", "zh")
    assert (expl.clause, expl.quote, expl.title) == ("一（一）2（2）", "拥有服务场地100平方米以上", "服务场地面积")
    assert expl.fields == ("base.service_area_m2",)
    assert [(g.base_types, g.text) for g in expl.thresholds] == [((BaseType.work_base,), ">= 100")]
    assert expl.when_missing == "未填写时为“不通过”"
    passing, failing = expl.examples
    assert passing.changes == ("base.service_area_m2: 100",)
    assert [(f.status, f.message) for f in passing.findings] == [
        (Status.passed, "服务场地 100 平方米，要求 100 平方米以上")]
    assert failing.changes == ("base.service_area_m2: 99",)
    assert [(f.status, f.message) for f in failing.findings] == [
        (Status.failed, "服务场地 99 平方米，不足要求的 100 平方米")]
    assert passing.folder == "examples/work-base" and passing.note is None
    assert expl.source == "rules/2023/work_base.yaml"


def test_explain_in_english() -> None:
    expl = explain(RULESET, "offshore_base.service_area", "en")
    assert expl.title == "Service area"
    assert expl.when_missing == "a missing value is fail"
    assert expl.examples[1].findings[0].message == "service area 4999 m² is below the required 5000 m²"


def test_explain_a_statement_for_review() -> None:
    expl = explain(RULESET, "work_base.management_body", "zh")
    passing, failing = expl.examples
    assert [f.status for f in passing.findings] == [Status.review]
    assert "须审核确认" in passing.findings[0].message
    assert [f.status for f in failing.findings] == [Status.failed]
    assert failing.changes == ("conditions.management_body: ''",)
    assert "审核人员确认" in str(expl.checks[0].text)


def test_explain_a_rule_that_reads_files() -> None:
    expl = explain(RULESET, "common.attachment_files", "zh")
    passing, failing = expl.examples
    assert len(passing.findings) == 4 and {f.status for f in passing.findings} == {Status.passed}
    assert failing.changes == ("attachments.proofs: [attachments/no-such-file.pdf]",)
    assert any(f.status is Status.failed and "attachments/no-such-file.pdf" in f.message for f in failing.findings)
    assert expl.when_missing == "未填写时没有检查结果：没有可检查的内容"


def test_an_example_that_needs_a_file_the_bundled_example_lacks_says_so() -> None:
    failing = explain(RULESET, "common.attachment_page_size", "zh").examples[1]
    assert Status.warn not in {f.status for f in failing.findings}
    assert failing.note is not None and "attachments/letter-size.pdf" in failing.note


def test_explain_the_calendar_rule_without_examples() -> None:
    expl = explain(RULESET, "common.round_open", "zh")
    assert expl.examples == ()
    assert expl.no_examples is not None and "--as-of" in expl.no_examples
    assert expl.when_missing == "此规则不读取申报文件中的键，结果取决于检查的日期"
    assert expl.thresholds[0].text == "<= 2023-09-15"
    english = explain(RULESET, "common.round_open", "en")
    assert english.no_examples is not None and "no examples" in english.no_examples


def test_explain_per_type_texts_of_a_common_rule() -> None:
    expl = explain(RULESET, "common.base_name", "zh")
    assert [g.base_types for g in expl.checks] == [(t,) for t in (BaseType.work_base, BaseType.offshore_base,
                                                                    BaseType.rd_community)]
    assert expl.thresholds[1].text == "格式如 国家海外人才离岸创新创业基地（城市或园区名）"


def test_explain_leaves_the_language_as_it_was() -> None:
    assert current_lang() == "zh"
    explain(RULESET, "common.proofs", "en")
    assert current_lang() == "zh"


@pytest.mark.parametrize(("asked", "suggested"), [
    ("work_base.servce_area", "work_base.service_area"),
    ("service_area", "work_base.service_area"),
    ("common.round_opn", "common.round_open"),
])
def test_unknown_rule_suggests_the_nearest(asked: str, suggested: str) -> None:
    with pytest.raises(UsageError) as caught:
        explain(RULESET, asked, "zh")
    assert f"未知的规则 {asked}" in caught.value.message
    assert suggested in caught.value.message


def test_unknown_rule_without_anything_near() -> None:
    with pytest.raises(UsageError, match="haizhi rules"):
        explain(RULESET, "zzz", "zh")


def test_yaml_lines() -> None:
    assert yaml_line("narratives.goals", "{zh*400}") == "narratives.goals: '{zh*400}'  # 400 个汉字"
    assert yaml_line("a.date", dt.date(2023, 9, 1)) == "a.date: 2023-09-01"
    assert yaml_line("a.phone", "6217406") == "a.phone: '6217406'"
    assert yaml_line("a.gone", None) == "a.gone: null"
    assert yaml_line("plan.targets", [{"values": {2024: 1}}]) == "plan.targets: [{values: {2024: 1}}]"


# --- printers ------------------------------------------------------------------------------

def test_rules_table_in_both_languages() -> None:
    zh = printed(write_rules_table, rule_rows(RULESET, lang="zh"), "zh")
    en = printed(write_rules_table, rule_rows(RULESET, BaseType.work_base, "en"), "en")
    assert all(word in zh for word in ("规则", "条款", "类别", "适用类型", "要求"))
    assert "work_base.service_area" in zh and ">= 100" in zh and "服务场地面积" in zh and "全部类型" in zh
    assert "省政府（province）" in zh and "offshore_base.service_area" in zh
    assert "requirement" in en and "Service area" in en and "offshore_base.service_area" not in en
    assert "(work base)" in en and "base types" not in en  # one type for every row: named in the title
    assert "<= 400 characters" in en and "all types" not in en and "work base" in en


def test_explanation_printed_in_chinese() -> None:
    out = printed(write_explanation, explain(RULESET, "work_base.service_area", "zh"), "zh")
    for text in ("work_base.service_area", "拥有服务场地100平方米以上", "工作基地：>= 100", "base.service_area_m2: 100",
                 "base.service_area_m2: 99", "通过  服务场地 100 平方米", "不通过  服务场地 99 平方米", "检查什么"):
        assert text in out, text


def test_explanation_printed_in_english() -> None:
    out = printed(write_explanation, explain(RULESET, "common.support_letter", "en"), "en")
    for text in ("the notice", "地方政府支持函。", "work base, R&D community: city", "offshore base: province",
                 "attachments.support_letter.level: city", "attachments.support_letter.level: province",
                 "pass  a support letter from the city government", "fail  the support letter is from",
                 "what is checked"):
        assert text in out, text


def test_explanation_without_examples_is_printed() -> None:
    out = printed(write_explanation, explain(RULESET, "common.round_open", "zh"), "zh")
    assert "此规则没有示例" in out and "<= 2023-09-15" in out


def test_rule_text_is_not_read_as_markup() -> None:
    expl: Explanation = explain(RULESET, "common.proofs", "zh")
    odd = dataclasses.replace(expl, quote="[bold red]原文[/bold red]", title="[link=x]标题[/link]")
    out = printed(write_explanation, odd, "zh")
    assert "[bold red]原文[/bold red]" in out and "[link=x]标题[/link]" in out


def test_printers_leave_the_language_as_it_was() -> None:
    assert current_lang() == "zh"
    printed(write_explanation, explain(RULESET, "common.proofs", "en"), "en")
    assert current_lang() == "zh"

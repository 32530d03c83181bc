"""The 2023 rule files: every rule passes and fails on its own examples, every threshold is exact,
and every clause of the notice's section 一 is covered by a rule that quotes it verbatim."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from haizhi_cli.applicant._models import BaseType
from haizhi_cli.engine._operators import OPERATORS
from haizhi_cli.engine._results import Status
from haizhi_cli.engine._rules import Rule, apply_changes, load_round
from haizhi_cli.errors._errors import RuleFileError
from tests.conftest import EXAMPLE_FOR_TYPE, ROOT, example_data, run_on

RULESET = load_round(2023)
NOTICE = (ROOT / "docs" / "notice" / "2023-haizhi-base-notice.txt").read_text(encoding="utf-8")
RULES_WITH_EXAMPLES = [r for r in RULESET.rules if r.definition.examples is not None]
THRESHOLD_OPS = {"at_least", "max_chars", "span_at_least"}


def example_type(rule: Rule) -> BaseType:
    """The open base type whose bundled example a rule's examples change."""
    return next(t for t in rule.params if t in EXAMPLE_FOR_TYPE)


def _example_folders() -> dict[BaseType, Path]:
    """Copies of the examples with the attachment fixtures beside theirs (e.g. a Letter-size PDF)."""
    root = Path(tempfile.mkdtemp(prefix="haizhi-rule-examples-"))
    folders = {}
    for base_type, folder in EXAMPLE_FOR_TYPE.items():
        copy = root / folder.name
        shutil.copytree(folder, copy)
        for fixture in (ROOT / "tests" / "fixtures" / "attachments").glob("*.pdf"):
            shutil.copyfile(fixture, copy / "attachments" / fixture.name)
        folders[base_type] = copy
    return folders


FOLDERS = _example_folders()


def statuses(rule: Rule, changes: dict[str, object]) -> set[Status]:
    base_type = example_type(rule)
    data = apply_changes(example_data(base_type), changes)
    return {f.status for f in run_on(rule, data, FOLDERS[base_type])}


def test_round_2023_has_rules_for_every_type() -> None:
    counts = {t: len(RULESET.for_type(t)) for t in BaseType}
    assert counts[BaseType.work_base] >= 30, counts
    assert counts[BaseType.offshore_base] >= 30, counts
    assert counts[BaseType.rd_community] >= 30, counts
    assert RULESET.get("common.base_type_open") in RULESET.for_type(BaseType.overseas_base)


def test_every_rule_has_examples_except_the_calendar_one() -> None:
    without = sorted(r.id for r in RULESET.rules if r.definition.examples is None)
    assert without == ["common.round_open"]


@pytest.mark.parametrize("rule", RULES_WITH_EXAMPLES, ids=lambda r: r.id)
def test_rule_passes_on_its_passing_example(rule: Rule) -> None:
    assert rule.definition.examples is not None
    found = statuses(rule, rule.definition.examples.passing)
    expected = {Status.review} if rule.op == "statement" else {Status.passed}
    assert found == expected


@pytest.mark.parametrize("rule", RULES_WITH_EXAMPLES, ids=lambda r: r.id)
def test_rule_fails_on_its_failing_example(rule: Rule) -> None:
    assert rule.definition.examples is not None
    found = statuses(rule, rule.definition.examples.failing)
    bad = {Status.warn} if rule.definition.severity == "warning" else {Status.failed}
    cannot_fail = "fail" not in OPERATORS[rule.op].reachable(rule.definition.check)  # its worst is a review
    if rule.definition.when_missing == "review" or rule.definition.check.get("otherwise") == "review" or cannot_fail:
        bad.add(Status.review)
    assert found & bad, found
    if not rule.op.startswith("files_"):  # one finding per file: the example's other files still pass
        assert Status.passed not in found


def _threshold_cases(rule: Rule) -> tuple[dict[str, object], dict[str, object]]:
    """(changes at the threshold, changes one step past it) for a threshold rule."""
    params = rule.params[example_type(rule)].model_dump()
    if rule.op == "at_least":
        value = int(params["value"])
        return {params["field"]: value}, {params["field"]: value - 1}
    if rule.op == "max_chars":
        value = params["value"]
        return {params["field"]: "字" * value}, {params["field"]: "字" * (value + 1)}
    days = params["days"]
    start = "2023-09-01"
    return ({"process.public_notice": {"start": start, "end": f"2023-09-{days:02d}"}},
            {"process.public_notice": {"start": start, "end": f"2023-09-{days - 1:02d}"}})


@pytest.mark.parametrize("name", ["中国科协海智工作基地（杭州高新区（滨江））", "中国科协海智工作基地（苏州市）"])
def test_base_name_may_hold_one_bracketed_part(name: str) -> None:
    rule = RULESET.get("common.base_name")
    assert rule is not None
    assert statuses(rule, {"base_name": name}) == {Status.passed}


@pytest.mark.parametrize("name", ["中国科协海智工作基地", "海智国际研发社区（苏州）", "中国科协海智工作基地（）",
                                  "中国科协海智工作基地（苏州）（园区）"])
def test_base_name_of_another_pattern_fails(name: str) -> None:
    rule = RULESET.get("common.base_name")
    assert rule is not None
    assert statuses(rule, {"base_name": name}) == {Status.failed}


@pytest.mark.parametrize("rule", [r for r in RULESET.rules if r.op in THRESHOLD_OPS], ids=lambda r: r.id)
def test_threshold_is_exact(rule: Rule) -> None:
    """以上、以内、不少于 include the number itself: N passes, one step past N fails."""
    at_limit, past_limit = _threshold_cases(rule)
    assert statuses(rule, at_limit) == {Status.passed}
    assert statuses(rule, past_limit) == {Status.failed}


def test_partner_proofs_threshold_is_exact_and_counts_distinct_files() -> None:
    rule = RULESET.get("offshore_base.partner_agreements")
    assert rule is not None
    files = [f"attachments/partner-{i:02d}.pdf" for i in range(1, 11)]
    assert statuses(rule, {"attachments.partner_agreements": files}) == {Status.passed}
    assert statuses(rule, {"attachments.partner_agreements": files[:9]}) == {Status.failed}
    assert statuses(rule, {"attachments.partner_agreements": files[:9] + files[:1]}) == {Status.failed}


def test_sum_threshold_is_exact() -> None:
    rule = RULESET.get("rd_community.resident_institutions")
    assert rule is not None
    at = {"base.resident_rd_institutions": 15, "eligibility.intl_org_offices": 5}
    below = {"base.resident_rd_institutions": 15, "eligibility.intl_org_offices": 4}
    assert statuses(rule, at) == {Status.passed}
    assert statuses(rule, below) == {Status.failed}


def _normalise(text: str) -> str:
    """The notice mixes half- and full-width brackets and breaks lines mid-word."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def section_one_clauses() -> set[str]:
    """Every 申报对象 and numbered 申报条件 of the open types, cited as the rules cite them."""
    section = NOTICE[NOTICE.index("一、申报条件"):NOTICE.index("二、申报程序")]
    parts = re.split(r"\n\s*[（(]([一二三])[)）]\s*", section)
    clauses: set[str] = set()
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        clauses.add(f"一（{number}）1")
        conditions = body[body.index("2. 申报条件"):]
        for item in re.findall(r"^\s*[（(](\d+)[)）]", conditions, re.M):
            clauses.add(f"一（{number}）2（{item}）")
    return clauses


def test_the_notice_parses_into_the_expected_clauses() -> None:
    clauses = section_one_clauses()
    assert len(clauses) == 18
    assert "一（二）2（5）" in clauses


def test_every_clause_of_section_one_is_covered_by_a_rule() -> None:
    cited = {r.definition.clause for r in RULESET.rules}
    assert section_one_clauses() - cited == set()
    assert "一" in cited


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_quote_is_verbatim_from_the_notice(rule: Rule) -> None:
    assert _normalise(rule.definition.quote) in _normalise(NOTICE)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_messages_exist_in_both_languages_for_every_outcome(rule: Rule) -> None:
    from haizhi_cli.engine._operators import OPERATORS

    assert set(OPERATORS[rule.op].reachable(rule.definition.check)) <= set(rule.definition.messages)


def _broken_round(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULESET.folder, root / "2023")
    path = root / "2023" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


AREA = "op: at_least, field: base.service_area_m2, value: 100"


@pytest.mark.parametrize(("old", "new", "words"), [
    (AREA, AREA.replace("at_least", "at_lest"), "未知的运算符"),
    ("clause: 一（一）2（2）\n", "clause: 1.2.2\n", "条款编号"),
    ("    clause: 一（一）2（2）\n", "", "clause"),
    ("id: work_base.full_time_staff", "id: work_base.service_area", "重复"),
    (AREA, AREA.replace("100", "many"), "参数有误"),
    (AREA, AREA.replace("100", "{fact: nope}"), "不存在的事实"),
])
def test_a_broken_rule_file_is_an_error_naming_file_and_line(tmp_path: Path, old: str, new: str, words: str) -> None:
    root = _broken_round(tmp_path, "work_base.yaml", old, new)
    with pytest.raises(RuleFileError) as caught:
        load_round(2023, root)
    assert words in str(caught.value)
    assert caught.value.location.file is not None and caught.value.location.file.name == "work_base.yaml"
    assert caught.value.location.line is not None and caught.value.location.line > 1

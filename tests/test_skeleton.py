"""`haizhi init`'s skeleton: every key of the format, commented from the rules, loadable, and failing
until it is filled in; written without overwriting anything unless asked; and the rule that catches it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from haizhi_cli.applicant._loading import load_applicant, read_yaml
from haizhi_cli.applicant._models import BaseType
from haizhi_cli.authoring._schema import (
    SCHEMA_FILE_NAME,
    applicant_schema,
    property_nodes,
    requirements,
    schema_text,
)
from haizhi_cli.authoring._skeleton import PLACEHOLDER, PLACEHOLDER_DAY, skeleton_lines, skeleton_text, write_skeleton
from haizhi_cli.checking._pipeline import CheckOptions, check_file
from haizhi_cli.engine._catalogue import fields_read, threshold
from haizhi_cli.engine._operators import OPERATORS, Context
from haizhi_cli.engine._results import Status
from haizhi_cli.engine._rules import available_rounds, load_round
from haizhi_cli.errors._errors import UsageError
from haizhi_cli.i18n import speaking
from tests.test_schema import as_json

RULESET = load_round(2023)
OPEN_TYPES = list(RULESET.facts.open_types)
SCHEMA = applicant_schema()
MODELINE = "# yaml-language-server: $schema="
ids = [t.value for t in OPEN_TYPES]


def written(tmp_path: Path, base_type: BaseType) -> Path:
    path = tmp_path / "applicant.yaml"
    path.write_text(skeleton_text(base_type, SCHEMA_FILE_NAME), encoding="utf-8")
    return path


def data_paths(value: Any, prefix: str = "") -> set[str]:
    """Dotted key paths present in data; list items add no part, as in `schema.property_nodes`."""
    if isinstance(value, list):
        return set().union(*(data_paths(item, prefix) for item in value)) if value else set()
    if not isinstance(value, dict) or (prefix.endswith(".values")):
        return set()
    found: set[str] = set()
    for key, item in value.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        found |= {path} | data_paths(item, path)
    return found


def read_by_type(base_type: BaseType) -> set[str]:
    return {field for rule in RULESET.for_type(base_type) for field in fields_read(rule, base_type)}


def comments_above(text: str, line: int) -> str:
    """The comment lines right above line `line` (1-based) of the skeleton."""
    lines = text.splitlines()[: line - 1]
    block: list[str] = []
    while lines and lines[-1].lstrip().startswith(("#", "- #")):
        block.insert(0, lines.pop())
    return "\n".join(block)


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_the_first_line_is_the_modeline(base_type: BaseType) -> None:
    text = skeleton_text(base_type, "https://example.invalid/s.json")
    assert text.splitlines()[0] == f"{MODELINE}https://example.invalid/s.json"


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_the_skeleton_loads_and_fails_the_check(base_type: BaseType, tmp_path: Path) -> None:
    path = written(tmp_path, base_type)
    loaded = load_applicant(path, available_rounds())
    assert loaded.applicant.base_type is base_type
    report = check_file(path, CheckOptions(as_of=dt.date(2023, 9, 1)))
    failed = {f.rule for f in report.findings if f.status is Status.failed}
    assert "common.no_placeholders" in failed
    assert any(rule.startswith(f"{base_type.value}.") for rule in failed)  # eligibility fails too


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_the_placeholder_finding_lists_every_placeholder_with_its_key_path(base_type: BaseType,
                                                                           tmp_path: Path) -> None:
    path = written(tmp_path, base_type)
    report = check_file(path, CheckOptions(as_of=dt.date(2023, 9, 1)))
    finding = next(f for f in report.findings if f.rule == "common.no_placeholders")
    text = path.read_text(encoding="utf-8")
    data_lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert finding.actual == sum(PLACEHOLDER in line or PLACEHOLDER_DAY in line for line in data_lines)
    for key_path in ("base_name", "base.established", "plan.targets[0].indicator", "narratives.goals"):
        assert key_path in finding.message
    assert finding.line == read_yaml(path).positions[("base_name",)][0]  # the first placeholder


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_every_key_of_the_format_appears(base_type: BaseType, tmp_path: Path) -> None:
    text = skeleton_text(base_type, SCHEMA_FILE_NAME)
    present = data_paths(read_yaml(written(tmp_path, base_type)).data)
    reads = read_by_type(base_type)
    expected = {path for path, _ in property_nodes(SCHEMA)
                if not path.startswith(("eligibility.", "conditions.")) or path in reads}
    later = expected - present  # steps of `process` not done yet: shown in comments
    assert {p.rsplit(".", 1)[0] for p in later} == {"process.city_review", "process.public_notice"}
    for path in later:
        assert f"{path.rsplit('.', 1)[1]}: " in text
    assert present - expected == set()
    assert {p for p in present if p.startswith(("eligibility.", "conditions."))} == {
        p for p in reads if p.startswith(("eligibility.", "conditions."))}


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_comments_carry_the_clause_and_requirement_of_every_rule_reading_a_key(base_type: BaseType,
                                                                               tmp_path: Path) -> None:
    path = written(tmp_path, base_type)
    document = read_yaml(path)
    text = path.read_text(encoding="utf-8")
    checked = 0
    for rule in RULESET.for_type(base_type):
        for field in fields_read(rule, base_type):
            key_path = tuple(field.split("."))
            if key_path not in document.positions:
                continue  # a step of `process` left empty
            block = comments_above(text, document.positions[key_path][0])
            assert rule.definition.clause in block, (rule.id, field, block)
            assert (threshold(rule, base_type) or rule.definition.title.zh) in block, (rule.id, field, block)
            checked += 1
    assert checked >= 25


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_each_key_is_commented_with_its_chinese_title(base_type: BaseType, tmp_path: Path) -> None:
    path = written(tmp_path, base_type)
    document = read_yaml(path)
    text = path.read_text(encoding="utf-8")
    titles = dict(property_nodes(SCHEMA))
    for key_path, (line, _) in document.positions.items():
        names = [part for part in key_path if isinstance(part, str)]
        dotted = ".".join(names)
        if dotted in titles and isinstance(key_path[-1], str):
            assert titles[dotted]["title"] in comments_above(text, line), dotted


def test_narrative_comments_give_the_word_limits(tmp_path: Path) -> None:
    text = skeleton_text(BaseType.work_base, SCHEMA_FILE_NAME)
    for rule_id in ("common.narrative_foundation", "common.narrative_purpose", "common.narrative_goals",
                    "common.narrative_policies"):
        rule = RULESET.get(rule_id)
        assert rule is not None
        limit = threshold(rule, BaseType.work_base)
        assert limit is not None and limit.endswith("字")
        assert f"条款 {rule.definition.clause}：{limit}" in text


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_values_the_base_type_decides(base_type: BaseType, tmp_path: Path) -> None:
    applicant = load_applicant(written(tmp_path, base_type), available_rounds()).applicant
    assert applicant.round == RULESET.round
    assert applicant.attachments.support_letter is not None
    assert applicant.attachments.support_letter.level == RULESET.facts.support_letter_level[base_type]
    assert [sorted(t.values) for t in applicant.plan.targets] == [RULESET.facts.plan_years]


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_the_skeleton_validates_against_the_schema(base_type: BaseType, tmp_path: Path) -> None:
    data = as_json(read_yaml(written(tmp_path, base_type)).data)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize("base_type", OPEN_TYPES, ids=ids)
def test_the_skeleton_is_deterministic(base_type: BaseType) -> None:
    assert skeleton_text(base_type, SCHEMA_FILE_NAME) == skeleton_text(base_type, SCHEMA_FILE_NAME)


def test_a_closed_type_has_no_skeleton() -> None:
    with pytest.raises(UsageError, match="不接受申报"):
        skeleton_text(BaseType.overseas_base, SCHEMA_FILE_NAME)


# --- write_skeleton ------------------------------------------------------------------------

def test_write_skeleton_writes_the_file_and_the_schema_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "新基地" / "applicant.yaml"
    paths = write_skeleton(out, BaseType.rd_community, None, False)
    schema_file = out.parent / SCHEMA_FILE_NAME
    assert paths == [out, schema_file]
    assert out.read_text(encoding="utf-8") == skeleton_text(BaseType.rd_community, SCHEMA_FILE_NAME)
    assert schema_file.read_bytes() == schema_text().encode("utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, SCHEMA_FILE_NAME])  # no temp left


def test_write_skeleton_with_a_schema_url_writes_no_schema(tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    url = "https://example.invalid/applicant-format-1.schema.json"
    assert write_skeleton(out, BaseType.work_base, url, False) == [out]
    assert out.read_text(encoding="utf-8").splitlines()[0] == MODELINE + url
    assert not (tmp_path / SCHEMA_FILE_NAME).exists()


def test_write_skeleton_refuses_to_overwrite_and_leaves_the_file_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    out.write_text("format: 1  # my work\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        write_skeleton(out, BaseType.work_base, None, False)
    assert str(out) in caught.value.message and "--force" in caught.value.message
    assert out.read_text(encoding="utf-8") == "format: 1  # my work\n"
    assert not (tmp_path / SCHEMA_FILE_NAME).exists()  # nothing written at all


def test_write_skeleton_with_force_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    out.write_text("old\n", encoding="utf-8")
    assert write_skeleton(out, BaseType.offshore_base, "s.json", True) == [out]
    assert out.read_text(encoding="utf-8") == skeleton_text(BaseType.offshore_base, "s.json")


def test_an_identical_schema_beside_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FILE_NAME).write_bytes(schema_text().encode("utf-8"))
    out = tmp_path / "applicant.yaml"
    assert write_skeleton(out, BaseType.work_base, None, False) == [out]


def test_a_different_schema_beside_is_not_overwritten_without_force(tmp_path: Path) -> None:
    schema_file = tmp_path / SCHEMA_FILE_NAME
    schema_file.write_text("{}\n", encoding="utf-8")
    out = tmp_path / "applicant.yaml"
    with pytest.raises(UsageError) as caught:
        write_skeleton(out, BaseType.work_base, None, False)
    assert str(schema_file) in caught.value.message and "--force" in caught.value.message
    assert schema_file.read_text(encoding="utf-8") == "{}\n"
    assert not out.exists()
    assert write_skeleton(out, BaseType.work_base, None, True) == [out, schema_file]
    assert schema_file.read_bytes() == schema_text().encode("utf-8")


def test_a_folder_is_not_a_file_to_write(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="文件夹"):
        write_skeleton(tmp_path, BaseType.work_base, None, True)


def test_the_refusal_is_in_english_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    out.write_text("x\n", encoding="utf-8")
    with speaking("en"), pytest.raises(UsageError) as caught:
        write_skeleton(out, BaseType.work_base, None, False)
    assert "exists and was not overwritten" in caught.value.message and "--force" in caught.value.message


# --- the rule that catches an unfilled skeleton --------------------------------------------

def test_the_rule_looks_for_the_placeholders_the_skeleton_writes() -> None:
    rule = RULESET.get("common.no_placeholders")
    assert rule is not None and rule.op == "no_placeholder"
    params = rule.params[BaseType.work_base].model_dump()
    assert params == {"marker": PLACEHOLDER, "day": dt.date.fromisoformat(PLACEHOLDER_DAY)}
    assert set(rule.params) == set(BaseType)


def run_no_placeholder(data: dict[str, Any]) -> Any:
    spec = OPERATORS["no_placeholder"]
    params = spec.params.model_validate({"marker": PLACEHOLDER, "day": PLACEHOLDER_DAY})
    return spec.func(Context(data=data), params)


def test_no_placeholder_passes_on_filled_data() -> None:
    result = run_no_placeholder({"a": "苏州", "b": [{"c": 3}], "d": dt.date(2016, 5, 18), "e": None})
    assert (result.outcome, result.actual, result.field, result.required.zh) == ("pass", 0, None, "不含“待填写”")


def test_no_placeholder_lists_every_key_path_in_order() -> None:
    data = {"base_name": "待填写：名称", "base": {"established": dt.date(1900, 1, 1), "address": "苏州"},
            "plan": {"targets": [{"unit": "人"}, {"unit": "请待填写"}]}}
    result = run_no_placeholder(data)
    assert result.outcome == "fail" and result.actual == 3 and result.field == "base_name"
    assert result.vars["fields"] == "base_name、base.established、plan.targets[1].unit"


def test_no_placeholder_refuses_a_blank_marker() -> None:
    with pytest.raises(ValueError, match="blank"):
        OPERATORS["no_placeholder"].params.model_validate({"marker": " "})


def test_the_skeleton_is_chinese_whatever_the_message_language() -> None:
    chinese = skeleton_text(BaseType.work_base, SCHEMA_FILE_NAME)
    with speaking("en"):
        assert skeleton_text(BaseType.work_base, SCHEMA_FILE_NAME) == chinese


# --- skeleton_lines: values and notes in place of placeholders, as `import` writes them ----------------------

def work_base_lines(values: dict[str, Any] | None = None, notes: dict[str, list[str]] | None = None) -> list[str]:
    with speaking("zh"):
        reads = requirements(RULESET, BaseType.work_base)
    return skeleton_lines(SCHEMA, BaseType.work_base, RULESET, reads, values=values, notes=notes)


def test_skeleton_lines_without_values_or_notes_are_the_keys_of_the_skeleton() -> None:
    text = skeleton_text(BaseType.work_base, SCHEMA_FILE_NAME)
    assert text.endswith("\n\n" + "\n".join(work_base_lines()) + "\n")


def test_skeleton_lines_write_values_in_place_of_their_placeholders() -> None:
    values = {"base.service_area_m2": 350, "base.established": dt.date(2016, 5, 18), "narratives.goals": "一\n二: 三"}
    data = yaml.safe_load("\n".join(work_base_lines(values)))
    assert data["base"]["service_area_m2"] == 350
    assert data["base"]["established"] == dt.date(2016, 5, 18)
    assert data["narratives"]["goals"] == "一\n二: 三"
    assert data["base"]["address"].startswith(PLACEHOLDER)  # a key given no value keeps its placeholder


def test_skeleton_lines_write_notes_under_their_keys_as_comments_yaml_can_hold() -> None:
    notes = {"base.service_area_m2": ["原表格内容：350平方米"], "base.address": ["原表格内容：A\x07B", "  第二行"]}
    lines = work_base_lines({"base.service_area_m2": 350}, notes)
    area = lines.index("  service_area_m2: 350")
    assert lines[area + 1] == "  # 原表格内容：350平方米"
    address = next(index for index, line in enumerate(lines) if line.startswith("  address: "))
    assert lines[address] == f"  address: {PLACEHOLDER}：基地地址"
    assert lines[address + 1: address + 3] == ["  # 原表格内容：A<U+0007>B", "  #   第二行"]
    assert yaml.safe_load("\n".join(lines))["base"]["service_area_m2"] == 350

"""The JSON Schema of format 1: a valid draft 2020-12 schema that every file `haizhi check` reads passes,
that refuses what the loader refuses, and whose Chinese annotations come from the models and the rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from haizhi_cli.applicant._loading import load_applicant, read_yaml
from haizhi_cli.applicant._models import CODE_LABELS, Activity, Applicant, ApplicantKind, BaseType
from haizhi_cli.authoring._schema import SCHEMA_FILE_NAME, applicant_schema, main, property_nodes, schema_text
from haizhi_cli.engine._catalogue import fields_read, threshold
from haizhi_cli.engine._rules import Rule, apply_changes, available_rounds, load_round
from haizhi_cli.errors._errors import ApplicantFileError
from haizhi_cli.i18n._language import current_lang, speaking
from tests.conftest import ROOT, example_data

SCHEMA = applicant_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
RULESET = load_round(2023)
COMMITTED = ROOT / "schema" / SCHEMA_FILE_NAME
APPLICANT_FILES = [*sorted((ROOT / "examples").glob("*/applicant.yaml")), ROOT / "docs" / "example-work-base.yaml"]
HAN = re.compile(r"[\u4e00-\u9fff]")


def as_json(value: Any) -> Any:
    """YAML data as a JSON document holds it: dates as ISO text, every key as text."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_errors(data: Any) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(as_json(data))]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "urn:haizhi:applicant-format-1"


@pytest.mark.parametrize("path", APPLICANT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_applicant_file_validates(path: Path) -> None:
    load_applicant(path, available_rounds())  # haizhi reads it ...
    assert schema_errors(read_yaml(path).data) == []  # ... so the schema must accept it


def _rule_example_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for rule in RULESET.rules:
        if rule.definition.examples is not None:
            cases.append((f"{rule.id}-pass", _changed(rule, rule.definition.examples.passing)))
            cases.append((f"{rule.id}-fail", _changed(rule, rule.definition.examples.failing)))
    return cases


def _changed(rule: Rule, changes: dict[str, Any]) -> dict[str, Any]:
    base_type = next(t for t in (BaseType.work_base, BaseType.offshore_base, BaseType.rd_community)
                     if t in rule.params)
    return apply_changes(example_data(base_type), changes)


@pytest.mark.parametrize(("name", "data"), _rule_example_cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_rule_example_the_models_accept_validates(name: str, data: dict[str, Any]) -> None:
    """Rule examples leave keys out, empty statements, go below thresholds: loadable files all the same."""
    try:
        Applicant.model_validate(data)
    except ValidationError:
        pytest.skip("the models refuse this example; only accepted files must validate")
    assert schema_errors(data) == [], name


FORMAT_ERRORS: list[tuple[str, dict[str, Any]]] = [
    ("unknown top-level key", {"base_typ": "work_base"}),
    ("unknown nested key", {"base.servic_area_m2": 350}),
    ("unknown key in a list item", {"plan.tasks": [{"title": "任务", "content": "内容", "owner": "某人"}]}),
    ("wrong base type", {"base_type": "work"}),
    ("wrong applicant kind", {"applicant.kind": "company"}),
    ("wrong activity", {"activities": ["networking"]}),
    ("wrong support letter level", {"attachments.support_letter.level": "county"}),
    ("negative area", {"base.service_area_m2": -1}),
    ("negative count", {"base.staff_total": -3}),
    ("fractional count", {"base.staff_total": 2.5}),
    ("number with a unit", {"base.service_area_m2": "350平方米"}),
    ("yes/no as a number", {"base.staff_total": True}),
    ("format 2", {"format": 2}),
    ("format as text", {"format": "1"}),
    ("missing required key", {"base.address": None}),
    ("missing narrative", {"narratives.goals": None}),
    ("empty text", {"base.address": ""}),
    ("date that does not exist", {"base.established": "2016-02-30"}),
    ("year key as words", {"plan.targets": [{"indicator": "人才", "unit": "人", "values": {"明年": 1}}]}),
    ("yes/no as text", {"applicant.registered_in_china": "是"}),
    ("list where a map belongs", {"base.leader": ["张明远"]}),
]


@pytest.mark.parametrize(("name", "changes"), FORMAT_ERRORS, ids=[name for name, _ in FORMAT_ERRORS])
def test_a_format_error_is_refused_by_the_schema_as_by_haizhi(name: str, changes: dict[str, Any],
                                                              tmp_path: Path) -> None:
    data = apply_changes(example_data(BaseType.work_base), changes)
    assert schema_errors(data), name
    path = tmp_path / "applicant.yaml"
    path.write_text(_yaml(data), encoding="utf-8")
    with pytest.raises(ApplicantFileError):
        load_applicant(path, available_rounds())


def _yaml(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_every_property_has_a_chinese_title_and_description() -> None:
    nodes = list(property_nodes(SCHEMA))
    assert len(nodes) > 80
    for path, node in nodes:
        assert HAN.search(node.get("title", "")), path
        assert HAN.search(node.get("description", "")), path
        assert node["description"].startswith(node["title"]), path


def test_descriptions_cite_every_rule_that_reads_a_key_with_its_requirement() -> None:
    described = dict(property_nodes(SCHEMA))
    for rule in RULESET.rules:
        for base_type in rule.params:
            for field in fields_read(rule, base_type):
                text = described[field]["description"]
                assert rule.definition.clause in text, (rule.id, field)
                assert (threshold(rule, base_type) or rule.definition.title.zh) in text, (rule.id, field)


def test_the_area_description_names_each_type_and_its_threshold() -> None:
    text = dict(property_nodes(SCHEMA))["base.service_area_m2"]["description"]
    for rule_id, label in [("work_base.service_area", "工作基地"), ("offshore_base.service_area", "离岸基地"),
                           ("rd_community.service_area", "研发社区")]:
        rule = RULESET.get(rule_id)
        assert rule is not None
        base_type = next(iter(rule.params))
        assert f"{rule.definition.clause} {label}：{threshold(rule, base_type)}" in text


@pytest.mark.parametrize(("path", "codes"), [
    ("base_type", [t.value for t in BaseType]),
    ("applicant.kind", [k.value for k in ApplicantKind]),
    ("activities", [a.value for a in Activity]),
    ("attachments.support_letter.level", ["city", "province"]),
])
def test_enums_keep_the_codes_and_carry_chinese_labels(path: str, codes: list[str]) -> None:
    node = _enum_at(path)
    assert node["enum"] == codes
    labels = [CODE_LABELS[code] for code in codes]
    assert node["enumDescriptions"] == labels
    assert node["markdownEnumDescriptions"] == labels
    assert all(HAN.search(label) for label in labels)


def _enum_at(path: str) -> dict[str, Any]:
    node = dict(property_nodes(SCHEMA))[path]
    node = node.get("items", node)
    if "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    assert isinstance(node, dict)
    return node


def test_none_mark_is_allowed_where_the_models_allow_it() -> None:
    data = example_data(BaseType.work_base)
    assert schema_errors(apply_changes(data, {"base.service_area_m2": "无", "base.staff_total": "无"})) == []
    assert schema_errors(apply_changes(data, {"eligibility.returnee_talents_long_term": "无"})) == []
    assert schema_errors(apply_changes(data, {"base.service_area_m2": "没有"}))


def test_the_eligibility_keys_of_a_type_are_not_required() -> None:
    """A key a type's rules read but the file leaves out is a rule failure (exit 1), not a format error."""
    data = apply_changes(example_data(BaseType.work_base), {"eligibility": None, "conditions": None})
    Applicant.model_validate(data)
    assert schema_errors(data) == []


def test_the_committed_schema_is_current() -> None:
    assert COMMITTED.read_bytes() == schema_text().encode("utf-8"), (
        "schema/applicant-format-1.schema.json is out of date; regenerate it with\n"
        "  make docs")


def test_the_schema_text_is_deterministic_and_ends_in_a_newline() -> None:
    text = schema_text()
    assert text == schema_text()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "\\u" not in text  # Chinese is written as it is


def test_the_module_writes_the_schema_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / SCHEMA_FILE_NAME
    assert main([str(out)]) == 0
    assert out.read_bytes() == schema_text().encode("utf-8")


def test_the_schema_is_chinese_whatever_the_message_language() -> None:
    chinese = schema_text()
    with speaking("en"):
        assert schema_text() == chinese
        assert current_lang() == "en"

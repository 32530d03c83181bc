"""The JSON Schema of the applicant file, format 1: what editors (VS Code's YAML extension) complete and check.

It is generated from `models.Applicant`, then annotated for people: every property gets a Chinese
`title` and a `description` naming, per base type, the clause and requirement of every rule of the round
that reads it (taken from the rules through `catalogue`, never copied by hand); every enum gets its
Chinese labels as `enumDescriptions` / `markdownEnumDescriptions`.

It constrains no more than `load_applicant` does, so every file `haizhi check` reads validates. In
particular the `eligibility` and `conditions` keys a base type's rules read are not required by an
`if`/`then` on `base_type`: such a key left out loads and makes its rule fail (exit 1), it is not a
format error (exit 2), and the descriptions already say which type's rules read it.

`$id` is the URN `urn:haizhi:applicant-format-1`, not a web address: `$id` identifies a schema, it does
not locate it, and this one is copied beside applicant files, committed under `schema/` and written by
`haizhi init` and `haizhi schema`, so no single URL is where it lives. An `https` id on a domain the
project does not serve would invite tools to fetch it; the URN stays the same wherever the file is
copied, and it names the format, which is what the schema's constraints describe (the annotations cite
the rules of one round, given in the top-level description).

Regenerate the committed copy with `make docs` (`haizhi schema -o schema/applicant-format-1.schema.json --force`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from haizhi_cli.applicant import ATTACHMENT_KEYS, CODE_LABELS, NONE_MARK, Applicant, BaseType
from haizhi_cli.engine import RuleSet, fields_read, load_round, round_or_latest, shown_requirement, threshold
from haizhi_cli.i18n import BASE_TYPE_LABELS, label, speaking

SCHEMA_ID = "urn:haizhi:applicant-format-1"
SCHEMA_FILE_NAME = "applicant-format-1.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Requirement = tuple[str, str | None, str]
"""A rule's clause, the requirement it states (None when it states none) and its Chinese title."""

_HINTS = {
    "text": "文本，不能为空",
    "statement": "书面说明；审核时由人工确认",
    "integer": f"非负整数；没有填“{NONE_MARK}”",
    "number": f"非负数；没有填“{NONE_MARK}”",
    "date": "日期，格式 YYYY-MM-DD",
    "boolean": "true 或 false",
    "enum": "取值见可选项",
    "array": "列表",
    "object": "映射（键: 值）",
}

_ITEMS_NOTE = "列表，每项为 PDF 文件路径或 {title: 标题, file: 路径}；路径相对于本文件，且须在本文件所在文件夹内"

_NOTES = {
    "format": "固定为 1；其他值无法读取",
    "round": "通知的年份，如 2023；决定按哪一年度的规则检查",
    "applicant.kind_note": "申报对象类别为 other 时说明是何种单位",
    "eligibility": "申报表不问、但申报条件需要的数据；只需填写本类型规则用到的键",
    "conditions": "定性申报条件的书面说明；只需填写本类型规则用到的键，缺失或为空即不符合",
    "plan.targets.values": "键为年份（如 2024），值为该年度目标值",
    **{f"attachments.{name}": _ITEMS_NOTE
       for name in ATTACHMENT_KEYS if name != "support_letter"},  # the one key that holds one file, not a list
    "process": "可选；各步骤完成后填写",
}
"""What a title alone does not say about a key."""


def applicant_schema(round_: int | None = None, rules_root: Path | None = None) -> dict[str, Any]:
    """The annotated JSON Schema (draft 2020-12) of format 1, its descriptions citing `round_`'s rules (by
    default the latest round's). Always in Chinese: the schema is the same bytes whatever `--lang` says."""
    schema = Applicant.model_json_schema()
    defs: dict[str, Any] = schema["$defs"]
    for definition in defs.values():
        definition.pop("title", None)
        definition.pop("description", None)  # the models' docstrings, for developers
    defs["Target"]["properties"]["values"]["propertyNames"] = {"pattern": "^(20[0-9]{2}|2100)$"}
    _label_enums(schema)
    ruleset = load_round(round_or_latest(round_, rules_root), rules_root)
    with speaking("zh"):
        _describe_properties(schema, ruleset)
    schema.update(_header(ruleset))
    return schema


def schema_text(round_: int | None = None, rules_root: Path | None = None) -> str:
    """The schema as the committed file holds it: sorted keys, two-space indent, Chinese unescaped."""
    text = json.dumps(applicant_schema(round_, rules_root), ensure_ascii=False, indent=2, sort_keys=True)
    return text + "\n"


def _header(ruleset: RuleSet) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "$comment": "由 haizhi schema 生成，请勿手工修改",
        "title": "中国科协海智计划基地申报文件（格式 1）",
        "description": (f"haizhi 读取的申报文件。各键说明中的条款与要求出自 {ruleset.round} 年度规则："
                        f"{ruleset.facts.notice}"),
    }


def _label_enums(node: Any) -> None:
    """Give every enum of codes its Chinese labels, in the order of its codes."""
    if isinstance(node, dict):
        codes = node.get("enum")
        if isinstance(codes, list) and codes and all(code in CODE_LABELS for code in codes):
            labels = [CODE_LABELS[code] for code in codes]
            node["enumDescriptions"] = labels
            node["markdownEnumDescriptions"] = labels
        for value in node.values():
            _label_enums(value)
    elif isinstance(node, list):
        for value in node:
            _label_enums(value)


def _describe_properties(schema: dict[str, Any], ruleset: RuleSet) -> None:
    """Set each property's description; a definition reached by several keys lists all their rules."""
    per_type = {base_type: requirements(ruleset, base_type) for base_type in BaseType}
    open_types = set(ruleset.facts.open_types)
    reached: dict[int, tuple[dict[str, Any], str, list[str]]] = {}
    for path, node in property_nodes(schema):
        reached.setdefault(id(node), (node, path, []))[2].append(path)
    for node, first_path, paths in reached.values():
        cited = [_cite(per_type, path, open_types) for path in paths]
        parts = [node["title"], _NOTES.get(first_path) or _HINTS[value_kind(node, schema)], *filter(None, cited)]
        node["description"] = "。".join(parts)


def property_nodes(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted key path, property schema) for every key of the format, parents before children.

    List items add no part to the path (`plan.targets.indicator`), as rules never address one item.
    """
    stack: list[tuple[str, dict[str, Any]]] = [("", schema)]
    while stack:
        prefix, node = stack.pop(0)
        for name, child in resolve(node, schema).get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            yield path, child
            stack.append((path, child))
        items = resolve(node, schema).get("items")
        if isinstance(items, dict):
            stack.append((prefix, items))


def resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema a property's values follow: through `$ref`, and past `null` in an `anyOf`."""
    if "$ref" in node:
        return resolve(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], schema)
    branches = [b for b in node.get("anyOf", []) if b != {"type": "null"}]
    if len(branches) == 1:
        return resolve(branches[0], schema)
    return node


def value_kind(node: dict[str, Any], schema: dict[str, Any]) -> str:
    """What a property holds, as a key of `_HINTS`: text, statement, integer, number, date, boolean, ..."""
    target = resolve(node, schema)
    branches = target.get("anyOf", [])
    if {"const": NONE_MARK} in branches:
        return str(next(b["type"] for b in branches if "type" in b))
    if "enum" in target or "const" in target:
        return "enum"
    if target.get("format") == "date":
        return "date"
    if target.get("type") == "string":
        return "text" if target.get("minLength") else "statement"
    return str(target.get("type", "object"))


def requirements(ruleset: RuleSet, base_type: BaseType) -> dict[str, list[Requirement]]:
    """Per applicant key, the (clause, requirement, title) of every rule of `base_type` that reads it, in rule order."""
    found: dict[str, list[Requirement]] = {}
    for rule in ruleset.for_type(base_type):
        entry = (rule.definition.clause, threshold(rule, base_type), rule.definition.title.zh)
        for field in fields_read(rule, base_type):
            entries = found.setdefault(field, [])
            if entry not in entries:
                entries.append(entry)
    return found


def _cite(per_type: dict[BaseType, dict[str, list[Requirement]]], path: str, open_types: set[BaseType]) -> str:
    """`一（一）2（2） 工作基地：>= 100；一（二）2（3） 离岸基地：>= 5000`; one part per clause and requirement."""
    groups: dict[Requirement, list[BaseType]] = {}
    for base_type, found in per_type.items():
        for entry in found.get(path, []):
            groups.setdefault(entry, []).append(base_type)
    return "；".join(_cite_group(entry, types, open_types) for entry, types in groups.items())


def _cite_group(entry: Requirement, types: list[BaseType], open_types: set[BaseType]) -> str:
    clause, required, title = entry
    names = "各类基地" if open_types <= set(types) else "、".join(label(BASE_TYPE_LABELS, t, "zh") for t in types)
    return f"{clause} {names}：{shown_requirement(required) if required else title}"


def main(argv: list[str]) -> int:
    """`python -m haizhi_cli.authoring._schema [OUT]`: write the schema to OUT, or to stdout."""
    text = schema_text()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""The page's sections and fields (GET /api/form), derived, never copied: the 申报表's parts and their keys
from `applicant` (BASIC_INFO, SECTIONS, OTHER_MATERIALS, OPINIONS, PROMISE: what the documents print), each
field's label, help, kind and choices from the JSON Schema `haizhi schema` prints, its clause from the rules
that read it, and the 字数 limits from the rules' `max_chars` checks.

A field is a leaf key (`base.leader.name`); an object is opened into its leaves; a list of objects is a
`table` with `columns`, a list of codes a `list` with `multiple` choices.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from haizhi_cli.applicant import (
    BASIC_INFO,
    BASIC_INFO_HEADING,
    NONE_MARK,
    OPINIONS,
    OPINIONS_HEADING,
    OTHER_MATERIALS,
    OTHER_MATERIALS_HEADING,
    PROMISE,
    PROMISE_HEADING,
    PROMISE_SIGNATURE,
    SECTIONS,
    SIGNED_DATE,
    BaseType,
)
from haizhi_cli.authoring import property_nodes, requirements, resolve, value_kind
from haizhi_cli.engine import RuleSet
from haizhi_cli.i18n import BASE_TYPE_LABELS, label

KINDS = {"text": "text", "statement": "textarea", "integer": "integer", "number": "number", "date": "date",
         "boolean": "boolean", "enum": "choice", "array": "list", "object": "table"}
"""The schema's kinds of value (`authoring.value_kind`) as the page's kinds of input."""

LONG_TEXT = ("narratives.", "plan.", "conditions.")
"""Keys whose texts run to paragraphs: a text area, not a line."""

NOT_ON_FORM = ("applicant", "eligibility", "conditions", "activities", "plan", "process")
"""The top-level keys the 申报表 does not print, in the page's order after 八 (their titles: the schema's)."""

UNIT = re.compile(r"(?P<label>.+)（(?P<unit>[^（）]+)）")


@dataclass(frozen=True)
class Layout:
    """What a field needs to be described: the schema, the rules of one base type and the 字数 limits."""

    schema: dict[str, Any]
    ruleset: RuleSet
    base_type: BaseType
    limits: dict[str, int]
    lang: str

    def node(self, path: str) -> dict[str, Any]:
        return self.nodes[path]

    @functools.cached_property
    def nodes(self) -> dict[str, dict[str, Any]]:
        """Every key of the format by its dotted path (list items add no part)."""
        return dict(property_nodes(self.schema))

    @functools.cached_property
    def reads(self) -> dict[str, list[tuple[str, str | None, str]]]:
        return requirements(self.ruleset, self.base_type)


def form_body(layout: Layout, types: list[dict[str, str]], ui: dict[str, str]) -> dict[str, Any]:
    """GET /api/form."""
    return {"lang": layout.lang, "ui": ui, "schema": layout.schema, "base_type": layout.base_type.value,
            "round": layout.ruleset.round, "types": types, "sections": sections(layout)}


def open_types(ruleset: RuleSet, lang: str) -> list[dict[str, str]]:
    """The base types the round accepts, for the page's create-new choice."""
    return [{"value": t.value, "label": label(BASE_TYPE_LABELS, t.value, lang)} for t in ruleset.facts.open_types]


def sections(layout: Layout) -> list[dict[str, Any]]:
    """一…八 in the 申报表's order, then the parts not on the form."""
    return [basic_info(layout), *narratives(layout), promise(), other_materials(layout), opinions(),
            *(not_on_form(layout, key) for key in NOT_ON_FORM)]


def _heading(heading: str) -> tuple[str, str]:
    """`二、工作基础` → ("二", "工作基础")."""
    number, _, title = heading.partition("、")
    return number, title


def basic_info(layout: Layout) -> dict[str, Any]:
    number, title = _heading(BASIC_INFO_HEADING)
    rows = [[key for _, key in pair] for pair in BASIC_INFO]
    fields = [field(layout, key) for row in rows for key in row]
    return {"id": number, "title": title, "on_form": True, "rows": rows, "fields": fields}


def narratives(layout: Layout) -> list[dict[str, Any]]:
    found = []
    for heading, instruction, key in SECTIONS:
        number, title = _heading(heading)
        described = {**field(layout, f"narratives.{key}"), "kind": "textarea", "instruction": instruction}
        found.append({"id": number, "title": title, "on_form": True, "fields": [described]})
    return found


def promise() -> dict[str, Any]:
    number, title = _heading(PROMISE_HEADING)
    return {"id": number, "title": title, "on_form": True, "fields": [],
            "printed": [PROMISE, PROMISE_SIGNATURE, SIGNED_DATE]}


def other_materials(layout: Layout) -> dict[str, Any]:
    number, title = _heading(OTHER_MATERIALS_HEADING)
    items = [{"number": item.number, "text": item.printed, "fields": list(item.fields), "generated": not item.keys,
              "asked": item.asked_of(layout.base_type)} for item in OTHER_MATERIALS]
    fields = [described for item in OTHER_MATERIALS for path in item.fields for described in leaves(layout, path)]
    return {"id": number, "title": title, "on_form": True, "items": items, "fields": fields}


def opinions() -> dict[str, Any]:
    number, title = _heading(OPINIONS_HEADING)
    return {"id": number, "title": title, "on_form": True, "fields": [],
            "opinions": [{"label": opinion.label, "with_name": opinion.with_name} for opinion in OPINIONS]}


def not_on_form(layout: Layout, key: str) -> dict[str, Any]:
    """A part the form does not print; of `eligibility` and `conditions`, the keys this type's rules read."""
    fields = leaves(layout, key)
    if key in ("eligibility", "conditions"):
        fields = [described for described in fields if described["path"] in layout.reads]
    return {"id": key, "title": layout.node(key)["title"], "on_form": False, "fields": fields}


def leaves(layout: Layout, path: str) -> list[dict[str, Any]]:
    """The fields under `path`: itself, or the leaves of the object it holds."""
    target = resolve(layout.node(path), layout.schema)
    if target.get("type") == "object" and "properties" in target:
        return [described for name in target["properties"] for described in leaves(layout, f"{path}.{name}")]
    return [field(layout, path)]


def field(layout: Layout, path: str) -> dict[str, Any]:
    """One field: path, label, clause, help, kind, and where they apply choices, limit, unit, columns."""
    node = layout.node(path)
    kind = _kind(layout, path)
    described: dict[str, Any] = {"path": path, "label": node["title"], "clause": _clause(layout, path),
                                 "help": node.get("description", ""), "kind": kind,
                                 "required": _required(layout, path)}
    described.update(_extras(layout, path, kind))
    return described


def _kind(layout: Layout, path: str) -> str:
    kind = KINDS[value_kind(layout.node(path), layout.schema)]
    if kind == "text" and path.startswith(LONG_TEXT):
        return "textarea"
    items = resolve(layout.node(path), layout.schema).get("items")
    if kind == "list" and isinstance(items, dict) and not _choices(layout.schema, items):
        return "table"
    return kind


def _extras(layout: Layout, path: str, kind: str) -> dict[str, Any]:
    node = layout.node(path)
    extras: dict[str, Any] = {}
    target = resolve(node, layout.schema)
    choices = _choices(layout.schema, target.get("items", target) if kind == "list" else node)
    if choices:
        extras["choices"] = _labelled(choices, path, layout.lang)
    if kind == "list":
        extras["multiple"] = True
    if path in layout.limits:
        extras["limit"] = layout.limits[path]
    if {"const": NONE_MARK} in target.get("anyOf", []):
        extras["accepts_none"] = True
        found = UNIT.fullmatch(node["title"])
        if found:
            extras.update(label=found["label"], unit=found["unit"])
    if kind == "table":
        extras["columns"] = columns(layout, path)
    return extras


def _choices(schema: dict[str, Any], node: dict[str, Any]) -> list[tuple[str, str]]:
    """The codes a value may take with their Chinese names, from `enum` and `enumDescriptions`."""
    target = resolve(node, schema)
    branch = next((b for b in target.get("anyOf", []) if "enum" in b), target)
    codes = branch.get("enum", [])
    names = branch.get("enumDescriptions", codes)
    return list(zip(codes, names, strict=False))


def _labelled(choices: Iterable[tuple[str, str]], path: str, lang: str) -> list[dict[str, str]]:
    if path == "base_type":
        return [{"value": code, "label": label(BASE_TYPE_LABELS, code, lang)} for code, _ in choices]
    return [{"value": code, "label": name} for code, name in choices]


def columns(layout: Layout, path: str) -> list[dict[str, Any]]:
    """A table's columns: the item's keys; the targets' `values` one column a plan year (`values.2024`)."""
    found = []
    for name, node in _item_object(layout, path).get("properties", {}).items():
        if "propertyNames" in node:
            found += [{"key": f"{name}.{year}", "label": str(year), "kind": "number", "accepts_none": True}
                      for year in layout.ruleset.facts.plan_years]
            continue
        kind = KINDS[value_kind(node, layout.schema)]
        found.append({"key": name, "label": node["title"], "kind": "textarea" if name == "content" else kind})
    return found


def _item_object(layout: Layout, path: str) -> dict[str, Any]:
    """The object a list's items are; of items that may also be a bare path (`attachments.proofs`), the object."""
    items = resolve(resolve(layout.node(path), layout.schema)["items"], layout.schema)
    branches = [resolve(branch, layout.schema) for branch in items.get("anyOf", [])]
    return next((branch for branch in branches if "properties" in branch), items)


def _clause(layout: Layout, path: str) -> str:
    """The clauses of the rules of this base type that read the key, each once: `一（一）2（2）`."""
    return "；".join(dict.fromkeys(clause for clause, _, _ in layout.reads.get(path, [])))


def _required(layout: Layout, path: str) -> bool:
    """Whether the key must be there, as the schema says (`required` of the object that holds it)."""
    parent, _, name = path.rpartition(".")
    holder = resolve(layout.node(parent), layout.schema) if parent else layout.schema
    if "items" in holder:
        holder = resolve(holder["items"], layout.schema)
    return name in holder.get("required", [])

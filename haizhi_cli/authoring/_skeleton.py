"""`haizhi init`: a commented applicant file (format 1) to fill in, for one base type.

The skeleton is written by walking the JSON Schema, so it holds every key of the format; the comment
above each key gives its Chinese title and, where the type's rules read it, their clause and requirement.
Its values load (the file is valid format 1) but are placeholders that rules fail on, so a skeleton is
never mistaken for an application: text reads `待填写：…` (the rule `common.no_placeholders` lists every
one left), numbers are `无` (which fails every `>=` requirement), yes/no answers are `false`, lists are
empty and the one required date is 1900-01-01 (also reported by `common.no_placeholders`).

`skeleton_lines` writes the keys; given values, it writes them instead of their placeholders, and given notes,
comment lines under their keys: `haizhi import` writes what a 申报表 holds that way, the rest as `init` does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from haizhi_cli.applicant import CODE_LABELS, NONE_MARK, BaseType, plain_decimal
from haizhi_cli.authoring._schema import (
    SCHEMA_FILE_NAME,
    Requirement,
    applicant_schema,
    requirements,
    resolve,
    schema_text,
    value_kind,
)
from haizhi_cli.engine import RuleSet, load_round, round_or_latest, shown_requirement
from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import BASE_TYPE_NAMES, speaking, tr
from haizhi_cli.outputs import refuse_overwrite, write_file_atomically

PLACEHOLDER = "待填写"
"""The mark of a value still to be written; `common.no_placeholders` fails while one is left."""

PLACEHOLDER_DAY = "1900-01-01"
"""The date written where a date is required; `common.no_placeholders` fails while it is left."""

_BY_TYPE = ("eligibility", "conditions")
"""Sections of which the skeleton holds only the keys the base type's rules read."""

_FIXED = ("base_type", "attachments.support_letter.level")
"""Codes the skeleton fills in from the base type; the comment says not to change them."""

_NOTES = {
    "format": "固定为 1",
    "round": "决定按哪一年度的规则检查",
    "applicant.kind": "从下列类别中选一个；选 other 时在 kind_note 中说明",
    "applicant.kind_note": "申报对象类别为 other 时填写；选定所列类别时删去本行",
    "activities": "填写开展的活动，如 [talent_recommendation, academic_exchange]，可选",
    "eligibility": "申报表不问、但申报条件需要的数据（本类型规则用到的键）",
    "conditions": "定性申报条件的书面说明（本类型规则用到的键），审核时由人工确认",
    "plan.targets": "每项一个指标，各年度都须有目标值",
    "plan.tasks": "每项一个主要建设任务",
    "attachments": "其余各项为 PDF 列表，每项写路径（相对于本文件）或 {title: 标题, file: 路径}",
    "process": "各步骤完成后填写；未填写时检查结果为“须审核”",
}
"""What the title alone does not tell the person filling in the key."""

_YAML_UNPRINTABLE = re.compile("[^\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML cannot hold even in a comment, nor as a line of one."""


def skeleton_lines(schema: dict[str, Any], base_type: BaseType, ruleset: RuleSet,
                   reads: dict[str, list[Requirement]], *, values: Mapping[str, Any] | None = None,
                   notes: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The commented keys of the skeleton of `base_type` (without the header), from the annotated `schema`.

    `reads` are the requirements the comments cite, by dotted key. `values` (dotted key → value) are written
    instead of those keys' placeholders, as YAML (quoted, or a `|` block, wherever YAML needs it); `notes`
    (dotted key → lines) are written as comments under their keys, a character YAML cannot hold shown as
    <U+XXXX>. A key with notes and no value keeps its placeholder.
    """
    writer = _Writer(schema, base_type, ruleset, reads, values or {}, notes or {})
    return writer.mapping(schema, "", 0)


@dataclass(frozen=True)
class _Writer:
    """Writes the skeleton's lines for one base type from the annotated schema."""

    schema: dict[str, Any]
    base_type: BaseType
    ruleset: RuleSet
    reads: dict[str, list[Requirement]]
    values: Mapping[str, Any]
    notes: Mapping[str, Sequence[str]]

    def mapping(self, node: dict[str, Any], prefix: str, depth: int) -> list[str]:
        """The commented keys of a mapping; of `eligibility` and `conditions` only those the rules read."""
        lines: list[str] = []
        for name, child in resolve(node, self.schema).get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            if prefix not in _BY_TYPE or path in self.reads:
                lines.extend(self.entry(name, child, path, depth))
        return lines

    def entry(self, name: str, node: dict[str, Any], path: str, depth: int) -> list[str]:
        """A key with its comment above it, its value, and its notes under it."""
        pad = "  " * depth
        comments = [f"{pad}# {line}" for line in self.comments(node, path)]
        notes = [f"{pad}# {comment_safe(note)}" for note in self.notes.get(path, ())]
        return [*comments, *self.assignment(name, node, path, depth), *notes]

    def assignment(self, name: str, node: dict[str, Any], path: str, depth: int) -> list[str]:
        """`name: value`, the value given for the key or its placeholder, inline or as an indented block."""
        pad = "  " * depth
        if path in self.values:
            return _dumped(name, self.values[path], pad)
        value = self.value(node, path, depth + 1)
        if isinstance(value, str):
            return [f"{pad}{name}: {value}".rstrip()]
        return [f"{pad}{name}:", *value] if value else [f"{pad}{name}: {{}}"]

    def comments(self, node: dict[str, Any], path: str) -> list[str]:
        """Title, note and every rule's `条款 clause：requirement`; then the choices, or the shape to fill in later."""
        note = "按基地类型填好，请勿修改" if path in _FIXED else _NOTES.get(path)
        cited = "；".join(_cite(entry) for entry in self.reads.get(path, []))
        first = node["title"] + (f"：{note}" if note else "") + (f" — {cited}" if cited else "")
        return [first, *self.choices(node, path), *self.later(node, path)]

    def choices(self, node: dict[str, Any], path: str) -> list[str]:
        target = resolve(node, self.schema)
        codes = resolve(target.get("items", target), self.schema).get("enum", [])
        if path in _FIXED or not codes:
            return []
        return [f"  {code}：{CODE_LABELS.get(code, code)}" for code in codes]

    def later(self, node: dict[str, Any], path: str) -> list[str]:
        """How a step of `process`, left empty in the skeleton, is written once it is done."""
        properties = resolve(node, self.schema).get("properties", {})
        if not path.startswith("process.") or not properties:
            return []
        shape = ", ".join(f"{key}: {child['title']}" for key, child in properties.items())
        return [f"  完成后填写为 {{{shape}}}"]

    def value(self, node: dict[str, Any], path: str, depth: int) -> str | list[str]:
        if path in ("plan.targets", "plan.tasks"):
            return self.one_item(node, path, depth)
        special = self.special(path, depth)
        if special is not None:
            return special
        if path.startswith("process.") and {"type": "null"} in node.get("anyOf", []):
            return ""
        kind = value_kind(node, self.schema)
        if kind == "object":
            return self.mapping(node, path, depth)
        if kind == "enum":
            return str(resolve(node, self.schema)["enum"][0])
        return _PLAIN.get(kind) or _scalar(f"{PLACEHOLDER}：{node['title']}")

    def special(self, path: str, depth: int) -> str | list[str] | None:
        """The values the format or the base type decides, and the plan years."""
        facts = self.ruleset.facts
        fixed: dict[str, str | list[str]] = {
            "format": "1",
            "round": str(self.ruleset.round),
            "base_type": self.base_type.value,
            "base_name": _scalar(f"{PLACEHOLDER}：{facts.base_name_format[self.base_type]}"),
            "applicant.kind": "other",
            "attachments.support_letter.level": facts.support_letter_level[self.base_type],
            "attachments.support_letter.issuer":
                _scalar(f"{PLACEHOLDER}：{facts.support_letter_issuer_example[self.base_type]}"),
            "attachments.support_letter.file": _scalar(f"{PLACEHOLDER}：支持函 PDF 的路径"),
            "plan.targets.values": [f"{'  ' * depth}{year}: {NONE_MARK}" for year in facts.plan_years],
        }
        return fixed.get(path)

    def one_item(self, node: dict[str, Any], path: str, depth: int) -> list[str]:
        """A list of one item to fill in: `- ` in place of the indentation of its first line."""
        lines = self.mapping(resolve(node, self.schema)["items"], path, depth + 1)
        pad = "  " * depth
        return [f"{pad}- {lines[0].lstrip()}", *lines[1:]]


_PLAIN = {"integer": NONE_MARK, "number": NONE_MARK, "boolean": "false", "date": PLACEHOLDER_DAY, "array": "[]"}
"""Placeholder values by kind of value; text gets `待填写：<title>`."""


def _cite(entry: Requirement) -> str:
    """`条款 一（一）2（2）：>= 100`, or the rule's title where it states no requirement."""
    clause, required, title = entry
    return f"条款 {clause}：{shown_requirement(required) if required else title}"


@functools.lru_cache(maxsize=1024)
def _scalar(text: str) -> str:
    """Text as a YAML value: plain where YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(f"key: {text}") == {"key": text}
    except yaml.YAMLError:
        plain = False
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Dumper(yaml.SafeDumper):
    """Text of several lines as a literal block (`|-`), where YAML allows it."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_text)


def _represent_number(dumper: yaml.SafeDumper, number: float) -> yaml.ScalarNode:
    """A decimal as the loader accepts it: plain digits, never an exponent (`1e-05` would be refused)."""
    return dumper.represent_scalar("tag:yaml.org,2002:float", plain_decimal(number))


_Dumper.add_representer(float, _represent_number)


def _dumped(name: str, value: Any, pad: str) -> list[str]:
    """`name: value` as YAML at the indentation `pad`, quoted or as a block wherever YAML needs it."""
    text = yaml.dump({name: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 30)
    return [f"{pad}{line}" for line in text.rstrip("\n").split("\n")]


SAVED_HEADER = "# 中国科协海智计划基地申报文件（格式 1），由 haizhi serve 的表单保存；原文件中的注释不保留。\n"


def applicant_text(data: Mapping[str, Any]) -> str:
    """An applicant file's data written as YAML as `init` and `import` write values (texts of several lines as
    `|` blocks, decimals never with an exponent), keys in the order given, under a one-line header."""
    body = yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 30)
    return SAVED_HEADER + body


def comment_safe(text: str) -> str:
    """One comment line: characters YAML cannot hold are shown as <U+XXXX>."""
    return _YAML_UNPRINTABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def skeleton_text(base_type: BaseType, schema_ref: str, round_: int | None = None,
                  rules_root: Path | None = None) -> str:
    """The commented skeleton of an applicant file of `base_type` for `round_` (by default the latest round),
    its first line pointing at `schema_ref`."""
    round_ = round_or_latest(round_, rules_root)
    ruleset = load_round(round_, rules_root)
    if base_type not in ruleset.facts.open_types:
        raise UsageError(tr("{label}（{code}）{round} 年度不接受申报，没有可填写的模板",
                            label=BASE_TYPE_NAMES[base_type].zh, code=base_type.value, round=round_))
    with speaking("zh"):
        reads = requirements(ruleset, base_type)
    body = skeleton_lines(applicant_schema(round_, rules_root), base_type, ruleset, reads)
    return "\n".join([*_header(schema_ref, base_type, round_), *body]) + "\n"


def _header(schema_ref: str, base_type: BaseType, round_: int) -> list[str]:
    return [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# 中国科协海智计划基地申报文件（格式 1）：{BASE_TYPE_NAMES[base_type].zh}，{round_} 年度",
        f"# 由 haizhi init 生成。凡“{PLACEHOLDER}”处和日期 {PLACEHOLDER_DAY} 都须改为真实情况，",
        f"# 数字“{NONE_MARK}”须改为实际数量，确实没有的项才填“{NONE_MARK}”（填表说明四）。",
        "# 每个键上方的注释是它的中文名称，以及所依据的条款和要求。",
        "# 填好后运行 haizhi check 检查本文件。",
        "",
    ]


def write_skeleton(out: Path, base_type: BaseType, schema_url: str | None, force: bool, *,
                   round_: int | None = None, rules_root: Path | None = None) -> list[Path]:
    """Write the skeleton to `out` (and, without `schema_url`, the schema beside it); the paths written.

    Nothing is overwritten without `force`: an existing `out`, or a schema file beside it that differs
    from this version's, is a UsageError before anything is written. An identical schema file is left as is.
    """
    schema_file = None if schema_url else out.parent / SCHEMA_FILE_NAME
    text = skeleton_text(base_type, schema_url or SCHEMA_FILE_NAME, round_, rules_root)
    schema = schema_text(round_, rules_root).encode("utf-8") if schema_file else b""
    refuse_overwrite(out, force)
    schema_due = schema_file is not None and _differs(schema_file, schema)
    if schema_file is not None and schema_due:
        refuse_overwrite(schema_file, force, tr(
            "{path} 已存在，且与本版 haizhi 的 JSON Schema 不同；如要覆盖，请加 --force", path=schema_file))
    written = [write_file_atomically(out, text.encode("utf-8"), force=True, make_parents=True)]
    if schema_file is not None and schema_due:
        written.append(write_file_atomically(schema_file, schema, force=True))
    return written


def _differs(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() != content
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise UsageError(tr("无法读取 {path}：{reason}", path=path, reason=exc.strerror or exc)) from None

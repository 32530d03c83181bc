"""What a rule reads and requires, described without any applicant: for `haizhi rules`, `explain`,
the rule reference pages, the JSON Schema's descriptions and the `init` skeleton's comments."""

from __future__ import annotations

from pathlib import Path

from haizhi_cli._shipped import shipped_folder
from haizhi_cli.applicant import CODE_LABELS, BaseType
from haizhi_cli.engine._operators import OPERATORS, text_in
from haizhi_cli.engine._rules import Rule

FIELD_PARAMS = ("field", "fields", "start", "end", "note_field")
"""Operator parameters that name applicant keys (dotted paths)."""


def threshold(rule: Rule, base_type: BaseType, lang: str = "zh") -> str | None:
    """The requirement a rule states for a base type in `lang` (`>= 100`, `<= 1000 字`), or None when it
    states none: its operator's `requirement`, worded from the parameters alone."""
    return text_in(OPERATORS[rule.op].requirement(rule.params[base_type]), lang) or None


def shown_requirement(requirement: str) -> str:
    """A requirement as people read it: a code with its Chinese label (`地市政府（city）`)."""
    label = CODE_LABELS.get(requirement)
    return f"{label}（{requirement}）" if label else requirement


def fields_read(rule: Rule, base_type: BaseType) -> list[str]:
    """The applicant keys a rule reads for a base type, in the order its parameters name them."""
    params = rule.params[base_type].model_dump()
    found: list[str] = []
    for name in FIELD_PARAMS:
        value = params.get(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item not in found:
                found.append(item)
    return found


def char_limits(rules: list[Rule], base_type: BaseType) -> dict[str, int]:
    """The 字数 limit of each text the rules limit (`max_chars`): `{"narratives.goals": 400}`; what `check`
    enforces, for a page that counts as the user types."""
    limits: dict[str, int] = {}
    for rule in rules:
        if rule.op == "max_chars" and base_type in rule.params:
            params = rule.params[base_type].model_dump()
            limits[str(params["field"])] = int(params["value"])
    return limits


EXAMPLE_FOLDERS = {
    BaseType.work_base: "work-base",
    BaseType.offshore_base: "offshore-base",
    BaseType.rd_community: "rd-community",
}


def example_folder(base_type: BaseType) -> Path | None:
    """The bundled eligible example of a base type: inside the wheel, or `examples/` of a source checkout."""
    name = EXAMPLE_FOLDERS.get(base_type)
    if name is None:
        return None
    folder = shipped_folder("examples") / name
    return folder if (folder / "applicant.yaml").is_file() else None

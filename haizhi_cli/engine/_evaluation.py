"""The rule engine: runs a round's rules over an applicant and returns findings. No I/O.

A finding is worded in the language the caller names: operators give their texts in both languages, and
nothing here reads the language of the process.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from haizhi_cli.applicant import CODE_LABELS, BaseType
from haizhi_cli.engine._operators import OPERATORS, Context, Result, show, text_in
from haizhi_cli.engine._results import Category, Finding, Status
from haizhi_cli.engine._rules import Rule, RuleSet
from haizhi_cli.i18n import Localized

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_CATEGORY_RANK = {category: rank for rank, category in enumerate(Category)}
_STATUSES = {status.value: status for status in Status}


def evaluate(ruleset: RuleSet, base_type: BaseType, context: Context, lang: str = "zh") -> list[Finding]:
    """Every finding for one applicant in `lang`, eligibility first, in the order of the rule files."""
    findings: list[Finding] = []
    for rule in ruleset.for_type(base_type):
        findings.extend(run_rule(rule, base_type, context, lang))
    return sorted(findings, key=lambda f: _CATEGORY_RANK[f.category])


def run_rule(rule: Rule, base_type: BaseType, context: Context, lang: str = "zh") -> list[Finding]:
    """The findings of one rule in `lang` (most rules give one; a rule over files gives one per file)."""
    spec = OPERATORS[rule.op]
    produced = spec.func(context, rule.params[base_type])
    results = produced if isinstance(produced, list) else [produced]
    return [_finding(rule, result, lang) for result in results]


def _finding(rule: Rule, result: Result, lang: str) -> Finding:
    definition = rule.definition
    template = getattr(definition.messages[result.outcome], lang)
    return Finding(
        rule=definition.id, clause=definition.clause, category=definition.category,
        status=_status(rule, result), message=format_message(template, result.vars, lang),
        actual=_plain(_in(result.actual, lang)), required=text_in(result.required, lang), field=result.field,
    )


def _status(rule: Rule, result: Result) -> Status:
    """An operator's outcome as a status: severity turns a fail into a warn; when_missing decides a gap."""
    outcome = result.outcome
    if outcome == "missing":
        outcome = rule.definition.when_missing
    if outcome == "fail" and rule.definition.severity == "warning":
        return Status.warn
    return _STATUSES[outcome]


def format_message(template: str, variables: Mapping[str, Any], lang: str) -> str:
    """Fill `{name}` placeholders from the operator's variables; nothing else is interpreted (a name the
    variables lack stays as written)."""
    pieces = _pieces(template)
    if len(pieces) == 1:
        return template
    filled = list(pieces)
    for index in range(1, len(filled), 2):
        name = filled[index]
        filled[index] = _shown(variables[name], lang) if name in variables else f"{{{name}}}"
    return "".join(filled)


@functools.lru_cache(maxsize=2048)
def _pieces(template: str) -> tuple[str, ...]:
    """A message template split at its placeholders, once per template: text, name, text, …, name, text."""
    return tuple(_PLACEHOLDER.split(template))


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, Localized):
        return value.text(lang)
    if lang == "zh" and isinstance(value, str) and value in CODE_LABELS:
        return CODE_LABELS[value]
    return show(value)


def _in(value: Any, lang: str) -> Any:
    """A value an operator worded in both languages, as `lang` reads it; any other value as it is."""
    return value.text(lang) if isinstance(value, Localized) else value


def _plain(value: Any) -> Any:
    """A JSON-friendly value: dates as ISO text, whole floats as ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)

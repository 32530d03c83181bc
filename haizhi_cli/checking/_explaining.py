"""The rule catalogue for users: `haizhi rules`, `haizhi explain RULE_ID` and the rule reference pages.

Everything here is plain data built from the rule files; nothing is printed (reports/_explain.py does).
An explanation runs the rule's own examples on the bundled example of its type, so the finding it shows
is the one `haizhi check` would produce, never a description written by hand that could drift.
"""

from __future__ import annotations

import datetime as dt
import difflib
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from haizhi_cli.applicant import CODE_LABELS, Applicant, BaseType, LoadedApplicant, YamlDocument, read_yaml
from haizhi_cli.checking._forms import ATTACHMENT_FIELDS
from haizhi_cli.checking._pipeline import build_context
from haizhi_cli.engine import (
    EXAMPLE_FOLDERS,
    OPERATORS,
    Category,
    Context,
    Finding,
    Rule,
    RuleSet,
    Status,
    apply_changes,
    attachment_paths,
    data_used,
    example_folder,
    fields_read,
    run_rule,
    show,
    threshold,
)
from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import (
    ALL_BASE_TYPES,
    BASE_TYPE_LABELS,
    STATUS_LABELS,
    Localized,
    current_lang,
    joined,
    label,
    speaking,
    tr,
)

ExampleKind = Literal["pass", "fail"]

GRAVEST_FIRST = (Status.failed, Status.warn, Status.review, Status.passed)


@dataclass(frozen=True)
class RuleRow:
    """One line of `haizhi rules`: a rule, or a rule for the base types that share one threshold."""

    id: str
    clause: str
    category: Category
    severity: str
    base_types: tuple[BaseType, ...]
    threshold: str | None
    title: Localized


@dataclass(frozen=True)
class PerType:
    """A text that holds for some of the base types a rule applies to."""

    base_types: tuple[BaseType, ...]
    text: str | None


@dataclass(frozen=True)
class ExampleRun:
    """A rule example: its changes as YAML lines and what the rule found on the bundled example."""

    kind: ExampleKind
    base_type: BaseType
    folder: str
    changes: tuple[str, ...]
    findings: tuple[Finding, ...]
    note: str | None = None

    @property
    def outcome(self) -> Status | None:
        """What the example really gives, which names its heading: the gravest status of its findings (不通过,
        then 警告, then 待审核, then 通过); None when it gives none (changes the format does not accept)."""
        statuses = {finding.status for finding in self.findings}
        return next((status for status in GRAVEST_FIRST if status in statuses), None)


@dataclass(frozen=True)
class Explanation:
    """Everything `haizhi explain` says about one rule, in one language."""

    rule_id: str
    lang: str
    clause: str
    quote: str
    title: str
    category: Category
    severity: str
    source: str
    line: int
    base_types: tuple[BaseType, ...]
    checks: tuple[PerType, ...]
    fields: tuple[str, ...]
    thresholds: tuple[PerType, ...]
    when_missing: str
    examples: tuple[ExampleRun, ...]
    no_examples: str | None
    data: str | None = None
    """The data file beside the rules that the rule judges by (division data), with its source and date."""


def types_label(base_types: tuple[BaseType, ...], lang: str) -> str:
    """The base types by their short names; every one of them is 全部类型."""
    if set(base_types) == set(BaseType):
        return ALL_BASE_TYPES.text(lang)
    return joined([label(BASE_TYPE_LABELS, t, lang) for t in base_types], lang)


# --- rows ----------------------------------------------------------------------------------

def rule_rows(ruleset: RuleSet, base_type: BaseType | None = None, lang: str | None = None) -> list[RuleRow]:
    """One row per rule; a rule whose threshold differs by base type gets one row per threshold.

    With `base_type`, only the rules that apply to it, with its threshold. Thresholds are worded in `lang`
    (default: the language of the process).
    """
    in_lang = lang or current_lang()
    if base_type is not None:
        return [_row(rule, (base_type,), threshold(rule, base_type, in_lang))
                for rule in ruleset.for_type(base_type)]
    return [_row(rule, group.base_types, group.text)
            for rule in ruleset.rules for group in by_type(rule, _threshold_of(rule, in_lang))]


def _threshold_of(rule: Rule, lang: str) -> Callable[[BaseType], str | None]:
    return lambda base_type: threshold(rule, base_type, lang)


def _row(rule: Rule, base_types: tuple[BaseType, ...], required: str | None) -> RuleRow:
    d = rule.definition
    return RuleRow(d.id, d.clause, d.category, d.severity, base_types, required, Localized(d.title.zh, d.title.en))


def by_type(rule: Rule, text: Callable[[BaseType], str | None]) -> tuple[PerType, ...]:
    """The base types of a rule grouped by the text each gets, in the order of the rule file."""
    groups: dict[str | None, list[BaseType]] = {}
    for base_type in rule.params:
        groups.setdefault(text(base_type), []).append(base_type)
    return tuple(PerType(tuple(types), value) for value, types in groups.items())


# --- finding a rule ------------------------------------------------------------------------

def find_rule(ruleset: RuleSet, rule_id: str) -> Rule:
    """The rule with this id; an unknown id is a UsageError naming the nearest ids."""
    rule = ruleset.get(rule_id)
    if rule is not None:
        return rule
    ids = [r.id for r in ruleset.rules]
    near = difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.5)
    if near:
        suggested = joined(near, current_lang())
        raise UsageError(tr("未知的规则 {rule_id}；是否应为 {near}？", rule_id=rule_id, near=suggested))
    raise UsageError(tr("未知的规则 {rule_id}；运行 haizhi rules 可列出全部规则", rule_id=rule_id))


# --- what is checked -----------------------------------------------------------------------

def describe_check(rule: Rule, base_type: BaseType, lang: str, code: Callable[[str], str] = str) -> str:
    """What the rule's operator checks for this base type, in words, with its parameters filled in.

    The words are the operator's own `description`; `code` marks each key, number and code filled in (the
    reference pages set them as code).
    """
    values = _shown_params(rule.params[base_type].model_dump(), lang, code)
    parts = OPERATORS[rule.op].description
    chosen = [part.text(lang) for part in parts if _all_given(part.text(lang), values)]
    return ("；" if lang == "zh" else "; ").join(t.format(**values) for t in chosen)


def _all_given(template: str, values: Mapping[str, str]) -> bool:
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return all(values.get(name) for name in names)


def _shown_params(params: Mapping[str, Any], lang: str, code: Callable[[str], str]) -> dict[str, str]:
    return {name: _shown(name, value, lang, code) for name, value in params.items()}


def _shown(name: str, value: Any, lang: str, code: Callable[[str], str]) -> str:
    """A parameter as a description prints it: lists joined, whole numbers without .0, codes named in Chinese."""
    if isinstance(value, list):
        return joined([_shown(name, item, lang, code) for item in value], lang)
    if value is None or isinstance(value, dict):
        return ""
    if name == "otherwise":
        return label(STATUS_LABELS, Status(value), lang)
    if isinstance(value, dt.date):
        return code(value.isoformat())
    if lang == "zh" and isinstance(value, str) and value in CODE_LABELS:
        return f"{code(value)}（{CODE_LABELS[value]}）"
    return code(show(value))


def describe_missing(rule: Rule) -> str:
    """What the rule concludes when the keys it reads are absent: it is run on an empty applicant to see."""
    if on_the_day(rule):
        return tr("此规则不读取申报文件中的键，结果取决于检查的日期")
    findings = run_rule(rule, next(iter(rule.params)), Context(data={}))
    if not findings:
        return tr("未填写时没有检查结果：没有可检查的内容")
    status = findings[0].status
    shown = label(STATUS_LABELS, status, current_lang())
    if status is Status.review:
        return tr("未填写时为“{status}”：由审核人员确认", status=shown)
    return tr("未填写时为“{status}”", status=shown)


def on_the_day(rule: Rule) -> bool:
    """The rule reads no key, and an empty applicant fares differently on different days: a calendar rule."""
    base_type = next(iter(rule.params))
    if fields_read(rule, base_type):
        return False
    early, late = (run_rule(rule, base_type, Context(data={}, as_of=day)) for day in (dt.date.min, dt.date.max))
    return [f.status for f in early] != [f.status for f in late]


# --- examples ------------------------------------------------------------------------------

def yaml_line(key: str, value: Any) -> str:
    """A change `key: value` as one line of YAML; `{zh*N}` is kept and said to stand for N Han characters."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6, sort_keys=False)
    text = dumped.removesuffix("\n").removesuffix("\n...").strip()
    if isinstance(value, str) and value.startswith("{zh*") and value.endswith("}"):
        text += "  # " + tr("{count} 个汉字", count=value[4:-1])
    return f"{key}: {text}"


def example_type(rule: Rule) -> BaseType | None:
    """The first base type of the rule that has a bundled example: the one its examples change."""
    return next((t for t in rule.params if t in EXAMPLE_FOLDERS), None)


def run_example(rule: Rule, kind: ExampleKind, changes: Mapping[str, Any], as_of: dt.date,
                lang: str) -> ExampleRun | None:
    """The findings of the rule on the bundled example with the changes made (None: no example to run on)."""
    base_type = example_type(rule)
    folder = example_folder(base_type) if base_type else None
    if base_type is None or folder is None:
        return None
    lines = tuple(yaml_line(key, value) for key, value in changes.items())
    shown = f"examples/{EXAMPLE_FOLDERS[base_type]}"
    data = apply_changes(read_yaml(folder / "applicant.yaml").data, dict(changes))
    try:
        loaded = LoadedApplicant(YamlDocument(folder / "applicant.yaml", data), Applicant.model_validate(data))
    except ValidationError as exc:
        invalid = tr("示例修改后的申报数据不合格式：{error}", error=exc.errors()[0]["msg"])
        return ExampleRun(kind, base_type, shown, lines, (), invalid)
    findings = _findings(rule, loaded, as_of, lang)
    return ExampleRun(kind, base_type, shown, lines, findings, _note(kind, findings, _absent_files(loaded, lines)))


def _findings(rule: Rule, loaded: LoadedApplicant, as_of: dt.date, lang: str) -> tuple[Finding, ...]:
    """The rule run as `haizhi check` runs it; an example that changes the base type is judged as that type."""
    chosen = loaded.applicant.base_type
    base_type = chosen if chosen in rule.params else next(iter(rule.params))
    return tuple(run_rule(rule, base_type, build_context(loaded, as_of), lang))


EXPECTED: dict[ExampleKind, set[Status]] = {
    "pass": {Status.passed, Status.review},
    "fail": {Status.failed, Status.warn, Status.review},
}
"""A passing example may leave a statement for review; a failing one may turn a gap into a review."""


def _absent_files(loaded: LoadedApplicant, lines: tuple[str, ...]) -> list[str]:
    """Attachment files an example's changes name that the bundled example folder does not hold."""
    data = loaded.applicant.model_dump(mode="python")
    return [path for _, path in attachment_paths(data, ATTACHMENT_FIELDS)
            if any(path in line for line in lines) and not (loaded.path.parent / path).is_file()]


def _note(kind: ExampleKind, findings: tuple[Finding, ...], absent: list[str]) -> str | None:
    """Said when the example does not come out as its kind on the bundled example, and why if it is known."""
    if as_intended(kind, {f.status for f in findings}):
        return None
    if absent:
        return tr("内置示例中没有文件 {files}，所以此示例在内置示例上没有得到预期的结果",
                  files=joined(absent))
    return tr("此示例在内置示例上没有得到预期的结果")


def as_intended(kind: ExampleKind, statuses: set[Status]) -> bool:
    """A failing example fails (or warns, or needs review) somewhere; a passing one only passes (or needs review)."""
    if kind == "fail":
        return bool(statuses & EXPECTED["fail"])
    return bool(statuses) and statuses <= EXPECTED["pass"]


# --- explain -------------------------------------------------------------------------------

def explain(ruleset: RuleSet, rule_id: str, lang: str) -> Explanation:
    """Everything about one rule in `lang`; an unknown id raises UsageError with the nearest ids."""
    with speaking(lang):
        rule = find_rule(ruleset, rule_id)
        d = rule.definition
        examples = _examples(rule, ruleset.facts.deadline, lang)
        return Explanation(
            rule_id=d.id, lang=lang, clause=d.clause, quote=d.quote, title=getattr(d.title, lang),
            category=d.category, severity=d.severity,
            source=f"rules/{ruleset.round}/{rule.source.name}", line=rule.line,
            base_types=tuple(rule.params),
            checks=by_type(rule, lambda t: describe_check(rule, t, lang)),
            fields=_fields(rule), thresholds=by_type(rule, _threshold_of(rule, lang)),
            when_missing=describe_missing(rule), examples=examples,
            no_examples=None if examples else _no_examples(rule), data=_data(rule, ruleset),
        )


def _data(rule: Rule, ruleset: RuleSet) -> str | None:
    """The division data a rule judges by: its file, source and date; None for a rule that reads none."""
    divisions = next((d for p in rule.params.values() if (d := data_used(p)) is not None), None)
    if divisions is None:
        return None
    return tr("rules/{round}/{file}（来源：{source}；数据时间：{date}）", round=ruleset.round, file=divisions.file,
              source=divisions.source, date=divisions.data_date)


def _fields(rule: Rule) -> tuple[str, ...]:
    """The keys the rule reads for any of its base types, each once."""
    return tuple(dict.fromkeys(key for t in rule.params for key in fields_read(rule, t)))


def _examples(rule: Rule, as_of: dt.date, lang: str) -> tuple[ExampleRun, ...]:
    """The passing and the failing example run on the bundled example (the day of the check: the deadline)."""
    given = rule.definition.examples
    if given is None:
        return ()
    runs = (run_example(rule, "pass", given.passing, as_of, lang),
            run_example(rule, "fail", given.failing, as_of, lang))
    return tuple(run for run in runs if run is not None)


def _no_examples(rule: Rule) -> str:
    """Why no example is shown: the rule has none, or there is no bundled example to run it on."""
    if rule.definition.examples is not None:
        return tr("没有找到此规则所适用类型的内置示例，示例无法运行")
    if on_the_day(rule):
        return tr("此规则没有示例：它的结果只取决于检查的日期（--as-of，默认今天），与申报文件的内容无关")
    return tr("此规则没有示例")

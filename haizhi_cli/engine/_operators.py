"""The registry of check operators. A rule names one operator and gives it parameters as data.

Each operator reads plain applicant data (and facts gathered beforehand, such as which attachment
files exist) and returns one `Result` or a list of them. It never does I/O, never evaluates a
string as code and never reads the language of the process: what it words, it words in both languages
(`Localized`), and the engine picks one. Adding an operator means adding one function here with
`@operator(...)`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from haizhi_cli.applicant import NONE_MARK, count_chars, credit_code_problem
from haizhi_cli.i18n import Localized

OutcomeKind = Literal["pass", "fail", "missing", "review"]

Wording = str | Localized
"""A text for people: a `str` reads the same in every language (`>= 100`), a `Localized` differently."""


@dataclass(frozen=True)
class FileFact:
    """What is known of one attachment file, gathered before the rules run."""

    written: str
    problem: Localized | None = None
    pages: int | None = None
    warning: Localized | None = None


@dataclass(frozen=True)
class Context:
    """Everything an operator may read."""

    data: Mapping[str, Any]
    files: Mapping[str, FileFact] = dataclass_field(default_factory=dict)
    as_of: dt.date = dt.date(2023, 1, 1)


@dataclass(frozen=True)
class Result:
    """What an operator found; the engine turns it into a finding with the rule's message."""

    outcome: OutcomeKind
    actual: Any = None
    required: Wording | None = None
    field: str | None = None
    vars: Mapping[str, Any] = dataclass_field(default_factory=dict)


class Params(BaseModel):
    """An operator's parameters. Built on first use (`defer_build`): rules from the cache never validate them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


P = TypeVar("P", bound=Params)
OperatorFunc = Callable[[Context, Any], "Result | list[Result]"]


@dataclass(frozen=True)
class OperatorSpec:
    name: str
    params: type[Params]
    outcomes: frozenset[OutcomeKind]
    func: OperatorFunc
    doc: str
    optional: frozenset[OutcomeKind] = frozenset()
    """Outcomes a rule may put in the place of `fail` with the parameter `otherwise`."""

    def reachable(self, check: Mapping[str, Any]) -> frozenset[OutcomeKind]:
        """The outcomes a rule with these parameters can produce, so each needs a message."""
        other = check.get("otherwise")
        if other in self.optional:
            return (self.outcomes - {"fail"}) | {other}
        return self.outcomes


OPERATORS: dict[str, OperatorSpec] = {}


Check = Callable[[Context, P], "Result | list[Result]"]


def operator(name: str, params: type[P], outcomes: set[OutcomeKind],
             optional: set[OutcomeKind] | None = None) -> Callable[[Check[P]], Check[P]]:
    """Register a check operator under `name`, with the parameters and outcomes it has."""
    def register(func: Check[P]) -> Check[P]:
        doc = (func.__doc__ or "").strip()
        OPERATORS[name] = OperatorSpec(name, params, frozenset(outcomes), func, doc, frozenset(optional or ()))
        return func
    return register


def worded(zh: str, en: str, /, **values: object) -> Localized:
    """A message in both languages, each filled (str.format rules) with the values as that language reads them."""
    def filled(template: str, lang: str) -> str:
        return template.format(**{k: v.text(lang) if isinstance(v, Localized) else v for k, v in values.items()})
    return Localized(filled(zh, "zh"), filled(en, "en"))


LIST = Localized("、", ", ")
SEMICOLON = Localized("；", "; ")


def joined(separator: Localized, items: Iterable[Wording]) -> Localized:
    """Items joined in each language with that language's separator."""
    listed = list(items)
    zh, en = (separator.text(lang).join(text_in(item, lang) for item in listed) for lang in ("zh", "en"))
    return Localized(zh, en)


@overload
def text_in(wording: Wording, lang: str) -> str:
    ...


@overload
def text_in(wording: None, lang: str) -> None:
    ...


def text_in(wording: Wording | None, lang: str) -> str | None:
    """A wording as `lang` reads it."""
    return wording.text(lang) if isinstance(wording, Localized) else wording


def lookup(data: Mapping[str, Any], dotted_path: str) -> Any:
    """The value at `a.b.c`, or None where any part is absent."""
    current: Any = data
    for part in dotted_path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def as_number(value: Any) -> float | None:
    """Numbers as they are, 无 as 0 (the applicant has none), anything else None."""
    if value == NONE_MARK:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def show(value: Any) -> str:
    """A value as a message prints it: 350 not 350.0, 无 as “无”, dates as YYYY-MM-DD."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value == NONE_MARK:
        return "“无”"
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", NONE_MARK))


# --- numbers -------------------------------------------------------------------------------

class FieldValue(Params):
    field: str
    value: float


class FieldsValue(Params):
    fields: list[str]
    value: float


class OneField(Params):
    field: str


@operator("at_least", FieldValue, {"pass", "fail", "missing"})
def at_least(ctx: Context, p: FieldValue) -> Result:
    """The number at `field` is at least `value` (以上 and 不低于 include the number itself)."""
    raw = lookup(ctx.data, p.field)
    number = as_number(raw)
    required = f">= {show(p.value)}"
    if number is None:
        return Result("missing", None, required, p.field, {"value": show(p.value)})
    outcome: OutcomeKind = "pass" if number >= p.value else "fail"
    return Result(outcome, raw, required, p.field, {"actual": show(raw), "value": show(p.value)})


@operator("sum_at_least", FieldsValue, {"pass", "fail", "missing"})
def sum_at_least(ctx: Context, p: FieldsValue) -> Result:
    """The numbers at `fields` add up to at least `value`."""
    numbers = [as_number(lookup(ctx.data, f)) for f in p.fields]
    required = f">= {show(p.value)}"
    if any(n is None for n in numbers):
        missing = next(f for f, n in zip(p.fields, numbers, strict=True) if n is None)
        return Result("missing", None, required, missing, {"value": show(p.value), "missing": missing})
    total = sum(n for n in numbers if n is not None)
    parts = " + ".join(show(n) for n in numbers)
    outcome: OutcomeKind = "pass" if total >= p.value else "fail"
    return Result(outcome, total, required, p.fields[0],
                  {"actual": show(total), "parts": parts, "value": show(p.value)})


@operator("positive", OneField, {"pass", "fail", "missing"})
def positive(ctx: Context, p: OneField) -> Result:
    """The number at `field` is more than 0 (a 无 fails)."""
    raw = lookup(ctx.data, p.field)
    number = as_number(raw)
    if number is None:
        return Result("missing", None, "> 0", p.field)
    return Result("pass" if number > 0 else "fail", raw, "> 0", p.field, {"actual": show(raw)})


class FieldOther(Params):
    field: str
    other: str


@operator("not_greater_than_field", FieldOther, {"pass", "fail", "missing"})
def not_greater_than_field(ctx: Context, p: FieldOther) -> Result:
    """The number at `field` is not greater than the number at `other`."""
    value, other = as_number(lookup(ctx.data, p.field)), as_number(lookup(ctx.data, p.other))
    required = f"<= {p.other}"
    if value is None or other is None:
        return Result("missing", None, required, p.field)
    variables = {"actual": show(value), "other": show(other)}
    return Result("pass" if value <= other else "fail", value, required, p.field, variables)


# --- facts and choices ---------------------------------------------------------------------

@operator("is_true", OneField, {"pass", "fail"})
def is_true(ctx: Context, p: OneField) -> Result:
    """The yes/no at `field` is true."""
    value = lookup(ctx.data, p.field)
    return Result("pass" if value is True else "fail", value, Localized("是", "yes"), p.field)


@operator("statement", OneField, {"review", "missing"})
def statement(ctx: Context, p: OneField) -> Result:
    """A statement for a qualitative condition is given; a reviewer must still confirm it."""
    value = lookup(ctx.data, p.field)
    required = Localized("书面说明", "a written statement")
    if is_blank(value):
        return Result("missing", value or None, required, p.field)
    chars = count_chars(value)
    return Result("review", worded("{chars} 字", "{chars} characters", chars=chars), required, p.field,
                  {"chars": chars})


class Classify(Params):
    field: str
    named: list[str]
    possible: list[str] = []
    excluded: list[str] = []
    note_field: str | None = None
    needs_note: list[str] = []

    @model_validator(mode="after")
    def _disjoint(self) -> Classify:
        seen = [*self.named, *self.possible, *self.excluded]
        repeated = sorted({v for v in seen if seen.count(v) > 1})
        if repeated:
            raise ValueError(f"values listed twice: {', '.join(repeated)}")
        if self.needs_note and self.note_field is None:
            raise ValueError("needs_note needs a note_field")
        return self


@operator("classify", Classify, {"pass", "review", "fail", "missing"})
def classify(ctx: Context, p: Classify) -> Result:
    """A choice the clause names passes, one its 等 may cover is for review, one it rules out fails.

    A value in `needs_note` (such as `other`) is `missing` until `note_field` says what it is; a value in no
    list is for review, never passed silently.
    """
    value = lookup(ctx.data, p.field)
    note = lookup(ctx.data, p.note_field) if p.note_field else None
    required = Localized("通知所列申报对象", "a kind of applicant the notice lists")
    variables = {"actual": show(value), "note": worded("（{note}）", "({note})", note=note) if note else ""}
    if value in p.named:
        return Result("pass", value, required, p.field, variables)
    if value in p.excluded:
        return Result("fail", value, required, p.field, variables)
    if p.note_field and value in p.needs_note and is_blank(note):
        return Result("missing", value, required, p.note_field, variables)
    return Result("review", value, required, p.field, variables)


class FieldValues(Params):
    field: str
    values: list[str]


@operator("not_in", FieldValues, {"pass", "fail"})
def not_in(ctx: Context, p: FieldValues) -> Result:
    """The value at `field` is none of `values`."""
    value = lookup(ctx.data, p.field)
    outcome: OutcomeKind = "fail" if value in p.values else "pass"
    required = worded("不为 {values}", "not {values}", values=joined(LIST, p.values))
    return Result(outcome, value, required, p.field, {"actual": show(value)})


class FieldEquals(Params):
    field: str
    value: str
    labels: dict[str, str] = {}


@operator("equals", FieldEquals, {"pass", "fail", "missing"})
def equals(ctx: Context, p: FieldEquals) -> Result:
    """The value at `field` equals `value`."""
    value = lookup(ctx.data, p.field)
    if value is None:
        return Result("missing", None, p.value, p.field, {"value": p.labels.get(p.value, p.value)})
    outcome: OutcomeKind = "pass" if value == p.value else "fail"
    variables = {"actual": p.labels.get(value, show(value)), "value": p.labels.get(p.value, p.value)}
    return Result(outcome, value, p.value, p.field, variables)


class FieldCount(Params):
    field: str
    value: int


class ItemCount(FieldCount):
    distinct: str | None = None


@operator("min_items", ItemCount, {"pass", "fail"})
def min_items(ctx: Context, p: ItemCount) -> Result:
    """The list at `field` has at least `value` items (with `distinct: key`, items whose key differs)."""
    items = lookup(ctx.data, p.field) or []
    count = len({str(i.get(p.distinct)) for i in items} if p.distinct else items)
    outcome: OutcomeKind = "pass" if count >= p.value else "fail"
    return Result(outcome, count, f">= {p.value}", p.field, {"actual": count, "value": p.value})


# --- text ----------------------------------------------------------------------------------

@operator("max_chars", FieldCount, {"pass", "fail", "missing"})
def max_chars(ctx: Context, p: FieldCount) -> Result:
    """The text at `field` has at most `value` 字, counted as Word and WPS count 字数."""
    text = lookup(ctx.data, p.field)
    required = worded("<= {value} 字", "<= {value} characters", value=p.value)
    if not isinstance(text, str):
        return Result("missing", None, required, p.field, {"value": p.value})
    chars = count_chars(text)
    outcome: OutcomeKind = "pass" if chars <= p.value else "fail"
    return Result(outcome, chars, required, p.field, {"actual": chars, "value": p.value, "over": chars - p.value})


class Pattern(Params):
    field: str
    pattern: str
    example: str
    otherwise: Literal["fail", "review"] = "fail"

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        return pattern


@operator("matches", Pattern, {"pass", "fail", "missing"}, optional={"review"})
def matches(ctx: Context, p: Pattern) -> Result:
    """The text at `field` matches the regular expression `pattern` as a whole (else `otherwise`)."""
    text = lookup(ctx.data, p.field)
    required = worded("格式如 {example}", "written like {example}", example=p.example)
    if not isinstance(text, str):
        return Result("missing", None, required, p.field, {"example": p.example})
    outcome: OutcomeKind = "pass" if re.fullmatch(p.pattern, text.strip()) else p.otherwise
    return Result(outcome, text, required, p.field, {"actual": text, "example": p.example})


@operator("credit_code", OneField, {"pass", "fail", "missing"})
def credit_code(ctx: Context, p: OneField) -> Result:
    """A valid 统一社会信用代码: GB 32100-2015 check character and the GB 11714 one inside it."""
    code = lookup(ctx.data, p.field)
    if not isinstance(code, str):
        return Result("missing", None, "GB 32100-2015", p.field)
    zh, en = credit_code_problem(code.strip(), "zh"), credit_code_problem(code.strip(), "en")
    variables = {"actual": code, "problem": Localized(zh or "", en or "")}
    return Result("fail" if zh else "pass", code, "GB 32100-2015", p.field, variables)


# --- plan ----------------------------------------------------------------------------------

class FieldYears(Params):
    field: str
    years: list[int]


@operator("covers_years", FieldYears, {"pass", "fail"})
def covers_years(ctx: Context, p: FieldYears) -> Result:
    """Every item of the list at `field` (plan targets) has a value for every one of `years`."""
    targets = lookup(ctx.data, p.field) or []
    gaps = [_gap(target, p.years) for target in targets if not set(p.years) <= set(target.get("values", {}))]
    required = joined(LIST, [str(year) for year in p.years])
    variables = {"actual": len(targets), "gaps": joined(SEMICOLON, gaps), "years": required}
    outcome: OutcomeKind = "pass" if targets and not gaps else "fail"
    return Result(outcome, len(targets), required, p.field, variables)


def _gap(target: Mapping[str, Any], years: list[int]) -> Localized:
    """A plan target and the years it has no value for: `引进人才（缺 2026）`."""
    absent = [str(year) for year in years if year not in target.get("values", {})]
    return worded("{indicator}（缺 {years}）", "{indicator} (missing {years})", indicator=target.get("indicator"),
                  years=joined(LIST, absent))


# --- dates ---------------------------------------------------------------------------------

class Span(Params):
    start: str
    end: str
    days: int


@operator("span_at_least", Span, {"pass", "fail", "missing"})
def span_at_least(ctx: Context, p: Span) -> Result:
    """From the date at `start` to the date at `end`, both days counted, is at least `days` days."""
    start, end = lookup(ctx.data, p.start), lookup(ctx.data, p.end)
    required = worded(">= {days} 天", ">= {days} days", days=p.days)
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return Result("missing", None, required, p.start, {"days": p.days})
    span = (end - start).days + 1
    variables = {"actual": span, "start": start.isoformat(), "end": end.isoformat(), "days": p.days}
    return Result("pass" if span >= p.days else "fail", span, required, p.start, variables)


class FieldDate(Params):
    field: str
    value: dt.date


@operator("date_not_after", FieldDate, {"pass", "fail", "missing"})
def date_not_after(ctx: Context, p: FieldDate) -> Result:
    """The date at `field` is on or before `value`."""
    date = lookup(ctx.data, p.field)
    required = f"<= {p.value.isoformat()}"
    if not isinstance(date, dt.date):
        return Result("missing", None, required, p.field, {"value": p.value.isoformat()})
    variables = {"actual": date.isoformat(), "value": p.value.isoformat()}
    return Result("pass" if date <= p.value else "fail", date.isoformat(), required, p.field, variables)


class DatesInOrder(Params):
    fields: list[str]
    labels: list[str]

    @model_validator(mode="after")
    def _one_label_each(self) -> DatesInOrder:
        if len(self.fields) != len(self.labels) or len(self.fields) < 2:
            raise ValueError("give at least two fields and one label for each")
        return self


@operator("dates_in_order", DatesInOrder, {"pass", "fail", "missing"})
def dates_in_order(ctx: Context, p: DatesInOrder) -> Result:
    """The dates at `fields` come in that order (the same day is in order)."""
    dates = [lookup(ctx.data, f) for f in p.fields]
    absent = [label for label, d in zip(p.labels, dates, strict=True) if not isinstance(d, dt.date)]
    if absent:
        return Result("missing", None, " ≤ ".join(p.labels), p.fields[0], {"missing": joined(LIST, absent)})
    steps = list(zip(p.labels, dates, strict=True))
    wrong = [worded("{first} {first_day} 晚于 {second} {second_day}",
                    "{first} {first_day} is later than {second} {second_day}",
                    first=a, first_day=da, second=b, second_day=db)
             for (a, da), (b, db) in itertools.pairwise(steps) if da > db]
    shown = " → ".join(f"{label} {day}" for label, day in steps)
    variables = {"actual": shown, "problem": joined(SEMICOLON, wrong)}
    return Result("fail" if wrong else "pass", shown, " ≤ ".join(p.labels), p.fields[0], variables)


class DateValue(Params):
    value: dt.date


@operator("today_not_after", DateValue, {"pass", "fail"})
def today_not_after(ctx: Context, p: DateValue) -> Result:
    """The day of the check (`--as-of`, default today) is on or before `value`."""
    variables = {"actual": ctx.as_of.isoformat(), "value": p.value.isoformat()}
    outcome: OutcomeKind = "pass" if ctx.as_of <= p.value else "fail"
    return Result(outcome, ctx.as_of.isoformat(), f"<= {p.value.isoformat()}", None, variables)


@operator("present", OneField, {"pass", "missing"})
def present(ctx: Context, p: OneField) -> Result:
    """Something is recorded at `field`."""
    value = lookup(ctx.data, p.field)
    return Result("missing" if value in (None, {}, []) else "pass", None, None, p.field)


# --- attachments ---------------------------------------------------------------------------

class Files(Params):
    fields: list[str]


def attachment_paths(data: Mapping[str, Any], fields: list[str]) -> list[tuple[str, str]]:
    """(field, path) for every attachment file named at `fields` (an item, or a list of items)."""
    found: list[tuple[str, str]] = []
    for name in fields:
        value = lookup(data, name)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, Mapping) and item.get("file"):
                where = f"{name}[{index}]" if isinstance(value, list) else name
                found.append((where, str(item["file"])))
    return found


@operator("files_ok", Files, {"pass", "fail"})
def files_ok(ctx: Context, p: Files) -> list[Result]:
    """Every attachment file named at `fields` exists inside the applicant's folder and is a readable PDF."""
    results = []
    for where, path in attachment_paths(ctx.data, p.fields):
        fact = ctx.files.get(path) or FileFact(path, Localized("未检查", "not checked"))
        variables = {"file": path, "problem": fact.problem or "", "pages": fact.pages or 0}
        outcome: OutcomeKind = "fail" if fact.problem else "pass"
        results.append(Result(outcome, path, "PDF", where, variables))
    return results


@operator("files_page_size", Files, {"pass", "fail"})
def files_page_size(ctx: Context, p: Files) -> list[Result]:
    """Every readable attachment named at `fields` has A4 pages (unreadable ones are `files_ok`'s to report)."""
    results = []
    for where, path in attachment_paths(ctx.data, p.fields):
        fact = ctx.files.get(path)
        if fact is None or fact.problem is not None:
            continue
        variables = {"file": path, "problem": fact.warning or "", "pages": fact.pages or 0}
        results.append(Result("fail" if fact.warning else "pass", path, "A4", where, variables))
    return results


# --- template placeholders -----------------------------------------------------------------

class Placeholder(Params):
    marker: str
    day: dt.date | None = None

    @field_validator("marker")
    @classmethod
    def _not_blank(cls, marker: str) -> str:
        if not marker.strip():
            raise ValueError("marker must not be blank")
        return marker


@operator("no_placeholder", Placeholder, {"pass", "fail"})
def no_placeholder(ctx: Context, p: Placeholder) -> Result:
    """No text holds `marker` and no date is `day`: what `haizhi init` writes where a fact is still due."""
    found = list(_placeholders(ctx.data, p, ""))
    day = p.day.isoformat() if p.day else ""
    variables = {"fields": "、".join(found), "count": len(found), "marker": p.marker, "day": day}
    outcome: OutcomeKind = "fail" if found else "pass"
    required = worded("不含“{marker}”", "no “{marker}” left", marker=p.marker)
    return Result(outcome, len(found), required, found[0] if found else None, variables)


def _placeholders(value: Any, p: Placeholder, path: str) -> Iterator[str]:
    """The key paths (`plan.targets[0].unit`) of the values still holding a placeholder, in the order of the format."""
    if isinstance(value, str):  # most values: tested first, before the slower Mapping check
        if p.marker in value:
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _placeholders(item, p, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, p, f"{path}[{index}]")
    elif p.day is not None and value == p.day:
        yield path

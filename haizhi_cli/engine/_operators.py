"""The registry of check operators. A rule names one operator and gives it parameters as data.

Each operator reads plain applicant data (and facts gathered beforehand, such as which attachment
files exist) and returns one `Result` or a list of them. It never does I/O, never evaluates a
string as code and never reads the language of the process: what it words, it words in both languages
(`Localized`), and the engine picks one. Adding an operator means adding one function here with
`@operator(...)`, which also says what the operator checks (`description`, for `haizhi explain` and the rule
pages) and what a rule with given parameters demands (`requirement`, the threshold of `haizhi rules`).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from haizhi_cli.applicant import NONE_MARK, count_chars, credit_code_problem, credit_code_problem_kind
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
    resolved: str | None = dataclass_field(default=None, compare=False)
    """The path relative to the applicant's folder once `./`, `..` and links are resolved (`a.pdf` for
    `./a.pdf`); None when it leaves the folder. Not compared: it identifies the file, it says nothing of it."""
    digest: str | None = dataclass_field(default=None, compare=False)
    """The SHA-256 of the file's bytes, for telling a copy under another name; None when it was not read."""
    identity: tuple[int, int] | None = dataclass_field(default=None, compare=False)
    """The file's (device, inode) when it was probed: the build copies that very file or none."""
    size: int | None = dataclass_field(default=None, compare=False)
    """Its size in bytes when it was probed: only files of one size can be copies of each other."""


@dataclass(frozen=True)
class Context:
    """Everything an operator may read."""

    data: Mapping[str, Any]
    files: Mapping[str, FileFact] = dataclass_field(default_factory=dict)
    as_of: dt.date = dt.date(2023, 1, 1)
    line_of: Callable[[str], int | None] = lambda _: None
    """The line of a key in the applicant file (None when unknown), for a finding that names a second key: the
    engine places each finding at the line of its own key only."""


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
Requirement = Callable[[Any], Wording | None]


@dataclass(frozen=True)
class OperatorSpec:
    """A registered operator: its parameters and outcomes, the check itself, and how it describes itself."""

    name: str
    params: type[Params]
    outcomes: frozenset[OutcomeKind]
    func: OperatorFunc
    description: tuple[Localized, ...]
    """What the operator checks, in sentence parts naming parameters as `{field}`; a part whose parameters are
    empty in a rule is left out of its description (the explaining stage fills them in)."""
    requirement: Requirement
    """What a rule with these parameters demands (`>= 100`, `<= 400 字`), from the parameters alone; None when
    it states no threshold of its own."""
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


def operator(name: str, params: type[P], outcomes: set[OutcomeKind], *,
             description: Localized | tuple[Localized, ...], requirement: Callable[[P], Wording | None],
             optional: set[OutcomeKind] | None = None) -> Callable[[Check[P]], Check[P]]:
    """Register a check operator under `name`, with its parameters and outcomes, what it checks in words
    (one sentence, or parts of one) and what a rule with given parameters demands."""
    parts = description if isinstance(description, tuple) else (description,)

    def register(func: Check[P]) -> Check[P]:
        OPERATORS[name] = OperatorSpec(name, params, frozenset(outcomes), func, parts, requirement,
                                       frozenset(optional or ()))
        return func
    return register


def always(wording: Wording | None) -> Callable[[Params], Wording | None]:
    """The requirement of an operator that demands the same whatever its parameters say."""
    return lambda _: wording


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
    for part in _parts(dotted_path):
        if not isinstance(current, (dict, Mapping)):  # dict first: the ABC check is slow
            return None
        current = current.get(part)
    return current


@functools.lru_cache(maxsize=1024)
def _parts(dotted_path: str) -> tuple[str, ...]:
    return tuple(dotted_path.split("."))


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


def number_at_least(p: FieldValue | FieldsValue) -> str:
    return f">= {show(p.value)}"


@operator("at_least", FieldValue, {"pass", "fail", "missing"}, requirement=number_at_least,
          description=Localized("{field} 不低于 {value}（“以上”“不低于”含本数）", "{field} is at least {value}"))
def at_least(ctx: Context, p: FieldValue) -> Result:
    """The number at `field` is at least `value` (以上 and 不低于 include the number itself)."""
    raw = lookup(ctx.data, p.field)
    number = as_number(raw)
    required = number_at_least(p)
    if number is None:
        return Result("missing", None, required, p.field, {"value": show(p.value)})
    outcome: OutcomeKind = "pass" if number >= p.value else "fail"
    return Result(outcome, raw, required, p.field, {"actual": show(raw), "value": show(p.value)})


@operator("sum_at_least", FieldsValue, {"pass", "fail", "missing"}, requirement=number_at_least,
          description=Localized("{fields} 之和不低于 {value}", "{fields} add up to at least {value}"))
def sum_at_least(ctx: Context, p: FieldsValue) -> Result:
    """The numbers at `fields` add up to at least `value`."""
    numbers = [as_number(lookup(ctx.data, f)) for f in p.fields]
    required = number_at_least(p)
    if any(n is None for n in numbers):
        missing = next(f for f, n in zip(p.fields, numbers, strict=True) if n is None)
        return Result("missing", None, required, missing, {"value": show(p.value), "missing": missing})
    total = sum(n for n in numbers if n is not None)
    parts = " + ".join(show(n) for n in numbers)
    outcome: OutcomeKind = "pass" if total >= p.value else "fail"
    return Result(outcome, total, required, p.fields[0],
                  {"actual": show(total), "parts": parts, "value": show(p.value)})


MORE_THAN_ZERO = "> 0"


@operator("positive", OneField, {"pass", "fail", "missing"}, requirement=always(MORE_THAN_ZERO),
          description=Localized("{field} 大于 0（填“无”不通过）", "{field} is more than 0 (无 fails)"))
def positive(ctx: Context, p: OneField) -> Result:
    """The number at `field` is more than 0 (a 无 fails)."""
    raw = lookup(ctx.data, p.field)
    number = as_number(raw)
    if number is None:
        return Result("missing", None, MORE_THAN_ZERO, p.field)
    return Result("pass" if number > 0 else "fail", raw, MORE_THAN_ZERO, p.field, {"actual": show(raw)})


class FieldOther(Params):
    field: str
    other: str
    distinct: str | None = None


def not_above_other(p: FieldOther) -> str:
    return f"<= {p.other}"


@operator("not_greater_than_field", FieldOther, {"pass", "fail", "missing"}, requirement=not_above_other,
          description=(
              Localized("{field} 不大于 {other}", "{field} is not greater than {other}"),
              Localized("{field} 为列表时按项数计，{distinct} 相同的只计一次",
                        "a list at {field} counts its items, those with the same {distinct} once"),
          ))
def not_greater_than_field(ctx: Context, p: FieldOther) -> Result:
    """The number at `field` is not greater than the number at `other`; a list at `field` counts its items.

    The message may name both keys with their lines (`{at}`, `{other_at}`): the finding itself is placed
    at the line of `field` only.
    """
    value, other = _count_or_number(lookup(ctx.data, p.field), p.distinct), as_number(lookup(ctx.data, p.other))
    required = not_above_other(p)
    places = {"at": _key_at(ctx, p.field), "other_at": _key_at(ctx, p.other)}
    if value is None or other is None:
        return Result("missing", None, required, p.field, places)
    variables = {"actual": show(value), "other": show(other), **places}
    return Result("pass" if value <= other else "fail", value, required, p.field, variables)


def _count_or_number(value: Any, distinct: str | None) -> float | None:
    """A list as its number of items (with `distinct`, items whose key differs); anything else as a number."""
    if not isinstance(value, list):
        return as_number(value)
    if distinct is None:
        return len(value)
    return len({str(item.get(distinct)) if isinstance(item, Mapping) else str(item) for item in value})


def _key_at(ctx: Context, key: str) -> Localized:
    """A key and its line in the applicant file, `base.overseas_partners，第 32 行`; the key alone where the line
    is unknown."""
    line = ctx.line_of(key)
    if line is None:
        return Localized(key, key)
    return worded("{key}，第 {line} 行", "{key}, line {line}", key=key, line=line)


# --- facts and choices ---------------------------------------------------------------------

YES = Localized("是", "yes")


@operator("is_true", OneField, {"pass", "fail"}, requirement=always(YES),
          description=Localized("{field} 为“是”（true）", "{field} is true"))
def is_true(ctx: Context, p: OneField) -> Result:
    """The yes/no at `field` is true."""
    value = lookup(ctx.data, p.field)
    return Result("pass" if value is True else "fail", value, YES, p.field)


A_STATEMENT = Localized("书面说明", "a written statement")


@operator("statement", OneField, {"review", "missing"}, requirement=always(A_STATEMENT), description=Localized(
    "{field} 写有书面说明；程序只核对是否填写，说明的内容须由审核人员确认",
    "{field} holds a written statement; the program checks only that it is there, a reviewer confirms it"))
def statement(ctx: Context, p: OneField) -> Result:
    """A statement for a qualitative condition is given; a reviewer must still confirm it."""
    value = lookup(ctx.data, p.field)
    if is_blank(value):
        return Result("missing", value or None, A_STATEMENT, p.field)
    chars = count_chars(value)
    return Result("review", worded("{chars} 字", "{chars} characters", chars=chars), A_STATEMENT, p.field,
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


A_LISTED_KIND = Localized("通知所列申报对象", "a kind of applicant the notice lists")


@operator("classify", Classify, {"pass", "review", "fail", "missing"}, requirement=always(A_LISTED_KIND),
          description=(
              Localized("{field} 为通知列明的 {named} 之一时通过",
                        "{field} passes when it is one the clause names: {named}"),
              Localized("为 {possible} 时须审核确认是否属于“等”所涵盖的范围",
                        "{possible} is for a reviewer to confirm the clause's 等 covers it"),
              Localized("为 {excluded} 时不通过", "{excluded} fails"),
              Localized("为 {needs_note} 时须在 {note_field} 中说明是何种单位",
                        "{needs_note} needs {note_field} to say what it is"),
          ))
def classify(ctx: Context, p: Classify) -> Result:
    """A choice the clause names passes, one its 等 may cover is for review, one it rules out fails.

    A value in `needs_note` (such as `other`) is `missing` until `note_field` says what it is; a value in no
    list is for review, never passed silently.
    """
    value = lookup(ctx.data, p.field)
    note = lookup(ctx.data, p.note_field) if p.note_field else None
    required = A_LISTED_KIND
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


def none_of(p: FieldValues) -> Localized:
    return worded("不为 {values}", "not {values}", values=joined(LIST, p.values))


@operator("not_in", FieldValues, {"pass", "fail"}, requirement=none_of,
          description=Localized("{field} 不为 {values}", "{field} is none of {values}"))
def not_in(ctx: Context, p: FieldValues) -> Result:
    """The value at `field` is none of `values`."""
    value = lookup(ctx.data, p.field)
    outcome: OutcomeKind = "fail" if value in p.values else "pass"
    return Result(outcome, value, none_of(p), p.field, {"actual": show(value)})


class FieldEquals(Params):
    field: str
    value: str
    labels: dict[str, str] = {}


def the_value(p: FieldEquals) -> str:
    return p.value


@operator("equals", FieldEquals, {"pass", "fail", "missing"}, requirement=the_value,
          description=Localized("{field} 为 {value}", "{field} is {value}"))
def equals(ctx: Context, p: FieldEquals) -> Result:
    """The value at `field` equals `value`."""
    value = lookup(ctx.data, p.field)
    if value is None:
        return Result("missing", None, the_value(p), p.field, {"value": p.labels.get(p.value, p.value)})
    outcome: OutcomeKind = "pass" if value == p.value else "fail"
    variables = {"actual": p.labels.get(value, show(value)), "value": p.labels.get(p.value, p.value)}
    return Result(outcome, value, the_value(p), p.field, variables)


class FieldCount(Params):
    field: str
    value: int


class ItemCount(FieldCount):
    distinct: str | None = None


def count_at_least(p: ItemCount) -> str:
    return f">= {p.value}"


@operator("min_items", ItemCount, {"pass", "fail"}, requirement=count_at_least, description=(
    Localized("{field} 至少有 {value} 项", "{field} has at least {value} items"),
    Localized("按 {distinct} 计，相同的只计一次", "items with the same {distinct} count once"),
))
def min_items(ctx: Context, p: ItemCount) -> Result:
    """The list at `field` has at least `value` items (with `distinct: key`, items whose key differs)."""
    items = lookup(ctx.data, p.field) or []
    count = len({str(i.get(p.distinct)) for i in items} if p.distinct else items)
    outcome: OutcomeKind = "pass" if count >= p.value else "fail"
    return Result(outcome, count, count_at_least(p), p.field, {"actual": count, "value": p.value})


# --- text ----------------------------------------------------------------------------------

def chars_at_most(p: FieldCount) -> Localized:
    return worded("<= {value} 字", "<= {value} characters", value=p.value)


@operator("max_chars", FieldCount, {"pass", "fail", "missing"}, requirement=chars_at_most, description=Localized(
    "{field} 不超过 {value} 字（按 Word、WPS 的字数统计；“以内”含本数）",
    "{field} has at most {value} characters, counted as Word and WPS count 字数"))
def max_chars(ctx: Context, p: FieldCount) -> Result:
    """The text at `field` has at most `value` 字, counted as Word and WPS count 字数."""
    text = lookup(ctx.data, p.field)
    required = chars_at_most(p)
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


def written_like(p: Pattern) -> Localized:
    return worded("格式如 {example}", "written like {example}", example=p.example)


@operator("matches", Pattern, {"pass", "fail", "missing"}, optional={"review"}, requirement=written_like,
          description=(
              Localized("{field} 整体符合正则表达式 {pattern}（格式如 {example}）",
                        "{field} matches the regular expression {pattern} as a whole (like {example})"),
              Localized("不符合时为“{otherwise}”", "otherwise the finding is {otherwise}"),
          ))
def matches(ctx: Context, p: Pattern) -> Result:
    """The text at `field` matches the regular expression `pattern` as a whole (else `otherwise`)."""
    text = lookup(ctx.data, p.field)
    required = written_like(p)
    if not isinstance(text, str):
        return Result("missing", None, required, p.field, {"example": p.example})
    outcome: OutcomeKind = "pass" if re.fullmatch(p.pattern, text.strip()) else p.otherwise
    return Result(outcome, text, required, p.field, {"actual": text, "example": p.example})


CREDIT_CODE_STANDARD = "GB 32100-2015"


CREDIT_CODE_KINDS = {
    "format": Localized("不合 GB 32100-2015 的 18 位格式，通知本身未规定其格式",
                        "it does not fit the 18-character format of GB 32100-2015; the notice sets no format"),
    "check": Localized("格式无误而校验码不符，多半是某一位抄错了",
                       "well-formed but a check character is wrong, most likely one character mistyped"),
}


@operator("credit_code", OneField, {"pass", "fail", "missing"}, requirement=always(CREDIT_CODE_STANDARD),
          description=Localized(
              "{field} 是有效的统一社会信用代码（GB 32100-2015 的校验码，及其中 GB 11714 组织机构代码的校验码）",
              "{field} is a valid unified social credit code (the GB 32100-2015 check character and the GB 11714 "
              "one inside it)"))
def credit_code(ctx: Context, p: OneField) -> Result:
    """A valid 统一社会信用代码: GB 32100-2015 check character and the GB 11714 one inside it.

    `{kind}` says whether the format is wrong or only a check character (a likely typo).
    """
    code = lookup(ctx.data, p.field)
    if not isinstance(code, str):
        return Result("missing", None, CREDIT_CODE_STANDARD, p.field)
    zh, en = credit_code_problem(code.strip(), "zh"), credit_code_problem(code.strip(), "en")
    kind = credit_code_problem_kind(code.strip())
    variables = {"actual": code, "problem": Localized(zh or "", en or ""),
                 "kind": CREDIT_CODE_KINDS[kind] if kind else ""}
    return Result("fail" if zh else "pass", code, CREDIT_CODE_STANDARD, p.field, variables)


# --- plan ----------------------------------------------------------------------------------

class FieldYears(Params):
    field: str
    years: list[int]


def every_year(p: FieldYears) -> Localized:
    return joined(LIST, [str(year) for year in p.years])


@operator("covers_years", FieldYears, {"pass", "fail"}, requirement=every_year,
          description=Localized("{field} 的每一项目标都填有 {years} 各年度的数值",
                                "every target at {field} has a value for each of {years}"))
def covers_years(ctx: Context, p: FieldYears) -> Result:
    """Every item of the list at `field` (plan targets) has a value for every one of `years`."""
    targets = lookup(ctx.data, p.field) or []
    gaps = [_gap(target, p.years) for target in targets if not set(p.years) <= set(target.get("values", {}))]
    required = every_year(p)
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


def days_at_least(p: Span) -> Localized:
    return worded(">= {days} 天", ">= {days} days", days=p.days)


@operator("span_at_least", Span, {"pass", "fail", "missing"}, requirement=days_at_least,
          description=Localized("从 {start} 到 {end} 共不少于 {days} 天（首尾两日都计入）",
                                "from {start} to {end}, both days counted, is at least {days} days"))
def span_at_least(ctx: Context, p: Span) -> Result:
    """From the date at `start` to the date at `end`, both days counted, is at least `days` days."""
    start, end = lookup(ctx.data, p.start), lookup(ctx.data, p.end)
    required = days_at_least(p)
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return Result("missing", None, required, p.start, {"days": p.days})
    span = (end - start).days + 1
    variables = {"actual": span, "start": start.isoformat(), "end": end.isoformat(), "days": p.days}
    return Result("pass" if span >= p.days else "fail", span, required, p.start, variables)


class FieldDate(Params):
    field: str
    value: dt.date


def on_or_before(p: FieldDate | DateValue) -> str:
    return f"<= {p.value.isoformat()}"


@operator("date_not_after", FieldDate, {"pass", "fail", "missing"}, requirement=on_or_before,
          description=Localized("{field} 不晚于 {value}", "{field} is on or before {value}"))
def date_not_after(ctx: Context, p: FieldDate) -> Result:
    """The date at `field` is on or before `value`."""
    date = lookup(ctx.data, p.field)
    required = on_or_before(p)
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


def in_order(p: DatesInOrder) -> str:
    return " ≤ ".join(p.labels)


@operator("dates_in_order", DatesInOrder, {"pass", "fail", "missing"}, requirement=in_order,
          description=Localized("日期 {fields}（{labels}）依次不倒序，同一天视为有序",
                                "the dates {fields} ({labels}) come in that order; the same day is in order"))
def dates_in_order(ctx: Context, p: DatesInOrder) -> Result:
    """The dates at `fields` come in that order (the same day is in order)."""
    dates = [lookup(ctx.data, f) for f in p.fields]
    absent = [label for label, d in zip(p.labels, dates, strict=True) if not isinstance(d, dt.date)]
    if absent:
        return Result("missing", None, in_order(p), p.fields[0], {"missing": joined(LIST, absent)})
    steps = list(zip(p.labels, dates, strict=True))
    wrong = [worded("{first} {first_day} 晚于 {second} {second_day}",
                    "{first} {first_day} is later than {second} {second_day}",
                    first=a, first_day=da, second=b, second_day=db)
             for (a, da), (b, db) in itertools.pairwise(steps) if da > db]
    shown = " → ".join(f"{label} {day}" for label, day in steps)
    variables = {"actual": shown, "problem": joined(SEMICOLON, wrong)}
    return Result("fail" if wrong else "pass", shown, in_order(p), p.fields[0], variables)


class DateValue(Params):
    value: dt.date


@operator("today_not_after", DateValue, {"pass", "fail"}, requirement=on_or_before,
          description=Localized("检查当天（--as-of，默认今天）不晚于 {value}",
                                "the day of the check (--as-of, default today) is on or before {value}"))
def today_not_after(ctx: Context, p: DateValue) -> Result:
    """The day of the check (`--as-of`, default today) is on or before `value`."""
    variables = {"actual": ctx.as_of.isoformat(), "value": p.value.isoformat()}
    outcome: OutcomeKind = "pass" if ctx.as_of <= p.value else "fail"
    return Result(outcome, ctx.as_of.isoformat(), on_or_before(p), None, variables)


@operator("present", OneField, {"pass", "missing"}, requirement=always(None),
          description=Localized("{field} 已填写", "something is recorded at {field}"))
def present(ctx: Context, p: OneField) -> Result:
    """Something is recorded at `field`."""
    value = lookup(ctx.data, p.field)
    return Result("missing" if value in (None, {}, []) else "pass", None, None, p.field)


# --- attachments ---------------------------------------------------------------------------
# A rule over files demands something of each file it names (PDF, A4), which each file's finding says; the
# rule itself states no threshold: the catalogue shows none.

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


@operator("files_ok", Files, {"pass", "fail"}, requirement=always(None), description=Localized(
    "{fields} 列出的每个附件文件都在申报文件所在文件夹内，且是可读的 PDF",
    "every attachment file named at {fields} is inside the applicant's folder and is a readable PDF"))
def files_ok(ctx: Context, p: Files) -> list[Result]:
    """Every attachment file named at `fields` exists inside the applicant's folder and is a readable PDF."""
    results = []
    for where, path in attachment_paths(ctx.data, p.fields):
        fact = ctx.files.get(path) or FileFact(path, Localized("未检查", "not checked"))
        variables = {"file": path, "problem": fact.problem or "", "pages": fact.pages or 0}
        outcome: OutcomeKind = "fail" if fact.problem else "pass"
        results.append(Result(outcome, path, "PDF", where, variables))
    return results


@operator("files_page_size", Files, {"pass", "fail"}, requirement=always(None), description=Localized(
    "{fields} 列出的每个可读附件都是 A4 纸张（无法读取的附件由附件文件一项报告）",
    "every readable attachment named at {fields} has A4 pages (unreadable ones are reported by the attachment "
    "files rule)"))
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


def marker_gone(p: Placeholder) -> Localized:
    return worded("不含“{marker}”", "no “{marker}” left", marker=p.marker)


@operator("no_placeholder", Placeholder, {"pass", "fail"}, requirement=marker_gone, description=(
    Localized("申报文件中的文字都不含模板占位内容“{marker}”",
              "no text of the applicant file holds the template placeholder “{marker}”"),
    Localized("日期都不是 {day}", "no date is {day}"),
))
def no_placeholder(ctx: Context, p: Placeholder) -> Result:
    """No text holds `marker` and no date is `day`: what `haizhi init` writes where a fact is still due."""
    found = list(_placeholders(ctx.data, p, ""))
    day = p.day.isoformat() if p.day else ""
    variables = {"fields": "、".join(found), "count": len(found), "marker": p.marker, "day": day}
    outcome: OutcomeKind = "fail" if found else "pass"
    return Result(outcome, len(found), marker_gone(p), found[0] if found else None, variables)


def _placeholders(value: Any, p: Placeholder, path: str) -> Iterator[str]:
    """The key paths (`plan.targets[0].unit`) of the values still holding a placeholder, in the order of the format."""
    if isinstance(value, str):  # most values: tested first, before the slower Mapping check
        if p.marker in value:
            yield path
    elif isinstance(value, (dict, Mapping)):  # dict first: the ABC check is slow
        for key, item in value.items():
            yield from _placeholders(item, p, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, p, f"{path}[{index}]")
    elif p.day is not None and value == p.day:
        yield path

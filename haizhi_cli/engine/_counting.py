"""Operators that count or compare what the notice asks for in kind rather than by a threshold of one figure.

Distinct partners (申报表七5), a figure in the 预期目标 (申报表四), a note that contradicts the kind of applicant,
the outcome and the end of the 公示 (二（二）（3）), and two funds that must not include each other (填表说明三).
Registered with the same `@operator` decorator as the operators of `_operators`; like them, they do no I/O: the
attachment stage has already resolved each file's path and hashed its bytes (`FileFact.resolved`, `.digest`).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import field_validator

from haizhi_cli.applicant import CODE_LABELS
from haizhi_cli.engine._operators import (
    LIST,
    SEMICOLON,
    Context,
    FieldValue,
    OneField,
    OutcomeKind,
    Params,
    Result,
    always,
    as_number,
    is_blank,
    joined,
    lookup,
    number_at_least,
    operator,
    show,
    worded,
)
from haizhi_cli.i18n import Localized

# --- distinct partners ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One item of a list of attachments, with what tells it apart from the others."""

    where: str
    file: str
    path: str
    digest: str | None
    title: str | None


def normalised_title(title: Any) -> str | None:
    """A title as compared: full-width forms made half-width (NFKC), all whitespace dropped, letters folded.

    `与 ＡＢＣ 协会合作协议` and `与ABC协会合作协议` are one title; None for an entry without a title.
    """
    if not isinstance(title, str) or not title.strip():
        return None
    return "".join(unicodedata.normalize("NFKC", title).split()).casefold()


def partner_entries(ctx: Context, field: str) -> list[Entry]:
    """The entries of the list at `field`, each with its resolved path, the digest of its bytes and its title."""
    entries = []
    for index, item in enumerate(lookup(ctx.data, field) or []):
        if not isinstance(item, Mapping) or not item.get("file"):
            continue
        file = str(item["file"])
        fact = ctx.files.get(file)
        path = (fact.resolved if fact else None) or posixpath.normpath(file)
        entries.append(Entry(f"{field}[{index}]", file, path, fact.digest if fact else None,
                             normalised_title(item.get("title"))))
    return entries


class Groups:
    """Entries merged into groups (union-find), remembering why each pair was merged."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def merge(self, first: int, second: int) -> bool:
        """Put two entries in one group; False when they already were."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return False
        self.parent[max(a, b)] = min(a, b)
        return True

    def count(self) -> int:
        return len({self.find(i) for i in range(len(self.parent))})


SAME_FILE = Localized("为同一文件", "are the same file")
SAME_CONTENT = Localized("内容完全相同", "have identical content")
SAME_TITLE = Localized("标题相同（按去空格、全半角统一后比较）",
                       "have the same title (compared without spaces, full- and half-width alike)")


def _by_key(entries: Sequence[Entry], key: str) -> dict[str, list[int]]:
    """The indexes of the entries sharing each value of `key` (entries without one left out)."""
    shared: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        value = getattr(entry, key)
        if value is not None:
            shared.setdefault(value, []).append(index)
    return shared


def _merge_by(groups: Groups, entries: Sequence[Entry], key: str, reason: Localized) -> list[Localized]:
    """Merge the entries sharing `key`; one wording per set of entries that were counted as one."""
    merged = []
    for indexes in _by_key(entries, key).values():
        joined_now = [groups.merge(indexes[0], other) for other in indexes[1:]]
        if any(joined_now):
            merged.append(_duplicate(entries, indexes, reason))
    return merged


def _duplicate(entries: Sequence[Entry], indexes: list[int], reason: Localized) -> Localized:
    """`attachments.partner_agreements[0]（a.pdf）、[1]（./a.pdf）为同一文件`."""
    named = joined(LIST, [worded("{where}（{file}）", "{where} ({file})", where=entries[i].where,
                                 file=entries[i].file) for i in indexes])
    return worded("{named}{reason}", "{named} {reason}", named=named, reason=reason)


@dataclass(frozen=True)
class PartnerCount:
    """How many distinct partners the entries show: `by_file` counts entries with the same path or the same
    bytes once; `by_title` further counts entries with the same title once."""

    entries: int
    by_file: int
    by_title: int
    merged: list[Localized]
    """Entries counted as one because they are one file (the same path or identical content)."""
    alike: list[Localized]
    """Entries with one title but different files: one partner or several, a person must say."""


def count_partners(entries: Sequence[Entry]) -> PartnerCount:
    groups = Groups(len(entries))
    merged = _merge_by(groups, entries, "path", SAME_FILE) + _merge_by(groups, entries, "digest", SAME_CONTENT)
    by_file = groups.count()
    alike = _merge_by(groups, entries, "title", SAME_TITLE)
    return PartnerCount(len(entries), by_file, groups.count(), merged, alike)


def _counted_once(wordings: list[Localized]) -> Localized | str:
    """`；只计一次的：…` naming the entries counted as one and why, or nothing when there are none."""
    if not wordings:
        return ""
    return worded("；只计一次的：{listed}", "; counted once: {listed}", listed=joined(SEMICOLON, wordings))


@operator("distinct_partners", FieldValue, {"pass", "fail", "review"}, requirement=number_at_least,
          description=(
              Localized("{field} 中不同的合作机构不少于 {value} 家：同一文件（路径相同或内容完全相同）只计一次，"
                        "标题相同（去空格、全半角统一后）的只计一次；没有标题的条目按文件计",
                        "{field} shows at least {value} distinct partners: entries with the same file (the same "
                        "path or identical bytes) count once, and so do entries with the same title (ignoring "
                        "spaces and full- or half-width forms); an entry without a title counts by its file"),
              Localized("标题相同而文件不同、是否为同一机构决定能否达到 {value} 家时，须审核确认",
                        "when entries with one title but different files decide whether {value} is reached, "
                        "a reviewer must say whether they are one partner"),
          ))
def distinct_partners(ctx: Context, p: FieldValue) -> Result:
    """At least `value` distinct partners among the attachments at `field`.

    Two entries are one partner when they name the same file (after resolving the path), when their files
    have identical bytes, or when their titles are the same. Entries whose titles are alike but whose files
    differ may be one partner (two documents of one partnership) or two: when that decides the threshold it
    is for review; otherwise the count stands and the message names them.
    """
    counted = count_partners(partner_entries(ctx, p.field))
    required = number_at_least(p)
    outcome: OutcomeKind = "pass"
    if counted.by_title < p.value:
        outcome = "fail" if counted.by_file < p.value else "review"
    actual = counted.by_file if outcome == "fail" else counted.by_title
    variables = {"actual": actual, "value": show(p.value), "entries": counted.entries,
                 "by_file": counted.by_file, "by_title": counted.by_title,
                 "same_file": _counted_once(counted.merged), "alike": joined(SEMICOLON, counted.alike),
                 "duplicates": _counted_once(counted.merged + counted.alike)}
    return Result(outcome, actual, required, p.field, variables)


# --- a figure in a text --------------------------------------------------------------------

_COUNTER = "个|家|人|名|位|项|场|次|所|座|条|套|支|倍|番|件|篇|期|届|元|平方米|平米|亩"
QUANTITY = re.compile(
    rf"(?:\d+(?:[.,]\d+)*|(?<!第)[零〇一二两三四五六七八九十百千]+)[万亿]?[余多]?(?:[万亿]|{_COUNTER}|%|％)"
    r"|百分之[零〇一二两三四五六七八九十百]+"
)
"""A quantity with its counter or unit: 900人, 五十人, 三个, 翻一番, 30%, 百分之十. Not an ordinal (第一个) and not
a span of time (三年): 未来三年 states no target."""

DIGIT = re.compile(r"\d+(?:[.,]\d+)*")
"""Any figure written in digits (full-width ones too): the form's 定量目标 are mostly written so."""


def figure_in(text: str) -> str | None:
    """The first quantity in `text`, else the first figure in digits, else None."""
    found = QUANTITY.search(text) or DIGIT.search(text)
    return found.group() if found else None


A_FIGURE = Localized("含定量目标", "a quantified target")


@operator("has_figure", OneField, {"pass", "review", "missing"}, requirement=always(A_FIGURE),
          description=Localized("{field} 含有数字或中文数量（如“五十人”“三个”），否则须审核是否写有定量目标",
                                "{field} holds a figure or a Chinese quantity (五十人, 三个); otherwise a reviewer "
                                "checks that it states a quantified target"))
def has_figure(ctx: Context, p: OneField) -> Result:
    """The text at `field` holds a figure: a digit, or a Chinese numeral with its counter."""
    text = lookup(ctx.data, p.field)
    if is_blank(text):
        return Result("missing", None, A_FIGURE, p.field)
    figure = figure_in(text)
    if figure is None:
        return Result("review", None, A_FIGURE, p.field)
    return Result("pass", figure, A_FIGURE, p.field, {"actual": figure})


# --- a note that contradicts the kind ------------------------------------------------------

class KindNote(Params):
    field: str
    note_field: str
    kinds: list[str]
    contradicting: list[str]

    @field_validator("contradicting")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return patterns


A_NOTE_THAT_AGREES = Localized("说明与类别一致", "a note that agrees with the kind")


@operator("note_agrees_with_kind", KindNote, {"pass", "review"}, requirement=always(A_NOTE_THAT_AGREES),
          description=(
              Localized("{field} 为 {kinds} 之一时，{note_field} 不得含有与之矛盾的说法（{contradicting}），"
                        "否则须审核确认", "when {field} is one of {kinds}, {note_field} must not say the "
                        "contrary ({contradicting}); if it does, a reviewer decides"),
          ))
def note_agrees_with_kind(ctx: Context, p: KindNote) -> Result:
    """A note that says the applicant is 省级 or 非国家级 while its kind is a national-level one is for review."""
    kind, note = lookup(ctx.data, p.field), lookup(ctx.data, p.note_field)
    variables = {"actual": show(kind), "note": note or ""}
    if kind not in p.kinds or is_blank(note):
        return Result("pass", kind, A_NOTE_THAT_AGREES, p.field, variables)
    said = next((found.group() for pattern in p.contradicting if (found := re.search(pattern, note))), None)
    if said is None:
        return Result("pass", kind, A_NOTE_THAT_AGREES, p.field, variables)
    return Result("review", kind, A_NOTE_THAT_AGREES, p.note_field, {**variables, "said": said})


# --- the 公示 ------------------------------------------------------------------------------

class Outcomes(Params):
    field: str
    passing: list[str]
    failing: list[str]


def one_of_passing(p: Outcomes) -> Localized:
    """`公示无异议、公示有异议，已处理完毕` in Chinese, the codes in English."""
    return joined(LIST, [Localized(CODE_LABELS.get(code, code), code) for code in p.passing])


@operator("recorded_outcome", Outcomes, {"pass", "fail", "missing"}, requirement=one_of_passing,
          description=Localized("{field} 为 {passing} 之一时通过，为 {failing} 时不通过",
                                "{field} passes when it is one of {passing} and fails when it is {failing}"))
def recorded_outcome(ctx: Context, p: Outcomes) -> Result:
    """The outcome recorded at `field` is one that lets the process go on; none recorded is `missing`."""
    value = lookup(ctx.data, p.field)
    required = one_of_passing(p)
    if value is None:
        return Result("missing", None, required, p.field)
    outcome: OutcomeKind = "pass" if value in p.passing else "fail"
    return Result(outcome, value, required, p.field, {"actual": show(value)})


class AfterEnd(Params):
    field: str
    end: str


def after_the_day(p: AfterEnd) -> Localized:
    return worded("晚于 {end} 当天", "after the day at {end}", end=p.end)


@operator("after_day", AfterEnd, {"pass", "fail", "review", "missing"}, requirement=after_the_day,
          description=Localized("{field} 晚于 {end}（同一天须审核：当天结束前无法确知其结果）",
                                "{field} is later than {end} (the same day is for review: what the day brings is "
                                "not known before it ends)"))
def after_day(ctx: Context, p: AfterEnd) -> Result:
    """The date at `field` comes after the day at `end`; on that very day, for review; before it, a fail."""
    date, end = lookup(ctx.data, p.field), lookup(ctx.data, p.end)
    if not isinstance(date, dt.date) or not isinstance(end, dt.date):
        return Result("missing", None, after_the_day(p), p.field)
    outcome: OutcomeKind = "pass" if date > end else "review" if date == end else "fail"
    variables = {"actual": date.isoformat(), "end": end.isoformat()}
    return Result(outcome, date.isoformat(), after_the_day(p), p.field, variables)


# --- two funds -----------------------------------------------------------------------------

class TwoFields(Params):
    field: str
    other: str


DIFFERENT_OR_ZERO = Localized("两项不相同或为 0", "different, or 0")


@operator("not_same_amount", TwoFields, {"pass", "review", "missing"}, requirement=always(DIFFERENT_OR_ZERO),
          description=Localized("{field} 与 {other} 同为非零且相等时须审核确认不是同一笔钱计了两次",
                                "equal non-zero figures at {field} and {other} are for a reviewer to confirm "
                                "they are not the same money counted twice"))
def not_same_amount(ctx: Context, p: TwoFields) -> Result:
    """Two amounts the form keeps apart (互不包含) that are equal and not zero may be one sum entered twice."""
    first, second = as_number(lookup(ctx.data, p.field)), as_number(lookup(ctx.data, p.other))
    if first is None or second is None:
        return Result("missing", None, DIFFERENT_OR_ZERO, p.field)
    outcome: OutcomeKind = "review" if first == second and first != 0 else "pass"
    return Result(outcome, show(first), DIFFERENT_OR_ZERO, p.field, {"actual": show(first), "other": show(second)})

"""The values a cell of a 申报表 is read as: numbers (with the cell's unit), dates and the base type.

People type into the form with full-width digits, `，` thousands separators, the unit after the number,
`2019年6月1日` and ticks of every kind; each is read where that is unambiguous, and a value that is not is
refused (the caller keeps the cell's text and warns) rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from haizhi_cli.applicant import MAX_NUMBER, NONE_MARK, BaseType
from haizhi_cli.i18n import BASE_TYPE_LABELS, BASE_TYPE_NAMES

UNITS = {"平方米": ("平方米", "m2"), "万元": ("万元", "万"), "人": ("人",), "个": ("个",), "家": ("家",)}
"""The unit in a label's brackets, and how a value in that cell may end with it (㎡ and m² read as m2)."""

CHECKED = frozenset("☑☒✓✔√■▣●◉")
UNCHECKED = frozenset("□☐○◯")
"""Marks that tick or leave a choice in the 基地类型 cell."""

_DAY = re.compile(r"(\d{1,4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})[日号]?")
_NUMBER = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def comparable(text: str) -> str:
    """Text as compared (labels, headings, values): NFKC (full-width to half-width), no whitespace,
    no trailing colon."""
    return "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":")


def label_units(cell: str) -> tuple[str, ...]:
    """The ways a value may end with the unit in its label's brackets (平方米 → 平方米, m2)."""
    found = re.search(r"（([^（）]+)）$", cell)
    return UNITS.get(found.group(1), ()) if found else ()


def parse_number(text: str, units: Sequence[str] = (), integer: bool = False) -> tuple[Any, str]:
    """A cell's number, or 无; (None, problem) when it cannot be read unambiguously.

    Full-width digits and separators are read as half-width, `1,200` (or `１，２００`) as 1200, and a
    value ending with the cell's own unit (`350平方米`, `350 ㎡`) as the number. `1,5` (a thousands
    separator or a decimal comma?) and `3 2` (a slip of the keyboard?) are refused.
    """
    compact = unicodedata.normalize("NFKC", text).strip()
    if compact == NONE_MARK:
        return NONE_MARK, ""
    for unit in units:
        if compact.endswith(unit) and len(compact) > len(unit):
            compact = compact[: -len(unit)].rstrip()
            break
    if _THOUSANDS.fullmatch(compact):
        compact = compact.replace(",", "")
    if not _NUMBER.fullmatch(compact):
        return None, "number"
    try:
        number = Decimal(compact)
    except InvalidOperation:
        return None, "number"
    if not number.is_finite() or number > MAX_NUMBER:
        return None, "number"
    if number == number.to_integral_value():
        return int(number), ""
    if integer:
        return None, "integer"
    return float(compact), ""


def parse_day(text: str) -> dt.date | str:
    """A date written 2019-06-01, 2019/6/1, 2019.6.1 or 2019年6月1日 (full-width digits too); else why not."""
    found = _DAY.fullmatch(comparable(text))
    if not found:
        return "not a date"
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return "no such day"


def parse_base_type(text: str, names_only: bool = False) -> BaseType | None:
    """The one base type a cell names: ticked (☑ 海智国际研发社区 □ …) or written, in full, short or as a code.

    With `names_only`, only a full name counts (for reading the type off a base name such as
    中国科协海智工作基地（苏州工业园区）).
    """
    compact = comparable(text)
    ticked = [part for mark, part in _marked_parts(compact) if mark in CHECKED]
    named = _types_named("|".join(ticked) if ticked else compact, names_only)
    return named[0] if len(named) == 1 else None


def ticked_base_types(lines: Sequence[str]) -> list[BaseType] | None:
    """The types ticked in a cell of choices, in order; None when the cell has no box or tick at all.

    A line naming one type (the blank form's `☐ 工作基地`) counts as ticked when any tick is on it, before
    or after the box (`☑ 工作基地`, `☐√ 工作基地`, `■工作基地`); a line naming several counts the types
    written after a tick (`☑中国科协海智工作基地 □海智国际研发社区`).
    """
    ticked: list[BaseType] = []
    boxed = False
    for line in (comparable(line) for line in lines):
        if not any(char in CHECKED or char in UNCHECKED for char in line):
            continue
        boxed = True
        named = _types_named(line, False)
        if len(named) == 1:
            ticked += named if any(char in CHECKED for char in line) else []
        else:
            ticked += [found for mark, part in _marked_parts(line) if mark in CHECKED
                       for found in _types_named(part, False)]
    return list(dict.fromkeys(ticked)) if boxed else None


def _marked_parts(text: str) -> list[tuple[str, str]]:
    """(mark, text after it up to the next mark) for every tick or box in `text`."""
    marks = CHECKED | UNCHECKED
    parts: list[tuple[str, str]] = []
    for index, char in enumerate(text):
        if char in marks:
            end = next((j for j in range(index + 1, len(text)) if text[j] in marks), len(text))
            parts.append((char, text[index + 1:end]))
    return parts


def _types_named(text: str, names_only: bool) -> list[BaseType]:
    named: list[BaseType] = []
    for base_type in BaseType:
        names = [comparable(BASE_TYPE_NAMES[base_type.value].zh)]
        if not names_only:
            names += [comparable(BASE_TYPE_LABELS[base_type.value].zh), base_type.value]
        if any(name in text for name in names):
            named.append(base_type)
    return named

"""The Excel summary a reviewer works from: a row per applicant, and a row per failing or warned finding.

Every text is written as a string cell, so a credit code, a phone number or a text that starts with `=`
stays exactly as written. The workbook is built in memory with a fixed creation date (SOURCE_DATE_EPOCH
when set) and XlsxWriter's fixed zip timestamps, so the same outcomes always give the same bytes; it is
then renamed into place in one step and never replaces a file without `force`.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from haizhi_cli.engine import FileError, Finding, Outcome, Report, Status, load_round, round_or_latest
from haizhi_cli.i18n import CATEGORY_LABELS, COMPLETE, ELIGIBLE, STATUS_LABELS
from haizhi_cli.outputs import reproducible_timestamp, write_file_atomically
from haizhi_cli.reports._text import shown_value, type_label

if TYPE_CHECKING:
    import xlsxwriter  # type: ignore[import-untyped]
    import xlsxwriter.worksheet  # type: ignore[import-untyped]

Cell = str | int | None

MAX_WIDTH = 60
"""Wider columns wrap their text instead."""
CELL_LIMIT = 32767
"""Excel's (and XlsxWriter's) most characters in one cell; a longer text is cut, and the cut is said in it."""
CUT_MARK = {"zh": "…（已截断，原文 {length} 字）", "en": "… (truncated; the full text has {length} characters)"}

WORDS = {
    "zh": {
        "summary": "汇总", "findings": "不通过项", "file": "文件", "name": "基地名称", "type": "基地类型",
        "round": "年度", "fails": "不通过项数",
        "warns": "警告项数", "reviews": "待审核项数", "note": "说明", "status": "状态", "rule": "规则",
        "clause": "条款", "category": "类别", "found": "检查结果", "required": "要求", "read": "读到的值",
        "key": "键", "line": "行", "yes": "是", "no": "否", "error": "无法检查",
    },
    "en": {
        "summary": "Summary", "findings": "Failing findings", "file": "file", "name": "base name",
        "type": "base type", "round": "round", "fails": "fails",
        "warns": "warnings", "reviews": "reviews", "note": "note", "status": "status", "rule": "rule",
        "clause": "clause", "category": "category", "found": "finding", "required": "required",
        "read": "value read", "key": "key", "line": "line", "yes": "yes", "no": "no", "error": "could not check",
    },
}

SUMMARY_COLUMNS = ("file", "name", "type", "round", "eligible", "complete", "fails", "warns", "reviews", "note")
FINDING_COLUMNS = ("file", "name", "status", "rule", "clause", "category", "found", "required", "read", "key",
                   "line")
SHOWN = (Status.failed, Status.warn)


def write_summary(outcomes: Sequence[Outcome], path: Path, lang: str = "zh", *, force: bool = False,
                  rules_root: Path | None = None) -> None:
    """Write the summary workbook to `path`; an existing file is replaced only with `force` (else UsageError)."""
    write_file_atomically(path, summary_bytes(outcomes, lang, rules_root), force)


def summary_bytes(outcomes: Sequence[Outcome], lang: str = "zh", rules_root: Path | None = None) -> bytes:
    """The workbook as bytes, the same for the same outcomes (and SOURCE_DATE_EPOCH); dated, without
    SOURCE_DATE_EPOCH, the deadline of the latest round checked (see `created_at`)."""
    buffer = io.BytesIO()
    import xlsxwriter  # typed inline, but ships no py.typed; imported here so
    # that the other reporters of this package never load it

    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": WORDS[lang]["summary"], "created": created_at(outcomes, rules_root)})
    sheets = (
        (WORDS[lang]["summary"], SUMMARY_COLUMNS, [_summary_row(o, lang) for o in outcomes]),
        (WORDS[lang]["findings"], FINDING_COLUMNS, _finding_rows(outcomes, lang)),
    )
    for name, columns, rows in sheets:
        _Sheet(workbook, name, [_heading(c, lang) for c in columns], lang).fill(rows)
    workbook.close()
    return buffer.getvalue()


def _heading(column: str, lang: str) -> str:
    """A column's heading: the verdict's own words for the two verdict columns, else the sheet's word."""
    verdict_words = {"eligible": ELIGIBLE, "complete": COMPLETE}
    return verdict_words[column].text(lang) if column in verdict_words else WORDS[lang][column]


def created_at(outcomes: Sequence[Outcome], rules_root: Path | None = None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set; else the deadline of the latest round among the reports (the latest round
    of the rules when no file could be checked), so the same outcomes always give the same bytes."""
    rounds = [o.round for o in outcomes if isinstance(o, Report)]
    round_ = round_or_latest(max(rounds, default=None), rules_root)
    return reproducible_timestamp(load_round(round_, rules_root).facts.deadline)


def _summary_row(outcome: Outcome, lang: str) -> list[Cell]:
    words = WORDS[lang]
    if isinstance(outcome, FileError):
        where = ":".join(str(p) for p in (outcome.line, outcome.column) if p is not None)
        note = f"{where} {outcome.message}" if where else outcome.message
        return [outcome.file, None, None, None, words["error"], words["error"], None, None, None, note]
    return [
        outcome.file, outcome.base_name, type_label(outcome.base_type, lang), outcome.round,
        words["yes" if outcome.eligible else "no"], words["yes" if outcome.complete else "no"],
        outcome.count(Status.failed), outcome.count(Status.warn), outcome.count(Status.review), None,
    ]


def _finding_rows(outcomes: Sequence[Outcome], lang: str) -> list[list[Cell]]:
    """Every failed finding, then every warned one, of each applicant, in the order of the report."""
    return [
        _finding_row(report, finding, lang)
        for report in outcomes if isinstance(report, Report)
        for status in SHOWN
        for finding in report.findings if finding.status is status
    ]


def _finding_row(report: Report, finding: Finding, lang: str) -> list[Cell]:
    read = None if finding.actual is None else shown_value(finding.actual, lang, limit=1000)
    return [
        report.file, report.base_name, STATUS_LABELS[finding.status].text(lang), finding.rule, finding.clause,
        CATEGORY_LABELS[finding.category].text(lang), finding.message, finding.required, read, finding.field,
        finding.cell if finding.line is None else finding.line,  # a Word 申报表's finding: its cell
    ]


@dataclass
class _Sheet:
    """One worksheet: a bold, frozen header with an autofilter, and columns as wide as their text."""

    workbook: xlsxwriter.Workbook
    name: str
    headers: list[str]
    lang: str
    widths: list[int] = field(default_factory=list)

    def fill(self, rows: list[list[Cell]]) -> None:
        sheet = self.workbook.add_worksheet(self.name)
        bold = self.workbook.add_format({"bold": True})
        self.widths = [display_width(h) for h in self.headers]
        for index, header in enumerate(self.headers):
            sheet.write_string(0, index, header, bold)
        for number, row in enumerate(rows, start=1):
            self._write_row(sheet, number, row)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(self.headers) - 1)
        self._size_columns(sheet)

    def _write_row(self, sheet: xlsxwriter.worksheet.Worksheet, number: int, row: list[Cell]) -> None:
        for index, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(number, index, value)
            elif value is not None:
                sheet.write_string(number, index, fit_cell(value, self.lang))
            self.widths[index] = max(self.widths[index], display_width("" if value is None else str(value)))

    def _size_columns(self, sheet: xlsxwriter.worksheet.Worksheet) -> None:
        wrap = self.workbook.add_format({"text_wrap": True, "valign": "top"})
        for index, width in enumerate(self.widths):
            too_wide = width + 2 > MAX_WIDTH
            sheet.set_column(index, index, min(width + 2, MAX_WIDTH), wrap if too_wide else None)


def fit_cell(text: str, lang: str) -> str:
    """`text` as Excel can hold it: a text over CELL_LIMIT characters is cut and ends saying so, with its
    full length, so a reviewer never takes a cut text for the whole."""
    if len(text) <= CELL_LIMIT:
        return text
    mark = CUT_MARK[lang].format(length=len(text))
    return text[:CELL_LIMIT - len(mark)] + mark


def display_width(text: str) -> int:
    """Width in Excel's column units: a CJK (wide or fullwidth) character takes two, others one."""
    return max((sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
                for line in text.splitlines()), default=0)

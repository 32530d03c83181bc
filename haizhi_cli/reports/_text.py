"""Reporters: print check outcomes as a rich Chinese (or English) table, or as the JSON contract.

Rich is imported only by the text reporter, so the JSON path stays light.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

import orjson

from haizhi_cli.engine import FileError, Finding, Outcome, Report, Status
from haizhi_cli.i18n import (
    BASE_TYPE_LABELS,
    BASE_TYPE_NAMES,
    COMPLETE,
    ELIGIBLE,
    STATUS_LABELS,
    label,
    shown_path,
    status_counts,
    verdict,
    visible,
)

if TYPE_CHECKING:

    from rich.console import Console
    from rich.table import Table


STATUS_STYLES = {Status.passed: "green", Status.failed: "bold red", Status.warn: "yellow", Status.review: "cyan"}

TEXT = {
    "zh": {
        "status": "状态", "clause": "条款", "found": "检查结果", "required": "要求", "rule": "规则",
        "error": "无法检查", "file": "文件", "name": "基地名称", "type": "类型", "summary": "汇总",
        "yes": "是", "no": "否",
        "totals": "共 {files} 个文件：符合申报条件 {eligible}，材料齐全 {complete}，无法检查 {errors}",
        "rule_key": "规则与键", "key": "键", "key_at": "{field}（第 {line} 行）",
        "key_in_cell": "{field}（{cell}）", "value_read": "读到：{value}",
        "nothing": "（无）", "role": "用途", "pages": "页数", "written": "已生成 {out}",
        "written_total": "{verdict}；共 {count} 个文件，另有 manifest.json",
    },
    "en": {
        "status": "status", "clause": "clause", "found": "finding", "required": "required", "rule": "rule",
        "error": "could not check", "file": "file", "name": "base name", "type": "type", "summary": "summary",
        "yes": "yes", "no": "no",
        "totals": "{files} files: eligible {eligible}, complete {complete}, could not check {errors}",
        "rule_key": "rule and key", "key": "key", "key_at": "{field} (line {line})",
        "key_in_cell": "{field} ({cell})", "value_read": "read: {value}",
        "nothing": "(none)", "role": "role", "pages": "pages", "written": "Written to {out}",
        "written_total": "{verdict}; {count} files, plus manifest.json",
    },
}


def json_document(outcomes: Sequence[Outcome]) -> Any:
    """One object for one file, an array for several (the public contract)."""
    items = [o.as_json() for o in outcomes]
    return items[0] if len(items) == 1 else items


def json_text(document: Any) -> str:
    """JSON indented by two spaces, non-ASCII kept as written, ending in a newline.

    orjson writes the text of `json.dumps(document, ensure_ascii=False, indent=2)` about ten times faster (a
    batch of a thousand reports would otherwise spend a second in the encoder alone); only a float below 1e-4
    may be spelled differently (`0.00001` for `1e-05`), the same number.
    """
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except orjson.JSONEncodeError:  # a lone surrogate: a file name that is not UTF-8, which orjson refuses
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_json(outcomes: Sequence[Outcome], out: TextIO | None = None, lang: str = "zh") -> None:
    stream = out or sys.stdout
    stream.write(json_text(json_document(outcomes)))
    for outcome in outcomes:
        if isinstance(outcome, FileError):
            write_error(outcome, lang)


def write_error(error: FileError, lang: str = "zh", err: TextIO | None = None) -> None:
    """The error in words on stderr: every problem with its file, line and column."""
    stream = err or sys.stderr
    prefix = "错误" if lang == "zh" else "error"
    details = error.details or [{"message": error.message, "line": error.line, "column": error.column}]
    for item in details:
        where = ":".join(str(p) for p in (shown_path(error.file), item["line"], item["column"]) if p is not None)
        stream.write(f"{where}: {prefix}: {visible(str(item['message']))}\n")


def make_console(*, stderr: bool = False, no_color: bool = False) -> Console:
    """The console every text report is printed on.

    `no_color` (`--no-color`) turns every escape code off, bold and dim too. Rich itself writes no colour
    when the stream is not a terminal (a pipe, a CI log) and strips colour when NO_COLOR is set and not
    empty (https://no-color.org), so a reporter never has to ask.
    """
    if no_color:
        return _console_class()(stderr=stderr, highlight=False, no_color=True, color_system=None)
    return _console_class()(stderr=stderr, highlight=False)


@functools.cache
def _console_class() -> type[Console]:
    """Rich's console, except that a reader who leaves early (`| head`) is a BrokenPipeError for the command line
    to handle (it keeps the run's exit status), not rich's own exit with status 1."""
    from rich.console import Console

    class ReaderMayLeave(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return ReaderMayLeave


def write_text(outcomes: Sequence[Outcome], lang: str = "zh", console: Console | None = None, *,
               quiet: bool = False, explain: bool = False, show_summary: bool = True) -> None:
    """A table per applicant and its verdict line, then a summary when there are several files.

    `quiet` keeps only the fail and warn rows (a file with none prints just its verdict line, whose counts
    still name every review); `explain` adds under each row the rule id, the key and line read and its value.
    A file that could not be checked is always reported, on stderr.
    """
    out = console or make_console()
    for outcome in outcomes:
        if isinstance(outcome, Report):
            _write_report(outcome, lang, out, quiet=quiet, explain=explain)
        else:
            write_error(outcome, lang)
    if show_summary and len(outcomes) > 1:
        _summary_table(outcomes, lang, out)
        out.print(totals_line(outcomes, lang), soft_wrap=True)


def report_verdict(report: Report, lang: str) -> str:
    """符合申报条件；材料齐全, or what the applicant lacks."""
    return verdict(report.eligible, report.complete, lang)


def counts_text(report: Report, lang: str) -> str:
    """通过 n · 不通过 n · 警告 n · 待审核 n: every finding is counted, whatever was shown."""
    return status_counts({s.value: report.count(s) for s in Status}, lang)


def totals_line(outcomes: Sequence[Outcome], lang: str) -> str:
    """One line over all files: how many are eligible, complete, and could not be checked."""
    reports = [o for o in outcomes if isinstance(o, Report)]
    return TEXT[lang]["totals"].format(
        files=len(outcomes), eligible=sum(r.eligible for r in reports),
        complete=sum(r.complete for r in reports), errors=len(outcomes) - len(reports))


def _write_report(report: Report, lang: str, out: Console, *, quiet: bool, explain: bool) -> None:
    shown = [f for f in report.findings if not quiet or f.status in (Status.failed, Status.warn)]
    if shown:
        out.print(_findings_table(report, shown, lang, explain, narrow=out.width < NARROW))
    style = "bold green" if not report.failed else "bold red"
    where = f"{escape_markup(shown_path(report.file))}  " if quiet else ""
    out.print(f"{where}[{style}]{report_verdict(report, lang)}[/]  {counts_text(report, lang)}", soft_wrap=True)


SHORT_COLUMN = 8
"""The widest the summary's yes/no and count columns may be; a Chinese heading stands in lines of its two-character
words (符合\n申报\n条件), so the columns stay narrow and no heading is cut inside a word."""

NARROW = 150
"""Below this many columns, `--explain` writes the requirement, the value read, the rule and the key under the
finding's message, each on a line of its own, instead of in two more columns too narrow for a key's name."""


def _findings_table(report: Report, findings: Sequence[Finding], lang: str, explain: bool,
                    narrow: bool = False) -> Table:
    """One row per finding; `explain` adds a column with the rule id and the key read (with its line)
    and puts the value read under the requirement, so the two can be compared at a glance."""
    from rich.table import Table

    words = TEXT[lang]
    title = f"{escape_markup(report.base_name)}  [dim]{escape_markup(shown_path(report.file))}[/dim]"
    if explain and narrow:
        return _narrow_explained_table(title, findings, lang)
    table = Table(title=title, show_lines=explain, expand=explain)
    table.add_column(words["status"], no_wrap=True)
    table.add_column(words["clause"], overflow="fold", max_width=14)
    table.add_column(words["found"], overflow="fold", ratio=4 if explain else None)
    table.add_column(words["required"], overflow="fold", ratio=2 if explain else None)
    if explain:
        table.add_column(words["rule_key"], overflow="fold", ratio=3)
    for finding in findings:
        table.add_row(*_row(finding, lang, explain))
    return table


def _row(finding: Finding, lang: str, explain: bool) -> list[str]:
    label = f"[{STATUS_STYLES[finding.status]}]{STATUS_LABELS[finding.status].text(lang)}[/]"
    cells = [label, *(escape_markup(text) for text in (finding.clause, finding.message, finding.required or ""))]
    if explain:
        value = TEXT[lang]["value_read"].format(value=shown_value(finding.actual, lang))
        cells[3] += ("\n" if cells[3] else "") + f"[dim]{escape_markup(value)}[/dim]"
        cells.append(escape_markup(finding.rule) + _key_line(finding, lang))
    return cells


def _narrow_explained_table(title: str, findings: Sequence[Finding], lang: str) -> Table:
    """`--explain` on a narrow terminal: status, clause, and the finding with its details on lines below it
    (the rule id and the key each whole on a line, wrapped only where they hold a space)."""
    from rich.table import Table

    words = TEXT[lang]
    table = Table(title=title, show_lines=True)
    table.add_column(words["status"], no_wrap=True)
    table.add_column(words["clause"], overflow="fold", max_width=14)
    table.add_column(words["found"], overflow="fold")
    for finding in findings:
        label, clause, message, required = _row(finding, lang, explain=False)
        value = words["value_read"].format(value=shown_value(finding.actual, lang))
        details = [f"{words['required']}{_colon(lang)}{required}" if required else "", escape_markup(value),
                   f"{words['rule']}{_colon(lang)}{escape_markup(finding.rule)}", _key_words(finding, lang)]
        table.add_row(label, clause, message + "".join(f"\n[dim]{line}[/dim]" for line in details if line))
    return table


def _key_words(finding: Finding, lang: str) -> str:
    """键：base.service_area_m2（第 24 行）, or nothing for a finding that read no key."""
    key = _key_line(finding, lang).strip()
    return f"{TEXT[lang]['key']}{_colon(lang)}{key}" if key else ""


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _key_line(finding: Finding, lang: str) -> str:
    """The key a finding read and its line in the applicant file, dim under the rule id."""
    if finding.field is None:
        return ""
    where = finding.field if finding.line is None else TEXT[lang]["key_at"].format(field=finding.field,
                                                                                   line=finding.line)
    if finding.cell is not None:
        where = TEXT[lang]["key_in_cell"].format(field=finding.field, cell=finding.cell)
    return f"\n[dim]{escape_markup(where)}[/dim]"


def shown_value(actual: Any, lang: str, limit: int = 80) -> str:
    """A value read from the applicant file, as a reader would write it; long values are cut short."""
    if actual is None:
        return TEXT[lang]["nothing"]
    if isinstance(actual, bool):
        return TEXT[lang]["yes" if actual else "no"]
    text = actual if isinstance(actual, str) else json.dumps(actual, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary_table(outcomes: Sequence[Outcome], lang: str, out: Console) -> None:
    """A row per file. The path and the name share what the short columns leave (3 : 2), and the short
    columns' headings wrap, so at 80 columns a path still wraps in pieces, never a character a line."""
    from rich.table import Table

    words = TEXT[lang]
    table = Table(title=words["summary"], expand=True)
    table.add_column(words["file"], overflow="fold", ratio=3)
    table.add_column(words["name"], overflow="fold", ratio=2)
    table.add_column(words["type"], no_wrap=True)
    for column in (ELIGIBLE.text(lang), COMPLETE.text(lang), *(STATUS_LABELS[s].text(lang)
                                                               for s in (Status.failed, Status.review))):
        heading = _short_heading(column)
        table.add_column(heading, overflow="fold", max_width=min(SHORT_COLUMN, _widest_line(heading)))
    for o in outcomes:
        if isinstance(o, Report):
            names = (shown_path(o.file), o.base_name, type_label(o.base_type, lang, short=True))
            table.add_row(*(escape_markup(name) for name in names),
                          _yes(o.eligible, lang), _yes(o.complete, lang), str(o.count(Status.failed)),
                          str(o.count(Status.review)))
        else:
            table.add_row(escape_markup(shown_path(o.file)), f"[red]{words['error']}[/]", "", "", "", "", "")
    out.print(table)


def _short_heading(heading: str) -> str:
    """A Chinese heading of more than three characters in lines of two (符合 / 申报 / 条件, 材料 / 齐全: the
    summary's headings are all two-character words); the English headings stand as they are."""
    if heading.isascii() or len(heading) <= 3:
        return heading
    return "\n".join(heading[at:at + 2] for at in range(0, len(heading), 2))


def _widest_line(text: str) -> int:
    from rich.cells import cell_len

    return max(cell_len(line) for line in text.splitlines())


def type_label(base_type: str, lang: str, short: bool = False) -> str:
    """The Chinese name (or 简称) of a base type in a Chinese report; the code (as in the JSON) in an English one."""
    if lang != "zh":
        return base_type
    return label(BASE_TYPE_LABELS if short else BASE_TYPE_NAMES, base_type, lang)


def _yes(value: bool, lang: str) -> str:
    words = TEXT[lang]
    return f"[green]{words['yes']}[/]" if value else f"[red]{words['no']}[/]"


def escape_markup(text: str) -> str:
    """Applicant text is data: square brackets must not be read as rich markup, and a terminal escape or a
    direction override is shown, not obeyed."""
    from rich.markup import escape

    return escape(visible(text))

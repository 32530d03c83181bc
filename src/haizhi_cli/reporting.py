"""Reporters: print check outcomes as a rich Chinese (or English) table, or as the JSON contract.

Rich is imported only by the text reporter, so the JSON path stays light.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from haizhi_cli.results import FileError, Outcome, Report, Status

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from haizhi_cli.building import BuildOptions, BuildResult

STATUS_LABELS = {
    "zh": {Status.passed: "通过", Status.failed: "不通过", Status.warn: "警告", Status.review: "待审核"},
    "en": {Status.passed: "pass", Status.failed: "FAIL", Status.warn: "warn", Status.review: "review"},
}
STATUS_STYLES = {Status.passed: "green", Status.failed: "bold red", Status.warn: "yellow", Status.review: "cyan"}

TEXT = {
    "zh": {
        "status": "状态", "clause": "条款", "found": "检查结果", "required": "要求", "rule": "规则",
        "eligible": "符合申报条件", "not_eligible": "不符合申报条件",
        "complete": "材料齐全", "incomplete": "材料不齐",
        "counts": "通过 {passed} · 不通过 {failed} · 警告 {warn} · 待审核 {review}",
        "error": "无法检查", "file": "文件", "name": "基地名称", "type": "类型", "summary": "汇总",
        "fails": "不通过", "reviews": "待审核", "yes": "是", "no": "否",
    },
    "en": {
        "status": "status", "clause": "clause", "found": "finding", "required": "required", "rule": "rule",
        "eligible": "eligible", "not_eligible": "NOT eligible",
        "complete": "complete", "incomplete": "INCOMPLETE",
        "counts": "pass {passed} · fail {failed} · warn {warn} · review {review}",
        "error": "could not check", "file": "file", "name": "base name", "type": "type", "summary": "summary",
        "fails": "fails", "reviews": "reviews", "yes": "yes", "no": "no",
    },
}


def exit_code(outcomes: Sequence[Outcome]) -> int:
    """2 when a file could not be read, 1 when any finding failed, else 0."""
    if any(isinstance(o, FileError) for o in outcomes):
        return 2
    return 1 if any(isinstance(o, Report) and o.failed for o in outcomes) else 0


def json_document(outcomes: Sequence[Outcome]) -> Any:
    """One object for one file, an array for several (the public contract)."""
    items = [o.as_json() for o in outcomes]
    return items[0] if len(items) == 1 else items


def write_json(outcomes: Sequence[Outcome], out: TextIO | None = None, lang: str = "zh") -> None:
    stream = out or sys.stdout
    json.dump(json_document(outcomes), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
    for outcome in outcomes:
        if isinstance(outcome, FileError):
            write_error(outcome, lang)


def write_error(error: FileError, lang: str = "zh", err: TextIO | None = None) -> None:
    """The error in words on stderr: every problem with its file, line and column."""
    stream = err or sys.stderr
    prefix = "错误" if lang == "zh" else "error"
    details = error.details or [{"message": error.message, "line": error.line, "column": error.column}]
    for item in details:
        where = ":".join(str(p) for p in (error.file, item["line"], item["column"]) if p is not None)
        stream.write(f"{where}: {prefix}: {item['message']}\n")


def write_text(outcomes: Sequence[Outcome], lang: str = "zh", console: Console | None = None) -> None:
    from rich.console import Console

    out = console or Console(highlight=False)
    for outcome in outcomes:
        if isinstance(outcome, Report):
            _report_table(outcome, lang, out)
        else:
            write_error(outcome, lang)
    if len(outcomes) > 1:
        _summary_table(outcomes, lang, out)


def verdict(report: Report, lang: str) -> str:
    words = TEXT[lang]
    first = words["eligible"] if report.eligible else words["not_eligible"]
    second = words["complete"] if report.complete else words["incomplete"]
    return f"{first}；{second}" if lang == "zh" else f"{first}; {second}"


def _report_table(report: Report, lang: str, out: Console) -> None:
    from rich.table import Table

    words = TEXT[lang]
    title = f"{_escape(report.base_name)}  [dim]{_escape(report.file)}[/dim]"
    table = Table(title=title, show_lines=False, expand=False)
    for column in ("status", "clause", "found", "required"):
        table.add_column(words[column], overflow="fold")
    for finding in report.findings:
        label = STATUS_LABELS[lang][finding.status]
        status = f"[{STATUS_STYLES[finding.status]}]{label}[/]"
        table.add_row(status, finding.clause, _escape(finding.message), _escape(finding.required or ""))
    out.print(table)
    counts = {s.name: report.count(s) for s in Status}
    style = "bold green" if not report.failed else "bold red"
    out.print(f"[{style}]{verdict(report, lang)}[/]  " + words["counts"].format(**counts))


def _summary_table(outcomes: Sequence[Outcome], lang: str, out: Console) -> None:
    from rich.table import Table

    words = TEXT[lang]
    table = Table(title=words["summary"])
    for column in ("file", "name", "type", "eligible", "complete", "fails", "reviews"):
        table.add_column(words[column], overflow="fold")
    for o in outcomes:
        if isinstance(o, Report):
            table.add_row(_escape(o.file), _escape(o.base_name), o.base_type, _yes(o.eligible, lang),
                          _yes(o.complete, lang), str(o.count(Status.failed)), str(o.count(Status.review)))
        else:
            table.add_row(_escape(o.file), f"[red]{words['error']}[/]", "", "", "", "", "")
    out.print(table)


def _yes(value: bool, lang: str) -> str:
    words = TEXT[lang]
    return f"[green]{words['yes']}[/]" if value else f"[red]{words['no']}[/]"


def _escape(text: str) -> str:
    """Applicant text is data: square brackets must not be read as rich markup."""
    from rich.markup import escape

    return escape(text)


def build_with_progress(path: Path, options: BuildOptions) -> BuildResult:
    """Build the packet, showing each step on a terminal (nothing when output is not a terminal)."""
    from rich.console import Console

    from haizhi_cli.building import build_packet

    console = Console(stderr=True)
    with console.status("正在生成材料包…") as status:
        return build_packet(path, options, progress=lambda step: status.update(f"{step}…"))


def write_build_summary(result: BuildResult, console: Console | None = None) -> None:
    """A table of every file written, then where they are."""
    from rich.console import Console
    from rich.table import Table

    out = console or Console(highlight=False)
    table = Table(title=f"已生成 {_escape(str(result.out))}")
    for column in ("文件", "用途", "页数", "SHA-256"):
        table.add_column(column, overflow="fold")
    for item in result.files:
        table.add_row(_escape(item.path), ROLE_LABELS.get(item.role, item.role),
                      str(item.pages or ""), item.sha256[:12])
    out.print(table)
    out.print(f"{verdict(result.report, 'zh')}；共 {len(result.files)} 个文件，另有 manifest.json")


ROLE_LABELS = {
    "application_form": "申报表", "construction_plan": "建设方案", "checklist": "封面与材料清单",
    "support_letter_draft": "支持函代拟稿", "public_notice_draft": "公示代拟稿", "attachment": "附件",
    "packet": "材料包",
}

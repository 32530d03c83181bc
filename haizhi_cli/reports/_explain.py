"""Printers for `haizhi rules` and `haizhi explain`: a rich table of rules, and one rule explained.

Rich is imported inside the functions, so importing this module costs the check path nothing.
Rule text and example values are data: every piece of it is escaped before rich reads markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from haizhi_cli.checking import (
    ExampleRun,
    Explanation,
    PerType,
    RuleRow,
    types_label,
)
from haizhi_cli.engine import Finding, Status, shown_requirement
from haizhi_cli.i18n import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS, label, speaking, tr

if TYPE_CHECKING:
    from rich.console import Console

STATUS_STYLES = {Status.passed: "green", Status.failed: "bold red", Status.warn: "yellow", Status.review: "cyan"}
NO_THRESHOLD = "—"


NARROW = 130
"""Below this many columns `haizhi rules` puts the clause and category under the rule, so that the rule ids
stay whole and the columns left (types and requirement) keep room to wrap in rather than being squeezed out."""


def _id_width(rows: Sequence[RuleRow], width: int) -> int:
    """Room for the longest rule id, up to a third of the terminal (ids longer than that fold)."""
    return min(max((len(row.id) for row in rows), default=4), width // 3)


def write_rules_table(rows: Sequence[RuleRow], lang: str, console: Console | None = None) -> None:
    """Every rule as one row (a rule whose requirement differs by base type, one row per requirement).

    The rule's title goes under its id, and the types column is left out when every row shares its types
    (`--type`). Every column wraps its text (never drops or cuts it); on a terminal narrower than NARROW columns,
    or piped (80 columns), the clause and category go under the title, so nothing disappears.
    """
    from rich.table import Table

    out = console or _console()
    with speaking(lang):
        shared = {row.base_types for row in rows}
        title = tr("共 {count} 条规则", count=len({row.id for row in rows}))
        if len(shared) == 1:
            title += _bracketed(types_label(next(iter(shared)), lang), lang)
        narrow = out.width < NARROW
        table = Table(title=title)
        table.add_column(tr("规则"), overflow="fold", min_width=_id_width(rows, out.width) if narrow else None)
        if not narrow:
            for heading in (tr("条款"), tr("类别")):
                table.add_column(heading, overflow="fold")
        if len(shared) > 1:
            table.add_column(tr("适用类型"), overflow="fold", min_width=8)
        table.add_column(tr("要求"), overflow="fold", min_width=12)
        for row in rows:
            table.add_row(*_row_cells(row, lang, with_types=len(shared) > 1, narrow=narrow))
        out.print(table)


def _row_cells(row: RuleRow, lang: str, with_types: bool, narrow: bool) -> tuple[str, ...]:
    category = label(CATEGORY_LABELS, row.category, lang)
    if row.severity != "error":
        category += _bracketed(label(SEVERITY_LABELS, row.severity, lang), lang)
    threshold = shown_requirement(row.threshold) if row.threshold and lang == "zh" else row.threshold
    heading = f"{_escape(row.id)}\n[dim]{_escape(row.title.text(lang))}[/dim]"
    types = (types_label(row.base_types, lang),) if with_types else ()
    if narrow:
        heading += f"\n[dim]{_escape(tr('条款 {clause}', clause=row.clause))} · {_escape(category)}[/dim]"
        return (heading, *types, _escape(threshold or NO_THRESHOLD))
    return (heading, _escape(row.clause), category, *types, _escape(threshold or NO_THRESHOLD))


def write_explanation(expl: Explanation, lang: str, console: Console | None = None) -> None:
    """One rule: heading, the quoted clause, what is checked and required, and its examples with their findings."""
    from rich.panel import Panel

    out = console or _console()
    with speaking(lang):
        out.print(f"[bold]{_escape(expl.rule_id)}[/bold]  {_escape(expl.title)}")
        out.print(_facts_line(expl, lang))
        out.print(Panel(_escape(expl.quote), title=tr("通知原文（条款 {clause}）", clause=_escape(expl.clause)),
                        title_align="left", expand=False))
        _section(out, tr("检查什么"), _per_type(expl.checks, expl, lang))
        _section(out, tr("读取的键"), [", ".join(expl.fields) or NO_THRESHOLD])
        if expl.data:
            _section(out, tr("依据数据"), [expl.data])
        _section(out, tr("要求"), _per_type(expl.thresholds, expl, lang, always_name_types=True))
        _section(out, tr("缺少数据时"), [expl.when_missing])
        for run in expl.examples:
            _write_example(out, run, lang)
        if expl.no_examples:
            _section(out, tr("示例"), [expl.no_examples])


def _facts_line(expl: Explanation, lang: str) -> str:
    parts = [
        tr("条款 {clause}", clause=expl.clause),
        label(CATEGORY_LABELS, expl.category, lang),
        label(SEVERITY_LABELS, expl.severity, lang),
        tr("适用于 {types}", types=types_label(expl.base_types, lang)),
        f"{expl.source}:{expl.line}",
    ]
    return "[dim]" + _escape(" · ".join(parts)) + "[/dim]"


def _per_type(groups: Sequence[PerType], expl: Explanation, lang: str, always_name_types: bool = False) -> list[str]:
    """Texts by base type; a text that holds for every type the rule applies to is shown without them."""
    if len(groups) == 1 and not always_name_types:
        return [groups[0].text or NO_THRESHOLD]
    separator = "：" if lang == "zh" else ": "
    return [types_label(g.base_types, lang) + separator + (g.text or NO_THRESHOLD) for g in groups]


def _section(out: Console, heading: str, lines: Sequence[str]) -> None:
    out.print()
    out.print(f"[bold]{_escape(heading)}[/bold]")
    for line in lines:
        _indented(out, _escape(line), 2)


def _indented(out: Console, markup: str, width: int) -> None:
    """A line whose continuation lines keep its indent when the terminal wraps it."""
    from rich.padding import Padding

    out.print(Padding(markup, (0, 0, 0, width), expand=False))


def example_heading(run: ExampleRun) -> str:
    """The heading of an example by the outcome it really gives (a `fail` example may give 警告 or 待审核), by
    its kind when it gives none."""
    outcome = run.outcome or (Status.passed if run.kind == "pass" else Status.failed)
    headings = {
        Status.passed: tr("通过的示例（改动 {folder}）", folder=run.folder),
        Status.failed: tr("不通过的示例（改动 {folder}）", folder=run.folder),
        Status.warn: tr("警告的示例（改动 {folder}）", folder=run.folder),
        Status.review: tr("待审核的示例（改动 {folder}）", folder=run.folder),
    }
    return headings[outcome]


def _write_example(out: Console, run: ExampleRun, lang: str) -> None:
    _section(out, example_heading(run), run.changes)
    _indented(out, _escape(tr("结果：")), 2)
    for finding in run.findings:
        _indented(out, _finding_line(finding, lang), 4)
    if run.note:
        _indented(out, f"[yellow]{_escape(run.note)}[/yellow]", 2)


def _finding_line(finding: Finding, lang: str) -> str:
    status = label(STATUS_LABELS, finding.status, lang)
    return f"[{STATUS_STYLES[finding.status]}]{_escape(status)}[/]  {_escape(finding.message)}"


def _bracketed(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _escape(text: str) -> str:
    """Rule and applicant text is data: square brackets must not be read as rich markup."""
    from rich.markup import escape

    return escape(text)

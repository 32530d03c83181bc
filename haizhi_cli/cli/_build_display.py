"""The build on a terminal: each step while it runs, then a table of every file written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from haizhi_cli.i18n import label, tr
from haizhi_cli.reports import TEXT, escape_markup, make_console, report_verdict

if TYPE_CHECKING:
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    from haizhi_cli.packet import BuildOptions, BuildResult


def build_with_progress(path: Path, options: BuildOptions) -> BuildResult:
    """Build the packet, showing each step on a terminal (nothing when output is not a terminal)."""
    from haizhi_cli.packet import build_packet

    console = make_console(stderr=True)
    with console.status(tr("正在生成材料包…")) as status:
        return build_packet(path, options, progress=lambda step: status.update(f"{step}…"))


UNLIMITED = 10_000
"""A width no table reaches: the table measured at it is as wide as it would like to be."""


def write_build_summary(result: BuildResult, console: Console | None = None, lang: str = "zh") -> None:
    """A table of every file written, then where they are. Where the table is wider than the terminal, a name
    goes below its folder (`attachments/` above `七4-1-overseas-contacts.pdf`) and is kept whole while the
    other columns can be narrowed; only a terminal too narrow even for that folds a name (nothing is cut off)."""
    out = console or make_console()
    words = TEXT[lang]
    table = _files_table(result, lang, folder_lines=False)
    if _measured(out, table).maximum > out.width:
        table = _files_table(result, lang, folder_lines=True)
    out.print(table)
    out.print(words["written_total"].format(verdict=report_verdict(result.report, lang), count=len(result.files)))


def _measured(out: Console, table: Table) -> Measurement:
    """The narrowest and widest the table can be laid out, whatever the terminal's width."""
    return out.measure(table, options=out.options.update_width(UNLIMITED))


def _files_table(result: BuildResult, lang: str, folder_lines: bool) -> Table:
    """The files written; with `folder_lines`, each name below its folder, and the other columns wrapped first
    (rich folds a column that may not wrap only when nothing else is left to narrow)."""
    from rich.table import Table

    from haizhi_cli.packet import ROLE_LABELS

    words = TEXT[lang]
    table = Table(title=words["written"].format(out=escape_markup(str(result.out))))
    table.add_column(words["file"], overflow="fold", no_wrap=folder_lines)
    for column in (words["role"], words["pages"], "SHA-256"):
        table.add_column(column, overflow="fold")
    for item in result.files:
        name = item.path.replace("/", "/\n") if folder_lines else item.path
        table.add_row(escape_markup(name), label(ROLE_LABELS, item.role, lang), str(item.pages or ""),
                      item.sha256[:12])
    return table

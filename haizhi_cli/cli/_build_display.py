"""The build on a terminal: each step while it runs, then a table of every file written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from haizhi_cli.i18n import label, tr
from haizhi_cli.reports import TEXT, escape_markup, make_console, report_verdict

if TYPE_CHECKING:
    from rich.console import Console

    from haizhi_cli.packet import BuildOptions, BuildResult


def build_with_progress(path: Path, options: BuildOptions) -> BuildResult:
    """Build the packet, showing each step on a terminal (nothing when output is not a terminal)."""
    from haizhi_cli.packet import build_packet

    console = make_console(stderr=True)
    with console.status(tr("正在生成材料包…")) as status:
        return build_packet(path, options, progress=lambda step: status.update(f"{step}…"))


def write_build_summary(result: BuildResult, console: Console | None = None, lang: str = "zh") -> None:
    """A table of every file written, then where they are."""
    from rich.table import Table

    from haizhi_cli.packet import ROLE_LABELS

    out = console or make_console()
    words = TEXT[lang]
    table = Table(title=words["written"].format(out=escape_markup(str(result.out))))
    for column in (words["file"], words["role"], words["pages"], "SHA-256"):
        table.add_column(column, overflow="fold")
    for item in result.files:
        table.add_row(escape_markup(item.path), label(ROLE_LABELS, item.role, lang),
                      str(item.pages or ""), item.sha256[:12])
    out.print(table)
    out.print(words["written_total"].format(verdict=report_verdict(result.report, lang), count=len(result.files)))

"""Every output format of `haizhi check` behind one protocol, by name (as check-jsonschema's
REPORTER_BY_NAME): the command line takes its `--format` choices from `REPORTER_BY_NAME`, so a new format is
one entry here. Each reporter prints on stdout (errors in words on stderr) and decides nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from haizhi_cli.engine import FileError, Outcome, Report, Status
from haizhi_cli.reports._text import make_console, write_json, write_text


@dataclass(frozen=True)
class ReportStyle:
    """How the text reporter shows the outcomes (the machine formats show everything, always)."""

    quiet: bool = False
    explain: bool = False
    no_color: bool = False


class Reporter(Protocol):
    def __call__(self, outcomes: Sequence[Outcome], lang: str, style: ReportStyle, /) -> None:
        """Print `outcomes` in `lang` on stdout."""


def _text(outcomes: Sequence[Outcome], lang: str, style: ReportStyle) -> None:
    write_text(outcomes, lang, make_console(no_color=style.no_color), quiet=style.quiet, explain=style.explain)


def _json(outcomes: Sequence[Outcome], lang: str, style: ReportStyle) -> None:
    write_json(outcomes, lang=lang)


def _junit(outcomes: Sequence[Outcome], lang: str, style: ReportStyle) -> None:
    from haizhi_cli.reports._ci import write_junit  # here: the other formats never load the XML writer

    write_junit(outcomes, lang=lang)


def _github(outcomes: Sequence[Outcome], lang: str, style: ReportStyle) -> None:
    from haizhi_cli.reports._ci import write_github

    write_github(outcomes, lang=lang)


def _concise(outcomes: Sequence[Outcome], lang: str, style: ReportStyle) -> None:
    from haizhi_cli.reports._concise import write_concise

    write_concise(outcomes, lang=lang, quiet=style.quiet)


REPORTER_BY_NAME: dict[str, Reporter] = {"text": _text, "concise": _concise, "json": _json, "junit": _junit,
                                         "github": _github}
"""The output formats: text on a terminal, concise otherwise (`default_format`)."""


def default_format(stdout_is_terminal: bool) -> str:
    """Tables for a person at a terminal; one line per finding for a pipe, a file or a CI log (as ruff)."""
    return "text" if stdout_is_terminal else "concise"


def exit_code(outcomes: Sequence[Outcome], *, strict: bool = False, exit_zero: bool = False) -> int:
    """2 when a file could not be read (whatever the options: bad input is never a pass), else 1 when any
    finding failed (or, with `strict`, warned) unless `exit_zero`, else 0."""
    if any(isinstance(o, FileError) for o in outcomes):
        return 2
    if exit_zero:
        return 0
    reports = [o for o in outcomes if isinstance(o, Report)]
    failed = any(r.failed for r in reports)
    return 1 if failed or (strict and any(r.count(Status.warn) for r in reports)) else 0

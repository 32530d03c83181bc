"""The concise report: one line per finding, as ruff, yamllint and compilers write them.

`path:line:col: 不通过 rule_id 条款 message` for every failed, warned and to-be-reviewed finding (with
`--quiet`, failed and warned only), so editors, `grep` and CI log viewers can jump to the line. A finding
points at the line of the key it read, so its column is 1; a finding without a line (a key left out) is
`path: …`, and one on a Word 申报表 names its cell before its message
(`申报表一 “服务场所面积（平方米）”：…`). Then one line per file: its verdict and counts, which never starts
with `path:digit`, so it is not read as a finding. A file that could not be read is reported on stderr,
`path:line:col: 错误: message` for each problem, as every other format does.
It is the default format when the output is not a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from haizhi_cli.engine import FileError, Finding, Outcome, Report, Status
from haizhi_cli.i18n import STATUS_LABELS, shown_path, visible
from haizhi_cli.reports._text import counts_text, report_verdict, write_error

SHOWN = (Status.failed, Status.warn, Status.review)
SUMMARY = {"zh": "{file}：{verdict}（{counts}）", "en": "{file}: {verdict} ({counts})"}


def write_concise(outcomes: Sequence[Outcome], out: TextIO | None = None, lang: str = "zh",
                  quiet: bool = False) -> None:
    """Every finding's line, file by file, then a verdict line per file."""
    stream = out or sys.stdout
    for outcome in outcomes:
        if isinstance(outcome, FileError):
            write_error(outcome, lang)
            continue
        for line in concise_lines(outcome, lang, quiet):
            stream.write(line + "\n")
    for outcome in outcomes:
        if isinstance(outcome, Report):
            stream.write(_summary(outcome, lang) + "\n")


def concise_lines(report: Report, lang: str, quiet: bool = False) -> Iterator[str]:
    """The line of every finding that is not a plain pass (with `quiet`, of every fail and warning)."""
    shown = SHOWN[:2] if quiet else SHOWN
    for finding in report.findings:
        if finding.status in shown:
            yield _finding_line(report, finding, lang)


def _finding_line(report: Report, finding: Finding, lang: str) -> str:
    where = shown_path(report.file) + ("" if finding.line is None else f":{finding.line}:1")
    status = STATUS_LABELS[finding.status].text(lang)
    message = finding.message_at_cell("：" if lang == "zh" else ": ")
    return _one_line(f"{where}: {status} {finding.rule} {finding.clause} {message}")


def _summary(report: Report, lang: str) -> str:
    return _one_line(SUMMARY[lang].format(file=shown_path(report.file), verdict=report_verdict(report, lang),
                                          counts=counts_text(report, lang)))


def _one_line(text: str) -> str:
    """Line breaks in a message become spaces, and acting characters are shown, not obeyed."""
    return " ".join(visible(text).splitlines())

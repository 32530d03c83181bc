"""Reports for CI: JUnit XML for test-report viewers, and GitHub Actions workflow commands.

JUnit: one `<testsuite>` per applicant file and one `<testcase>` per finding. A failed finding is a
`<failure>`, a warning passes with its message in `<system-out>`, a finding a reviewer must confirm is
`<skipped>` (shown, never counted as a pass), and a file that could not be read is an `<error>`.
The output has no timestamps or durations, so the same outcomes always give the same bytes.

GitHub: `::error`, `::warning` and `::notice` lines that GitHub turns into annotations on the applicant
file, escaped as GitHub's own toolkit (@actions/core) escapes them, then a plain summary line per file.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from typing import TextIO

from haizhi_cli.engine import FileError, Finding, Outcome, Report, Status
from haizhi_cli.i18n import CATEGORY_LABELS, STATUS_LABELS, shown_path, visible
from haizhi_cli.reports._text import counts_text, report_verdict, shown_value

WORDS = {
    "zh": {
        "where": "位置", "key": "键", "read": "读到", "required": "要求", "category": "类别", "rule": "规则",
        "read_file": "读取申报文件", "error": "无法检查",
        "colon": "：", "summary": "{file}：{verdict}（{counts}）", "error_summary": "{file}：无法检查：{message}",
    },
    "en": {
        "where": "where", "key": "key", "read": "value read", "required": "required", "category": "category",
        "rule": "rule", "read_file": "read the applicant file",
        "error": "could not check", "colon": ": ", "summary": "{file}: {verdict} ({counts})",
        "error_summary": "{file}: could not check: {message}",
    },
}

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry at all, not even escaped."""


# JUnit XML


def write_junit(outcomes: Sequence[Outcome], out: TextIO | None = None, lang: str = "zh") -> None:
    """The outcomes as one JUnit XML document on `out` (stdout by default)."""
    root = junit_tree(outcomes, lang)
    ET.indent(root)
    stream = out or sys.stdout
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")


def junit_tree(outcomes: Sequence[Outcome], lang: str = "zh") -> ET.Element:
    """`<testsuites>` with a `<testsuite>` per file; every element's counts match its test cases."""
    root = ET.Element("testsuites", name="haizhi")
    for outcome in outcomes:
        suite = _report_suite(outcome, lang) if isinstance(outcome, Report) else _error_suite(outcome, lang)
        root.append(suite)
    _set_counts(root, root.iter("testcase"))
    return root


def _report_suite(report: Report, lang: str) -> ET.Element:
    suite = _element("testsuite", name=shown_path(report.file))
    for finding in report.findings:
        suite.append(_finding_case(report, finding, lang))
    _set_counts(suite, suite.iter("testcase"))
    return suite


def _finding_case(report: Report, finding: Finding, lang: str) -> ET.Element:
    """A test case named after the rule and its clause, grouped (classname) by the rule id's first part."""
    words = WORDS[lang]
    case = _element("testcase", classname=finding.rule.split(".", 1)[0], name=f"{finding.rule} {finding.clause}",
                    file=shown_path(report.file), line=None if finding.line is None else str(finding.line))
    details = _details(report, finding, lang)
    if finding.status is Status.failed:
        _sub(case, "failure", details, message=_located(finding, lang), type=finding.category.value)
    elif finding.status is Status.warn:
        _sub(case, "system-out", f"{STATUS_LABELS[Status.warn].text(lang)}{words['colon']}{details}")
    elif finding.status is Status.review:
        review = STATUS_LABELS[Status.review].text(lang)
        _sub(case, "skipped", details, message=f"{review}{words['colon']}{finding.message}")
    return case


def _located(finding: Finding, lang: str) -> str:
    """The message with the key and line it is about, for viewers that show only a failure's message."""
    cell = None if finding.cell is None or finding.message.startswith(finding.cell) else finding.cell
    where = [part for part in (cell, finding.field, _line_words(finding.line, lang)) if part]
    if not where:
        return finding.message
    return f"{finding.message}（{'，'.join(where)}）" if lang == "zh" else f"{finding.message} ({', '.join(where)})"


def _line_words(line: int | None, lang: str) -> str | None:
    if line is None:
        return None
    return f"第 {line} 行" if lang == "zh" else f"line {line}"


def _details(report: Report, finding: Finding, lang: str) -> str:
    """The message, then where it was found, the key and value read, the requirement and the category."""
    words = WORDS[lang]
    where = shown_path(report.file) + ("" if finding.line is None else f":{finding.line}")
    where += "" if finding.cell is None else f" {finding.cell}"
    lines = [finding.message, f"{words['where']}{words['colon']}{where}"]
    if finding.field is not None:
        lines.append(f"{words['key']}{words['colon']}{finding.field}")
    lines.append(f"{words['read']}{words['colon']}{shown_value(finding.actual, lang)}")
    if finding.required is not None:
        lines.append(f"{words['required']}{words['colon']}{finding.required}")
    lines.append(f"{words['category']}{words['colon']}{CATEGORY_LABELS[finding.category].text(lang)}")
    return "\n".join(lines)


def _error_suite(error: FileError, lang: str) -> ET.Element:
    """A file that could not be read: one test case in error, listing every problem with file:line:column."""
    suite = _element("testsuite", name=shown_path(error.file))
    case = _sub(suite, "testcase", None, classname="haizhi", name=WORDS[lang]["read_file"], file=shown_path(error.file),
                line=None if error.line is None else str(error.line))
    text = "\n".join(f"{where}: {message}" for where, message in _error_lines(error))
    _sub(case, "error", text, message=error.message, type="FileError")
    _set_counts(suite, suite.iter("testcase"))
    return suite


def _set_counts(element: ET.Element, cases: Iterator[ET.Element]) -> None:
    listed = list(cases)
    element.set("tests", str(len(listed)))
    for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, str(sum(1 for case in listed if case.find(tag) is not None)))


def _element(tag: str, **attributes: str | None) -> ET.Element:
    """An element whose attributes (those not None) are cleaned of what XML cannot hold."""
    return ET.Element(tag, {key: _xml(value) for key, value in attributes.items() if value is not None})


def _sub(parent: ET.Element, tag: str, text: str | None, **attributes: str | None) -> ET.Element:
    child = _element(tag, **attributes)
    child.text = None if text is None else _xml(text)
    parent.append(child)
    return child


def _xml(text: str) -> str:
    """Text for the XML report: acting characters (controls, U+202E…) shown escaped, and what XML still
    cannot carry replaced."""
    return _NOT_XML.sub("\ufffd", visible(text))


# GitHub Actions workflow commands


def write_github(outcomes: Sequence[Outcome], out: TextIO | None = None, lang: str = "zh") -> None:
    """An annotation per failed, warned or to-be-reviewed finding and per file error, then a summary per file."""
    stream = out or sys.stdout
    for line in github_lines(outcomes, lang):
        stream.write(line + "\n")


def github_lines(outcomes: Sequence[Outcome], lang: str = "zh") -> list[str]:
    commands = [command for outcome in outcomes for command in _commands(outcome, lang)]
    return commands + [_summary_line(outcome, lang) for outcome in outcomes]


COMMANDS = {Status.failed: "error", Status.warn: "warning", Status.review: "notice"}


def _commands(outcome: Outcome, lang: str) -> list[str]:
    if isinstance(outcome, FileError):
        return [workflow_command("error", message, file=shown_path(outcome.file), line=line, col=column)
                for (line, column), message in _error_details(outcome)]
    return [
        workflow_command(COMMANDS[f.status], _annotation(f, lang), file=shown_path(outcome.file), line=f.line,
                         title=f"{f.rule} {f.clause}")
        for f in outcome.findings if f.status in COMMANDS
    ]


def _annotation(finding: Finding, lang: str) -> str:
    """A review is a notice, so its message says that a reviewer must confirm it; a finding on a Word 申报表
    names its cell first (an annotation has a file and a line, and a form has no lines)."""
    message = finding.message_at_cell(WORDS[lang]["colon"])
    if finding.status is Status.review:
        return f"{STATUS_LABELS[Status.review].text(lang)}{WORDS[lang]['colon']}{message}"
    return message


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    """`::command key=value,...::message`, leaving out the properties that are None; every value escaped as
    the workflow-command rules require, and shown (acting characters such as ESC written `\x1b`)."""
    given = ",".join(f"{key}={escape_property(visible(str(value)))}" for key, value in properties.items()
                     if value is not None)
    return f"::{command}{' ' + given if given else ''}::{escape_data(visible(message))}"


def escape_data(text: str) -> str:
    """As @actions/core escapeData: the message of a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """As @actions/core escapeProperty: a property value also loses its `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _summary_line(outcome: Outcome, lang: str) -> str:
    """A plain line, never read as a command: it starts with a shown path (never `::`), and line breaks in a
    message become spaces."""
    words = WORDS[lang]
    if isinstance(outcome, FileError):
        text = words["error_summary"].format(file=shown_path(outcome.file), message=visible(outcome.message))
    else:
        text = words["summary"].format(file=shown_path(outcome.file), verdict=report_verdict(outcome, lang),
                                       counts=counts_text(outcome, lang))
    return " ".join(text.splitlines())


def _error_details(error: FileError) -> list[tuple[tuple[int | None, int | None], str]]:
    """Every problem of a file error with its line and column (the error itself when it has no details)."""
    details = error.details or [{"message": error.message, "line": error.line, "column": error.column}]
    return [((item.get("line"), item.get("column")), str(item["message"])) for item in details]


def _error_lines(error: FileError) -> list[tuple[str, str]]:
    """`file:line:column` (the known parts) and the message, for every problem of a file error."""
    return [(":".join(str(p) for p in (shown_path(error.file), line, column) if p is not None), message)
            for (line, column), message in _error_details(error)]

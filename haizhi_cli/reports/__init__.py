"""Reporters: how outcomes are shown (text, JSON, JUnit, GitHub, xlsx) and the generated rule pages.

May import: checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.reports._ci import write_github, write_junit
from haizhi_cli.reports._explain import write_explanation, write_rules_table
from haizhi_cli.reports._registry import REPORTER_BY_NAME, Reporter, ReportStyle, exit_code
from haizhi_cli.reports._text import (
    TEXT,
    escape_markup,
    make_console,
    report_verdict,
    write_json,
    write_text,
)
from haizhi_cli.reports._xlsx import write_summary

__all__ = [
    "REPORTER_BY_NAME",
    "TEXT",
    "ReportStyle",
    "Reporter",
    "escape_markup",
    "exit_code",
    "make_console",
    "report_verdict",
    "write_explanation",
    "write_github",
    "write_json",
    "write_junit",
    "write_rules_table",
    "write_summary",
    "write_text",
]

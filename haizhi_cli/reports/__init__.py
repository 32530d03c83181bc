"""Reporters: how outcomes are shown (text, JSON, JUnit, GitHub, xlsx) and the generated rule pages.

The registry and the text and JSON reporters load with the package; the concise, JUnit and GitHub writers, the xlsx
summary and `explain`'s printers load when first used (PEP 562 `__getattr__`), so that `haizhi check
--format json` pays for none of them.
May import: checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from haizhi_cli._lazy import loaded_when_used
from haizhi_cli.reports._registry import REPORTER_BY_NAME, Reporter, ReportStyle, default_format, exit_code
from haizhi_cli.reports._text import (
    TEXT,
    escape_markup,
    make_console,
    report_verdict,
    write_json,
    write_text,
)

if TYPE_CHECKING:
    from haizhi_cli.reports._ci import write_github, write_junit
    from haizhi_cli.reports._concise import write_concise
    from haizhi_cli.reports._explain import write_explanation, write_rules_table
    from haizhi_cli.reports._xlsx import write_summary

_LOADED_WHEN_USED = {
    "write_concise": "_concise", "write_github": "_ci", "write_junit": "_ci", "write_explanation": "_explain",
    "write_rules_table": "_explain", "write_summary": "_xlsx",
}

__getattr__ = loaded_when_used(__name__, _LOADED_WHEN_USED)


__all__ = [
    "REPORTER_BY_NAME",
    "TEXT",
    "ReportStyle",
    "Reporter",
    "default_format",
    "escape_markup",
    "exit_code",
    "make_console",
    "report_verdict",
    "write_concise",
    "write_explanation",
    "write_github",
    "write_json",
    "write_junit",
    "write_rules_table",
    "write_summary",
    "write_text",
]

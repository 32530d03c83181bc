"""`haizhi check` without its output: find applicant files, probe attachments, run the rules; and
`explain`, which runs each rule on its examples.

May import: engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.checking._attachments import AttachmentChanged, copy_probed, probe_one
from haizhi_cli.checking._discovery import Found, find_applicant_files
from haizhi_cli.checking._explaining import (
    ExampleRun,
    Explanation,
    PerType,
    RuleRow,
    by_type,
    describe_check,
    explain,
    rule_rows,
    types_label,
)
from haizhi_cli.checking._pipeline import (
    STDIN_NAME,
    CheckOptions,
    check_paths,
    check_standard_input,
    report_for,
)

__all__ = [
    "STDIN_NAME",
    "AttachmentChanged",
    "CheckOptions",
    "ExampleRun",
    "Explanation",
    "Found",
    "PerType",
    "RuleRow",
    "by_type",
    "check_paths",
    "check_standard_input",
    "copy_probed",
    "describe_check",
    "explain",
    "find_applicant_files",
    "probe_one",
    "report_for",
    "rule_rows",
    "types_label",
]

"""`haizhi check` without its output: find applicant files (and Word 申报表), probe attachments, run the
rules; and `explain`, which runs each rule on its examples. A 申报表 is read by a reader the caller passes
(`CheckOptions.read_form`): checking and authoring are one layer and do not import each other.
`explain`'s names load when first used (PEP 562 `__getattr__`): a check pays for none of them.

May import: engine, applicant, outputs, errors, i18n.
"""

from typing import TYPE_CHECKING

from haizhi_cli._lazy import loaded_when_used
from haizhi_cli.checking._attachments import (
    MAX_ATTACHMENT_BYTES,
    AttachmentChanged,
    copy_probed,
    file_digest,
    probe_one,
    pypdf_remarks_silenced,
)
from haizhi_cli.checking._discovery import Found, find_applicant_files
from haizhi_cli.checking._form_attachments import is_form
from haizhi_cli.checking._forms import FormReader, ReadForm, cell_name
from haizhi_cli.checking._pipeline import (
    STDIN_NAME,
    CheckOptions,
    check_bytes,
    check_paths,
    check_standard_input,
    report_and_files,
    report_for,
)

if TYPE_CHECKING:
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

__getattr__ = loaded_when_used(__name__, dict.fromkeys(
    ["ExampleRun", "Explanation", "PerType", "RuleRow", "by_type", "describe_check", "explain", "rule_rows",
     "types_label"], "_explaining"))

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "STDIN_NAME",
    "AttachmentChanged",
    "CheckOptions",
    "ExampleRun",
    "Explanation",
    "FormReader",
    "Found",
    "PerType",
    "ReadForm",
    "RuleRow",
    "by_type",
    "cell_name",
    "check_bytes",
    "check_paths",
    "check_standard_input",
    "copy_probed",
    "describe_check",
    "explain",
    "file_digest",
    "find_applicant_files",
    "is_form",
    "probe_one",
    "pypdf_remarks_silenced",
    "report_and_files",
    "report_for",
    "rule_rows",
    "types_label",
]

"""The applicant file: its pydantic models, its strict YAML loading, and the 申报表's layout.

The models hold no I/O; loading turns every problem into `path.to.key（第 N 行）：message`.
May import: outputs, errors, i18n.
"""

from haizhi_cli.applicant._form import (
    ATTACHMENT_KEYS,
    BASIC_INFO,
    BASIC_INFO_HEADING,
    LATER_HEADINGS,
    OPINION_LINES,
    OPINION_UNIT_NAME,
    OPINIONS,
    OPINIONS_HEADING,
    OTHER_MATERIALS,
    OTHER_MATERIALS_HEADING,
    PROMISE,
    PROMISE_HEADING,
    PROMISE_SIGNATURE,
    SECTIONS,
    SIGNED_DATE,
    Opinion,
    OtherMaterial,
    cell_text,
    plain_decimal,
)
from haizhi_cli.applicant._identifiers import credit_code_problem, credit_code_problem_kind
from haizhi_cli.applicant._loading import (
    MAX_FILE_BYTES,
    KeyPath,
    LoadedApplicant,
    YamlDocument,
    load_applicant,
    read_yaml,
    validation_error,
)
from haizhi_cli.applicant._models import (
    CODE_LABELS,
    INVISIBLE_CHARACTERS,
    MAX_NUMBER,
    MAX_TEXT_CHARS,
    NONE_MARK,
    Applicant,
    BaseType,
)
from haizhi_cli.applicant._wordcount import count_chars

__all__ = [
    "ATTACHMENT_KEYS",
    "BASIC_INFO",
    "BASIC_INFO_HEADING",
    "CODE_LABELS",
    "INVISIBLE_CHARACTERS",
    "LATER_HEADINGS",
    "MAX_FILE_BYTES",
    "MAX_NUMBER",
    "MAX_TEXT_CHARS",
    "NONE_MARK",
    "OPINIONS",
    "OPINIONS_HEADING",
    "OPINION_LINES",
    "OPINION_UNIT_NAME",
    "OTHER_MATERIALS",
    "OTHER_MATERIALS_HEADING",
    "PROMISE",
    "PROMISE_HEADING",
    "PROMISE_SIGNATURE",
    "SECTIONS",
    "SIGNED_DATE",
    "Applicant",
    "BaseType",
    "KeyPath",
    "LoadedApplicant",
    "Opinion",
    "OtherMaterial",
    "YamlDocument",
    "cell_text",
    "count_chars",
    "credit_code_problem",
    "credit_code_problem_kind",
    "load_applicant",
    "plain_decimal",
    "read_yaml",
    "validation_error",
]

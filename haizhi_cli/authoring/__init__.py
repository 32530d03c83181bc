"""Files a user starts from: the JSON Schema, `init`'s annotated skeleton, and `import` of a filled 申报表.

May import: engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.authoring._form_reading import warning_field
from haizhi_cli.authoring._importing import ImportResult, import_form, write_import
from haizhi_cli.authoring._schema import (
    applicant_schema,
    property_nodes,
    requirements,
    resolve,
    schema_text,
    value_kind,
)
from haizhi_cli.authoring._skeleton import PLACEHOLDER, applicant_text, skeleton_text, write_skeleton

__all__ = [
    "PLACEHOLDER",
    "ImportResult",
    "applicant_schema",
    "applicant_text",
    "import_form",
    "property_nodes",
    "requirements",
    "resolve",
    "schema_text",
    "skeleton_text",
    "value_kind",
    "warning_field",
    "write_import",
    "write_skeleton",
]

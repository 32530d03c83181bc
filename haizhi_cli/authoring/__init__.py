"""Files a user starts from: the JSON Schema, `init`'s annotated skeleton, and `import` of a filled 申报表.

May import: engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.authoring._importing import import_form, write_import
from haizhi_cli.authoring._schema import schema_text
from haizhi_cli.authoring._skeleton import PLACEHOLDER, write_skeleton

__all__ = ["PLACEHOLDER", "import_form", "schema_text", "write_import", "write_skeleton"]

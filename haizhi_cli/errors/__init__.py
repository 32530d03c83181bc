"""The errors haizhi raises for what a user gave it (exit status 2) and where in a file they are.

May import: i18n.
"""

from haizhi_cli.errors._errors import (
    ApplicantFileError,
    HaizhiError,
    Location,
    RuleFileError,
    UsageError,
    UserInputError,
    defect_message,
)

__all__ = [
    "ApplicantFileError", "HaizhiError", "Location", "RuleFileError", "UsageError", "UserInputError", "defect_message",
]

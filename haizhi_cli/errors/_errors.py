"""The error hierarchy. Every error a user can cause carries a Chinese message and a location."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from haizhi_cli.i18n import shown_path, tr


@dataclass(frozen=True)
class Location:
    """Where in a file something went wrong; line and column are 1-based."""

    file: Path | None = None
    line: int | None = None
    column: int | None = None

    def describe(self) -> str:
        """``path:line:column`` with the parts that are known."""
        parts = [shown_path(self.file) if self.file else tr("<输入>")]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class HaizhiError(Exception):
    """Base of every error haizhi raises on purpose."""


class UserInputError(HaizhiError):
    """Input that does not fit: the message says what is wrong and what to do."""

    def __init__(self, message: str, location: Location | None = None,
                 details: tuple[tuple[str, Location], ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.details = details or ((message, self.location),)

    def __str__(self) -> str:
        """Each problem after its place; a problem with no place (a command-line value) is just the message."""
        return "\n".join(f"{loc.describe()}: {msg}" if loc != Location() else msg for msg, loc in self.details)


class ApplicantFileError(UserInputError):
    """The applicant file cannot be read or does not fit format 1."""


class RuleFileError(UserInputError):
    """A rule file of a round is broken; this is a defect of the rules, not of the applicant."""


class UsageError(UserInputError):
    """A command-line argument that cannot be used (unknown option value, missing file)."""


def defect_message(exc: BaseException) -> str:
    """What a user is told of an exception haizhi did not expect: whose fault it is and how to report it."""
    return tr("haizhi 内部错误：{kind}: {exc}\n这是 haizhi 的缺陷，不是您的文件的问题；"
              "设置 HAIZHI_DEBUG=1 可看到详细信息，请附上报告。", kind=type(exc).__name__, exc=exc)

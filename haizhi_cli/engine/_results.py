"""What a check produces: findings and reports. Plain data, printed by the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    passed = "pass"
    failed = "fail"
    warn = "warn"
    review = "review"


class Category(StrEnum):
    eligibility = "eligibility"
    materials = "materials"
    form = "form"
    process = "process"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule applied to one applicant (or to one file of it)."""

    rule: str
    clause: str
    category: Category
    status: Status
    message: str
    actual: Any = None
    required: str | None = None
    field: str | None = None
    line: int | None = None
    cell: str | None = None
    """Where on a Word 申报表 the finding is (申报表一 “服务场所面积”), when a form was checked, not a file."""

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        """Pickled as the call that makes it: a batch's workers send some fifty findings a file, and the slotted
        dataclass's own state method looks the fields up for each one (a report took 256 µs to pickle, 74 µs
        so)."""
        return Finding, (self.rule, self.clause, self.category, self.status, self.message, self.actual,
                         self.required, self.field, self.line, self.cell)

    def at_line(self, line: int | None) -> Finding:
        """This finding placed at `line`: `dataclasses.replace` without its field-by-field introspection,
        which a batch of a thousand files pays some fifty thousand times."""
        return Finding(self.rule, self.clause, self.category, self.status, self.message, self.actual,
                       self.required, self.field, line, self.cell)

    def message_at_cell(self, colon: str) -> str:
        """The message with the form's cell before it, for formats that have no place of their own for it;
        as it is when there is no cell or the message already starts with it."""
        if self.cell is None or self.message.startswith(self.cell):
            return self.message
        return f"{self.cell}{colon}{self.message}"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule, "clause": self.clause, "category": self.category.value,
            "status": self.status.value, "message": self.message,
            "actual": self.actual, "required": self.required,
        }
        if self.field is not None:
            data["field"] = self.field
        if self.line is not None:
            data["line"] = self.line
        if self.cell is not None:
            data["cell"] = self.cell
        return data


@dataclass(frozen=True, slots=True)
class Report:
    """The findings for one applicant file."""

    file: str
    round: int
    base_type: str
    base_name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        """No eligibility finding failed."""
        return not any(f.status is Status.failed and f.category is Category.eligibility for f in self.findings)

    @property
    def complete(self) -> bool:
        """No finding of another category failed."""
        return not any(f.status is Status.failed and f.category is not Category.eligibility for f in self.findings)

    @property
    def failed(self) -> bool:
        return any(f.status is Status.failed for f in self.findings)

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status is status)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "round": self.round, "base_type": self.base_type,
            "base_name": self.base_name, "eligible": self.eligible, "complete": self.complete,
            "findings": [f.as_json() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be read or does not fit the format (exit status 2)."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    details: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "line": self.line, "column": self.column}
        if len(self.details) > 1:
            error["details"] = self.details
        return {"file": self.file, "error": error}


Outcome = Report | FileError

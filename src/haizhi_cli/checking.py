"""The check pipeline: load an applicant, gather file facts, run the round's rules, build a report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from haizhi_cli import attachments
from haizhi_cli.engine import evaluate
from haizhi_cli.errors import UserInputError
from haizhi_cli.loading import KeyPath, LoadedApplicant, load_applicant
from haizhi_cli.operators import Context, attachment_paths
from haizhi_cli.results import FileError, Finding, Outcome, Report
from haizhi_cli.rules import RuleSet, available_rounds, load_round

ATTACHMENT_FIELDS = [
    "attachments.support_letter", "attachments.proofs", "attachments.overseas_contacts",
    "attachments.partner_agreements", "attachments.policy_documents",
]


@dataclass(frozen=True)
class CheckOptions:
    as_of: dt.date
    lang: str = "zh"
    rules_root: Path | None = None


def check_paths(paths: Iterable[Path], options: CheckOptions) -> list[Outcome]:
    """A report, or the error that stopped it, for every file."""
    return [check_or_error(path, options) for path in paths]


def check_or_error(path: Path, options: CheckOptions) -> Outcome:
    """One file's report, or its error: a file that cannot be checked never stops the others."""
    try:
        return check_file(path, options)
    except UserInputError as exc:
        return file_error(path, exc)
    except RecursionError:
        return FileError(str(path), "文件结构过于复杂，无法检查")
    except Exception as exc:  # a defect of haizhi: reported for this file, the batch goes on
        return FileError(str(path), f"haizhi 内部错误（{type(exc).__name__}: {exc}），请附上此文件报告问题")


def check_file(path: Path, options: CheckOptions) -> Report:
    """Check one applicant file; a file that cannot be read raises UserInputError."""
    loaded = load_applicant(path, available_rounds(options.rules_root))
    ruleset = load_round(loaded.applicant.round, options.rules_root)
    return report_for(loaded, ruleset, options)


def report_for(loaded: LoadedApplicant, ruleset: RuleSet, options: CheckOptions) -> Report:
    applicant = loaded.applicant
    context = build_context(loaded, options.as_of)
    findings = evaluate(ruleset, applicant.base_type, context, options.lang)
    located = [_with_line(finding, loaded) for finding in findings]
    return Report(str(loaded.path), applicant.round, applicant.base_type.value, applicant.base_name, located)


def build_context(loaded: LoadedApplicant, as_of: dt.date) -> Context:
    """Plain applicant data plus the facts of every attachment file it names."""
    data = loaded.applicant.model_dump(mode="python")
    paths = [path for _, path in attachment_paths(data, ATTACHMENT_FIELDS)]
    files = attachments.probe(loaded.path.parent, paths)
    return Context(data=data, files=files, as_of=as_of)


def _with_line(finding: Finding, loaded: LoadedApplicant) -> Finding:
    if finding.field is None:
        return finding
    line = loaded.document.location(key_path(finding.field)).line
    return dataclasses.replace(finding, line=line)


def key_path(field: str) -> KeyPath:
    """`attachments.proofs[0].file` → ("attachments", "proofs", 0, "file")."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return tuple(parts)


def file_error(path: Path, exc: UserInputError) -> FileError:
    """The error for the applicant file; one that lies in another file (a rule file) names that file."""
    elsewhere = exc.location.file is not None and exc.location.file.resolve() != path.resolve()
    if elsewhere:
        return FileError(str(path), f"规则文件有误，无法检查：{exc}")
    details = [
        {"message": message, "line": loc.line, "column": loc.column} for message, loc in exc.details
    ]
    return FileError(str(path), exc.message, exc.location.line, exc.location.column, details)

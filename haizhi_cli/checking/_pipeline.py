"""The check pipeline: load an applicant, gather file facts, run the round's rules, build a report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from haizhi_cli.applicant import KeyPath, LoadedApplicant, load_applicant
from haizhi_cli.checking import _attachments as attachments
from haizhi_cli.checking._form_attachments import is_form
from haizhi_cli.checking._forms import ATTACHMENT_FIELDS, FormReader, check_form
from haizhi_cli.engine import (
    Context,
    FileError,
    FileFact,
    Finding,
    Outcome,
    Report,
    RuleSet,
    attachment_paths,
    available_rounds,
    evaluate,
    fields_read,
    load_round,
)
from haizhi_cli.errors import UsageError, UserInputError
from haizhi_cli.i18n import speaking, tr


@dataclass(frozen=True)
class CheckOptions:
    as_of: dt.date
    lang: str = "zh"
    rules_root: Path | None = None
    read_form: FormReader | None = None
    """How a Word 申报表 is read (`authoring.import_form`, given by the command line, since checking may not
    import authoring); None: a .docx is refused."""


def check_paths(paths: Iterable[Path], options: CheckOptions, jobs: int = 1,
                on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """A report, or the error that stopped it, for every file, in the order given."""
    outcomes: list[Outcome] = []
    with attachments.reading_each_file_once():
        for outcome in _outcomes(list(paths), options, jobs):
            outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome)
    return outcomes


def _outcomes(paths: list[Path], options: CheckOptions, jobs: int) -> Iterator[Outcome]:
    """Checked in this process, or spread over at most `jobs` worker processes (`worker_count`), each ending
    with this process (`start_worker`); results keep the given order."""
    workers = _worker_count(jobs, len(paths))
    if workers <= 1:
        yield from (check_or_error(path, options) for path in paths)
        return
    from concurrent.futures import ProcessPoolExecutor  # here, not at the top: a single check never needs it

    from haizhi_cli.checking._workers import start_worker

    chunk = max(1, len(paths) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        yield from pool.map(check_or_error, paths, [options] * len(paths), chunksize=chunk)


def _worker_count(jobs: int, files: int) -> int:
    """`worker_count`, without loading the workers' module (and ctypes) for a single check."""
    if jobs < 2 or files < 2:
        return 1
    from haizhi_cli.checking._workers import worker_count

    return worker_count(jobs, files)


def check_or_error(path: Path, options: CheckOptions) -> Outcome:
    """One file's report, or its error, in the options' language: a file that cannot be checked never stops
    the others. A worker process reads each shared PDF once for its batch (`remember_read_files`)."""
    with speaking(options.lang):
        return _check_or_error(path, options)


def _check_or_error(path: Path, options: CheckOptions) -> Outcome:
    try:
        return check_file(path, options)
    except UserInputError as exc:
        return file_error(path, exc)
    except RecursionError:
        return FileError(str(path), tr("文件结构过于复杂，无法检查"))
    except Exception as exc:  # a defect of haizhi: reported for this file, the batch goes on
        return FileError(str(path), tr("haizhi 内部错误（{kind}: {exc}），请附上此文件报告问题",
                                       kind=type(exc).__name__, exc=exc))


def check_file(path: Path, options: CheckOptions) -> Report:
    """Check one applicant file, or one Word 申报表; a file that cannot be read raises UserInputError."""
    if is_form(path):
        return _check_form(path, options)
    loaded = load_applicant(path, available_rounds(options.rules_root))
    ruleset = load_round(loaded.applicant.round, options.rules_root)
    return report_for(loaded, ruleset, options)


def _check_form(path: Path, options: CheckOptions) -> Report:
    if options.read_form is None:
        raise UsageError(tr("此处不能检查 Word 申报表：{path}", path=path))

    def run_rules(loaded: LoadedApplicant) -> tuple[list[Finding], dict[str, list[str]]]:
        ruleset = load_round(loaded.applicant.round, options.rules_root)
        base_type = loaded.applicant.base_type
        fields = {rule.id: fields_read(rule, base_type) for rule in ruleset.for_type(base_type)}
        return report_for(loaded, ruleset, options).findings, fields

    return check_form(path, options.read_form, run_rules, options.rules_root)


STDIN_NAME = "<stdin>"
"""How reports name an applicant file read from standard input (`haizhi check -`)."""


def check_standard_input(data: bytes, options: CheckOptions) -> Outcome:
    """`haizhi check -`: the applicant file given on standard input, named `<stdin>` in the report, its
    attachments found from the current folder (as a file there would have them)."""
    return check_bytes(data, Path(STDIN_NAME), options)


def check_bytes(data: bytes, path: Path, options: CheckOptions) -> Outcome:
    """The bytes of an applicant file checked as if they were the file at `path` (its name in the report, its
    attachments found from its folder), without writing there. The bytes are read through a private
    temporary copy, so they go through every check a file does (size, encoding, YAML limits)."""
    import tempfile

    with speaking(options.lang), tempfile.TemporaryDirectory(prefix="haizhi-stdin-") as folder:
        copy = Path(folder) / "stdin.yaml"
        copy.write_bytes(data)
        try:
            loaded = load_applicant(copy, available_rounds(options.rules_root))
            here = LoadedApplicant(dataclasses.replace(loaded.document, path=path), loaded.applicant)
            return report_for(here, load_round(loaded.applicant.round, options.rules_root), options)
        except UserInputError as exc:
            return dataclasses.replace(file_error(copy, exc), file=str(path))


def report_for(loaded: LoadedApplicant, ruleset: RuleSet, options: CheckOptions) -> Report:
    return report_and_files(loaded, ruleset, options)[0]


def report_and_files(loaded: LoadedApplicant, ruleset: RuleSet,
                     options: CheckOptions) -> tuple[Report, Mapping[str, FileFact]]:
    """The report, and what each attachment path named was when the rules read it: a build copies those
    very files (`copy_probed`) rather than probing them a second time."""
    applicant = loaded.applicant
    context = build_context(loaded, options.as_of)
    findings = evaluate(ruleset, applicant.base_type, context, options.lang)
    located = [_with_line(finding, loaded) for finding in findings]
    report = Report(str(loaded.path), applicant.round, applicant.base_type.value, applicant.base_name, located)
    return report, context.files


def build_context(loaded: LoadedApplicant, as_of: dt.date) -> Context:
    """Plain applicant data plus the facts of every attachment file it names."""
    data = loaded.applicant.model_dump(mode="python")
    paths = [path for _, path in attachment_paths(data, ATTACHMENT_FIELDS)]
    files = attachments.probe(loaded.path.parent, paths)
    return Context(data=data, files=files, as_of=as_of, line_of=lambda key: key_line(loaded, key))


def key_line(loaded: LoadedApplicant, field: str) -> int | None:
    """The line of `field` in the applicant file, or of its nearest enclosing key; None when the file holds
    neither (data changed in memory, as an example of `haizhi explain` is)."""
    found = loaded.document.position(key_path(field))
    return found[0] if found else None


def _with_line(finding: Finding, loaded: LoadedApplicant) -> Finding:
    if finding.field is None:
        return finding
    line = loaded.document.location(key_path(finding.field)).line
    return finding.at_line(line)


@functools.lru_cache(maxsize=1024)
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
        return FileError(str(path), tr("规则文件有误，无法检查：{exc}", exc=exc))
    details = [
        {"message": message, "line": loc.line, "column": loc.column} for message, loc in exc.details
    ]
    return FileError(str(path), exc.message, exc.location.line, exc.location.column, details)

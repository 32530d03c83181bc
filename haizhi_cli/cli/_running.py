"""What each command does, between the command line and the core: find the files, run the core, pick a
reporter, write the outputs. The command functions in _app.py call one function here each.

Reporters and writers are imported inside the functions that use them, so `haizhi check --format json`
loads neither rich nor the document and spreadsheet libraries.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from haizhi_cli.checking import (
    CheckOptions,
    Found,
    ReadForm,
    check_paths,
    check_standard_input,
    find_applicant_files,
    is_form,
)
from haizhi_cli.engine import FileError, Outcome
from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import joined, tr
from haizhi_cli.reports import REPORTER_BY_NAME, ReportStyle, exit_code

if TYPE_CHECKING:
    from haizhi_cli.engine import RuleSet
    from haizhi_cli.packet import BuildOptions

__all__ = [
    "ReportStyle",
    "applicant_or_default",
    "build",
    "build_blank",
    "check_with_progress",
    "exit_code",
    "explain",
    "import_form",
    "init",
    "list_rules",
    "read_form",
    "reader_may_leave",
    "refuse_both",
    "refuse_summary_overwrite",
    "report",
    "schema",
    "sign",
    "write_summary",
]

SKIPPED_SHOWN = 5
"""How many passed-over YAML files a note names before it says 等."""

STDIN = "-"
"""The path that means standard input (`check -`) or standard output (`-o -`)."""

DEFAULT_APPLICANT = Path("applicant.yaml")
"""The applicant file of `build-packet` when none is named: the one in the current folder."""


def rules_root_option(folder: Path | None) -> Path | None:
    """`--rules DIR`: a folder of rounds (`DIR/2024/`), or one round's folder named by its year."""
    if folder is None:
        return None
    if not folder.is_dir():
        raise UsageError(tr("规则文件夹 {folder} 不存在或不是文件夹", folder=folder))
    if (folder / "facts.yaml").is_file():
        if not folder.name.isdigit():
            raise UsageError(tr("规则文件夹 {folder} 含 facts.yaml，但文件夹名不是申报年度（如 2024）；"
                                "请把它命名为年度，或给出它的上一级文件夹", folder=folder))
        return folder.parent
    if not any(p.is_dir() and p.name.isdigit() and (p / "facts.yaml").is_file() for p in folder.iterdir()):
        raise UsageError(tr("规则文件夹 {folder} 中没有任何申报年度（应有 2024/facts.yaml 这样的子文件夹）",
                            folder=folder))
    return folder


def refuse_both(exit_zero: bool, strict: bool) -> None:
    if exit_zero and strict:
        raise UsageError(tr("--exit-zero 与 --strict 不能同时使用：前者从不因结果失败，后者连警告也算失败"))


def check_with_progress(paths: Sequence[Path], options: CheckOptions, jobs: int, no_color: bool) -> list[Outcome]:
    """Find the applicant files, then check them all, with a progress bar on a terminal for a batch; `-`
    alone is the applicant file on standard input."""
    if any(str(path) == STDIN for path in paths):
        if len(paths) > 1:
            raise UsageError(tr("- （标准输入）只能单独给出，不能与其他文件或文件夹一起检查"))
        return [check_standard_input(sys.stdin.buffer.read(), options)]
    found = find_applicant_files(paths)
    _note_skipped(found)
    message = tr("文件夹中没有申报文件（含顶层 format: 键的 .yaml/.yml 文件）")
    empty: list[Outcome] = [FileError(str(folder), message) for folder in found.empty]
    with _progress(len(found.files), no_color) as advance:
        return empty + check_paths(found.files, options, jobs, on_done=advance)


def _note_skipped(found: Found) -> None:
    """Say which YAML and Word files below the folders were passed over: nothing is left out silently."""
    words = [path for path in found.skipped if is_form(path)]
    yamls = [path for path in found.skipped if not is_form(path)]
    if yamls:
        sys.stderr.write(tr("注意：跳过 {count} 个不是申报文件的 YAML 文件（没有顶层 format: 键）：{names}{more}",
                            count=len(yamls), **_some(yamls)) + "\n")
    if words:
        sys.stderr.write(tr("注意：跳过 {count} 个文件名不含“申报表”的 Word 文件：{names}{more}",
                            count=len(words), **_some(words)) + "\n")


def _some(paths: list[Path]) -> dict[str, str]:
    return {"names": joined(str(p) for p in paths[:SKIPPED_SHOWN]),
            "more": tr(" 等") if len(paths) > SKIPPED_SHOWN else ""}


def read_form(path: Path, rules_root: Path | None) -> ReadForm:
    """How `check` reads a Word 申报表: as `import` does (a function of this module, so that a worker of
    `--jobs` gets it by name; authoring is imported only when a form is read)."""
    from haizhi_cli.authoring import import_form as read_form_as_import

    return read_form_as_import(path, rules_root)


def _progress(total: int, no_color: bool) -> AbstractContextManager[Callable[[Outcome], None]]:
    """A progress bar on stderr when it is a terminal and there is more than one file; else nothing."""
    if total < 2 or not sys.stderr.isatty():
        return nullcontext(lambda _outcome: None)
    from haizhi_cli.cli._progress import progress_bar

    return progress_bar(total, tr("正在检查"), no_color)


def report(outcomes: Sequence[Outcome], output_format: str, style: ReportStyle, lang: str) -> None:
    """Print the outcomes in the chosen format on stdout (a reader that stops early changes nothing else)."""
    with reader_may_leave():
        REPORTER_BY_NAME[output_format](outcomes, lang, style)


@contextmanager
def reader_may_leave() -> Iterator[None]:
    """Output to a reader that may stop early (`| head`): when it does, the rest of the output is dropped
    and the run goes on, so its exit status is the one it would have had (as `git log | head`)."""
    try:
        yield
    except BrokenPipeError:
        drop_standard_output()


def drop_standard_output() -> None:
    """Send what is still written to stdout nowhere, so that neither later writes nor Python's final flush
    complain about the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file (a test's captured stdout)
        pass


def refuse_summary_overwrite(path: Path | None, force: bool) -> None:
    """Refuse a --summary file that is not .xlsx, or that exists (without --force), before checking, not after
    a long batch."""
    if path is None:
        return
    if path.suffix.lower() != ".xlsx":
        raise UsageError(tr("汇总表只写为 Excel 文件（.xlsx，WPS 也可打开）：{path} 不以 .xlsx 结尾；"
                            "请改为如 汇总.xlsx 的文件名（逐项结果的文本可用 --format concise 或 json 输出）",
                            path=path))
    from haizhi_cli.outputs import refuse_overwrite

    refuse_overwrite(path, force)


def write_summary(outcomes: Sequence[Outcome], path: Path, options: CheckOptions, force: bool) -> None:
    """The Excel summary for a reviewer, then where it is."""
    from haizhi_cli.reports import write_summary as write_xlsx

    write_xlsx(outcomes, path, options.lang, force=force, rules_root=options.rules_root)
    sys.stderr.write(tr("已写出汇总表 {path}", path=path) + "\n")


def build(path: Path, options: BuildOptions, lang: str) -> int:
    """Build the packet and print what was written; the exit status (1 when the check refused the build)."""
    from haizhi_cli.cli._build_display import build_with_progress, write_build_summary
    from haizhi_cli.packet import BuildRefused
    from haizhi_cli.reports import write_text

    try:
        result = build_with_progress(path, options)
    except BuildRefused as refused:  # the reason first, then the findings that are the reason
        sys.stderr.write(tr("错误：{message}", message=refused) + "\n")
        sys.stderr.flush()
        with reader_may_leave():
            write_text([refused.report], lang)
        return 1
    with reader_may_leave():
        if result.report.failed:  # a draft of an applicant that is not ready: say why, every time
            write_text([result.report], lang)
        write_build_summary(result, lang=lang)
    for note in result.notes:
        sys.stderr.write(note + "\n")
    return 0


def sign(folder: Path, scans: Path, pages: str | None, out: Path | None, force: bool) -> None:
    """Write the signed packet and say which pages were replaced."""
    from haizhi_cli.packet import sign_packet

    result = sign_packet(folder, scans, pages, out, force)
    sys.stderr.write(tr("已写出签章版 {path}：共 {pages} 页，替换了第 {replaced} 页（SHA-256 {sha}）",
                        path=result.out, pages=result.pages, replaced=joined(result.replaced),
                        sha=result.sha256[:12]) + "\n")


def applicant_or_default(file: Path | None) -> Path:
    """The applicant file named, else applicant.yaml here; with neither, point at --blank as well."""
    if file is not None:
        return file
    if not DEFAULT_APPLICANT.exists():
        raise UsageError(tr("没有给出申报文件，当前文件夹中也没有 {default}；请给出申报文件，"
                            "或加 --blank 只写一份空白申报表", default=DEFAULT_APPLICANT))
    return DEFAULT_APPLICANT


def build_blank(file: Path | None, out: Path, force: bool, rules_root: Path | None) -> None:
    """`build-packet --blank`: the empty 申报表 in OUT, then where it is and how it comes back."""
    from haizhi_cli.documents import write_blank_form

    if file is not None:
        raise UsageError(tr("--blank 只写空白申报表，不读申报文件；请去掉 {file}，或去掉 --blank", file=file))
    written = write_blank_form(out, force, rules_root=rules_root)
    for path in written:
        sys.stderr.write(tr("已写出 {path}", path=path) + "\n")
    sys.stderr.write(tr("下一步：在 Word 或 WPS 中填写 {path}，然后运行 haizhi import {path} -o applicant.yaml",
                        path=written[0]) + "\n")


def import_form(path: Path, out: Path | None, force: bool, rules_root: Path | None) -> None:
    """`haizhi import`: the applicant file read from a 申报表, on stdout or into OUT; each warning a line on stderr.

    The warnings go to stderr in either case, so `haizhi import 申报表.docx > applicant.yaml` keeps the YAML clean
    and still shows them (the file's header comments list them too, in Chinese).
    """
    from haizhi_cli.authoring import import_form as read_form
    from haizhi_cli.authoring import write_import

    result = read_form(path, rules_root)
    out = None if out is None or str(out) == STDIN else out
    if out is None:
        with reader_may_leave():
            sys.stdout.write(result.text)
    else:
        write_import(result, out, force)
    for warning in result.warnings:
        sys.stderr.write(tr("{path}: 提示: {warning}", path=path, warning=" ".join(warning.splitlines())) + "\n")
    if out is not None:
        _say_imported(out, len(result.warnings))


def _say_imported(out: Path, warnings: int) -> None:
    from haizhi_cli.authoring import PLACEHOLDER

    sys.stderr.write(tr("已写出 {path}，读取时的提示 {count} 条", path=out, count=warnings) + "\n")
    sys.stderr.write(tr("下一步：核对提示，把“{placeholder}”等占位内容改为真实情况，然后运行 haizhi check {out}",
                        placeholder=PLACEHOLDER, out=out) + "\n")


def init(out: Path, base_type: str, schema_url: str | None, force: bool, rules_root: Path | None) -> None:
    """Write the commented skeleton of the latest round (and the schema beside it), then say what to do next;
    a type the round does not open has no skeleton (a usage error)."""
    from haizhi_cli.applicant import BaseType
    from haizhi_cli.authoring import write_skeleton

    written = write_skeleton(out, BaseType(base_type), schema_url, force, rules_root=rules_root)
    for path in written:
        sys.stderr.write(tr("已写出 {path}", path=path) + "\n")
    sys.stderr.write(tr("下一步：按注释填写 {out}，然后运行 haizhi check {out}", out=out) + "\n")


def schema(out: Path | None, force: bool, rules_root: Path | None) -> None:
    """The JSON Schema of format 1, on stdout or into a file."""
    from haizhi_cli.authoring import schema_text
    from haizhi_cli.outputs import write_file_atomically

    text = schema_text(_ruleset(None, rules_root).round, rules_root)
    if out is None or str(out) == STDIN:
        with reader_may_leave():
            sys.stdout.write(text)
    else:
        write_file_atomically(out, text.encode("utf-8"), force)
        sys.stderr.write(tr("已写出 {path}", path=out) + "\n")


def list_rules(round_: int | None, base_type: str | None, rules_root: Path | None, lang: str, no_color: bool) -> None:
    from haizhi_cli.applicant import BaseType
    from haizhi_cli.checking import rule_rows
    from haizhi_cli.reports import make_console, write_rules_table

    ruleset = _ruleset(round_, rules_root)
    rows = rule_rows(ruleset, BaseType(base_type) if base_type else None)
    with reader_may_leave():
        write_rules_table(rows, lang, make_console(no_color=no_color))


def explain(rule_id: str, round_: int | None, rules_root: Path | None, lang: str, no_color: bool) -> None:
    from haizhi_cli.checking import explain as explain_rule
    from haizhi_cli.reports import make_console, write_explanation

    explanation = explain_rule(_ruleset(round_, rules_root), rule_id, lang)
    with reader_may_leave():
        write_explanation(explanation, lang, make_console(no_color=no_color))


def _ruleset(round_: int | None, rules_root: Path | None) -> RuleSet:
    """The rules of `round_`, by default the latest round of the rules folder (a new round is a new folder)."""
    from haizhi_cli.engine import available_rounds, load_round, round_or_latest

    rounds = available_rounds(rules_root)
    round_ = round_or_latest(round_, rules_root)
    if round_ not in rounds:
        raise UsageError(tr("没有 {round} 年度的规则；可用的申报年度：{rounds}", round=round_,
                            rounds=joined(map(str, rounds))))
    return load_round(round_, rules_root)

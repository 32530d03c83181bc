"""`build-packet`: check the applicant, plan the packet, then carry the plan out and write it all atomically.

What the packet holds is decided first, without I/O (`_packet_plan`); the writer here renders, copies and
binds what the plan says, in its order. Everything is written into a temporary folder beside OUT and renamed
into place only when complete, so a failed or interrupted build leaves an existing OUT as it was. An
existing OUT is replaced only with --force, and only when haizhi built it; the final move never replaces a
folder that appeared at OUT during the build (`_placing`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pypdf import PdfReader

from haizhi_cli import __version__
from haizhi_cli.applicant import Applicant, LoadedApplicant, load_applicant
from haizhi_cli.checking import CheckOptions, copy_probed, file_digest, probe_one, report_and_files
from haizhi_cli.documents import Document, composing
from haizhi_cli.engine import FileFact, Report, RoundFacts, available_rounds, load_round
from haizhi_cli.errors import HaizhiError, Location, UsageError
from haizhi_cli.i18n import Localized, tr
from haizhi_cli.outputs import build_time
from haizhi_cli.packet._binding import Part, bind, page_count, without_own_page_numbers
from haizhi_cli.packet._packet_plan import (
    CHECK_REPORT_FILE,
    FORM,
    MANIFEST_FILE,
    PACKET_FILE,
    AttachedFile,
    BoundPart,
    GeneratedDocument,
    PacketPlan,
    Role,
    attachment_files,
    plan_packet,
)
from haizhi_cli.packet._placing import place, replaceable
from haizhi_cli.packet._sections import form_sections, page_lines

if TYPE_CHECKING:
    from haizhi_cli.documents import FontSet


Engine = Literal["fpdf", "libreoffice"]
Progress = Callable[[str], None]


class BuildRefused(HaizhiError):
    """The applicant is not eligible or the packet not complete, and --draft was not given (exit 1)."""

    def __init__(self, report: Report) -> None:
        super().__init__(tr("申报单位不符合申报条件或材料不齐，未生成材料包；加 --draft 可生成草稿"))
        self.report = report


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    as_of: dt.date
    force: bool = False
    draft: bool = False
    font: Path | None = None
    engine: Engine = "fpdf"
    rules_root: Path | None = None
    lang: str = "zh"
    """The language of the check's findings that the command prints (the documents are always Chinese)."""


@dataclass(frozen=True)
class WrittenFile:
    path: str
    role: str
    format: str
    sha256: str
    pages: int | None = None
    item: str | None = None
    """For an attachment, the item of 申报表七 it is filed under (`申报表七3`)."""
    number: str | None = None
    """For an attachment, its number in packet.pdf's bookmarks, the 材料清单 and its file name (`七3-1`)."""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "role": self.role, "format": self.format, "sha256": self.sha256}
        if self.pages is not None:
            data["pages"] = self.pages
        if self.item is not None:
            data["item"] = self.item
        if self.number is not None:
            data["number"] = self.number
        return data


ROLE_LABELS: Mapping[str, Localized] = {
    "application_form": Localized("申报表", "application form"),
    "construction_plan": Localized("建设方案", "construction plan"),
    "checklist": Localized("封面与材料清单", "cover and checklist"),
    "support_letter_draft": Localized("支持函代拟稿", "support letter (draft)"),
    "public_notice_draft": Localized("公示代拟稿", "public notice (draft)"),
    "attachment": Localized("附件", "attachment"),
    "packet": Localized("材料包", "packet"),
    "check_report": Localized("检查报告（不装订）", "check report (not bound)"),
    "support_letter": Localized("支持函（单附）", "support letter (on its own)"),
}
"""What each role of a written file is called, in each language: the build's summary table and the served page."""


@dataclass
class BuildResult:
    out: Path
    report: Report
    files: list[WrittenFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the user should know that is not a file written (an old packet that could not be removed)."""


def build_packet(path: Path, options: BuildOptions, progress: Progress = lambda _: None) -> BuildResult:
    """Check, then build every file into a temporary folder and move it to OUT in one step."""
    with _collector_skips_existing_objects():
        return _check_and_build(path, options, progress)


@contextlib.contextmanager
def _collector_skips_existing_objects() -> Iterator[None]:
    """Keep the objects that exist before the build (modules, classes, caches) out of garbage collection
    until it ends: the fonts and documents it makes trigger many collections, and a full one would walk them
    all each time (≈ 0.1–0.2 s of a build). Nothing is left frozen afterwards, and a caller that froze
    objects itself is left alone."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _check_and_build(path: Path, options: BuildOptions, progress: Progress) -> BuildResult:
    loaded = load_applicant(path, available_rounds(options.rules_root))
    ruleset = load_round(loaded.applicant.round, options.rules_root)
    report, checked = report_and_files(loaded, ruleset, CheckOptions(options.as_of, options.lang, options.rules_root))
    if not (report.eligible and report.complete) and not options.draft:
        raise BuildRefused(report)
    _refuse_unsafe_out(options, loaded)
    files = _probed(loaded, checked)
    unreadable = frozenset(written for written, fact in files.items() if fact.problem is not None)
    plan = plan_packet(loaded.applicant, report, options.draft, unreadable)
    try:
        return _build_in_staging(loaded, ruleset.facts, plan, report, options, progress, files)
    except OSError as exc:
        raise UsageError(tr("写入 {out} 失败：{reason}；已写的内容已清除，原有文件未改动", out=options.out,
                            reason=exc.strerror or exc), Location(options.out)) from None


def _probed(loaded: LoadedApplicant, checked: Mapping[str, FileFact]) -> dict[str, FileFact]:
    """What each attachment path, as written, is, as the check found it: those that cannot be read as PDFs
    are listed as missing, the others are copied from the very file the check read (`copy_probed`)."""
    folder = loaded.path.parent
    return {written: checked[written] if written in checked else probe_one(folder, written, hashed=False)
            for written in attachment_files(loaded.applicant)}


def _build_in_staging(loaded: LoadedApplicant, facts: RoundFacts, plan: PacketPlan, report: Report,
                      options: BuildOptions, progress: Progress, files: Mapping[str, FileFact]) -> BuildResult:
    staging = Path(tempfile.mkdtemp(prefix=f".{options.out.name}.", dir=_parent(options.out)))
    try:
        _honour_umask(staging)
        writer = _Writer(loaded.applicant, facts, loaded.path.parent, staging, options, progress,
                         build_time(), files, report)
        result = BuildResult(options.out, report, writer.write(plan))
        note = _move_into_place(staging, options.out, options.force)
        result.notes.extend([note] if note else [])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _honour_umask(folder: Path) -> None:
    """mkdtemp makes a private folder; the packet should be as readable as any folder the user makes."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def _parent(out: Path) -> Path:
    parent = out.absolute().parent
    if not parent.is_dir():
        raise UsageError(tr("输出文件夹的上级目录不存在：{parent}", parent=parent), Location(out))
    if not os.access(parent, os.W_OK):
        raise UsageError(tr("没有写入权限：{parent}；请换一个输出位置（-o）", parent=parent), Location(out))
    return parent


def _refuse_unsafe_out(options: BuildOptions, loaded: LoadedApplicant) -> None:
    """OUT must be a new folder, or (with --force) an earlier packet; never a folder holding the inputs."""
    out = options.out
    if not out.name or out.resolve() == Path(out.resolve().anchor):
        raise UsageError(tr("输出位置应为一个新的文件夹名（如 -o 申报材料），不能是当前目录或根目录"), Location(out))
    inputs = [loaded.path, *(loaded.path.parent / f for f in attachment_files(loaded.applicant))]
    if any(_inside(path, out) for path in inputs):
        raise UsageError(tr("输出文件夹包含申报文件或其附件，生成时会覆盖它们；请换一个输出位置"), Location(out))
    if out.exists() and not options.force:
        raise UsageError(tr("输出文件夹已存在，未做任何改动；确需替换请加 --force"), Location(out))
    if out.exists() and not out.is_dir():
        raise UsageError(tr("输出位置是一个文件，不是文件夹；请换一个输出位置"), Location(out))
    if out.exists() and not replaceable(out):
        raise UsageError(tr("输出文件夹不是 haizhi 生成的材料包（没有 manifest.json），--force 也不会替换它；"
                            "请换一个输出位置"), Location(out))


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        return False


def _move_into_place(staging: Path, out: Path, force: bool) -> str | None:
    """The finished folder becomes OUT in one step that never replaces what another build or the user put at
    OUT meanwhile (see `_placing`); with --force only a packet haizhi built is replaced. A note, or None."""
    return place(staging, out, force)


@dataclass
class _Writer:
    """Carries a packet plan out inside the staging folder, recording each file it writes."""

    applicant: Applicant
    facts: RoundFacts
    source: Path
    """The applicant file's folder: attachment paths are written relative to it."""
    staging: Path
    options: BuildOptions
    progress: Progress
    timestamp: dt.datetime
    files: Mapping[str, FileFact]
    """What each attachment was when it was probed: it is copied from that very file."""
    report: Report
    """The check's findings, for the check report."""
    written: list[WrittenFile] = field(default_factory=list)
    """Each file written, in order; its digest is `PENDING_DIGEST` until `write` fills it from `digests`."""
    digests: dict[str, Future[str]] = field(default_factory=dict)
    hasher: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "haizhi-digest"))
    fonts: FontSet | None = None
    bound_copies: dict[str, tuple[Path, int]] = field(default_factory=dict)
    """The copy of each generated document packet.pdf binds (without a page number of its own, as the packet
    numbers its pages), by the document's path in OUT, with its page count."""
    form_sections: tuple[tuple[str, int], ...] = ()
    """The 申报表's sections 一 … 八 and the page of the bound copy each begins on."""

    def write(self, plan: PacketPlan) -> list[WrittenFile]:
        """Write every file of the plan and manifest.json. Each file's SHA-256 is taken on a second thread
        as the build goes on (hashlib lets go of the interpreter lock while it hashes): the attachments' and
        the packet's, hundreds of megabytes with scans, are read while the next documents are laid out. No
        digest is still being taken when this returns or fails, so the staging folder can be removed."""
        try:
            self.write_files(plan)
            self.written = [dataclasses.replace(f, sha256=self.digests[f.path].result()) for f in self.written]
        finally:
            self.hasher.shutdown(wait=True, cancel_futures=True)
        self.manifest(plan)
        return self.written

    def write_files(self, plan: PacketPlan) -> None:
        for document in plan.documents:
            self.document(document)
        for attached in plan.attachments:
            self.attachment(attached)
        self.checklist(plan)
        self.packet(plan)
        shutil.rmtree(self.bound_folder)
        self.check_report(plan)

    # --- generated documents -------------------------------------------------------------------

    def document(self, document: GeneratedDocument) -> None:
        from haizhi_cli.documents import write_docx

        self.progress(_step_label(document.role))
        composed = document.compose(self.applicant, self.facts, self.options.draft)
        write_docx(composed, self.staging / document.docx, self.timestamp)
        self.record(document.docx, document.role, "docx")
        if document.in_packet:
            self.pdf(composed, document)
            self.bound_copy(composed, document)

    def pdf(self, composed: Document, document: GeneratedDocument) -> None:
        self.render_pdf(composed, self.staging / document.docx, self.staging / document.pdf)
        self.record(document.pdf, document.role, "pdf")

    def render_pdf(self, composed: Document, docx: Path, target: Path) -> None:
        from haizhi_cli.documents import write_pdf

        if self.options.engine == "libreoffice":
            convert_with_libreoffice(docx, target)
        else:
            write_pdf(composed, target, self.pdf_fonts(), self.timestamp)

    @property
    def bound_folder(self) -> Path:
        """Inside staging, removed once packet.pdf is bound: never part of OUT."""
        return self.staging / ".bound"

    def bound_copy(self, composed: Document, document: GeneratedDocument) -> None:
        """The document as packet.pdf binds it: the same pages without their own page number, which the
        packet stamps in its one numbering. The built-in writer's PDF has its numbers taken out; LibreOffice
        converts a copy of the .docx without them."""
        from haizhi_cli.documents import write_docx

        self.bound_folder.mkdir(exist_ok=True)
        docx, target = self.bound_folder / document.docx, self.bound_folder / document.pdf
        if self.options.engine == "libreoffice":
            unnumbered = dataclasses.replace(composed, page_numbers=False)
            write_docx(unnumbered, docx, self.timestamp)
            self.render_pdf(unnumbered, docx, target)
            pages = page_count(target)
        else:
            pages = without_own_page_numbers(self.staging / document.pdf, target)
        self.bound_copies[document.pdf] = (target, pages)
        if document.role == "application_form":
            lines = [page_lines(page) for page in PdfReader(target).pages]
            self.form_sections = tuple((section.heading, section.first) for section in form_sections(lines))

    def pdf_fonts(self) -> FontSet:
        """The fonts of every PDF of the packet, found once."""
        from haizhi_cli.documents import resolve_fonts

        self.fonts = self.fonts or resolve_fonts(self.options.font)
        return self.fonts

    # --- attachments, checklist, packet ---------------------------------------------------------

    def attachment(self, attached: AttachedFile) -> None:
        if attached.copy is None:
            return
        target = self.staging / attached.copy
        target.parent.mkdir(exist_ok=True)
        copy_probed(self.source, self.files[attached.written], target)
        self.record(attached.copy, "attachment", "pdf", attached.item.clause, attached.number)
        if attached.alone is not None:  # the same bytes again: its digest and pages are the copy's
            shutil.copyfile(target, self.staging / attached.alone)
            self.digests[attached.alone] = self.digests[attached.copy]
            self.written.append(dataclasses.replace(self.written[-1], path=attached.alone, role="support_letter"))

    def checklist(self, plan: PacketPlan) -> None:
        """The cover and 材料清单; laid out until its own page count is stable, as it shifts every range."""
        from haizhi_cli.documents import write_self_numbered_pdf

        self.progress(tr("生成材料清单"))

        def laid_out(cover_pages: int) -> Document:
            items = plan.checklist_items(self.bound_pages(plan), cover_pages)
            return composing.checklist(self.applicant, self.facts, items, list(plan.missing), plan.draft)

        target = self.staging / plan.cover  # a guess of two pages: the cover and one page of list
        write_self_numbered_pdf(laid_out, 2, target, self.pdf_fonts(), self.timestamp)
        self.record(plan.cover, "checklist", "pdf")

    def bound_pages(self, plan: PacketPlan) -> dict[str, int]:
        """The page count of each file packet.pdf binds after the cover, by its path in OUT."""
        pages = self.pages()
        return {part.file: self.bound_copies[part.file][1] if part.file in self.bound_copies else pages[part.file]
                for part in plan.bound}

    def packet(self, plan: PacketPlan) -> None:
        self.progress(tr("装订材料包"))
        pages = self.bound_pages(plan)
        parts = [self.bound_part(part, pages) for part in plan.bound]
        bind(self.staging / plan.cover, self.pages()[plan.cover], parts, self.staging / PACKET_FILE,
             plan.packet_title, self.applicant.applicant.name, self.timestamp)
        self.record(PACKET_FILE, "packet", "pdf")

    def bound_part(self, part: BoundPart, pages: Mapping[str, int]) -> Part:
        copy = self.bound_copies.get(part.file)
        pdf = copy[0] if copy else self.staging / part.file
        sections = self.form_sections if part.file == FORM.pdf else ()
        return Part(part.bookmark, pdf, pages[part.file], part.group, sections, part.attachment)

    def check_report(self, plan: PacketPlan) -> None:
        """haizhi's report beside the packet (检查报告.pdf): the unit's cover says nothing of haizhi's verdict."""
        from haizhi_cli.documents import write_pdf

        composed = composing.check_report(self.applicant, self.facts, self.report, self.options.as_of, plan.draft)
        write_pdf(composed, self.staging / CHECK_REPORT_FILE, self.pdf_fonts(), self.timestamp)
        self.record(CHECK_REPORT_FILE, "check_report", "pdf")

    def manifest(self, plan: PacketPlan) -> None:
        data = plan.manifest(self.timestamp.isoformat(), [f.as_json() for f in self.written],
                             self.options.as_of.isoformat(), __version__)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (self.staging / MANIFEST_FILE).write_text(text, encoding="utf-8")

    def pages(self) -> dict[str, int]:
        """The page count of each PDF written so far, by its path in OUT."""
        return {f.path: f.pages for f in self.written if f.pages is not None}

    def record(self, name: str, role: str, kind: str, item: str | None = None, number: str | None = None) -> None:
        """List a file written at `name` in OUT; a file written again moves to the end of the list."""
        path = self.staging / name
        self.written = [f for f in self.written if f.path != name]
        pages = page_count(path) if kind == "pdf" else None
        self.digests[name] = self.hasher.submit(file_digest, path)
        self.written.append(WrittenFile(name, role, kind, PENDING_DIGEST, pages, item, number))


PENDING_DIGEST = ""
"""A recorded file's digest while its SHA-256 is being taken."""


def _step_label(role: Role) -> str:
    """The progress line for writing one generated document (its Chinese name is its file name)."""
    labels = {"application_form": tr("生成申报表"), "construction_plan": tr("生成建设方案"),
              "support_letter_draft": tr("生成支持函代拟稿"), "public_notice_draft": tr("生成公示代拟稿")}
    return labels[role]


def convert_with_libreoffice(docx: Path, target: Path) -> None:
    """Convert with `soffice --headless`, for users who want the PDF to match Word's layout exactly."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UsageError(tr("未找到 LibreOffice（soffice）；请安装 LibreOffice（Debian：libreoffice-writer-nogui），"
                            "或去掉 --engine libreoffice 使用内置排版"))
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", out, str(docx)]
        done = subprocess.run(command, capture_output=True, timeout=180, check=False)
        produced = Path(out) / f"{docx.stem}.pdf"
        if done.returncode != 0 or not produced.exists():
            raise UsageError(tr("LibreOffice 转换 {name} 失败：{output}", name=docx.name,
                                output=done.stderr.decode(errors="replace")[:300]))
        shutil.move(produced, target)

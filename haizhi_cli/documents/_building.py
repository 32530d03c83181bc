"""`build-packet`: check the applicant, render every document, bind the packet, write it all atomically.

Everything is written into a temporary folder beside OUT and renamed into place only when complete, so a
failed or interrupted build leaves an existing OUT as it was. An existing OUT is replaced only with --force.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from haizhi_cli.applicant import OTHER_MATERIALS, Applicant, LoadedApplicant, load_applicant
from haizhi_cli.checking import CheckOptions, report_for
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._binding import Part, bind, page_count, page_ranges
from haizhi_cli.documents._blocks import Document
from haizhi_cli.documents._composing import ChecklistItem
from haizhi_cli.engine import FileFact, Report, RoundFacts, available_rounds, load_round
from haizhi_cli.errors import HaizhiError, Location, UsageError
from haizhi_cli.i18n import tr

if TYPE_CHECKING:
    from haizhi_cli.documents._fontset import FontSet

Engine = Literal["fpdf", "libreoffice"]
Progress = Callable[[str], None]

ATTACHED_ITEMS = tuple(item for item in OTHER_MATERIALS if item.keys)
"""申报表七's items of the applicant's PDFs, in the order the packet binds them; item 2, the 建设方案, is generated."""


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


@dataclass(frozen=True)
class WrittenFile:
    path: str
    role: str
    format: str
    sha256: str
    pages: int | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "role": self.role, "format": self.format, "sha256": self.sha256}
        if self.pages is not None:
            data["pages"] = self.pages
        return data


@dataclass
class BuildResult:
    out: Path
    report: Report
    files: list[WrittenFile] = field(default_factory=list)


def build_timestamp(facts: RoundFacts) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set; otherwise the round's deadline, so the same input gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(facts.deadline, dt.time(), dt.UTC)


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
    report = report_for(loaded, ruleset, CheckOptions(options.as_of, rules_root=options.rules_root))
    if not (report.eligible and report.complete) and not options.draft:
        raise BuildRefused(report)
    _refuse_unsafe_out(options, loaded)
    try:
        return _build_in_staging(loaded, ruleset.facts, report, options, progress)
    except OSError as exc:
        raise UsageError(tr("写入 {out} 失败：{reason}；已写的内容已清除，原有文件未改动", out=options.out,
                            reason=exc.strerror or exc), Location(options.out)) from None


def _build_in_staging(loaded: LoadedApplicant, facts: RoundFacts, report: Report, options: BuildOptions,
                      progress: Progress) -> BuildResult:
    staging = Path(tempfile.mkdtemp(prefix=f".{options.out.name}.", dir=_parent(options.out)))
    try:
        _honour_umask(staging)
        builder = _Builder(loaded, facts, report, options, staging, progress)
        result = BuildResult(options.out, report, builder.build())
        _move_into_place(staging, options.out)
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
    inputs = [loaded.path, *(loaded.path.parent / f for f in _attachment_paths(loaded.applicant))]
    if any(_inside(path, out) for path in inputs):
        raise UsageError(tr("输出文件夹包含申报文件或其附件，生成时会覆盖它们；请换一个输出位置"), Location(out))
    if out.exists() and not options.force:
        raise UsageError(tr("输出文件夹已存在，未做任何改动；确需替换请加 --force"), Location(out))
    if out.exists() and not out.is_dir():
        raise UsageError(tr("输出位置是一个文件，不是文件夹；请换一个输出位置"), Location(out))
    if out.exists() and any(out.iterdir()) and not (out / "manifest.json").is_file():
        raise UsageError(tr("输出文件夹不是 haizhi 生成的材料包（没有 manifest.json），--force 也不会替换它；"
                            "请换一个输出位置"), Location(out))


def _attachment_paths(applicant: Applicant) -> list[str]:
    return [written for item in ATTACHED_ITEMS for written in item.files(applicant)]


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        return False


def _move_into_place(staging: Path, out: Path) -> None:
    """Replace OUT by the finished folder; the old OUT is removed only once the new one is in place."""
    if not out.exists():
        staging.rename(out)
        return
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)  # put the previous packet back before reporting the failure
        raise
    shutil.rmtree(retired, ignore_errors=True)


class _Builder:
    """Builds the files of one packet inside the staging folder."""

    def __init__(self, loaded: LoadedApplicant, facts: RoundFacts, report: Report, options: BuildOptions,
                 staging: Path, progress: Progress) -> None:
        self.applicant: Applicant = loaded.applicant
        self.folder = loaded.path.parent
        self.facts, self.report, self.options = facts, report, options
        self.staging, self.progress = staging, progress
        self.timestamp = build_timestamp(facts)
        self.written: list[WrittenFile] = []
        self.fonts: FontSet | None = None

    def build(self) -> list[WrittenFile]:
        form = self.document("申报表", "application_form", composing.application_form)
        plan = self.document("建设方案", "construction_plan", composing.construction_plan)
        self.word_only("支持函代拟稿", "support_letter_draft", composing.support_letter_draft)
        self.word_only("公示代拟稿", "public_notice_draft", composing.public_notice_draft)
        attachments = self.copy_attachments()
        checklist = self.checklist(form, plan, attachments)
        self.packet(checklist, form, plan, attachments)
        self.manifest()
        return self.written

    # --- generated documents -------------------------------------------------------------------

    def document(self, name: str, role: str, compose: Callable[..., Document]) -> Path:
        self.progress(_step_label(role))
        document = compose(self.applicant, self.facts, self.options.draft)
        docx = self.write_docx(document, name, role)
        return self.write_pdf(document, docx, name, role)

    def word_only(self, name: str, role: str, compose: Callable[..., Document]) -> None:
        self.progress(_step_label(role))
        self.write_docx(compose(self.applicant, self.facts, self.options.draft), name, role)

    def write_docx(self, document: Document, name: str, role: str) -> Path:
        from haizhi_cli.documents._docx_writer import write_docx

        target = self.staging / f"{name}.docx"
        write_docx(document, target, self.timestamp)
        self.record(target, role, "docx")
        return target

    def write_pdf(self, document: Document, docx: Path, name: str, role: str) -> Path:
        target = self.staging / f"{name}.pdf"
        if self.options.engine == "libreoffice":
            convert_with_libreoffice(docx, target)
        else:
            self.render_pdf(document, target)
        self.record(target, role, "pdf")
        return target

    # --- attachments, checklist, packet ---------------------------------------------------------

    def copy_attachments(self) -> list[tuple[str, str, str, Path | None]]:
        """(group title, clause, file as written, copy in OUT or None when missing) in 申报表七 order."""
        found: list[tuple[str, str, str, Path | None]] = []
        for item in ATTACHED_ITEMS:
            for written in item.files(self.applicant):
                found.append((item.title, item.clause, written, self.copy_one(written)))
        return found

    def copy_one(self, written: str) -> Path | None:
        from haizhi_cli.checking import probe_one

        fact: FileFact = probe_one(self.folder, written)
        if fact.problem is not None:
            return None
        folder = self.staging / "attachments"
        folder.mkdir(exist_ok=True)
        number = sum(1 for _ in folder.iterdir()) + 1
        target = folder / f"{number:02d}-{Path(written).name}"  # numbered in 申报表七 order: never two alike
        shutil.copyfile(self.folder / written, target)
        self.record(target, "attachment", "pdf")
        if written == self.support_letter_file():
            shutil.copyfile(target, self.staging / "支持函.pdf")
            self.record(self.staging / "支持函.pdf", "attachment", "pdf")
        return target

    def support_letter_file(self) -> str | None:
        letter = self.applicant.attachments.support_letter
        return letter.file if letter else None

    def checklist(self, form: Path, plan: Path, attachments: list[tuple[str, str, str, Path | None]]) -> Path:
        """The cover and 材料清单; laid out until its own page count is stable, as it shifts every range."""
        from haizhi_cli.documents._pdf_writer import write_self_numbered_pdf

        self.progress(tr("生成材料清单"))
        target = self.staging / "材料清单.pdf"
        write_self_numbered_pdf(lambda cover_pages: self.checklist_document(cover_pages, form, plan, attachments),
                                2, target, self.pdf_fonts(), self.timestamp)  # the cover and one page of list
        self.record(target, "checklist", "pdf")
        return target

    def render_pdf(self, document: Document, target: Path) -> None:
        from haizhi_cli.documents._pdf_writer import write_pdf

        write_pdf(document, target, self.pdf_fonts(), self.timestamp)

    def pdf_fonts(self) -> FontSet:
        """The fonts of every PDF of the packet, found once."""
        from haizhi_cli.documents._fontset import resolve_fonts

        self.fonts = self.fonts or resolve_fonts(self.options.font)
        return self.fonts

    def checklist_document(self, cover_pages: int, form: Path, plan: Path,
                           attachments: list[tuple[str, str, str, Path | None]]) -> Document:
        present = [copy for *_, copy in attachments if copy is not None]
        counts = [self.pages(form), self.pages(plan), *(self.pages(p) for p in present)]
        ranges = iter(page_ranges(counts, cover_pages + 1))
        items = [self.item("1", "中国科协海智计划基地申报表", next(ranges)),
                 self.item("2", "海智计划基地建设方案（申报表七2）", next(ranges))]
        missing: list[str] = []
        for index, (title, clause, written, copy) in enumerate(attachments, start=3):
            if copy is None:
                items.append(ChecklistItem(str(index), f"{title}：{written}", "—", "缺（无法读取）"))
                missing.append(f"{title}：{written}（{clause}）")
            else:
                items.append(self.item(str(index), f"{title}：{written}", next(ranges)))
        missing.extend(self.missing_groups())
        return composing.checklist(self.applicant, self.facts, self.verdict(), items, missing, self.options.draft)

    @staticmethod
    def item(number: str, title: str, pages: tuple[int, int]) -> ChecklistItem:
        shown = f"{pages[0]}" if pages[0] == pages[1] else f"{pages[0]}–{pages[1]}"
        return ChecklistItem(number, title, shown, "已附")

    def missing_groups(self) -> list[str]:
        """申报表七 items the applicant gave nothing for (partner proofs only matter for 离岸基地)."""
        return [f"{item.title}（{item.clause}）：未提供" for item in ATTACHED_ITEMS
                if item.asked_of(self.applicant.base_type) and not item.files(self.applicant)]

    def verdict(self) -> str:
        first = "符合申报条件" if self.report.eligible else "不符合申报条件"
        second = "材料齐全" if self.report.complete else "材料不齐"
        return f"{first}；{second}" + ("（草稿）" if self.options.draft else "")

    def packet(self, checklist: Path, form: Path, plan: Path,
               attachments: list[tuple[str, str, str, Path | None]]) -> None:
        self.progress(tr("装订材料包"))
        parts = [Part("封面与材料清单", "清单", checklist), Part("中国科协海智计划基地申报表", "申报表", form),
                 Part("海智计划基地建设方案", "方案", plan)]
        parts += [Part(f"{title}：{Path(written).name}", f"附件{i}", copy, "附件")
                  for i, (title, _, written, copy) in enumerate(attachments, start=1) if copy is not None]
        target = self.staging / "packet.pdf"
        bind(parts, target, self.applicant.base_name, self.timestamp)
        self.record(target, "packet", "pdf")

    def manifest(self) -> None:
        data = {
            "base_name": self.applicant.base_name, "base_type": self.applicant.base_type.value,
            "round": self.applicant.round, "draft": self.options.draft,
            "generated": self.timestamp.isoformat(),
            "check": {"eligible": self.report.eligible, "complete": self.report.complete,
                      "failed_rules": sorted({f.rule for f in self.report.findings if f.status.value == "fail"})},
            "files": [f.as_json() for f in self.written],
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (self.staging / "manifest.json").write_text(text, encoding="utf-8")

    def pages(self, path: Path) -> int:
        """Page counts of the files already written, read once each."""
        relative = path.relative_to(self.staging).as_posix()
        known = next((f.pages for f in self.written if f.path == relative and f.pages is not None), None)
        return known if known is not None else page_count(path)

    def record(self, path: Path, role: str, kind: str) -> None:
        relative = path.relative_to(self.staging).as_posix()
        self.written = [f for f in self.written if f.path != relative]
        pages = page_count(path) if kind == "pdf" else None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.written.append(WrittenFile(relative, role, kind, digest, pages))


def _step_label(role: str) -> str:
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

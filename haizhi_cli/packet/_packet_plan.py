"""What a packet holds, decided before anything is written: the generated documents in the order they are
written, each file of 申报表七 under its item with the name of its copy, the rows of the 材料清单, what is
missing, and the parts packet.pdf binds with their bookmarks and page labels.

A plan is made from the applicant, the check's report and the attachment files that cannot be read; making
it reads and writes nothing. `_building` carries it out: it renders, copies, binds, then moves OUT into place.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

from haizhi_cli.applicant import OTHER_MATERIALS, Applicant, OtherMaterial
from haizhi_cli.documents import ChecklistItem, Document, composing
from haizhi_cli.engine import Report, RoundFacts
from haizhi_cli.i18n import verdict
from haizhi_cli.packet._binding import page_ranges

Role = Literal["application_form", "construction_plan", "support_letter_draft", "public_notice_draft"]
Compose = Callable[[Applicant, RoundFacts, bool], Document]

FORM_TITLE = "中国科协海智计划基地申报表"
FORM_NUMBER = "—"
"""The 材料清单's number of the 申报表, which is not an item of 七."""
PLAN_ITEM = next(item for item in OTHER_MATERIALS if not item.keys)
"""申报表七2, the 建设方案: the one item haizhi writes rather than copies."""
ATTACHED_ITEMS = tuple(item for item in OTHER_MATERIALS if item.keys)
"""申报表七's items of the applicant's own PDFs, in the form's order, which is the order they are bound in."""

ATTACHMENTS_FOLDER = "attachments"
SUPPORT_LETTER_ALONE = "支持函.pdf"
CHECKLIST_FILE = "材料清单.pdf"
CHECK_REPORT_FILE = "检查报告.pdf"
"""haizhi's own report: written beside the packet, never bound into it (the packet is the unit's)."""
PACKET_FILE = "packet.pdf"
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class GeneratedDocument:
    """A document written from the applicant file: always in Word, and in PDF too when the packet binds it."""

    name: str
    """Its file name without the suffix: 申报表."""
    role: Role
    compose: Compose
    in_packet: bool

    @property
    def docx(self) -> str:
        return f"{self.name}.docx"

    @property
    def pdf(self) -> str:
        return f"{self.name}.pdf"


FORM = GeneratedDocument("申报表", "application_form", composing.application_form, in_packet=True)
PLAN = GeneratedDocument("建设方案", "construction_plan", composing.construction_plan, in_packet=True)
DOCUMENTS = (
    FORM,
    PLAN,
    GeneratedDocument("支持函代拟稿", "support_letter_draft", composing.support_letter_draft, in_packet=False),
    GeneratedDocument("公示代拟稿", "public_notice_draft", composing.public_notice_draft, in_packet=False),
)
"""The generated documents in the order they are written."""


@dataclass(frozen=True)
class AttachedFile:
    """One file the applicant gives for an item of 申报表七, and where the packet keeps it."""

    item: OtherMaterial
    written: str
    """The path as the applicant file writes it."""
    copy: str | None
    """Its copy in OUT, named by its number (`attachments/七3-1-proofs.pdf`); None when it cannot be read,
    and the 材料清单 lists it as missing."""
    alone: str | None = None
    """A second copy at the top of OUT: the support letter, which may be sent apart from the bound packet."""
    number: str = ""
    """Its one number, the form's own: the item (`七1`) for the item of one file, the item and the file's
    place in it (`七3-1`) for an item that lists files."""

    @property
    def listed_as(self) -> str:
        """Its title in the 材料清单: the item's title and the file's path in OUT (as written, when it cannot
        be read)."""
        return f"{self.item.title}：{self.copy or self.written}"

    @property
    def checklist_title(self) -> str:
        """Its cell in the 材料清单: the item's title, and the path on a line of its own, so that the path
        breaks only after its `/ - _ .`, never between 七 and its number."""
        return f"{self.item.title}：\n{self.copy or self.written}"

    @property
    def bookmark(self) -> str:
        """Its bookmark in packet.pdf: its number and the item's title alone, or the file's name under the
        item's own bookmark (`grouped`)."""
        if self.grouped:
            return f"{self.number} {PurePath(self.written).name}"
        return f"{self.number} {self.item.title}"

    @property
    def grouped(self) -> bool:
        """An item that lists files: each file's bookmark is under the item's (`item_bookmark`)."""
        return "-" in self.number

    @property
    def item_bookmark(self) -> str:
        return item_bookmark(self.item)


def item_bookmark(item: OtherMaterial) -> str:
    """The bookmark of an item of 申报表七: `七3 人员、经费、办公条件、预算等相关证明材料`."""
    return f"七{item.number} {item.title}"


@dataclass(frozen=True)
class BoundPart:
    """One PDF of packet.pdf after the cover: its file in OUT, its bookmark, its parent bookmark, and whether
    it is the unit's own PDF (whose pages are shrunk to free the band of the page number)."""

    file: str
    bookmark: str
    group: str | None = None
    attachment: bool = False


@dataclass(frozen=True)
class ChecklistRow:
    """A row of the 材料清单: its number, what it lists, and the bound file whose pages it gives (None: the file
    cannot be read and the row says so)."""

    number: str
    title: str
    file: str | None

    def item(self, ranges: Mapping[str, tuple[int, int]]) -> ChecklistItem:
        """The row as printed, the pages of its file in packet.pdf taken from `ranges`."""
        if self.file is None:
            return ChecklistItem(self.number, self.title, "—", "缺（无法读取）")
        first, last = ranges[self.file]
        return ChecklistItem(self.number, self.title, f"{first}" if first == last else f"{first}–{last}", "已附")


@dataclass(frozen=True)
class CheckSummary:
    """What the manifest records of the check."""

    eligible: bool
    complete: bool
    failed_rules: tuple[str, ...]
    counts: tuple[tuple[str, int], ...] = ()
    """How many findings failed, warned and are for review (`fail`, `warn`, `review`)."""


@dataclass(frozen=True)
class PacketPlan:
    """Everything build-packet writes, in the order it is written; the manifest lists the files in that order."""

    base_name: str
    base_type: str
    round: int
    draft: bool
    check: CheckSummary
    documents: tuple[GeneratedDocument, ...]
    attachments: tuple[AttachedFile, ...]
    """Every file of 申报表七 in the form's order, read or not."""
    checklist: tuple[ChecklistRow, ...]
    missing: tuple[str, ...]
    """The 材料清单's 尚缺材料: files that cannot be read, then items given no file."""
    cover: str
    """The cover and 材料清单, bound first; the list's own page count shifts every range after it."""
    bound: tuple[BoundPart, ...]
    """What packet.pdf binds after the cover and 材料清单, in order: the 申报表, then 七's files and the
    建设方案 in the form's order. The 材料清单's page ranges follow it."""

    @property
    def verdict(self) -> str:
        return verdict(self.check.eligible, self.check.complete, "zh") + ("（草稿）" if self.draft else "")

    def checklist_items(self, pages: Mapping[str, int], cover_pages: int) -> list[ChecklistItem]:
        """The 材料清单's rows with their printed page numbers in packet.pdf, given each bound file's page count
        and the cover's (the cover itself and the list's pages: the cover is not numbered, the list's pages are
        numbered from 1)."""
        files = [part.file for part in self.bound]
        ranges = page_ranges([pages[file] for file in files], cover_pages)
        return [row.item(dict(zip(files, ranges, strict=True))) for row in self.checklist]

    def manifest(self, generated: str, files: list[dict[str, Any]], as_of: str = "",
                 version: str = "") -> dict[str, Any]:
        """manifest.json: the packet, the check (as of which day, with its counts), the time of the build,
        the haizhi that built it, and every file written."""
        check = self.check
        return {
            "base_name": self.base_name, "base_type": self.base_type, "round": self.round, "draft": self.draft,
            "generated": generated, "haizhi": version, "as_of": as_of,
            "check": {"eligible": check.eligible, "complete": check.complete, "failed_rules": list(check.failed_rules),
                      "counts": dict(check.counts)},
            "files": files,
        }

    @property
    def packet_title(self) -> str:
        """packet.pdf's title: the 基地名称, after 草稿 for a draft, so that no one takes it for the real one."""
        return f"草稿 {self.base_name}" if self.draft else self.base_name


def plan_packet(applicant: Applicant, report: Report, draft: bool, unreadable: Collection[str] = ()) -> PacketPlan:
    """The packet of `applicant`; `unreadable` holds the attachment paths, as written, that cannot be read."""
    attachments = _attached_files(applicant, unreadable)
    return PacketPlan(
        base_name=applicant.base_name, base_type=applicant.base_type.value, round=applicant.round, draft=draft,
        check=_summary(report), documents=DOCUMENTS, attachments=attachments,
        checklist=_checklist(attachments), missing=_missing(applicant, attachments),
        cover=CHECKLIST_FILE, bound=_bound(attachments),
    )


def attachment_files(applicant: Applicant) -> list[str]:
    """Every attachment path the applicant file writes, in 申报表七's order."""
    return [written for item in ATTACHED_ITEMS for written in item.files(applicant)]


def _summary(report: Report) -> CheckSummary:
    failed = sorted({finding.rule for finding in report.findings if finding.status.value == "fail"})
    counts = tuple((status, sum(f.status.value == status for f in report.findings))
                   for status in ("fail", "warn", "review"))
    return CheckSummary(report.eligible, report.complete, tuple(failed), counts)


def _attached_files(applicant: Applicant, unreadable: Collection[str]) -> tuple[AttachedFile, ...]:
    """Every file of 申报表七 in the form's order, each with its number in its item."""
    letter = applicant.attachments.support_letter
    found: list[AttachedFile] = []
    for item in ATTACHED_ITEMS:
        files = item.files(applicant)
        listed = any(isinstance(getattr(applicant.attachments, key), list) for key in item.keys)
        for place, written in enumerate(files, start=1):
            number = f"七{item.number}-{place}" if listed else f"七{item.number}"
            readable = written not in unreadable
            found.append(_attached(item, written, number if readable else None, number,
                                   letter is not None and written == letter.file))
    return tuple(found)


def _attached(item: OtherMaterial, written: str, copied: str | None, number: str, is_letter: bool) -> AttachedFile:
    if copied is None:
        return AttachedFile(item, written, None, number=number)
    copy = f"{ATTACHMENTS_FOLDER}/{number}-{PurePath(written).name}"  # numbered: never two alike
    return AttachedFile(item, written, copy, SUPPORT_LETTER_ALONE if is_letter else None, number)


def _checklist(attachments: tuple[AttachedFile, ...]) -> tuple[ChecklistRow, ...]:
    """The 申报表, then every item of 申报表七 in the form's order, each file under its own number, whether
    it can be read or not."""
    rows = [ChecklistRow(FORM_NUMBER, FORM_TITLE, FORM.pdf)]
    for item in OTHER_MATERIALS:
        if item is PLAN_ITEM:
            rows.append(ChecklistRow(f"七{item.number}", item.title, PLAN.pdf))
        rows += [ChecklistRow(a.number, a.checklist_title, a.copy) for a in attachments if a.item is item]
    return tuple(rows)


def _missing(applicant: Applicant, attachments: tuple[AttachedFile, ...]) -> tuple[str, ...]:
    """Files that cannot be read, then the items the applicant gave nothing for (and is asked for)."""
    unread = [f"{attached.listed_as}（{attached.item.clause}）" for attached in attachments if attached.copy is None]
    absent = [f"{item.title}（{item.clause}）：未提供" for item in ATTACHED_ITEMS
              if item.asked_of(applicant.base_type) and not item.files(applicant)]
    return (*unread, *absent)


def _bound(attachments: tuple[AttachedFile, ...]) -> tuple[BoundPart, ...]:
    """The 申报表, then 申报表七 in the form's order: each readable file, under its item's bookmark when the
    item lists files, and the 建设方案 in its place (七2)."""
    parts = [BoundPart(FORM.pdf, FORM_TITLE)]
    for item in OTHER_MATERIALS:
        if item is PLAN_ITEM:
            parts.append(BoundPart(PLAN.pdf, item_bookmark(item)))
        parts += [BoundPart(a.copy, a.bookmark, a.item_bookmark if a.grouped else None, attachment=True)
                  for a in attachments if a.item is item and a.copy is not None]
    return tuple(parts)

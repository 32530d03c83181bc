"""Binding PDFs into one packet with one page numbering, bookmarks, page labels and metadata (pypdf),
deterministically.

The cover is page 封面; every page after it is numbered from 1 by a stamp at its foot (`_numbering`), and its
page label is that number, so the 材料清单's ranges, the labels and the paper agree. Bookmarks name each
document, each section of the 申报表 and each file under its item of 申报表七.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, ByteStringObject, IndirectObject, NameObject, TextStringObject

from haizhi_cli.packet._numbering import free_the_band, number_stamps, stamp

COVER_LABEL = "封面"
CHECKLIST_BOOKMARK = "材料清单"
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Part:
    """One PDF bound after the cover: its bookmark, its file, and how it is filed."""

    title: str
    pdf: Path
    group: str | None = None
    """A parent bookmark (an item of 七 with several files) under which this part's bookmark is placed."""
    sections: tuple[tuple[str, int], ...] = ()
    """Bookmarks under this part's: a title and its page within the part (the 申报表's 一 … 八)."""
    attachment: bool = False
    """The unit's own PDF: its content is scaled to free the band the page number is stamped in."""


def page_count(pdf: Path) -> int:
    with pdf.open("rb") as handle:  # read from the file as needed, not copied into memory whole
        return len(PdfReader(handle).pages)


def page_ranges(counts: list[int], first_page: int = 1) -> list[tuple[int, int]]:
    """(first, last) page of each part when the parts follow each other from `first_page`."""
    ranges: list[tuple[int, int]] = []
    page = first_page
    for count in counts:
        ranges.append((page, page + count - 1))
        page += count
    return ranges


def bind(cover: Path, parts: list[Part], target: Path, title: str, author: str, timestamp: dt.datetime) -> int:
    """Write the packet; return its page count. It opens with the bookmarks panel, in Chinese, and names the
    applicant unit as its author."""
    writer = PdfWriter()
    with contextlib.ExitStack() as files:
        _append_cover(writer, _reader(files, cover))
        groups: dict[str, IndirectObject] = {}
        for part in parts:
            _append(writer, _reader(files, part.pdf), part, groups)
        _number(writer)
        _metadata(writer, title, author, timestamp)
        _fixed_id(writer, [cover, *(part.pdf for part in parts)], title, timestamp)
        temporary = target.with_name(f".{target.name}.tmp")
        with temporary.open("wb") as handle:
            writer.write(handle)
    temporary.replace(target)
    return len(writer.pages)


def _reader(files: contextlib.ExitStack, pdf: Path) -> PdfReader:
    """A reader of `pdf` that reads the file as pypdf needs it (given a path, pypdf reads it into memory
    whole); the file stays open until the packet is written."""
    return PdfReader(files.enter_context(pdf.open("rb")))


def _append_cover(writer: PdfWriter, cover: PdfReader) -> None:
    writer.append(cover, import_outline=False)
    writer.add_outline_item(title=COVER_LABEL, page_number=0)
    if len(writer.pages) > 1:
        writer.add_outline_item(title=CHECKLIST_BOOKMARK, page_number=1)


def _append(writer: PdfWriter, reader: PdfReader, part: Part, groups: dict[str, IndirectObject]) -> None:
    start = len(writer.pages)
    writer.append(reader, import_outline=False)
    parent = _group(writer, groups, part.group, start)
    item = writer.add_outline_item(title=part.title, page_number=start, parent=parent)
    for title, offset in part.sections:
        writer.add_outline_item(title=title, page_number=start + offset, parent=item)
    if part.attachment:
        for page in writer.pages[start:]:
            free_the_band(page)


def _group(writer: PdfWriter, groups: dict[str, IndirectObject], name: str | None, page: int) -> IndirectObject | None:
    if name is None:
        return None
    if name not in groups:
        groups[name] = writer.add_outline_item(title=name, page_number=page)
    return groups[name]


def _number(writer: PdfWriter) -> None:
    """Stamp `— N —` on every page after the cover, N its place after the cover, and label it N."""
    count = len(writer.pages)
    writer.set_page_label(0, 0, prefix=COVER_LABEL)
    if count < 2:
        return
    stamps = number_stamps(range(1, count))
    for index in range(1, count):
        stamp(writer.pages[index], stamps.pages[index - 1])
    writer.set_page_label(1, count - 1, style=PageLabelStyle.DECIMAL, start=1)


def _metadata(writer: PdfWriter, title: str, author: str, timestamp: dt.datetime) -> None:
    """The document's title and author (the packet is the unit's submission), its language for screen
    readers, and the bookmarks panel open: a reviewer finds each document and 申报表七 item at once."""
    stamp_text = timestamp.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "haizhi", "/Creator": "haizhi",
                         "/CreationDate": stamp_text, "/ModDate": stamp_text})
    writer.page_mode = "/UseOutlines"
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")


def _fixed_id(writer: PdfWriter, files: list[Path], title: str, timestamp: dt.datetime) -> None:
    """A file ID made from the inputs (pypdf would draw a random one), so the same packet gives the same bytes."""
    digest = hashlib.md5(usedforsecurity=False)
    for file in files:
        digest.update(file.name.encode())
        with file.open("rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                digest.update(chunk)
    digest.update(title.encode() + timestamp.isoformat().encode())
    set_file_id(writer, digest.digest())


def set_file_id(writer: PdfWriter, value: bytes) -> None:
    identifier = ByteStringObject(value)
    writer._ID = ArrayObject([identifier, identifier])  # pypdf has no public setter for the trailer /ID

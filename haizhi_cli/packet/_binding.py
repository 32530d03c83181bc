"""Binding PDFs into one packet with bookmarks, page labels and metadata (pypdf), deterministically."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject


@dataclass(frozen=True)
class Part:
    """One document of the packet: its bookmark title, its page-label prefix and its PDF."""

    title: str
    label: str
    pdf: Path
    group: str | None = None
    """A parent bookmark (e.g. 附件) under which this part's bookmark is placed."""


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def page_ranges(counts: list[int], first_page: int = 1) -> list[tuple[int, int]]:
    """(first, last) page of each part when the parts follow each other from `first_page`."""
    ranges: list[tuple[int, int]] = []
    page = first_page
    for count in counts:
        ranges.append((page, page + count - 1))
        page += count
    return ranges


def bind(parts: list[Part], target: Path, title: str, author: str, timestamp: dt.datetime) -> int:
    """Write the packet; return its page count. Bookmarks and page labels follow the parts; it opens with
    the bookmarks panel, in Chinese, and names the applicant unit as its author."""
    writer = PdfWriter()
    groups: dict[str, object] = {}
    for part in parts:
        start = len(writer.pages)
        writer.append(PdfReader(part.pdf), import_outline=False)
        parent = _group(writer, groups, part.group, start)
        writer.add_outline_item(title=part.title, page_number=start, parent=parent)  # type: ignore[arg-type]
        writer.set_page_label(start, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, prefix=f"{part.label}-")
    _metadata(writer, title, author, timestamp)
    _fixed_id(writer, parts, title, timestamp)
    temporary = target.with_name(f".{target.name}.tmp")
    with temporary.open("wb") as handle:
        writer.write(handle)
    temporary.replace(target)
    return len(writer.pages)


def _group(writer: PdfWriter, groups: dict[str, object], name: str | None, page: int) -> object | None:
    if name is None:
        return None
    if name not in groups:
        groups[name] = writer.add_outline_item(title=name, page_number=page)
    return groups[name]


def _metadata(writer: PdfWriter, title: str, author: str, timestamp: dt.datetime) -> None:
    """The document's title and author (the packet is the unit's submission), its language for screen
    readers, and the bookmarks panel open: a reviewer finds each document and 申报表七 item at once."""
    stamp = timestamp.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "haizhi", "/Creator": "haizhi",
                         "/CreationDate": stamp, "/ModDate": stamp})
    writer.page_mode = "/UseOutlines"
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")


def _fixed_id(writer: PdfWriter, parts: list[Part], title: str, timestamp: dt.datetime) -> None:
    """A file ID made from the inputs (pypdf would draw a random one), so the same packet gives the same bytes."""
    digest = hashlib.md5(usedforsecurity=False)
    for part in parts:
        digest.update(part.title.encode() + part.pdf.read_bytes())
    digest.update(title.encode() + timestamp.isoformat().encode())
    value = ByteStringObject(digest.digest())
    writer._ID = ArrayObject([value, value])  # pypdf has no public setter for the trailer /ID

"""Binding PDFs into one packet with one page numbering, bookmarks, page labels and metadata, deterministically.

The cover is page 封面; every page after it is numbered from 1 by a stamp at its foot (`_numbering`), and its
page label is that number, so the 材料清单's ranges, the labels and the paper agree. Bookmarks name each
document, each section of the 申报表 and each file under its item of 申报表七.

The packet is bound with pikepdf (over qpdf), not pypdf: a unit's scans run to hundreds of megabytes, and
qpdf copies each page's objects from the open input file as it writes the packet, one stream at a time,
byte for byte (nothing decoded or re-encoded), where pypdf would hold every image in memory until the end.
The pages are gathered by qpdf's own page merging (`qpdf --empty --pages`, run in process), which leaves
every stream in its input file until the packet is written, and the packet is written once.
Each page gets two small content streams of its own: one opening it (`q`, and for an attachment page the
matrix that frees the band), one closing it and drawing the number stamp, a form XObject, over it. The
unit's own content streams and images are left as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pikepdf import (
    AccessMode,
    Array,
    Dictionary,
    Job,
    Name,
    Object,
    ObjectStreamMode,
    OutlineItem,
    Page,
    Pdf,
    Stream,
    StreamDecodeLevel,
    String,
)
from pypdf import Transformation

from haizhi_cli.documents import PAGE_NUMBER_MARK
from haizhi_cli.packet._numbering import Box, band_freeing, stamp_origin, stamp_sample, turned, turning

COVER_LABEL = "封面"
CHECKLIST_BOOKMARK = "材料清单"
HASH_CHUNK = 1 << 20
BOX_KEYS = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
STAMP_PREFIX = "HzNo"
QPDF_STATIC_ID = b"31415926535897932384626433832795"
"""The second ID qpdf writes (as hexadecimal) when asked for a static one; it keeps the first one given."""
ID_WINDOW = 4096
"""Bytes read at the end of the packet (for `startxref`) and at the cross-reference stream (for its /ID)."""
OWN_PAGE_NUMBER = re.compile(re.escape(PAGE_NUMBER_MARK.encode()) + rb".*?\nEMC\n?", re.DOTALL)


@dataclass(frozen=True)
class Part:
    """One PDF bound after the cover: its bookmark, its file, and how it is filed."""

    title: str
    pdf: Path
    pages: int
    """Its page count, as the build recorded it when the file was written."""
    group: str | None = None
    """A parent bookmark (an item of 七 with several files) under which this part's bookmark is placed."""
    sections: tuple[tuple[str, int], ...] = ()
    """Bookmarks under this part's: a title and its page within the part (the 申报表's 一 … 八)."""
    attachment: bool = False
    """The unit's own PDF: its content is scaled to free the band the page number is stamped in."""


def page_count(pdf: Path) -> int:
    """The pages of `pdf` as qpdf, which binds it, counts them: from its page tree, read in C++ (pypdf parses
    every page object in Python to count them, some 0.1 ms a page of a scan)."""
    with Pdf.open(pdf, access_mode=AccessMode.stream) as document:
        return len(document.pages)


def page_ranges(counts: list[int], first_page: int = 1) -> list[tuple[int, int]]:
    """(first, last) page of each part when the parts follow each other from `first_page`."""
    ranges: list[tuple[int, int]] = []
    page = first_page
    for count in counts:
        ranges.append((page, page + count - 1))
        page += count
    return ranges


@dataclass
class _Outline:
    """The bookmarks, gathered as the parts are bound and written once every page is in place."""

    roots: list[OutlineItem] = field(default_factory=list)
    groups: dict[str, OutlineItem] = field(default_factory=dict)

    def add(self, title: str, page: int, parent: OutlineItem | None = None) -> OutlineItem:
        item = OutlineItem(title, page)
        (self.roots if parent is None else parent.children).append(item)
        return item

    def group(self, name: str | None, page: int) -> OutlineItem | None:
        if name is not None and name not in self.groups:
            self.groups[name] = self.add(name, page)
        return None if name is None else self.groups[name]


def bind(cover: Path, cover_pages: int, parts: list[Part], target: Path, title: str, author: str,
         timestamp: dt.datetime) -> int:
    """Write the packet from the cover (`cover_pages` long) and the parts; return its page count. It opens
    with the bookmarks panel, in Chinese, and names the applicant unit as its author."""
    temporary = target.with_name(f".{target.name}.tmp")
    inputs = [cover, *(part.pdf for part in parts)]
    try:
        with _merged(inputs, temporary) as packet:
            count = _finish(packet, [cover_pages, *(part.pages for part in parts)], parts)
            _metadata(packet, title, author, timestamp)
            identifier = inputs_id(inputs, title, timestamp.isoformat())
            packet.trailer.ID = Array([String(identifier), String(identifier)])  # qpdf keeps the first
            _save(packet, temporary)
        _set_file_id(temporary, identifier)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def without_own_page_numbers(source: Path, target: Path) -> int:
    """Copy a PDF haizhi wrote, leaving out the page number each page prints (what its writer marks as a
    pagination artifact): packet.pdf binds its documents so, and numbers all its pages in one numbering.
    Returns the page count."""
    with Pdf.open(source) as pdf:
        for page in pdf.pages:
            page.contents_coalesce()
            content = page.obj.Contents
            content.write(OWN_PAGE_NUMBER.sub(b"", content.read_bytes()))
        pdf.save(target, static_id=True, compress_streams=True)
        return len(pdf.pages)


@contextmanager
def _merged(pdfs: list[Path], target: Path) -> Iterator[Pdf]:
    """The pages of `pdfs` in one document, as `qpdf --empty --pages` puts them, not yet written: each copied
    stream stays in its input file, which the job keeps open, until the document is saved (pikepdf's own
    page copying would first read every copied stream into memory). `target` is only the job's output name:
    the job writes nothing. What qpdf repaired while reading is not the user's business, as with pypdf's
    remarks in the check."""
    pages = [argument for pdf in pdfs for argument in (str(pdf), "1-z")]
    job = Job(["qpdf", "--empty", "--pages", *pages, "--", "--no-warn", "--warning-exit-0", str(target)])
    with job.create_pdf() as merged:
        yield merged


def _finish(packet: Pdf, counts: list[int], parts: list[Part]) -> int:
    """Bookmarks, the attachments' bands freed, the numbers stamped and the labels set on the merged pages."""
    outline = _Outline()
    _bookmark_cover(counts[0], outline)
    for index in range(1, counts[0]):  # the 材料清单 after the cover page: numbered too
        _open(packet.pages[index])
    for part, (first, last) in zip(parts, page_ranges(counts[1:], counts[0]), strict=True):
        _bookmark(part, first, outline)
        opening = _free_the_band if part.attachment else _open
        for index in range(first, last + 1):
            opening(packet.pages[index])
    _number(packet)
    with packet.open_outline() as bookmarks:
        bookmarks.root.extend(outline.roots)
    return len(packet.pages)


def _save(packet: Pdf, target: Path) -> None:
    """Each input stream is written as it was read (no stream decoded, none compressed anew) and the small
    objects packed in object streams. The file ID is qpdf's fixed test ID, replaced by `_set_file_id`:
    qpdf's content-made ID would cost a second pass over the whole packet."""
    packet.save(target, static_id=True, object_stream_mode=ObjectStreamMode.generate,
                stream_decode_level=StreamDecodeLevel.none, compress_streams=False, fix_metadata_version=False)


def inputs_id(files: list[Path], *more: str) -> bytes:
    """A file ID made from the inputs (their names, sizes, first and last megabytes) and `more` (a title and
    build time, the pages replaced): the same inputs give the same ID, others another, without reading every
    scan through."""
    digest = hashlib.md5(usedforsecurity=False)
    for file in files:
        size = file.stat().st_size
        digest.update(f"{file.name}\0{size}\0".encode())
        with file.open("rb") as handle:
            digest.update(handle.read(HASH_CHUNK))
            handle.seek(max(0, size - HASH_CHUNK))
            digest.update(handle.read(HASH_CHUNK))
    digest.update("\0".join(more).encode())
    return digest.digest()


def _set_file_id(pdf: Path, value: bytes) -> None:
    """Write `value` over qpdf's fixed second ID, in place: the same number of bytes, so no offset moves.
    qpdf writes it in the dictionary of the cross-reference stream that `startxref` points at."""
    with pdf.open("r+b") as handle:
        handle.seek(max(0, handle.seek(0, io.SEEK_END) - ID_WINDOW))
        where = re.findall(rb"startxref\s+(\d+)", handle.read())
        start = int(where[-1]) if where else 0
        handle.seek(start)
        head = handle.read(ID_WINDOW)
        if head.count(QPDF_STATIC_ID) != 1:
            raise RuntimeError("qpdf's fixed file ID is not where qpdf writes it")
        handle.seek(start)
        handle.write(head.replace(QPDF_STATIC_ID, value.hex().encode()))


def _bookmark_cover(pages: int, outline: _Outline) -> None:
    outline.add(COVER_LABEL, 0)
    if pages > 1:
        outline.add(CHECKLIST_BOOKMARK, 1)


def _bookmark(part: Part, start: int, outline: _Outline) -> None:
    item = outline.add(part.title, start, outline.group(part.group, start))
    for title, offset in part.sections:
        outline.add(title, start + offset, item)


def _open(page: Page) -> None:
    """Keep the page's own graphics state from reaching the stamp drawn after it."""
    page.contents_add(b"q\n", prepend=True)


def _free_the_band(page: Page) -> None:
    """Free an attachment page's bottom band for its number: a page turned by /Rotate is turned in its
    content (its boxes turned with it), then its content scaled about the top centre (see `_numbering`)."""
    matrices: list[Transformation] = []
    rotation = int(_inherited(page, "/Rotate") or 0) % 360
    if rotation:
        turn = turning(_box(page, "/MediaBox"), rotation)
        for key in BOX_KEYS:
            if key in page.obj or key == "/MediaBox":
                page.obj[key] = Array(turned(_box(page, key), turn))
        page.obj.Rotate = 0
        matrices.append(turn)
    shrink = band_freeing(_box(page, "/CropBox"))
    matrices.extend([shrink] if shrink is not None else [])
    operators = b"".join(_cm(matrix) for matrix in reversed(matrices))
    page.contents_add(b"q\n" + operators, prepend=True)


def _inherited(page: Page, key: str) -> Object | None:
    """A page attribute, from the page or the nearest page tree node above it that has it."""
    node: Object | None = page.obj
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _box(page: Page, key: str) -> Box:
    """A page box as numbers; the crop box defaults to the media box."""
    value = _inherited(page, key) or _inherited(page, "/MediaBox")
    left, bottom, right, top = (float(v) for v in value or [0, 0, 0, 0])
    return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))


def _cm(matrix: Transformation) -> bytes:
    return " ".join(_number_text(value) for value in matrix.ctm).encode() + b" cm\n"


def _number_text(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _number(packet: Pdf) -> None:
    """Stamp `— N —` on every page after the cover, N its place after the cover, and label it N."""
    count = len(packet.pages)
    labels: list[object] = [0, Dictionary(P=String(COVER_LABEL))]
    if count > 1:
        sample = stamp_sample()
        with Pdf.open(io.BytesIO(sample.pdf)) as stamps:
            form = packet.copy_foreign(stamps.pages[0].as_form_xobject())  # the font, copied once
        for index in range(1, count):
            _stamp(packet, packet.pages[index], _stamp_form(packet, form, sample.content(index)))
        labels += [1, Dictionary(S=Name.D, St=1)]
    packet.Root.PageLabels = Dictionary(Nums=Array(labels))


def _stamp_form(packet: Pdf, sample: Object, content: bytes) -> Object:
    """A form XObject like the sample's stamp (its box and font) drawing `content`."""
    form = Stream(packet, content)
    form.Type, form.Subtype = Name.XObject, Name.Form
    form.BBox, form.Resources = sample.BBox, sample.Resources
    return packet.make_indirect(form)


def _stamp(packet: Pdf, page: Page, form: Object) -> None:
    """Draw the stamp, a form XObject, over the page (opened by `_open` or `_free_the_band`), in its bottom
    band, centred on its visible width. The cover's pages, never opened, are not stamped."""
    name = _own_xobject(page, form)
    x, y = stamp_origin(_box(page, "/CropBox"))
    drawing = b"Q\nq " + _cm(Transformation().translate(x, y)) + str(name).encode() + b" Do Q\n"
    page.contents_add(drawing)


def _own_xobject(page: Page, form: Object) -> Name:
    """Name `form` in resources of the page's own (pages may share theirs, and each has its own number),
    by a name the page does not use yet, the same in every build."""
    resources = Dictionary(dict((_inherited(page, "/Resources") or Dictionary()).items()))
    xobjects = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
    name, suffix = Name(f"/{STAMP_PREFIX}"), 0
    while name in xobjects:
        suffix += 1
        name = Name(f"/{STAMP_PREFIX}{suffix}")
    xobjects[name] = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    return name


def _metadata(packet: Pdf, title: str, author: str, timestamp: dt.datetime) -> None:
    """The document's title and author (the packet is the unit's submission), its language for screen
    readers, and the bookmarks panel open: a reviewer finds each document and 申报表七 item at once."""
    stamp_text = timestamp.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    info = {"/Title": title, "/Author": author, "/Producer": "haizhi", "/Creator": "haizhi",
            "/CreationDate": stamp_text, "/ModDate": stamp_text}
    packet.trailer.Info = packet.make_indirect(Dictionary({key: String(value) for key, value in info.items()}))
    packet.Root.PageMode = Name.UseOutlines
    packet.Root.Lang = String("zh-CN")

"""`sign`: the pages the unit signed and stamped, scanned, take the place of the printed ones in a copy of
packet.pdf (packet-signed.pdf), which keeps the packet's bookmarks, page labels and page numbers.

Each page replaced keeps its place (its page object, so the bookmarks and labels that point at it still do);
its content becomes the scanned page, fitted to the page's size. The scan shows the number printed on the
paper; the same number is put back in the text layer as invisible text, so a reader that searches or
extracts text finds it and no second number is seen. packet.pdf and manifest.json are left as they are: the
manifest records what build-packet wrote, and its hashes still hold.

By default the pages replaced are the last page of 六 (the 承诺 is signed at its end) and every page of 八
(the opinions of the unit and the two 科协), found by the 申报表's bookmarks. `--pages` takes the numbers
printed on the pages (`5,6`, `5-6`) or the sections (`六`, `八`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject

from haizhi_cli.checking import pypdf_remarks_silenced
from haizhi_cli.errors import Location, UsageError
from haizhi_cli.i18n import joined, tr
from haizhi_cli.outputs import build_time, refuse_overwrite, write_file_atomically
from haizhi_cli.packet._binding import inputs_id
from haizhi_cli.packet._numbering import number_stamps, stamp
from haizhi_cli.packet._packet_plan import FORM_TITLE, PACKET_FILE
from haizhi_cli.packet._sections import FORM_HEADINGS, SIGNED_HEADINGS, Section, form_sections, page_lines

SIGNED_FILE = "packet-signed.pdf"


@dataclass(frozen=True)
class SignResult:
    out: Path
    replaced: tuple[str, ...]
    """The printed numbers of the pages replaced, in order."""
    pages: int
    sha256: str


def sign_packet(folder: Path, scans: Path, pages: str | None = None, out: Path | None = None,
                force: bool = False) -> SignResult:
    """Write packet-signed.pdf (or `out`): packet.pdf with `pages` replaced by the pages of `scans`, in order.
    Raises UsageError (exit 2), naming the file, for a folder that is no packet, a PDF that cannot be read and
    a scan whose page count is not the count of the pages to replace."""
    with pypdf_remarks_silenced():
        return _sign(folder, scans, pages, out, force)


def _sign(folder: Path, scans: Path, pages: str | None, out: Path | None, force: bool) -> SignResult:
    packet_path = _packet_in(folder)
    target = out if out is not None else folder / SIGNED_FILE
    _refuse_target(target, packet_path, scans, force)
    with contextlib.ExitStack() as files:
        packet, scan = _open_pdf(packet_path, files), _open_pdf(scans, files)
        indices = _chosen_pages(packet, pages, packet_path)
        labels = packet.page_labels
        if len(scan.pages) != len(indices):
            raise UsageError(tr("扫描件有 {scanned} 页，而要替换的页有 {expected} 页（第 {numbers} 页）；"
                                "页数不一致，未生成签章版。请扫描这些页，或用 --pages 指定要替换的页",
                                scanned=len(scan.pages), expected=len(indices),
                                numbers=joined(labels[i] for i in indices)), Location(scans))
        data = _signed(packet, scan, indices, inputs_id([packet_path, scans], repr(indices)))
    write_file_atomically(target, data, force=force)
    replaced = tuple(labels[index] for index in indices)
    return SignResult(target, replaced, len(packet.pages), hashlib.sha256(data).hexdigest())


def _packet_in(folder: Path) -> Path:
    packet = folder / PACKET_FILE
    if not folder.is_dir() or not packet.is_file():
        raise UsageError(tr("不是 haizhi 生成的材料包文件夹（其中没有 {packet}）；请给出 build-packet 的输出文件夹",
                            packet=PACKET_FILE), Location(folder))
    return packet


def _refuse_target(target: Path, packet: Path, scans: Path, force: bool) -> None:
    if any(_same_file(target, source) for source in (packet, scans)):
        raise UsageError(tr("签章版不能写到输入文件上；请换一个输出位置（-o）"), Location(target))
    refuse_overwrite(target, force)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):
        return False


def _open_pdf(path: Path, files: contextlib.ExitStack) -> PdfReader:
    """The PDF at `path`, read from the file as needed (it stays open in `files`); a file that is missing, not
    a PDF or encrypted is refused with its path."""
    try:
        reader = PdfReader(files.enter_context(path.open("rb")))
        if reader.is_encrypted:
            raise UsageError(tr("PDF 已加密，无法读取；请提供未加密的 PDF"), Location(path))
        len(reader.pages)
    except (OSError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UsageError(tr("无法读取此 PDF 文件：{reason}", reason=reason), Location(path)) from None
    return reader


# --- which pages ----------------------------------------------------------------------------------------


def _chosen_pages(packet: PdfReader, pages: str | None, path: Path) -> list[int]:
    """The page indices to replace, in packet order, each once."""
    if pages is None or not pages.strip():
        wanted = _signed_section_pages(packet, SIGNED_HEADINGS, path)
    else:
        wanted = [index for token in _tokens(pages) for index in _token_pages(packet, token, path)]
    return sorted(set(wanted))


def _tokens(pages: str) -> list[str]:
    return [token.strip() for token in re.split(r"[,，、\s]+", pages) if token.strip()]


def _token_pages(packet: PdfReader, token: str, path: Path) -> list[int]:
    """A printed number, a range of them (`5-6`) or a section (`六`, `六、申报单位负责人承诺`)."""
    heading = _section_named(token)
    if heading is not None:
        return _signed_section_pages(packet, (heading,), path)
    bounds = re.fullmatch(r"(\d+)\s*[-–~]\s*(\d+)|(\d+)", token)
    if bounds is None:
        raise UsageError(tr("--pages 中的“{token}”不是页码（如 5 或 5-6）也不是申报表的部分（如 六、八）",
                            token=token))
    first, last = (bounds[1], bounds[2]) if bounds[3] is None else (bounds[3], bounds[3])
    labels = packet.page_labels  # pypdf makes the whole list anew each time it is asked
    return [_index_of(labels, str(number)) for number in range(int(first), int(last) + 1)]


def _section_named(token: str) -> str | None:
    """The section a token names: by its number (`六`), its heading, or a part of its title (`单位意见`)."""
    for heading in FORM_HEADINGS:
        number, _, title = heading.partition("、")
        if token in (number, heading) or (len(token) > 1 and token in title):
            return heading
    return None


def _index_of(labels: list[str], printed: str) -> int:
    if printed not in labels:
        raise UsageError(tr("材料包中没有印着第 {number} 页的页面（页码为 1–{last}）", number=printed,
                            last=len(labels) - 1))
    return labels.index(printed)


def _signed_section_pages(packet: PdfReader, headings: Iterable[str], path: Path) -> list[int]:
    """The pages signed by hand in each section: the last page of 六, every page of 八 (and of any other
    section named, all its pages)."""
    sections = {section.heading: section for section in _sections(packet, path)}
    pages: list[int] = []
    for heading in headings:
        if heading not in sections:
            raise UsageError(tr("书签中找不到“{heading}”；请用 --pages 给出要替换的页码", heading=heading),
                             Location(path))
        section = sections[heading]
        first = section.last if heading == SIGNED_HEADINGS[0] else section.first
        pages += range(first, section.last + 1)
    return pages


def _sections(packet: PdfReader, path: Path) -> list[Section]:
    """The 申报表's sections in the packet, from its bookmark and its pages' text."""
    tops = [(item.title, page) for item in packet.outline
            if not isinstance(item, list) and (page := packet.get_destination_page_number(item)) is not None]
    starts = [page for title, page in tops if title == FORM_TITLE]
    if not starts:
        raise UsageError(tr("没有“{title}”书签，不是 haizhi 装订的材料包；请用 --pages 给出要替换的页码",
                            title=FORM_TITLE), Location(path))
    first = starts[0]
    end = min((page for _, page in tops if page > first), default=len(packet.pages))
    lines = [page_lines(packet.pages[index]) for index in range(first, end)]
    return form_sections(lines, first)


# --- replacing ------------------------------------------------------------------------------------------


def _signed(packet: PdfReader, scan: PdfReader, indices: list[int], identity: bytes) -> bytes:
    writer = PdfWriter(clone_from=packet)
    scanned_pages = PdfWriter(clone_from=scan).pages  # a writer's pages can have their /Rotate turned into content
    labels = packet.page_labels
    numbers = [int(labels[index]) if labels[index].isdigit() else 0 for index in indices]
    stamped = sorted({number for number in numbers if number})  # only the numbers of the pages replaced
    stamps = dict(zip(stamped, number_stamps(stamped, invisible=True).pages, strict=True))
    for index, number, scanned in zip(indices, numbers, scanned_pages, strict=True):
        page = writer.pages[index]
        _replace_content(page, scanned)
        if number:
            stamp(page, stamps[number])
    timestamp = build_time().strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/ModDate": timestamp})
    set_file_id(writer, identity)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _replace_content(page: PageObject, scanned: PageObject) -> None:
    """Empty `page` (content, resources, links) and draw `scanned` on it, scaled to fit and centred."""
    if scanned.rotation:
        scanned.transfer_rotation_to_content()
    page[NameObject("/Contents")] = ArrayObject()
    page[NameObject("/Resources")] = DictionaryObject()
    if "/Annots" in page:
        del page["/Annots"]
    box, source = page.cropbox, scanned.cropbox
    scale = min(float(box.width) / float(source.width), float(box.height) / float(source.height))
    x = float(box.left) + (float(box.width) - scale * float(source.width)) / 2 - scale * float(source.left)
    y = float(box.bottom) + (float(box.height) - scale * float(source.height)) / 2 - scale * float(source.bottom)
    page.merge_transformed_page(scanned, Transformation().scale(scale, scale).translate(x, y))


def set_file_id(writer: PdfWriter, value: bytes) -> None:
    identifier = ByteStringObject(value)
    writer._ID = ArrayObject([identifier, identifier])  # pypdf has no public setter for the trailer /ID

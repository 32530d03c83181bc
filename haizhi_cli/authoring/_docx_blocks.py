"""The body of a Word file (.docx) as paragraphs and tables of plain text, for `haizhi import`.

Only the text counts, never styles or runs: a paragraph is the text of its runs (a line break as "\\n"),
a table its rows of cells, each cell the texts of its paragraphs. Word, WPS and LibreOffice wrap
paragraphs, rows and cells in content controls, custom XML, tracked insertions …: those are read through;
deleted text, text boxes and field codes are not the paragraph's and are skipped.

A file is refused (ApplicantFileError) before it is parsed when it is too large, an old binary .doc/.wps,
or not a zip. Only the main document part is unpacked, and its bytes are counted as they are decompressed
(the zip's own header may lie about the size): a part larger than MAX_DOCUMENT_BYTES, or with more than
MAX_ELEMENTS elements, is refused before it is parsed, so memory stays within a few hundred MB whatever the
file claims or holds. The XML is parsed with lxml (which python-docx brings), entities and network off.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haizhi_cli.errors import ApplicantFileError, Location
from haizhi_cli.i18n import tr

MAX_DOCX_BYTES = 64 * 1024 * 1024
"""A 申报表 with a few scanned signatures is a few MB; a larger file is refused before it is opened."""

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""The most the main document part (word/document.xml) may unpack to. A filled 申报表 is some 100 KB to
1 MB of XML, whatever Word, WPS or LibreOffice wrote; more is refused unread (a zip bomb is not a form)."""

MAX_ELEMENTS = 400_000
"""The most XML elements the main part may hold: a 申报表 has a few thousand. Counted from its markup before
it is parsed (text cannot hold a raw `<`), since a parsed element costs a few hundred bytes."""

_MAIN_PART = "word/document.xml"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIPPED = frozenset(_W + tag for tag in ("pPr", "rPr", "sdtPr", "del", "moveFrom", "txbxContent", "instrText",
                                          "delInstrText", "fldData", "tblPr", "trPr", "tcPr")) | {_MC + "Fallback"}
"""Elements whose text is not the paragraph's: properties, deleted text, text boxes, field codes."""

_CONTAINERS = frozenset(_W + tag for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"))
"""Wrappers Word, WPS and LibreOffice put around paragraphs, rows and cells: read through."""


SYMBOLS = {
    "wingdings": {0xFE: "☑", 0xFD: "☒", 0xFC: "√", 0x78: "☒", 0xA8: "☐", 0x6F: "☐", 0x71: "☐"},
    "wingdings 2": {0x52: "☑", 0x53: "☒", 0x54: "☒", 0x50: "√", 0xA3: "☐", 0x2A: "☐"},
}
"""Ticks and boxes inserted as a symbol (Insert › Symbol with Wingdings or Wingdings 2 writes `w:sym`, not
text): what they stand for, so that a 基地类型 ticked that way reads as ticked."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body, or of a cell."""

    text: str
    """The paragraph's text, a line break as "\\n"."""


@dataclass(frozen=True)
class Table:
    """A table of the body; a table nested in a cell is read into that cell's texts."""

    rows: tuple[tuple[tuple[str, ...], ...], ...]
    """Each row's cells, each cell the texts of its paragraphs."""


Block = Paragraph | Table
"""What the body of a Word file is read into, in order."""


def read_blocks(path: Path) -> list[Block]:
    """The body of the Word file at `path` as paragraphs and tables, in order."""
    data = _read_bytes(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicantFileError(tr("这是旧版 Word/WPS 文件（.doc/.wps），无法读取；"
                                    "请在 Word 或 WPS 中另存为 .docx 后再导入"), Location(path))
    xml = _main_part(data, path)
    body = _parsed(xml, path).find(_W + "body")
    if body is None:
        raise _corrupt(path)
    return list(_blocks(body))


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ApplicantFileError(tr("这是一个文件夹，不是文件"), Location(path))
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise ApplicantFileError(tr("文件过大（{size:,} 字节，上限 {limit:,} 字节），未读取",
                                        size=size, limit=MAX_DOCX_BYTES), Location(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise ApplicantFileError(tr("文件不存在，请检查路径"), Location(path)) from None
    except OSError as exc:
        raise ApplicantFileError(tr("无法读取文件：{reason}", reason=exc.strerror or exc), Location(path)) from None


def _corrupt(path: Path) -> ApplicantFileError:
    return ApplicantFileError(tr("无法打开 Word 文件（不是 .docx 或已损坏）；请在 Word 或 WPS 中打开它，"
                                 "另存为 .docx 后再导入"), Location(path))


def _main_part(data: bytes, path: Path) -> bytes:
    """The main document part's XML, unpacked up to MAX_DOCUMENT_BYTES and no further."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(_main_part_name(archive)) as part:
            xml = part.read(MAX_DOCUMENT_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        raise _corrupt(path) from None
    if len(xml) > MAX_DOCUMENT_BYTES:
        raise ApplicantFileError(tr("Word 文件的正文解压后超过 {limit:,} 字节，不像申报表，未读取",
                                    limit=MAX_DOCUMENT_BYTES), Location(path))
    return xml


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The part the package's relationships name as its office document (word/document.xml as a rule)."""
    from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type information

    try:
        with archive.open("_rels/.rels") as rels:
            root = etree.fromstring(rels.read(1024 * 1024), etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError):
        return _MAIN_PART
    targets = [r.get("Target", "") for r in root.iter(_PACKAGE_RELS) if r.get("Type") == _OFFICE_DOCUMENT]
    return targets[0].lstrip("/") if targets else _MAIN_PART


def _parsed(xml: bytes, path: Path) -> Any:
    """The main part as an lxml tree; one with more than MAX_ELEMENTS elements is refused unparsed."""
    from lxml import etree

    if xml.count(b"<") > 2 * MAX_ELEMENTS:  # every element has a start tag, and most an end tag
        raise ApplicantFileError(tr("Word 文件的正文超过 {limit:,} 个元素，不像申报表，未读取",
                                    limit=MAX_ELEMENTS), Location(path))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise _corrupt(path) from None


def _blocks(container: Any) -> Iterator[Block]:
    for child in container:
        tag = child.tag
        if tag == _W + "p":
            yield Paragraph(_paragraph_text(child))
        elif tag == _W + "tbl":
            yield Table(tuple(tuple(_cell(tc) for tc in _children(tr_, "tc")) for tr_ in _children(child, "tr")))
        elif tag in _CONTAINERS:
            yield from _blocks(child)


def _children(element: Any, name: str) -> Iterator[Any]:
    """`w:name` children of `element`, also inside content controls and custom XML wrappers."""
    for child in element:
        if child.tag == _W + name:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, name)


def _cell(tc: Any) -> tuple[str, ...]:
    """The texts of a cell's paragraphs; a table nested in it adds the texts of its cells."""
    texts: list[str] = []
    for block in _blocks(tc):
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts.extend(text for row in block.rows for cell in row for text in cell)
    return tuple(texts)


def _paragraph_text(element: Any) -> str:
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


def _collect(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "sym":
            parts.append(_symbol(child.get(_W + "font", ""), child.get(_W + "char", "")))
        else:
            _collect(child, parts)



def _symbol(font: str, char: str) -> str:
    """The tick or box a `w:sym` stands for (its code in the font's F000 range or not); "" for any other."""
    try:
        code = int(char, 16) & 0xFF
    except ValueError:
        return ""
    return SYMBOLS.get(font.strip().lower(), {}).get(code, "")

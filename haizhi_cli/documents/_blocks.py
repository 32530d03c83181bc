"""Documents as plain blocks, made from Jinja2 templates; the Word and PDF writers read the same blocks.

A template in `templates/` is autoescaped XML of a tiny vocabulary (`document`, `p`, `text`, `table`,
`row`, `cell`, `pagebreak`, `space`); a `p` may say `keep="yes"` (stay with what follows), `before="3"`
(empty lines above it) and `right="4"` (characters of space at its right), a `table` `keep="yes"` (on one
page). Applicant text only ever enters a template as a variable, so it is escaped on the way in and comes
back out of the XML parser exactly as written: `{{ 7*7 }}` or `<w:p>` in a narrative is text, never template
or markup.
"""

from __future__ import annotations

import typing
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import jinja2

from haizhi_cli._shipped import shipped_folder

Style = Literal["title", "subtitle", "heading", "heading-center", "subheading", "official-title", "body",
                "plain", "center", "right", "note", "caption", "label", "signature", "underline"]
"""Paragraph styles. `body` is indented two characters; `note` is an instruction line of the form;
`signature` leaves room to sign; `underline` is a filled-in blank of the cover page."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Style = "body"
    source: str | None = None
    """The applicant key the text comes from, so that a problem (a character no font has) can name it."""
    keep: bool = False
    """Kept on one page with the block after it (the 承诺 and its signature lines)."""
    before: float = 0
    """Empty lines above the paragraph, in body lines: room to write, sign or stamp."""
    right: float | None = None
    """Space at the paragraph's right, in characters of its size (右空四字, room for a name after a label);
    None leaves the style's."""


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[Paragraph, ...]
    span: int = 1
    label: bool = False
    height_mm: float = 0


@dataclass(frozen=True)
class Table:
    widths_mm: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    border: bool = True
    header_rows: int = 0
    """How many first rows are the table's header, repeated at the top of each page the table runs onto."""
    keep: bool = False
    """The whole table on one page (八、单位意见): it starts a new page rather than be split."""


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Space:
    lines: float = 1


Block = Paragraph | Table | PageBreak | Space


@dataclass(frozen=True)
class Layout:
    """Page geometry and type sizes; `official` follows GB/T 9704-2012 (公文格式)."""

    name: str
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    body_pt: float
    line_pt: float
    body_font: Literal["serif", "fangsong"] = "serif"


TABLE_PT, COVER_PT = 12.0, 16.0
"""Bordered tables are set in at most 12 pt (小四); borderless tables are the cover's blanks, in 16 pt (三号)."""
CELL_LEADING = 1.5
"""A table cell's line pitch, in sizes of its type."""
WORD_CELL_MARGINS_MM = 3.8
"""Word's default cell margins, 0.19 cm a side: what a column's width loses to them in Word."""


BALANCED_STYLES: frozenset[Style] = frozenset({"title", "subtitle", "heading-center", "official-title", "center",
                                              "underline"})
"""Styles broken only between words into lines of even length (titles, GB/T 9704 7.3.1, and the cover's blanks):
by `title_lines` in the PDF, and as the PDF's lines with explicit breaks in Word."""


def cell_pt(layout: Layout, bordered: bool) -> float:
    """The type size of a table's cells in `layout`: the same in the PDF and in Word."""
    return min(TABLE_PT, layout.body_pt) if bordered else COVER_PT


LAYOUTS = {
    "form": Layout("form", 25, 25, 25, 25, 12, 20),
    "plan": Layout("plan", 25, 25, 28, 26, 14, 28),
    # GB/T 9704-2012 §5.2: top 37 mm, left 28 mm, text area 156 × 225 mm; 3号 (16 pt), 22 lines × 28 chars.
    "official": Layout("official", 37, 297 - 37 - 225, 28, 210 - 28 - 156, 16, 225 / 22 * 72 / 25.4, "fangsong"),
}


@dataclass(frozen=True)
class Document:
    """One generated document: what both writers render."""

    title: str
    layout: Layout
    blocks: tuple[Block, ...]
    page_numbers: bool = True
    draft: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    """Names of places in the applicant's names, which no line breaks inside (documents._linebreaking)."""
    phrases: tuple[str, ...] = ()
    """The applicant's names: a title breaks at their ends rather than inside them."""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(shipped_folder("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, draft: bool = False, **variables: Any) -> Document:
    """Render a template with the given data and read it into blocks."""
    markup = _environment().get_template(template).render(**variables)
    return parse(markup, draft)


def parse(markup: str, draft: bool = False) -> Document:
    root = ET.fromstring(markup)
    blocks = tuple(block for child in root for block in _blocks(child))
    layout = LAYOUTS[root.get("layout", "form")]
    numbers = root.get("page-numbers", "yes") == "yes"
    return Document(root.get("title", ""), layout, blocks, numbers, draft)


def _blocks(element: ET.Element) -> list[Block]:
    """One element as blocks; `text` becomes one paragraph per line of the applicant's text."""
    tag, source = element.tag, element.get("source")
    if tag == "p":
        return [Paragraph(_text(element).strip(), _style(element, "body"), source, element.get("keep") == "yes",
                          float(element.get("before", "0")), _number(element.get("right")))]
    if tag == "text":
        return [Paragraph(line, _style(element, "body"), source) for line in _lines(_text(element))]
    if tag == "table":
        return [_table(element)]
    if tag == "pagebreak":
        return [PageBreak()]
    if tag == "space":
        return [Space(float(element.get("lines", "1")))]
    raise ValueError(f"unknown element <{tag}> in a template")


def _table(element: ET.Element) -> Table:
    widths = tuple(float(w) for w in element.get("widths", "").split(","))
    rows = tuple(tuple(_cell(cell) for cell in row) for row in element.iter("row"))
    return Table(widths, rows, element.get("border", "yes") == "yes", int(element.get("header", "0")),
                 element.get("keep") == "yes")


def _cell(element: ET.Element) -> Cell:
    label = element.get("label") == "yes"
    default: Style = "label" if label else "plain"
    if len(element):
        paragraphs = tuple(p for child in element for p in _blocks(child) if isinstance(p, Paragraph))
    else:
        style, source = _style(element, default), element.get("source") or None
        paragraphs = tuple(Paragraph(line, style, source) for line in _lines(_text(element)) or [""])
    return Cell(paragraphs, int(element.get("span", "1")), label, float(element.get("height", "0")))


def _number(value: str | None) -> float | None:
    return None if value is None else float(value)


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


def _lines(text: str) -> list[str]:
    """Paragraphs of an applicant's text: lines with their surrounding blanks trimmed, empty ones dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _style(element: ET.Element, default: Style) -> Style:
    value = element.get("style", default)
    if value not in typing.get_args(Style):
        raise ValueError(f"unknown paragraph style {value!r} in a template")
    return typing.cast(Style, value)

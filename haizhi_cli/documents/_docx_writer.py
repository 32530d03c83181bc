"""Word (.docx) output of a `documents.Document`, started from templates/reference.docx.

Every `documents.Style` becomes a named paragraph style ("Haizhi Body", …), so a user can restyle the whole
document in Word or WPS. Chinese fonts go into `w:rFonts/@w:eastAsia` with `w:lang/@w:eastAsia="zh-CN"`:
python-docx's `font.name` only sets the Latin slots, and Word and WPS pick the Chinese font from these two.
The `official` layout follows GB/T 9704-2012: an exact line pitch of 225 mm / 22 and characters condensed so
that 28 fill the 156 mm line. The same document and timestamp always give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table as WordTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as WordParagraph

from haizhi_cli._shipped import shipped_folder
from haizhi_cli.documents._blocks import (
    BALANCED_STYLES,
    CELL_LEADING,
    WORD_CELL_MARGINS_MM,
    Block,
    Cell,
    Document,
    Layout,
    PageBreak,
    Paragraph,
    Space,
    Style,
    Table,
    cell_pt,
)
from haizhi_cli.documents._linebreaking import Vocabulary, title_lines, vocabulary

PAGE_MM = (210.0, 297.0)
"""A4."""
MM_PER_PT = 25.4 / 72

LATIN = "Times New Roman"
SONG, FANGSONG, HEI, XIAOBIAOSONG = "宋体", "仿宋_GB2312", "黑体", "方正小标宋简体"
AUTHOR = "haizhi"
REFERENCE_NAME = "reference.docx"

CHARS_PER_LINE = {"official": 28}
"""Layouts with a fixed number of characters a line (GB/T 9704-2012 §5.2.2); the others keep natural spacing."""

PAGE_NUMBER_GAP_MM = 7
"""GB/T 9704-2012 §7.5: the page number sits 7 mm below the text area."""

HEADER_MM = 15
BORDER = {"val": "single", "sz": "4", "space": "0", "color": "000000"}
"""A 0.5 pt line: `w:sz` counts eighths of a point."""

NO_BORDER = {"val": "nil"}
BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")

FORBIDDEN = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000),
                           0xFFFE, 0xFFFF])
"""Code points XML 1.0 cannot hold (lone surrogates included): python-docx would refuse the text."""

RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
             "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
             "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
             "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
             "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
             "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
             "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
             "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
             "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TCPR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
              "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
TCBORDERS_ORDER = ("w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right", "w:insideH", "w:insideV")
PBDR_ORDER = ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar")
TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
               "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
               "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
"""Child order of `w:rPr`, `w:pPr`, `w:tcPr`, `w:tcBorders`, `w:pBdr` and `w:tblPr` (ECMA-376): Word refuses a
file with a child out of place."""

CENTER, RIGHT, JUSTIFY = WD_PARAGRAPH_ALIGNMENT.CENTER, WD_PARAGRAPH_ALIGNMENT.RIGHT, WD_PARAGRAPH_ALIGNMENT.JUSTIFY
LEFT = WD_PARAGRAPH_ALIGNMENT.LEFT

WATERMARK = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{eqn}"/>' for eqn in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"'
    ' o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles>'
    '<v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype><v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:315;'
    "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="silver"'
    ' stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;黑体&quot;;font-size:1pt"'
    ' string="草稿"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)
"""Word's own diagonal text watermark (VML in the header), which WPS and LibreOffice also show."""


@dataclass(frozen=True)
class Look:
    """How one paragraph style looks; `None` means the layout's body font or size."""

    name: str
    font: str | None = None
    size_pt: float | None = None
    align: WD_PARAGRAPH_ALIGNMENT | None = None
    indent_chars: int = 0
    right_chars: int = 0
    bold: bool = False
    underline: bool = False
    keep_with_next: bool = False
    outline_level: int | None = None
    space_before_lines: float = 0
    min_size_pt: float = 0


HEADING_PT = 14
"""Headings are at least 4号, and as large as the body text (3号 in the official layout)."""

LOOKS: dict[Style, Look] = {
    "body": Look("Haizhi Body", indent_chars=2),
    "plain": Look("Haizhi Plain"),
    "center": Look("Haizhi Center", align=CENTER),
    "right": Look("Haizhi Right", align=RIGHT),
    "note": Look("Haizhi Note", size_pt=10.5, keep_with_next=True),
    "caption": Look("Haizhi Caption", HEI, 12, CENTER, keep_with_next=True),
    "label": Look("Haizhi Label", align=CENTER),
    "signature": Look("Haizhi Signature", align=RIGHT, right_chars=4, space_before_lines=0.5),
    "underline": Look("Haizhi Underline", align=LEFT),  # as the PDF: a justified line before a break would stretch
    "title": Look("Haizhi Title", HEI, 22, CENTER, keep_with_next=True),
    "subtitle": Look("Haizhi Subtitle", HEI, 16, CENTER),
    "official-title": Look("Haizhi Official Title", XIAOBIAOSONG, 22, CENTER, keep_with_next=True),
    "heading": Look("Haizhi Heading", HEI, keep_with_next=True, outline_level=0, space_before_lines=0.5,
                    min_size_pt=HEADING_PT),
    "heading-center": Look("Haizhi Heading Center", HEI, align=CENTER, keep_with_next=True, outline_level=0,
                           space_before_lines=0.5, min_size_pt=HEADING_PT),
    "subheading": Look("Haizhi Subheading", HEI, keep_with_next=True, outline_level=1),
}
"""Titles are 黑体 (installed everywhere) except the official title, which GB/T 9704 sets in 小标宋."""

DRAFT_LOOK = Look("Haizhi Draft Mark", HEI, 14, RIGHT, bold=True)
NORMAL_LOOK = Look("Normal", align=JUSTIFY)


def write_docx(document: Document, path: Path, timestamp: dt.datetime,
               finish: Callable[[WordDocument], None] | None = None) -> None:
    """Write `document` to `path` atomically; the same document and timestamp always give the same bytes.

    `finish` may add what only Word shows to the written blocks (the blank form's fill-in lines)."""
    word = docx.Document(str(reference_template()))
    _set_up(word, document, timestamp)
    writer = _Writer(word, _define_styles(word, document.layout), document.layout,
                     vocabulary(document.words, document.phrases))
    for block in document.blocks:
        writer.add(block)
    writer.finish()
    if finish is not None:
        finish(word)
    buffer = io.BytesIO()
    word.save(buffer)
    _replace_atomically(path, _normalised_zip(buffer.getvalue(), _zip_time(timestamp)))


def reference_template() -> Path:
    """templates/reference.docx (made by scripts/make_reference_docx.py), instead of python-docx's own template."""
    return shipped_folder("templates") / REFERENCE_NAME


def clean_text(text: str) -> str:
    """`text` without the characters XML cannot hold; the loader refuses them earlier, this is the last guard."""
    return text.translate(FORBIDDEN)


def _set_up(word: WordDocument, document: Document, timestamp: dt.datetime) -> None:
    _page(word.sections[0], document.layout)
    _core_properties(word, document.title, timestamp)
    _chinese_defaults(word, document.layout)
    if document.page_numbers:
        _page_numbers(word, document.layout)
    if document.draft:
        _draft_mark(word, document.layout)


class _Writer:
    """Adds blocks in order; a page break waits for the next paragraph, which then starts a page."""

    def __init__(self, word: WordDocument, styles: dict[Style, ParagraphStyle], layout: Layout,
                 words: Vocabulary) -> None:
        self.word, self.styles, self.layout, self.words = word, styles, layout, words
        self.break_pending = False
        self.ends_with_table = False

    def add(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            _paragraph_options(self.paragraph(block.text, block.style), block, self.layout)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Space):
            self.space(block.lines)
        elif isinstance(block, PageBreak):
            self.break_pending = True

    def paragraph(self, text: str, style: Style) -> WordParagraph:
        paragraph = self.word.add_paragraph()
        _set_style(paragraph, self.styles[style])
        if style in BALANCED_STYLES:
            width = PAGE_MM[0] - self.layout.left_mm - self.layout.right_mm
            text = _balanced(text, width, _size(LOOKS[style], self.layout), self.words)
        _add_text(paragraph, text)
        if self.break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.break_pending = False
        self.ends_with_table = False
        return paragraph

    def space(self, lines: float) -> None:
        """Whole empty lines, so that they flow across pages like text; a fraction as one shorter line."""
        for _ in range(int(lines)):
            self.paragraph("", "plain")
        rest = lines - int(lines)
        if rest > 0:
            pitch = _line_twips(self.layout.body_pt, self.layout)
            self.paragraph("", "plain").paragraph_format.line_spacing = Twips(max(1, round(rest * pitch)))

    def table(self, table: Table) -> None:
        self.flush_break()
        _add_table(self.word, table, self.styles, self.layout, self.words)
        self.ends_with_table = True

    def flush_break(self) -> None:
        if self.break_pending:
            self.break_pending = False
            self.paragraph("", "plain").add_run().add_break(WD_BREAK.PAGE)

    def finish(self) -> None:
        """Honour a trailing page break; end with a paragraph, as Word does after a final table."""
        self.flush_break()
        if self.ends_with_table:
            self.paragraph("", "plain")


def _set_style(paragraph: WordParagraph, style: ParagraphStyle) -> None:
    """`paragraph.style = style` for one of the styles defined here, none of which is the default style.

    python-docx's setter searches every style of the document for the default one on each assignment, to
    write no `w:pStyle` for it; that search was most of the time spent writing a document."""
    paragraph._p.style = style.style_id


def _add_text(paragraph: WordParagraph, text: str) -> None:
    cleaned = clean_text(text)
    if cleaned:
        paragraph.add_run(cleaned)


def _paragraph_options(paragraph: WordParagraph, block: Paragraph, layout: Layout) -> None:
    """What a block asks beyond its style: kept with the next, empty lines above, its own right indent."""
    form = paragraph.paragraph_format
    if block.keep:
        form.keep_with_next = True
    if block.before or block.right is not None:  # its own spacing replaces the style's half line
        form.space_before = Twips(round(block.before * layout.line_pt * 20))
    if block.right is not None:
        look = LOOKS[block.style]
        size = _size(look, layout)
        pitch = size * 20 + (_char_spacing_twips(layout) if size == layout.body_pt else 0)
        indent = _child(paragraph._p.get_or_add_pPr(), "w:ind", PPR_ORDER)
        indent.set(qn("w:rightChars"), str(round(block.right * 100)))
        indent.set(qn("w:right"), str(round(block.right * pitch)))


# Page, properties, header and footer


def _page(section: Section, layout: Layout) -> None:
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(layout.top_mm), Mm(layout.bottom_mm)
    section.left_margin, section.right_margin = Mm(layout.left_mm), Mm(layout.right_mm)
    section.header_distance = Mm(HEADER_MM)
    section.footer_distance = Mm(_footer_distance_mm(layout))


def _footer_distance_mm(layout: Layout) -> float:
    """From the page's foot to the page number's line, so that the number sits 7 mm below the text area."""
    line_mm = _line_twips(_page_number_pt(layout), layout) / 20 * 25.4 / 72
    return layout.bottom_mm - PAGE_NUMBER_GAP_MM - line_mm


def _page_number_pt(layout: Layout) -> float:
    """GB/T 9704-2012 §7.5 sets page numbers in 4号 (14 pt); the forms use 5号."""
    return 14 if layout.name in CHARS_PER_LINE else 10.5


def _core_properties(word: WordDocument, title: str, timestamp: dt.datetime) -> None:
    """Title, author and the one timestamp; the template's creator, description and dates are replaced."""
    properties = word.core_properties
    properties.title = clean_text(title)[:255]
    properties.author = properties.last_modified_by = AUTHOR
    properties.subject = properties.keywords = properties.comments = properties.category = ""
    properties.created = properties.modified = _utc(timestamp)
    properties.revision = 1


def _utc(timestamp: dt.datetime) -> dt.datetime:
    """Naive UTC: python-docx writes the time with a `Z` whatever its zone."""
    if timestamp.tzinfo is None:
        return timestamp
    return timestamp.astimezone(dt.UTC).replace(tzinfo=None)


def _page_numbers(word: WordDocument, layout: Layout) -> None:
    """`— N —` in the footer, N a PAGE field: centred on a form; in the official layout (GB/T 9704-2012 §7.5)
    odd pages right and even pages left, one character in from the text area's edge."""
    section = word.sections[0]
    if layout.name not in CHARS_PER_LINE:
        look = Look("Haizhi Page Number", SONG, _page_number_pt(layout), CENTER)
        _page_number(section.footer.paragraphs[0], _add_style(word, look, layout))
        return
    word.settings.odd_and_even_pages_header_footer = True
    odd = Look("Haizhi Page Number", SONG, _page_number_pt(layout), RIGHT, right_chars=1)
    even = Look("Haizhi Page Number Even", SONG, _page_number_pt(layout), WD_PARAGRAPH_ALIGNMENT.LEFT, indent_chars=1)
    _page_number(section.footer.paragraphs[0], _add_style(word, odd, layout))
    _page_number(section.even_page_footer.paragraphs[0], _add_style(word, even, layout))


def _page_number(paragraph: WordParagraph, style: ParagraphStyle) -> None:
    _set_style(paragraph, style)
    paragraph.add_run("— ")
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("", "1"), ("end", "")):
        _field_run(paragraph, kind, text)
    paragraph.add_run(" —")


def _field_run(paragraph: WordParagraph, kind: str, text: str) -> None:
    """One run of a complex field: a `w:fldChar` of `kind`, the instruction, or the shown result."""
    run = paragraph.add_run()
    if kind == "instr":
        element = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
        element.text = text
        run._r.append(element)
    elif kind:
        run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    else:
        run.text = text


def _draft_mark(word: WordDocument, layout: Layout) -> None:
    """草稿 in red at the head of every page, and a diagonal 草稿 watermark behind the text."""
    style = _add_style(word, DRAFT_LOOK, layout)
    style.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    headers = [word.sections[0].header]
    if word.settings.odd_and_even_pages_header_footer:
        headers.append(word.sections[0].even_page_header)
    for header in headers:
        paragraph = header.paragraphs[0]
        _set_style(paragraph, style)
        paragraph.add_run("草稿")
        paragraph._p.append(parse_xml(WATERMARK))


# Styles


def _define_styles(word: WordDocument, layout: Layout) -> dict[Style, ParagraphStyle]:
    normal = word.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _format(normal, NORMAL_LOOK, layout)
    return {key: _add_style(word, look, layout) for key, look in LOOKS.items()}


def _add_style(word: WordDocument, look: Look, layout: Layout) -> ParagraphStyle:
    """A new paragraph style named `look.name`, as `word.styles.add_style` makes it.

    Its check that the name is new is made with one XPath query: python-docx reads the name of every style
    of the template in Python for each style added."""
    styles = word.styles.element
    if styles.get_by_name(look.name) is not None:
        raise ValueError(f"document already contains style '{look.name}'")
    style = ParagraphStyle(styles.add_style_of_type(look.name, WD_STYLE_TYPE.PARAGRAPH, False))
    style.base_style = word.styles["Normal"]
    style.quick_style = True
    _format(style, look, layout)
    return style


def _format(style: ParagraphStyle, look: Look, layout: Layout) -> None:
    size = _size(look, layout)
    spacing = _char_spacing_twips(layout) if size == layout.body_pt else 0
    _run_format(style, look, size, spacing, layout)
    _paragraph_format(style, look, size, layout)
    _indent(style, look, size * 20 + spacing)


def _size(look: Look, layout: Layout) -> float:
    return look.size_pt or max(layout.body_pt, look.min_size_pt)


def _run_format(style: ParagraphStyle, look: Look, size: float, spacing: int, layout: Layout) -> None:
    style.font.size = Pt(size)
    style.font.bold = True if look.bold else None
    style.font.underline = True if look.underline else None
    properties = style.element.get_or_add_rPr()
    _set_fonts(properties, look.font or _body_font(layout))
    if layout.name in CHARS_PER_LINE:
        _child(properties, "w:spacing", RPR_ORDER).set(qn("w:val"), str(spacing))


def _paragraph_format(style: ParagraphStyle, look: Look, size: float, layout: Layout) -> None:
    paragraph = style.paragraph_format
    paragraph.alignment = look.align
    paragraph.line_spacing = Twips(_line_twips(size, layout))
    paragraph.space_after = Twips(0)
    paragraph.space_before = Twips(_space_before_twips(look, layout))
    paragraph.keep_with_next = look.keep_with_next or None
    paragraph.widow_control = layout.name not in CHARS_PER_LINE
    if look.outline_level is not None:
        properties = style.element.get_or_add_pPr()
        _child(properties, "w:outlineLvl", PPR_ORDER).set(qn("w:val"), str(look.outline_level))


def _space_before_twips(look: Look, layout: Layout) -> int:
    """Half a line above headings and signatures, except where the page is a fixed grid of lines."""
    if layout.name in CHARS_PER_LINE:
        return 0
    return round(look.space_before_lines * layout.line_pt * 20)


def _indent(style: ParagraphStyle, look: Look, pitch_twips: float) -> None:
    """Indents in characters (w:…Chars, hundredths) for Word and WPS, and in twips for the others."""
    values = {"firstLineChars": look.indent_chars * 100, "firstLine": round(look.indent_chars * pitch_twips),
              "rightChars": look.right_chars * 100, "right": round(look.right_chars * pitch_twips)}
    values = {name: value for name, value in values.items() if value}
    if values:
        indent = _child(style.element.get_or_add_pPr(), "w:ind", PPR_ORDER)
        for name, value in values.items():
            indent.set(qn(f"w:{name}"), str(value))


def _line_twips(size_pt: float, layout: Layout) -> int:
    """The exact line pitch: the layout's, unless the type is too large for it (a title on a form).

    Rounded down, so that 22 official lines still fit in 225 mm.
    """
    pitch = layout.line_pt if size_pt * 1.25 <= layout.line_pt else size_pt * 1.5
    return math.floor(pitch * 20)


def _char_spacing_twips(layout: Layout) -> int:
    """Space added to each character so that the layout's characters a line fill it; rounded down to fit."""
    chars = CHARS_PER_LINE.get(layout.name)
    if chars is None:
        return 0
    width_pt = (PAGE_MM[0] - layout.left_mm - layout.right_mm) * 72 / 25.4
    return math.floor((width_pt / chars - layout.body_pt) * 20)


def _body_font(layout: Layout) -> str:
    return FANGSONG if layout.body_font == "fangsong" else SONG


def _set_fonts(properties: BaseOxmlElement, east_asian: str) -> None:
    """Latin and Chinese fonts and languages, replacing the template's theme fonts (which would win)."""
    fonts = _child(properties, "w:rFonts", RPR_ORDER)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for slot, name in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", east_asian), ("cs", LATIN)):
        fonts.set(qn(f"w:{slot}"), name)
    language = _child(properties, "w:lang", RPR_ORDER)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _chinese_defaults(word: WordDocument, layout: Layout) -> None:
    """The layout's body font as the document default, for text outside our styles (table styles, notes)."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    properties = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if isinstance(properties, BaseOxmlElement):
        _set_fonts(properties, _body_font(layout))


def _child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...]) -> BaseOxmlElement:
    """`parent`'s `tag` child, added at its place in the schema order when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return cast(BaseOxmlElement, found)
    child = OxmlElement(tag)
    later = {qn(name) for name in order[order.index(tag) + 1:]}
    successor = next((element for element in parent if element.tag in later), None)
    if successor is None:
        parent.append(child)
    else:
        successor.addprevious(child)
    return child


# Tables


def _add_table(word: WordDocument, table: Table, styles: dict[Style, ParagraphStyle], layout: Layout,
               words: Vocabulary) -> None:
    grid = word.add_table(rows=len(table.rows), cols=len(table.widths_mm))
    _table_properties(grid, table)
    setting = _CellSetting(styles, layout, words, cell_pt(layout, table.border))
    for index, cells in enumerate(table.rows):
        _fill_row(grid, index, cells, table.widths_mm, setting)
        if index < table.header_rows:  # Word, WPS and LibreOffice repeat it on every page the table reaches
            grid.rows[index]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _cell_type(grid, table, setting)
    if table.keep:  # each row kept with the next: the table moves to a new page whole
        for row in grid.rows[:-1]:
            for paragraph in (p for cell in row.cells for p in cell.paragraphs):
                paragraph.paragraph_format.keep_with_next = True


@dataclass(frozen=True)
class _CellSetting:
    """What filling a table's cells needs besides the cells."""

    styles: dict[Style, ParagraphStyle]
    layout: Layout
    words: Vocabulary
    size_pt: float
    """The cells' type size (`cell_pt`)."""


def _cell_type(grid: WordTable, table: Table, setting: _CellSetting) -> None:
    """The cells' type as the PDF sets it (`cell_pt`): the cover's blanks in 三号; a bordered table in a layout
    whose body is larger (the 建设方案's targets: its body is 四号) in 小四, at the PDF's cell pitch and without
    any character spacing of the body, so that its labels fit the columns composed for that size (at the
    body's size LibreOffice broke 序号 into 序|号 and 单位 into 单|位). A table in the body's size keeps its styles."""
    size, layout = setting.size_pt, setting.layout
    if table.border and size == layout.body_pt:
        return
    pitch = Twips(math.floor(size * CELL_LEADING * 20))
    for paragraph in (p for row in grid.rows for cell in row.cells for p in cell.paragraphs):
        if table.border:
            paragraph.paragraph_format.line_spacing = pitch
        for run in paragraph.runs:
            run.font.size = Pt(size)
            if table.border and layout.name in CHARS_PER_LINE:
                _child(run._r.get_or_add_rPr(), "w:spacing", RPR_ORDER).set(qn("w:val"), "0")


def _table_properties(grid: WordTable, table: Table) -> None:
    """Fixed column widths (grid, table width, no autofit) so that Word, WPS and LibreOffice agree."""
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, table.widths_mm, strict=True):
        column.width = Mm(width)
    properties = grid._tbl.tblPr
    width = _child(properties, "w:tblW", TBLPR_ORDER)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(Mm(w).twips for w in table.widths_mm)))
    borders = _child(properties, "w:tblBorders", TBLPR_ORDER)
    for side in BORDER_SIDES:
        attributes = BORDER if table.border else NO_BORDER
        borders.append(OxmlElement(f"w:{side}", {qn(f"w:{k}"): v for k, v in attributes.items()}))


def _fill_row(grid: WordTable, index: int, cells: tuple[Cell, ...], widths: tuple[float, ...],
              setting: _CellSetting) -> None:
    if sum(cell.span for cell in cells) != len(widths):
        raise ValueError(f"table row {index + 1} spans {sum(c.span for c in cells)} columns, not {len(widths)}")
    _row_format(grid.rows[index], cells)
    column = 0
    for cell in cells:
        target = grid.cell(index, column)
        if cell.span > 1:
            target = target.merge(grid.cell(index, column + cell.span - 1))
        _fill_cell(target, cell, sum(widths[column:column + cell.span]), setting)
        column += cell.span


def _row_format(row: _Row, cells: tuple[Cell, ...]) -> None:
    """A row never splits across pages and is at least as tall as its tallest cell asks."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    height = max((cell.height_mm for cell in cells), default=0)
    if height > 0:
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _fill_cell(target: _Cell, cell: Cell, width_mm: float, setting: _CellSetting) -> None:
    target.width = Mm(width_mm)
    target.vertical_alignment = _vertical_alignment(cell)
    for index, block in enumerate(cell.paragraphs or (Paragraph("", "plain"),)):
        paragraph = target.paragraphs[0] if index == 0 else target.add_paragraph()
        _set_style(paragraph, setting.styles[block.style])
        text = block.text
        if block.style in BALANCED_STYLES:  # the cover's 基地名称: LibreOffice broke it inside 杭州高|新区
            text = _balanced(text, width_mm - WORD_CELL_MARGINS_MM, setting.size_pt, setting.words)
        _add_text(paragraph, text)
        _paragraph_options(paragraph, block, setting.layout)
    if any(p.style == "underline" for p in cell.paragraphs):
        underline_cell(target)


def _balanced(text: str, width_mm: float, size_pt: float, words: Vocabulary) -> str:
    """A balanced style's text (BALANCED_STYLES: titles, the cover's blanks) in the lines the PDF gives it, as
    explicit line breaks: broken only between words, where Word and LibreOffice would break anywhere."""
    return "\n".join(title_lines(text, width_mm / (size_pt * MM_PER_PT), words))


def _vertical_alignment(cell: Cell) -> WD_CELL_VERTICAL_ALIGNMENT:
    """Centred, except a cell with signature lines, which starts at its top: the room to write comes first
    (the lines' own space above them), the room for the seal below."""
    if not cell.label and any(p.style == "signature" for p in cell.paragraphs):
        return WD_CELL_VERTICAL_ALIGNMENT.TOP
    return WD_CELL_VERTICAL_ALIGNMENT.CENTER


# Fill-in lines


def rule_paragraph(paragraph: WordParagraph) -> None:
    """A ruled line under `paragraph`, and between it and the next ruled one: consecutive paragraphs with the
    same borders are one group in Word, which draws `w:between` lines inside it and `w:bottom` under it."""
    borders = _child(paragraph._p.get_or_add_pPr(), "w:pBdr", PPR_ORDER)
    for side in ("bottom", "between"):
        _child(borders, f"w:{side}", PBDR_ORDER).attrib.update({qn(f"w:{k}"): v for k, v in BORDER.items()})


def underline_cell(cell: _Cell) -> None:
    """A line along the foot of `cell`, as wide as the cell: the fill-in line of a cover field."""
    borders = _child(cell._tc.get_or_add_tcPr(), "w:tcBorders", TCPR_ORDER)
    _child(borders, "w:bottom", TCBORDERS_ORDER).attrib.update({qn(f"w:{k}"): v for k, v in BORDER.items()})


# Reproducible, atomic file


def _zip_time(timestamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """The timestamp as a zip date: zip holds no year before 1980 or after 2107."""
    moment = min(max(_utc(timestamp), dt.datetime(1980, 1, 1)), dt.datetime(2107, 12, 31, 23, 59, 58))
    return moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second


def _normalised_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The same entries in the same order, with fixed dates and attributes instead of the time of saving."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            target.writestr(info, source.read(entry), compresslevel=9)
    return output.getvalue()


def _replace_atomically(path: Path, data: bytes) -> None:
    """Write beside `path`, then rename over it: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        with os.fdopen(os.open(temporary, flags, 0o666), "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise

"""A Document as a PDF, drawn with fpdf2: A4, embedded subset fonts, extractable Chinese text.

Lines are broken here, not by fpdf2, by the rules of _linebreaking (禁则; titles and the cover's names
only between words, in balanced lines; table cells keep words and short bracket groups whole). Lines of
`body` and `plain` paragraphs are justified by spreading the characters, as Word does for Chinese. The
`official` layout keeps the grid of GB/T 9704-2012: 22 lines of 28 characters in a 156 × 225 mm text area.
Titles are set in the bold serif, headings in the sans, the body in the serif (仿宋 in the official
layout where the system has it): real faces, never a stroked (faux) bold.

The output depends on nothing but the document, the fonts and the timestamp: same input, same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fontTools.pens.basePen import BasePen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF

from haizhi_cli.documents._blocks import (
    BALANCED_STYLES,
    CELL_LEADING,
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
from haizhi_cli.documents._fontset import (
    BUNDLED_HEADING_FONT,
    FontFace,
    FontSet,
    MissingGlyphError,
    bundled_face,
    embeddable,
)
from haizhi_cli.documents._linebreaking import EPSILON, break_lines, title_lines, vocabulary
from haizhi_cli.documents._pdf_fonts import add_face
from haizhi_cli.errors import Location, UserInputError
from haizhi_cli.i18n import tr

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MM_PER_PT = 25.4 / 72
MAX_STRETCH, LATIN_STRETCH, MAX_SQUEEZE = 0.25, 0.04, 0.1
"""Justification limits, as fractions of the type size: extra space between two characters of a Chinese
line, of a line with Latin words, and the squeeze that pulls a hanging mark back into the line."""

CHARS_PER_LINE = {"official": 28}
"""GB/T 9704-2012 §5.2.2: 28 characters of body text in the 156 mm line."""
CELL_PAD_X, CELL_PAD_Y = 1.5, 1.0
TABLE_AFTER = 0.3
"""Space below a table, in body lines."""
WATERMARK, WATERMARK_PT, WATERMARK_GREY = "草稿", 150.0, 225
WATERMARK_ANGLE = 55.0
Face = Literal["body", "title", "heading"]
"""Which face a style is set in: the body serif (or 仿宋), the titles' bold serif, the headings' sans."""
PAGE_NUMBER_GAP = 7.0
"""GB/T 9704-2012 §7.5: the page number sits 7 mm below the text area."""
PAGE_NUMBER_MARK = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
"""Opens a page's own number in its content stream, up to the next EMC (see `footer`)."""


@dataclass(frozen=True)
class StyleSpec:
    """How a paragraph style looks. `size` None is the layout's body size; `leading` None its line pitch."""

    size: float | None = None
    align: Literal["J", "L", "C", "R"] = "J"
    indent: float = 0
    face: Face = "body"
    leading: float | None = None
    before: float = 0
    after: float = 0
    keep: bool = False
    underline: bool = False
    right: float = 0
    """Space at the right, in characters, unless the paragraph gives its own."""


STYLES: dict[Style, StyleSpec] = {
    "title": StyleSpec(22, "C", face="title", leading=1.6, after=0.3),
    "subtitle": StyleSpec(16, "C", face="heading", leading=1.6),
    "heading": StyleSpec(16, "L", face="heading", leading=1.5, before=0.4, keep=True),
    "heading-center": StyleSpec(16, "C", face="heading", leading=1.5, before=0.3, after=0.3, keep=True),
    "subheading": StyleSpec(14, "L", face="heading", leading=1.5, keep=True),
    "official-title": StyleSpec(22, "C", face="title", leading=1.5, keep=True),
    "body": StyleSpec(indent=2),
    "plain": StyleSpec(),
    "center": StyleSpec(align="C"),
    "right": StyleSpec(align="R"),
    "note": StyleSpec(10.5, "L", leading=1.5, keep=True),
    "caption": StyleSpec(12, "C", face="heading", leading=1.5, before=0.3, keep=True),
    "label": StyleSpec(align="C"),
    "signature": StyleSpec(align="R", right=4),
    "underline": StyleSpec(align="L", underline=True),
}


def write_pdf(document: Document, path: Path, fonts: FontSet, timestamp: datetime.datetime) -> int:
    """Write `document` to `path` (atomically) and return its page count.

    `timestamp` is the only date in the file (CreationDate; fpdf2 derives the /ID from the content and it);
    give it a time zone, as a naive one is read in the machine's local zone. Raises MissingGlyphError
    before drawing anything when a character has no font in `fonts`.
    """
    return write_self_numbered_pdf(lambda _: document, 1, path, fonts, timestamp, tries=1)


def write_self_numbered_pdf(compose: Callable[[int], Document], pages: int, path: Path, fonts: FontSet,
                            timestamp: datetime.datetime, tries: int = 4) -> int:
    """Write `compose(n)` for the n that is its own page count, as a 材料清单 numbering the pages after it needs.

    Starting from the guess `pages`, each try lays the document out, without writing it, and the next try
    starts from the count it came to; the first document whose count is its guess is written, or the last
    one tried. Returns its page count. Raises MissingGlyphError as `write_pdf` does.
    """
    with _scratch_beside(path) as folder:
        for attempt in range(max(1, tries)):
            document = compose(pages)
            check_glyphs(document, fonts)
            pdf = HaizhiPDF(document, fonts, timestamp, Path(folder, str(attempt)))
            Typesetter(pdf, document.layout).run(document.blocks)
            if pdf.pages_count == pages:
                break
            pages = pdf.pages_count
        data = bytes(pdf.output())
    _replace(path, data)
    return pdf.pages_count


@contextlib.contextmanager
def _scratch_beside(path: Path) -> Iterator[str]:
    """A temporary folder for font copies beside `path` (in a build, inside its staging folder), never in the
    system's temporary folder: a killed build leaves nothing behind outside its own staging folder."""
    try:
        scratch = tempfile.TemporaryDirectory(prefix=".haizhi-fonts-", dir=path.parent, ignore_cleanup_errors=True)
    except OSError as error:
        raise _write_error(path, error) from error
    with scratch as folder:
        yield folder


def check_glyphs(document: Document, fonts: FontSet) -> None:
    """Raise MissingGlyphError for the first character no font has, naming the field it comes from."""
    if not fonts.missing(_all_text(document)):
        return
    for paragraph in _paragraphs(document.blocks):
        missing = fonts.missing(paragraph.text)
        if missing:
            raise MissingGlyphError(min(missing, key=paragraph.text.index), paragraph.source)
    raise MissingGlyphError(min(fonts.missing(_fixed_text())), None)


def _paragraphs(blocks: tuple[Block, ...]) -> Iterator[Paragraph]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            yield from (p for row in block.rows for cell in row for p in cell.paragraphs)


def _fixed_text() -> str:
    """Text haizhi draws itself: page numbers (the draft watermark is drawn as shapes)."""
    return "— 0123456789 —"


def _all_text(document: Document) -> str:
    return "".join(p.text for p in _paragraphs(document.blocks)) + _fixed_text()


def _replace(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a PDF."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _write_error(path, error) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(name, path.stat().st_mode if path.exists() else 0o644)
        os.replace(name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise _write_error(path, error) from error


def _write_error(path: Path, error: OSError) -> UserInputError:
    return UserInputError(tr("无法写入 PDF 文件 {path}：{reason}", path=path, reason=error.strerror or error),
                          Location(path))


class HaizhiPDF(FPDF):
    """fpdf2 with haizhi's fonts, metadata and page furniture (draft watermark, page number)."""

    def __init__(self, document: Document, fonts: FontSet, timestamp: datetime.datetime, folder: Path) -> None:
        """`folder` (made when missing) holds TrueType copies of CFF faces (see fontset.embeddable) until the PDF
        is output."""
        super().__init__(orientation="P", unit="mm", format="A4")
        folder.mkdir(parents=True, exist_ok=True)
        self.document = document
        layout = document.layout
        self.set_margins(layout.left_mm, layout.top_mm, layout.right_mm)
        self.set_auto_page_break(False)
        self.c_margin = 0
        self._add_fonts(fonts, _all_text(document), folder)
        self._set_metadata(document, timestamp)

    def _add_fonts(self, fonts: FontSet, text: str, folder: Path) -> None:
        """Embed the primary face, the faces of the roles this document's styles use, and only those fallbacks
        its text needs.

        Each gets a name of its own: fpdf2 tags every subset MPDFAA, and two faces of one family
        (the bundled Noto Serif CJK SC and the system's) would otherwise share a /BaseFont."""
        faces = (fonts.primary, *fonts.needed_fallbacks(text))
        for number, face in enumerate(faces):
            self._add_face(f"haizhi{number}", face, text, folder)
            if number:
                self.fonts[f"haizhi{number}"].name += f"-{number}"
        self.families: dict[Face, str] = {"body": "haizhi0", "title": "haizhi0", "heading": "haizhi0"}
        role_faces = []
        for role in _roles(self.document):
            role_face = _role_face(fonts, role, self.document.layout)
            if role_face is not None and role_face != fonts.primary:
                self._add_face(f"haizhi-{role}", role_face, text, folder)
                self.families[role] = f"haizhi-{role}"
                role_faces.append(role_face)
        if len(faces) > 1 or not all(face.covers(text) for face in role_faces):
            self.set_fallback_fonts([f"haizhi{number}" for number in range(len(faces))])
        # else every face in use has every character: fpdf2 then measures and draws a text whole, where with
        # fallback fonts it looks up each character's font (some 0.2 s of a build)
        self.set_font("haizhi0", size=self.document.layout.body_pt)

    def _add_face(self, family: str, face: FontFace, text: str, folder: Path) -> None:
        copy = embeddable(face, text, folder)
        if copy == face:
            add_face(self, family, face.path, face.index)
        else:  # made for this document's text: parsed once anyway
            self.add_font(family, fname=copy.path, collection_font_number=copy.index)

    def _set_metadata(self, document: Document, timestamp: datetime.datetime) -> None:
        self.set_title(document.title)
        self.set_lang("zh-CN")
        self.set_creator("haizhi")
        self.set_producer("haizhi")
        self.set_creation_date(timestamp)
        if document.meta.get("author"):
            self.set_author(document.meta["author"])
        if document.meta.get("subject"):
            self.set_subject(document.meta["subject"])

    def header(self) -> None:
        """The draft watermark, drawn first so that the text lies over it: glyph outlines filled as a path, marked
        as a pagination artifact, so that it is seen but never extracted as text (pdftotext, screen readers)."""
        if not self.document.draft:
            return
        outlines = _watermark_outlines()
        self._out(f"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q {WATERMARK_GREY / 255:.3f} g")
        self._out(_watermark_matrix(outlines) + " cm")
        self._out(outlines.path + " f Q EMC")

    def footer(self) -> None:
        """`— N —` below the text area: centred on a form; in the official layout (GB/T 9704-2012 §7.5) in
        4号, odd pages right and even pages left, one character in from the text area's edge. Marked as a
        pagination artifact (screen readers skip it), which is also how packet.pdf's copy leaves it out."""
        if not self.document.page_numbers:
            return
        layout = self.document.layout
        official = layout.name == "official"
        size = 14 if official else 10.5
        inset = size * MM_PER_PT if official else 0.0
        align = ("R" if self.page_no() % 2 else "L") if official else "C"
        self._out(PAGE_NUMBER_MARK)
        self.set_font("haizhi0", size=size)
        self.set_char_spacing(0)
        self.set_xy(layout.left_mm + inset, PAGE_HEIGHT - layout.bottom_mm + PAGE_NUMBER_GAP)
        self.cell(_text_width(layout) - 2 * inset, size * MM_PER_PT * 1.2, f"— {self.page_no()} —", align=align)
        self._out("EMC")


def _roles(document: Document) -> list[Face]:
    """The faces the styles of `document` use, in a fixed order."""
    used = {STYLES[paragraph.style].face for paragraph in _paragraphs(document.blocks)}
    return [face for face in ("body", "title", "heading") if face in used]


def _role_face(fonts: FontSet, role: Face, layout: Layout) -> FontFace | None:
    """The face of a role; None where the primary font serves (the body, unless 仿宋 is wanted and found)."""
    if role == "title":
        return fonts.title
    if role == "heading":
        return fonts.heading
    return fonts.fangsong if layout.body_font == "fangsong" else None


@dataclass(frozen=True)
class Outlines:
    """Glyph outlines as a PDF path in font units, and their advance width."""

    path: str
    width: float
    units_per_em: int


class _PathPen(BasePen):  # type: ignore[misc]
    """Writes the outlines a glyph draws as PDF path operators, shifted right by `offset` font units."""

    def __init__(self, glyph_set: object, offset: float) -> None:
        super().__init__(glyph_set)
        self.offset = offset
        self.operators: list[str] = []

    def _point(self, point: tuple[float, float]) -> str:
        return f"{point[0] + self.offset:.0f} {point[1]:.0f}"

    def _moveTo(self, point: tuple[float, float]) -> None:
        self.operators.append(f"{self._point(point)} m")

    def _lineTo(self, point: tuple[float, float]) -> None:
        self.operators.append(f"{self._point(point)} l")

    def _curveToOne(self, first: tuple[float, float], second: tuple[float, float], end: tuple[float, float]) -> None:
        self.operators.append(f"{self._point(first)} {self._point(second)} {self._point(end)} c")

    def _closePath(self) -> None:
        self.operators.append("h")


@functools.cache
def _watermark_outlines() -> Outlines:
    """草稿 in the bundled sans, as outlines: the watermark is a shape, not text."""
    font = TTFont(str(bundled_face(BUNDLED_HEADING_FONT).path), lazy=True)
    glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()
    operators: list[str] = []
    offset = 0.0
    for char in WATERMARK:
        pen = _PathPen(glyph_set, offset)
        glyph_set[cmap[ord(char)]].draw(pen)
        operators.extend(pen.operators)
        offset += glyph_set[cmap[ord(char)]].width
    return Outlines(" ".join(operators), offset, font["head"].unitsPerEm)


def _watermark_matrix(outlines: Outlines) -> str:
    """The `cm` operands that scale the outlines to WATERMARK_PT, centre them and turn them by WATERMARK_ANGLE."""
    scale = WATERMARK_PT / outlines.units_per_em
    angle = math.radians(WATERMARK_ANGLE)
    cos, sin = scale * math.cos(angle), scale * math.sin(angle)
    half_width, middle = outlines.width / 2, 0.38 * outlines.units_per_em  # CJK glyphs sit on -0.12 … 0.88 em
    centre_x, centre_y = PAGE_WIDTH / 2 / MM_PER_PT, PAGE_HEIGHT / 2 / MM_PER_PT
    e = centre_x - cos * half_width + sin * middle
    f = centre_y - sin * half_width - cos * middle
    return " ".join(f"{value:.4f}" for value in (cos, sin, -sin, cos, e, f))


def _text_width(layout: Layout) -> float:
    return PAGE_WIDTH - layout.left_mm - layout.right_mm


@dataclass(frozen=True)
class Line:
    """One line of a paragraph as it is drawn."""

    text: str
    width: float
    last: bool


@dataclass(frozen=True)
class Setting:
    """A paragraph style made concrete for one place: size and line height in mm, base char spacing in pt."""

    spec: StyleSpec
    size_pt: float
    height: float
    spacing_pt: float
    right: float = 0
    """Space kept free at the line's right, in mm."""
    balanced: bool = False
    """Broken only between words into lines of even length (its style is one of BALANCED_STYLES)."""

    @property
    def size(self) -> float:
        return self.size_pt * MM_PER_PT


LaidRow = list[tuple[float, float, list[tuple[Line, Setting]]]]
"""A table row ready to draw: each cell's left edge, width and lines."""


class Typesetter:
    """Lays blocks out top to bottom, starting a new page when the next line or table row does not fit."""

    def __init__(self, pdf: HaizhiPDF, layout: Layout) -> None:
        self.pdf, self.layout = pdf, layout
        self.width = _text_width(layout)
        self.bottom = PAGE_HEIGHT - layout.bottom_mm
        self.widths: dict[tuple[Face, float, float, str], float] = {}
        self.laid_out: dict[tuple[str, Setting, float, bool], tuple[Line, ...]] = {}
        """The lines of each text already broken: a heading's follower and a kept table are measured before
        they are drawn."""
        self.vocabulary = vocabulary(pdf.document.words, pdf.document.phrases)
        self.blank = True

    def run(self, blocks: tuple[Block, ...]) -> None:
        self.new_page()
        for number, block in enumerate(blocks):
            self.block(block, blocks[number + 1:])

    def block(self, block: Block, rest: tuple[Block, ...]) -> None:
        """Lay out one block; `rest` are the blocks after it, which a heading must not be parted from."""
        if isinstance(block, Paragraph):
            self.paragraph(block, rest)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Space):
            self.space(block.lines)
        elif isinstance(block, PageBreak) and not self.blank:
            self.new_page()

    def new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_y(self.layout.top_mm)
        self.blank = True

    def at_top(self) -> bool:
        return self.pdf.get_y() <= self.layout.top_mm + EPSILON

    def fits(self, height: float) -> bool:
        return self.pdf.get_y() + height <= self.bottom + EPSILON

    def advance(self, height: float) -> None:
        """Move down; a page break swallows the rest of the space."""
        if self.fits(height):
            self.pdf.set_y(self.pdf.get_y() + height)
        else:
            self.new_page()

    def space(self, lines: float) -> None:
        self.advance(lines * self.layout.line_pt * MM_PER_PT)

    def setting(self, style: Style, size_pt: float | None = None, leading: float | None = None) -> Setting:
        """The concrete setting of a style; the official grid spacing applies to body-size text."""
        spec = STYLES[style]
        size = spec.size or size_pt or self.layout.body_pt
        factor = spec.leading or leading
        height = size * factor if factor else max(self.layout.line_pt, size * 1.2)
        return Setting(spec, size, height * MM_PER_PT, self.grid_spacing(size), balanced=style in BALANCED_STYLES)

    def grid_spacing(self, size_pt: float) -> float:
        """Character spacing in pt that makes a line hold exactly the layout's characters per line."""
        chars = CHARS_PER_LINE.get(self.layout.name)
        if not chars or size_pt != self.layout.body_pt:
            return 0.0
        return self.width / chars / MM_PER_PT - size_pt

    def paragraph(self, paragraph: Paragraph, rest: tuple[Block, ...]) -> None:
        setting = self.paragraph_setting(paragraph)
        lines = self.paragraph_lines(paragraph, setting)
        before = 0.0 if self.at_top() else self.space_before(paragraph, setting)
        if not self.at_top() and not self.fits(before + self.needed(lines, setting, rest, paragraph.keep)):
            self.new_page()
            before = 0.0
        self.advance(before)
        for line in lines:
            if not self.fits(setting.height):
                self.new_page()
            self.draw(line, self.layout.left_mm, self.pdf.get_y(), self.width, setting)
            self.pdf.set_y(self.pdf.get_y() + setting.height)
        self.advance(setting.spec.after * self.layout.line_pt * MM_PER_PT)

    def paragraph_setting(self, paragraph: Paragraph, size_pt: float | None = None,
                          leading: float | None = None) -> Setting:
        """A paragraph's setting with its right indent (its own or its style's) in mm."""
        setting = self.setting(paragraph.style, size_pt, leading)
        chars = setting.spec.right if paragraph.right is None else paragraph.right
        return dataclasses.replace(setting, right=chars * (setting.size + setting.spacing_pt * MM_PER_PT))

    def paragraph_lines(self, paragraph: Paragraph, setting: Setting) -> list[Line]:
        return self.lines(paragraph.text, setting, self.width - setting.right)

    def space_before(self, paragraph: Paragraph, setting: Setting) -> float:
        """The space above a paragraph in mm: its style's and its own empty lines."""
        return (setting.spec.before + paragraph.before) * self.layout.line_pt * MM_PER_PT

    def needed(self, lines: list[Line], setting: Setting, rest: tuple[Block, ...], keep: bool = False) -> float:
        """Room a paragraph needs at the foot of a page: a heading (or note, caption, kept paragraph) all its
        lines and the start of what follows it; other paragraphs two lines, so that no single first line is
        left behind."""
        if setting.spec.keep or keep:
            return len(lines) * setting.height + self.start_height(rest)
        return min(len(lines), 2) * setting.height

    def start_height(self, rest: tuple[Block, ...]) -> float:
        """The height of the start of the blocks in `rest`: what must stay on the page with a heading.
        A kept table counts whole, empty lines with what follows them."""
        block = rest[0] if rest else None
        if isinstance(block, Paragraph):
            setting = self.paragraph_setting(block)
            lines = self.paragraph_lines(block, setting)
            return self.space_before(block, setting) + self.needed(lines, setting, rest[1:], block.keep)
        if isinstance(block, Table) and block.rows:
            return self.table_height(block, block.rows if block.keep else block.rows[:1])
        if isinstance(block, Space):
            return block.lines * self.layout.line_pt * MM_PER_PT + self.start_height(rest[1:])
        return 0.0

    def lines(self, text: str, setting: Setting, width: float, cell: bool = False) -> list[Line]:
        """The lines of a paragraph in a column `width` mm wide; a line break in the text is kept."""
        key = (text, setting, width, cell)
        if key not in self.laid_out:
            self.laid_out[key] = tuple(self.break_into_lines(text, setting, width, cell))
        return list(self.laid_out[key])

    def break_into_lines(self, text: str, setting: Setting, width: float, cell: bool) -> list[Line]:
        indent = setting.spec.indent * (setting.size + setting.spacing_pt * MM_PER_PT)
        result: list[Line] = []
        for segment in text.replace("\t", " ").split("\n"):
            shift = 0.0 if result else indent
            broken = self.broken(segment, setting, width, shift, cell)
            for number, line in enumerate(broken):
                available = width - (shift if number == 0 or setting.balanced else 0.0)
                result.append(Line(line, available, number == len(broken) - 1))
        return result

    def broken(self, text: str, setting: Setting, width: float, indent: float, cell: bool) -> list[str]:
        """A title (or the cover's name) between words in balanced lines; a cell keeping its words whole; a
        justified paragraph without a last line of one character."""
        measure = self.measurer(setting)
        if setting.balanced:  # measured in em, the unit of title_lines' prices
            lines = title_lines(text, (width - indent) / setting.size, self.vocabulary,
                                lambda part: measure(part) / setting.size)
            return [line.strip(" ") for line in lines]
        return break_lines(text, width, measure, indent, vocabulary=self.vocabulary if cell else None,
                           avoid_widow=not cell and setting.spec.align == "J")

    def measurer(self, setting: Setting) -> Callable[[str], float]:
        """The width in mm of a string set in `setting`, cached: line breaking measures each unit once."""
        self.use(setting, setting.spacing_pt)

        def measure(text: str) -> float:
            key = (setting.spec.face, setting.size_pt, setting.spacing_pt, text)
            if key not in self.widths:
                self.widths[key] = self.pdf.get_string_width(text)
            return self.widths[key]

        return measure

    def use(self, setting: Setting, spacing_pt: float) -> None:
        self.pdf.set_font(self.pdf.families[setting.spec.face], size=setting.size_pt)
        self.pdf.set_char_spacing(spacing_pt)

    def draw(self, line: Line, x: float, y: float, width: float, setting: Setting) -> None:
        """One line at (x, y): indented, aligned or justified, underlined as its style says."""
        spec, pdf = setting.spec, self.pdf
        spacing = self.justified(line, setting) if spec.align == "J" else setting.spacing_pt
        self.use(setting, spacing)
        width -= setting.right
        pdf.set_xy(x + width - line.width, y)
        pdf.cell(line.width, setting.height, line.text, align="L" if spec.align == "J" else spec.align)
        if spec.underline:
            baseline = y + setting.height / 2 + 0.5 * setting.size
            pdf.line(x, baseline, x + width, baseline)
        self.blank = False

    def justified(self, line: Line, setting: Setting) -> float:
        """Character spacing in pt that makes a non-last line of a justified paragraph fill its width.

        Within limits: a line with Latin words is spread only a little, as letter-spaced English reads
        badly (fpdf2 cannot widen only the spaces of a CID font); past the limit the line stays ragged."""
        base, gaps = setting.spacing_pt, len(line.text) - 1
        if line.last or gaps < 1:
            return base
        self.use(setting, base)
        extra = (line.width - (self.pdf.get_string_width(line.text) - base * MM_PER_PT)) / gaps
        latin = any(char.isascii() and char.isalpha() for char in line.text)
        if -MAX_SQUEEZE * setting.size <= extra <= (LATIN_STRETCH if latin else MAX_STRETCH) * setting.size:
            return base + extra / MM_PER_PT
        return base

    def table(self, table: Table) -> None:
        widths = self.column_widths(table)
        x = self.layout.left_mm + max(0.0, (self.width - sum(widths)) / 2)
        if table.keep and not self.at_top() and not self.fits(self.table_height(table, table.rows)):
            self.new_page()
        header = table.rows[:table.header_rows]
        for index, row in enumerate(table.rows):
            self.row(row, table, widths, x, header if index >= table.header_rows else ())
        self.advance(TABLE_AFTER * self.layout.line_pt * MM_PER_PT)

    def table_height(self, table: Table, rows: tuple[tuple[Cell, ...], ...]) -> float:
        widths = self.column_widths(table)
        return sum(self.lay_row(row, table, widths, self.layout.left_mm)[1] for row in rows)

    def column_widths(self, table: Table) -> list[float]:
        """The columns' widths, scaled down in proportion when the table is wider than the text area."""
        total = sum(table.widths_mm)
        scale = min(1.0, self.width / total) if total else 1.0
        return [width * scale for width in table.widths_mm]

    def row(self, row: tuple[Cell, ...], table: Table, widths: list[float], x: float,
            header: tuple[tuple[Cell, ...], ...] = ()) -> None:
        """One table row, never split: it moves to a new page whole when it does not fit, and the table's
        header rows are drawn again above it there.

        A row taller than a whole page (no template makes one) is drawn from the top and runs past the bottom
        margin rather than be cut."""
        laid, height = self.lay_row(row, table, widths, x)
        if not self.fits(height) and not self.at_top():
            self.new_page()
            for head in header:
                self.row(head, table, widths, x)
        top = self.pdf.get_y()
        for box_x, box_w, lines in laid:
            self.draw_cell(lines, box_x, top, box_w, height, table.border)
        self.pdf.set_y(top + height)

    def lay_row(self, row: tuple[Cell, ...], table: Table, widths: list[float], x: float) -> tuple[LaidRow, float]:
        """The row's cells with their boxes and lines, and the row height: its tallest cell."""
        laid = [(box_x, box_w, self.cell_lines(cell, table, box_w)) for cell, box_x, box_w in
                self.cell_boxes(row, widths, x)]
        heights = [self.cell_height(cell, lines) for cell, (_, _, lines) in zip(row, laid, strict=True)]
        return laid, max(heights, default=0.0)

    @staticmethod
    def cell_boxes(row: tuple[Cell, ...], widths: list[float], x: float) -> Iterator[tuple[Cell, float, float]]:
        """Each cell with its left edge and width; a cell spanning n columns takes their widths."""
        column = 0
        for cell in row:
            width = sum(widths[column:column + max(1, cell.span)])
            yield cell, x + sum(widths[:column]), width
            column += max(1, cell.span)

    def cell_lines(self, cell: Cell, table: Table, width: float) -> list[tuple[Line, Setting]]:
        """The lines of a cell's paragraphs, each with its setting; a paragraph's empty lines above it (room to
        write an opinion) are one empty line of their height. Cover blanks keep one size and wrap."""
        size = cell_pt(self.layout, table.border)
        inner = max(width - 2 * CELL_PAD_X, 1.0)
        result: list[tuple[Line, Setting]] = []
        for paragraph in cell.paragraphs:
            setting = self.cell_setting(paragraph, table, size)
            if paragraph.before:
                room = self.space_before(paragraph, setting)
                result.append((Line("", inner, True), dataclasses.replace(setting, height=room)))
            lines = self.lines(paragraph.text, setting, inner - setting.right, cell=True)
            result.extend((line, setting) for line in lines)
        return result

    def cell_setting(self, paragraph: Paragraph, table: Table, size_pt: float) -> Setting:
        """A style inside a table cell: the table's size, tighter leading; cover labels align right."""
        setting = self.paragraph_setting(paragraph, size_pt, CELL_LEADING)
        if paragraph.style == "label" and not table.border:
            return dataclasses.replace(setting, spec=dataclasses.replace(setting.spec, align="R"))
        return setting

    @staticmethod
    def cell_height(cell: Cell, lines: list[tuple[Line, Setting]]) -> float:
        return max(sum(setting.height for _, setting in lines) + 2 * CELL_PAD_Y, cell.height_mm)

    def draw_cell(self, lines: list[tuple[Line, Setting]], x: float, top: float, width: float, height: float,
                  border: bool) -> None:
        """A cell's border and its lines, centred vertically; a cell with signature lines starts at its top,
        leaving the room below them for the seal."""
        if border:
            self.pdf.set_line_width(0.2)
            self.pdf.rect(x, top, width, height)
        content = sum(setting.height for _, setting in lines)
        signed = any(setting.spec is STYLES["signature"] for _, setting in lines)
        y = top + CELL_PAD_Y if signed else top + (height - content) / 2
        for line, setting in lines:
            self.draw(line, x + CELL_PAD_X, y, width - 2 * CELL_PAD_X, setting)
            y += setting.height

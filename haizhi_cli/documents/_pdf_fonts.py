"""Fonts parsed once per process and handed to every PDF as a fresh copy.

fpdf2's `add_font` parses the font file for each FPDF (≈ 0.1 s for the bundled 5.5 MB font), and when the
PDF is output it subsets that parsed font in place, so one parsed font cannot serve two PDFs. Here a face
is parsed once, by fpdf2 itself (a prototype TTFFont of a throwaway FPDF), and each PDF gets a copy of the
prototype whose fontTools font is new: its costly tables (the glyph order, `cmap`, `hmtx`, `vmtx`, `glyf`)
are rebuilt from the parsed ones in a few milliseconds, the others are read from the file's bytes when the
subsetter asks for them. The copy subsets and saves exactly as a font fpdf2 parsed itself: same bytes
(tests/test_pdf_fonts.py compares PDFs made both ways).

Only TrueType faces without colour glyphs take this way; any other face is added with `add_font`.

A copy is made the way fpdf2 lays out a TTFFont (its attributes, SubsetMap(font), add_font's numbering), not
through its public API: pyproject.toml holds fpdf2 to the releases that was checked on (2.8.6, the first with
`collection_font_number` and `is_cff`, to 2.8.x), and tests/test_pdf_fonts.py names any of those internals a
release changes.
"""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fontTools.ttLib.tables._g_l_y_f import Glyph  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

GLYPH_TABLES = ("cmap", "hmtx", "vmtx", "glyf", "post")
"""The tables a copy gets rebuilt from the parsed ones: those whose size grows with the glyph count (`post`
holds the bundled faces' glyph names)."""


def add_face(pdf: FPDF, family: str, path: Path, index: int = 0) -> None:
    """What `pdf.add_font(family, fname=path, collection_font_number=index)` does, from a face parsed once."""
    parsed = parsed_face(path, index, *_identity(path))
    if parsed is None:
        pdf.add_font(family, fname=path, collection_font_number=index)
        return
    key = family.lower()
    pdf.fonts[key] = parsed.copy_for(len(pdf.fonts) + 1, key)


def _identity(path: Path) -> tuple[int, int, int]:
    """What tells one version of a file from another at the same path: a changed file is parsed again."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True, eq=False)
class ParsedFace:
    """A face as fpdf2 parsed it, and the file's bytes from which its copies read their other tables."""

    prototype: TTFFont
    data: bytes
    index: int
    glyph_order: tuple[str, ...]
    glyphs: dict[str, bytes]
    """Each glyph's `glyf` data as stored in the file."""
    loaded: tuple[str, ...]
    """The tables fpdf2 had read while parsing: a copy reads them too, so that it saves the same way."""

    def copy_for(self, number: int, key: str) -> TTFFont:
        """A TTFFont for one FPDF, as `add_font` would make it: font number `number`, key `key`."""
        font = copy.copy(self.prototype)
        font.i, font.fontkey = number, key
        font.ttfont = self.fresh_ttfont()
        font.desc = copy.copy(self.prototype.desc)
        font.cw = copy.copy(self.prototype.cw)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        return font

    def fresh_ttfont(self) -> Any:
        """A fontTools font of the face that nothing else shares, ready to be subset in place."""
        master = self.prototype.ttfont
        # recalcBBoxes=False: subsetting moves no outline, so the glyphs' stored boxes stay right; recomputing
        # them would unpack and repack every glyph of every PDF (a quarter of a build's time).
        font = TTFont(io.BytesIO(self.data), recalcTimestamp=False, recalcBBoxes=False, fontNumber=self.index,
                      lazy=True)
        font.setGlyphOrder(list(self.glyph_order))
        for tag in GLYPH_TABLES:
            if master.isLoaded(tag):
                font[tag] = _copy_table(master[tag], font, self.glyphs)
        for tag in self.loaded:
            font[tag]  # read now, as fpdf2's own parse did
        return font


def _copy_table(table: Any, font: Any, glyphs: dict[str, bytes]) -> Any:
    """A copy of a parsed glyph table that the subsetter can change without touching the original."""
    result = copy.copy(table)
    tag = table.tableTag
    if tag == "cmap":
        table.ensureDecompiled()  # a subtable still undecompiled would be copied with, and saved as, its old data
        result.tables = [_copy_subtable(subtable, font) for subtable in table.tables]
    elif tag in ("hmtx", "vmtx"):
        result.metrics = dict(table.metrics)
    elif tag == "post":  # the subsetter sets the copy's format and names; the parsed ones stay as they are
        result.extraNames = list(getattr(table, "extraNames", []))
        result.mapping = dict(getattr(table, "mapping", {}))
    elif tag == "glyf":
        result.glyphs = GlyphsOnDemand(glyphs)
        result.glyphOrder = font.getGlyphOrder()
        result._reverseGlyphOrder = {}
    return result


def _copy_subtable(subtable: Any, font: Any) -> Any:
    result = copy.copy(subtable)
    result.ttFont = font
    if hasattr(subtable, "cmap"):
        result.cmap = dict(subtable.cmap)
    if hasattr(subtable, "uvsDict"):
        result.uvsDict = {selector: list(pairs) for selector, pairs in subtable.uvsDict.items()}
    return result


class GlyphsOnDemand(dict[str, Any]):
    """A `glyf` table's glyphs, each made from its stored data when first asked for.

    A face holds thousands of glyphs (the bundled ones some 8,000) and a document uses a few hundred: making
    them all for every PDF took a tenth of a build. Every way of reading the mapping sees every glyph; the
    subsetter asks for the glyphs it keeps (and then replaces the mapping by a plain dict of those)."""

    def __init__(self, stored: dict[str, bytes]) -> None:
        super().__init__()
        self.stored = stored

    def __missing__(self, name: str) -> Any:
        glyph = Glyph(self.stored[name])
        self[name] = glyph
        return glyph

    def __contains__(self, name: object) -> bool:
        return name in self.stored

    def __len__(self) -> int:
        return len(self.stored)

    def __iter__(self) -> Iterator[str]:
        return iter(self.stored)

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.stored else default

    def keys(self) -> Any:
        return self.stored.keys()

    def values(self) -> Any:
        return [self[name] for name in self.stored]

    def items(self) -> Any:
        return [(name, self[name]) for name in self.stored]


@functools.lru_cache(maxsize=8)
def parsed_face(path: Path, index: int, *identity: int) -> ParsedFace | None:
    """The face parsed by fpdf2, cached by path, face and file identity; None when it must be added as usual.

    A face with CFF outlines, colour glyphs or glyphs that are not all stored as data (fpdf2 drew a .notdef)
    is left to `add_font`."""
    del identity  # part of the cache key only
    data = path.read_bytes()
    owner = FPDF()
    owner.add_font("face", fname=path, collection_font_number=index)
    prototype = owner.fonts["face"]
    assert isinstance(prototype, TTFFont)
    master = prototype.ttfont
    if prototype.color_font is not None or prototype.is_cff or "glyf" not in master:
        master.close()
        return None
    loaded = tuple(tag for tag in master.tables if tag not in GLYPH_TABLES)
    if "vmtx" in master:
        master["vmtx"]  # parsed once here rather than by every copy
    glyf = master["glyf"]
    if any(not hasattr(glyph, "data") and glyph.numberOfContours != 0 for glyph in glyf.glyphs.values()):
        master.close()
        return None
    glyphs = {name: getattr(glyph, "data", b"") for name, glyph in glyf.glyphs.items()}
    glyf.glyphs = {}  # copies make theirs from `glyphs`; kept, the parsed ones would only slow every collection
    order = tuple(master.getGlyphOrder())
    master.close()  # its tables are parsed; copies read the others from `data`
    return ParsedFace(prototype, data, index, order, glyphs, loaded)

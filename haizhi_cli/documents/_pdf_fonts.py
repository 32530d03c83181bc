"""Fonts parsed once, kept in the user's cache, and handed to every PDF as a fresh copy.

fpdf2's `add_font` parses the font file for each FPDF (some 80 ms for each bundled face of 8,000 glyphs), and
when the PDF is output it subsets that parsed font in place, so one parsed font cannot serve two PDFs. Here a
face is parsed once, by fpdf2 itself, and what the parse found is kept as plain data, a snapshot: the
TTFFont's attributes and the tables whose size grows with the glyph count (the glyph order, `cmap`, `hmtx`,
`vmtx`, `post`). Each PDF gets a TTFFont made from the snapshot, with a fontTools font of its own whose glyphs
are cut from the file's `glyf` table when the subsetter asks for them and whose other tables are read from
the file's bytes. The copy subsets and saves exactly as a font fpdf2 parsed itself: same bytes
(tests/test_pdf_fonts.py compares PDFs made both ways, from a fresh parse and from the cache).

The snapshot is also written to the user's cache folder (outputs.cache_dir), so that the next process reads
it in milliseconds instead of parsing the faces again (the three bundled faces: some 0.2 s of every build).
The file is `marshal` data of plain values (strings, numbers, bytes, tuples, lists, dicts): reading it runs
nothing. It is used only when written for the very bytes of the font file, by this module's code, with the
same versions of fpdf2, fontTools and Python; anything else (missing, unreadable, stale, another layout) is
parsed afresh and rewritten. HAIZHI_NO_CACHE=1 turns it off. The cache never changes a PDF's bytes.

Only TrueType faces without colour glyphs take this way; any other face is added with `add_font`.

A copy is made the way fpdf2 lays out a TTFFont (its attributes, SubsetMap(font), add_font's numbering), not
through its public API: pyproject.toml holds fpdf2 to the releases that was checked on (2.8.6, the first with
`collection_font_number` and `is_cff`, to 2.8.x), and tests/test_pdf_fonts.py names any of those internals a
release changes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import marshal
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fontTools  # type: ignore[import-untyped]
import fpdf
from fontTools.ttLib import TTFont, newTable  # type: ignore[import-untyped]
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable  # type: ignore[import-untyped]
from fontTools.ttLib.tables._g_l_y_f import Glyph  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.enums import FontDescriptorFlags, TextEmphasis
from fpdf.fonts import PDFFontDescriptor, SubsetMap, TTFFont

from haizhi_cli.outputs import cache_dir, caching_enabled, prune_cached, read_cached, write_cached

GLYPH_TABLES = ("cmap", "hmtx", "vmtx", "glyf", "post")
"""The tables a copy gets from the snapshot: those whose size grows with the glyph count (`post` holds the
bundled faces' glyph names). `glyf` is read from the file, a glyph at a time."""

PER_PDF = frozenset({"i", "fontkey", "ttfont", "desc", "cw", "missing_glyphs", "biggest_size_pt", "_hbfont",
                     "subset"})
"""The TTFFont attributes each copy gets its own value of (the state a PDF changes as it is made); the others
are set once when fpdf2 parses the font, only read after, and shared by all copies."""

DESCRIPTOR_FIELDS = ("ascent", "descent", "cap_height", "flags", "font_b_box", "italic_angle", "stem_v",
                     "missing_width")
"""The arguments of fpdf2's PDFFontDescriptor, as its parse sets them."""

SNAPSHOT_FORMAT = 1
"""Increase it whenever the layout of a snapshot changes (the cache key holds this module's code too)."""

Snapshot = dict[str, Any]


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


class StoredGlyphs(Mapping[str, bytes]):
    """Each glyph's `glyf` data as stored in the font file, by glyph name, cut out when asked for."""

    def __init__(self, glyf: bytes, offsets: Sequence[int], order: Sequence[str]) -> None:
        self.glyf = glyf
        self.offsets = offsets
        self.ids = {name: number for number, name in enumerate(order)}

    def __getitem__(self, name: str) -> bytes:
        number = self.ids[name]
        return self.glyf[self.offsets[number]:self.offsets[number + 1]]

    def __contains__(self, name: object) -> bool:
        return name in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class ParsedFace:
    """A face as fpdf2 parsed it (its snapshot), and the file's bytes from which copies read the rest."""

    data: bytes
    index: int
    snapshot: Snapshot
    glyphs: StoredGlyphs
    shared: dict[str, Any]
    """The TTFFont attributes every copy shares, as fpdf2 set them."""
    descriptor: dict[str, Any]
    """The arguments of each copy's own PDFFontDescriptor."""

    @classmethod
    def from_snapshot(cls, data: bytes, index: int, snapshot: Snapshot) -> ParsedFace:
        font = TTFont(io.BytesIO(data), lazy=True, fontNumber=index)
        glyphs = StoredGlyphs(font.reader["glyf"], font["loca"].locations, snapshot["glyph_order"])
        descriptor = dict(snapshot["descriptor"], flags=FontDescriptorFlags(snapshot["descriptor"]["flags"]))
        return cls(data, index, snapshot, glyphs, _attributes_from_plain(snapshot["font"]), descriptor)

    @property
    def glyph_order(self) -> tuple[str, ...]:
        return tuple(self.snapshot["glyph_order"])

    def copy_for(self, number: int, key: str) -> TTFFont:
        """A TTFFont for one FPDF, as `add_font` would make it: font number `number`, key `key`."""
        font = TTFFont.__new__(TTFFont)
        for name, value in self.shared.items():
            setattr(font, name, value)
        font.i, font.fontkey = number, key
        font.ttfont = self.fresh_ttfont()
        font.desc = PDFFontDescriptor(**self.descriptor)
        font.cw = defaultdict(itertools.repeat(self.descriptor["missing_width"]).__next__, self.snapshot["widths"])
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        return font

    def fresh_ttfont(self) -> Any:
        """A fontTools font of the face that nothing else shares, ready to be subset in place."""
        # recalcBBoxes=False: subsetting moves no outline, so the glyphs' stored boxes stay right; recomputing
        # them would unpack and repack every glyph of every PDF (a quarter of a build's time).
        font = TTFont(io.BytesIO(self.data), recalcTimestamp=False, recalcBBoxes=False, fontNumber=self.index,
                      lazy=True)
        font.setGlyphOrder(list(self.snapshot["glyph_order"]))
        for tag, state in self.snapshot["tables"].items():
            font[tag] = _table_from_state(tag, state, font, self.glyphs)
        for tag in self.snapshot["loaded"]:
            font[tag]  # read now, as fpdf2's own parse did
        return font


def _table_from_state(tag: str, state: dict[str, Any], font: Any, glyphs: StoredGlyphs) -> Any:
    """A glyph table made from its snapshot, that the subsetter can change without touching the snapshot."""
    table = newTable(tag)
    for name, value in state.items():
        setattr(table, name, _fresh(value))
    if tag == "cmap":
        table.tables = [_subtable_from_state(subtable, font) for subtable in state["tables"]]
    elif tag == "glyf":
        table.glyphs = GlyphsOnDemand(glyphs)
        table.glyphOrder = font.getGlyphOrder()
        table._reverseGlyphOrder = {}
    return table


def _subtable_from_state(state: dict[str, Any], font: Any) -> Any:
    subtable = CmapSubtable.getSubtableClass(state["format"])(state["format"])
    for name, value in state.items():
        setattr(subtable, name, _fresh(value))
    if "uvsDict" in state:
        subtable.uvsDict = {selector: list(pairs) for selector, pairs in state["uvsDict"].items()}
    subtable.ttFont = font
    return subtable


def _fresh(value: Any) -> Any:
    """A container copied one level deep (the subsetter replaces what it changes at that level)."""
    if type(value) is dict:
        return dict(value)
    if type(value) is list:
        return list(value)
    return value


class GlyphsOnDemand(dict[str, Any]):
    """A `glyf` table's glyphs, each made from its stored data when first asked for.

    A face holds thousands of glyphs (the bundled ones some 8,000) and a document uses a few hundred: making
    them all for every PDF took a tenth of a build. Every way of reading the mapping sees every glyph; the
    subsetter asks for the glyphs it keeps (and then replaces the mapping by a plain dict of those)."""

    def __init__(self, stored: Mapping[str, bytes]) -> None:
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
    """The face as fpdf2 parses it, from the user's cache or parsed now, kept by path, face and file identity;
    None when it must be added as usual (CFF outlines, colour glyphs, or glyphs fpdf2 made itself)."""
    del identity  # part of the cache key only
    data = path.read_bytes()
    key = _cache_key(data, index)
    name = _cache_name(path, index)
    snapshot = _cached_snapshot(name, key)
    if snapshot is None:
        snapshot = snapshot_of(path, index)
        if snapshot is None:
            return None
        if _cache_key(path.read_bytes(), index) == key:  # the file did not change while it was parsed
            _write_snapshot(name, key, path, snapshot)
    return ParsedFace.from_snapshot(data, index, snapshot)


def snapshot_of(path: Path, index: int) -> Snapshot | None:
    """What fpdf2's `add_font` makes of the face, as plain data; None for a face copies cannot be made of."""
    owner = FPDF()
    owner.add_font("face", fname=path, collection_font_number=index)
    font = owner.fonts["face"]
    assert isinstance(font, TTFFont)
    master = font.ttfont
    try:
        if font.color_font is not None or font.is_cff or "glyf" not in master:
            return None
        loaded = tuple(str(tag) for tag in master.tables if tag not in GLYPH_TABLES)
        if "vmtx" in master:
            master["vmtx"]  # parsed once here rather than by every copy
        order = tuple(master.getGlyphOrder())
        if not _glyphs_are_as_stored(master, order):
            return None
        return {
            "font": {name: _plain(getattr(font, name)) for name in TTFFont.__slots__
                     if name not in PER_PDF and hasattr(font, name)},
            "descriptor": {name: _plain(getattr(font.desc, name)) for name in DESCRIPTOR_FIELDS},
            "widths": dict(font.cw),
            "glyph_order": order,
            "tables": {tag: _table_state(master[tag]) for tag in GLYPH_TABLES if master.isLoaded(tag)},
            "loaded": loaded,
        }
    finally:
        master.close()


def _glyphs_are_as_stored(master: Any, order: tuple[str, ...]) -> bool:
    """Whether every glyph fpdf2 read is the file's own data, so that a copy can cut it from the file (not so
    when fpdf2 drew a missing .notdef)."""
    stored = StoredGlyphs(master.reader["glyf"], master["loca"].locations, order)
    glyphs = master["glyf"].glyphs
    return len(glyphs) == len(stored) and all(
        getattr(glyph, "data", b"") == stored[name] and (hasattr(glyph, "data") or glyph.numberOfContours == 0)
        for name, glyph in glyphs.items())


def _table_state(table: Any) -> dict[str, Any]:
    """A parsed table's attributes as plain data (a `glyf` table's glyphs are read from the file instead)."""
    skipped = {"tableTag", "glyphs", "glyphOrder", "_reverseGlyphOrder"} if table.tableTag == "glyf" else {"tableTag"}
    if table.tableTag == "cmap":
        table.ensureDecompiled()  # a subtable still undecompiled would be kept with, and saved as, its old data
    state = {name: value for name, value in vars(table).items() if name not in skipped}
    if table.tableTag == "cmap":
        state["tables"] = [{name: value for name, value in vars(subtable).items() if name != "ttFont"}
                           for subtable in table.tables]
    return state


def _plain(value: Any) -> Any:
    """A TTFFont attribute as a value marshal writes: the path as text, flags as numbers."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (TextEmphasis, FontDescriptorFlags)):
        return int(value.value)
    return value


def _attributes_from_plain(plain: dict[str, Any]) -> dict[str, Any]:
    attributes = dict(plain)
    attributes["ttffile"] = Path(plain["ttffile"])
    attributes["emphasis"] = TextEmphasis(plain["emphasis"])
    return attributes


# --- the cache file -------------------------------------------------------------------------------------------

CACHE_PREFIX = "face-"
CACHE_SUFFIX = ".marshal"


def _cache_key(data: bytes, index: int) -> str:
    """A hash of what a snapshot depends on: the font's bytes and face, this code and the libraries' versions."""
    digest = hashlib.sha256(f"haizhi face {SNAPSHOT_FORMAT}\0{index}\0{sys.version}\0".encode())
    digest.update(f"{fpdf.__version__}\0{fontTools.version}\0{_code_digest()}\0".encode())
    digest.update(data)
    return digest.hexdigest()


@functools.cache
def _code_digest() -> str:
    """A hash of this module's code, read once per process: a snapshot is as this code makes it."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except OSError:
        return ""


def _cache_name(path: Path, index: int) -> str:
    """One cache file per font path and face: a changed font replaces its own file."""
    place = hashlib.sha256(f"{path.resolve()}\0{index}".encode("utf-8", "surrogatepass"))
    return f"{CACHE_PREFIX}{place.hexdigest()[:16]}{CACHE_SUFFIX}"


def _cached_snapshot(name: str, key: str) -> Snapshot | None:
    """The snapshot stored as `name` for `key`; None when caching is off or there is none that fits."""
    if not caching_enabled():
        return None
    data = read_cached(name)
    if data is None:
        return None
    try:
        stored = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not (type(stored) is tuple and len(stored) == 4 and stored[:2] == (SNAPSHOT_FORMAT, key)):
        return None
    snapshot = stored[3]
    return snapshot if type(snapshot) is dict and _has_snapshot_layout(snapshot) else None


def _has_snapshot_layout(snapshot: dict[str, Any]) -> bool:
    kinds = {"font": dict, "descriptor": dict, "widths": dict, "glyph_order": tuple, "tables": dict, "loaded": tuple}
    return snapshot.keys() == kinds.keys() and all(type(snapshot[name]) is kind for name, kind in kinds.items())


def _write_snapshot(name: str, key: str, path: Path, snapshot: Snapshot) -> None:
    """Store the snapshot for `key`, with the font's path (for pruning); a snapshot marshal cannot write is
    not cached."""
    if not caching_enabled() or cache_dir() is None:
        return
    try:
        data = marshal.dumps((SNAPSHOT_FORMAT, key, str(path), snapshot))
    except ValueError:
        return
    write_cached(name, data)
    prune_cache()


def prune_cache() -> None:
    """Remove the cached faces of font files that no longer exist (an uninstalled haizhi, a deleted virtual
    environment), each found by the path its file records."""
    prune_cached(lambda path: path.name.startswith(CACHE_PREFIX) and path.name.endswith(CACHE_SUFFIX)
                 and _recorded_font_is_gone(path))


def _recorded_font_is_gone(path: Path) -> bool:
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    recorded = stored[2] if type(stored) is tuple and len(stored) == 4 else None
    return isinstance(recorded, str) and not Path(recorded).is_file()

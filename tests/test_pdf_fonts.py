"""Fonts parsed once per process: every PDF is, byte for byte, the PDF fpdf2's own `add_font` gives."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from collections.abc import Callable
from pathlib import Path

import fpdf
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fontTools.ttLib.tables._g_l_y_f import Glyph  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents import _pdf_fonts as pdf_fonts
from haizhi_cli.documents import _pdf_writer as pdf_writer
from haizhi_cli.documents._blocks import LAYOUTS, Document, Paragraph
from haizhi_cli.documents._fontset import FontFace, FontSet, bundled_face, has_cff_outlines, system_faces
from haizhi_cli.engine._rules import load_round
from tests.conftest import EXAMPLES

TIMESTAMP = dt.datetime(2023, 9, 1, 8, 30, tzinfo=dt.UTC)
FONTS = FontSet(bundled_face(), system_faces())
SYMBOL = "😀"
"""Drawn from a TrueType system font (Symbola) where one is installed: a fallback face parsed once too."""
RARE = "鱻"
"""Drawn from a CFF system font (Noto CJK) where one is installed: converted per document, added as usual."""


def fpdf2_add_face(pdf: FPDF, family: str, path: Path, index: int = 0) -> None:
    """How haizhi added fonts before: fpdf2 parses the file for every PDF. Its subset is saved, as haizhi's
    copies are, with the glyphs' stored bounding boxes (subsetting moves no outline)."""
    pdf.add_font(family, fname=path, collection_font_number=index)
    pdf.fonts[family.lower()].ttfont.recalcBBoxes = False


def documents() -> dict[str, Document]:
    facts = load_round(2023).facts
    result: dict[str, Document] = {}
    for example in ("work-base", "offshore-base"):
        applicant = load_applicant(EXAMPLES / example / "applicant.yaml", [2023]).applicant
        result[f"{example}-form"] = composing.application_form(applicant, facts)
        result[f"{example}-plan"] = composing.construction_plan(applicant, facts)
        result[f"{example}-letter-draft"] = composing.support_letter_draft(applicant, facts, True)
    extra = "".join(char for char in SYMBOL + RARE if not FONTS.missing(char))
    result["fallbacks"] = Document("字体", LAYOUTS["form"], (Paragraph(f"中国{extra}科协", "plain"),))
    return result


def write_all(folder: Path, order: list[str]) -> dict[str, bytes]:
    folder.mkdir()
    written: dict[str, bytes] = {}
    all_documents = documents()
    for number, name in enumerate(order):
        path = folder / f"{number}-{name}.pdf"
        pdf_writer.write_pdf(all_documents[name], path, FONTS, TIMESTAMP)
        assert written.setdefault(name, path.read_bytes()) == path.read_bytes(), f"{name} changed when written again"
    return written


def test_pdfs_are_the_bytes_of_fonts_fpdf2_parses_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = list(documents())
    cached = write_all(tmp_path / "cached", [*names, *reversed(names)])  # each font copy used after others
    monkeypatch.setattr(pdf_writer, "add_face", fpdf2_add_face)
    parsed_each_time = write_all(tmp_path / "fpdf2", names)
    assert cached.keys() == parsed_each_time.keys()
    for name, data in parsed_each_time.items():
        assert cached[name] == data, f"{name} differs from the PDF of a font fpdf2 parsed itself"


def truetype_faces() -> list[FontFace]:
    return [face for face in (bundled_face(), *system_faces()) if not has_cff_outlines(face.path, face.index)]


def sample(face: FontFace, count: int = 60) -> str:
    """Characters spread over the whole of the face's character map, from its first to its last."""
    codes = sorted(code for code in face.codepoints() if chr(code).isprintable() and not chr(code).isspace())
    return "".join(chr(codes[i * (len(codes) - 1) // (count - 1)]) for i in range(count))


def one_page(face: FontFace, add: Callable[[FPDF, str, Path, int], None]) -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(TIMESTAMP)
    add(pdf, "face", face.path, face.index)
    pdf.add_page()
    pdf.set_font("face", size=12)
    pdf.multi_cell(w=0, text=sample(face))
    return bytes(pdf.output())


@pytest.mark.parametrize("face", truetype_faces(), ids=lambda face: face.path.name)
def test_each_truetype_face_gives_the_bytes_fpdf2_gives(face: FontFace) -> None:
    pdf_fonts.parsed_face.cache_clear()  # the first copy of a freshly parsed face too
    expected = one_page(face, fpdf2_add_face)
    assert one_page(face, pdf_fonts.add_face) == expected
    assert one_page(face, pdf_fonts.add_face) == expected


def test_a_face_is_parsed_once_and_each_pdf_gets_its_own_copy() -> None:
    path = bundled_face().path
    first, second = FPDF(), FPDF()
    pdf_fonts.add_face(first, "body", path)
    pdf_fonts.add_face(second, "body", path)
    one, other = first.fonts["body"], second.fonts["body"]
    assert isinstance(one, TTFFont) and isinstance(other, TTFFont)
    parsed = pdf_fonts.parsed_face(path, 0, *pdf_fonts._identity(path))
    assert parsed is not None and parsed is pdf_fonts.parsed_face(path, 0, *pdf_fonts._identity(path))
    assert one.ttfont is not other.ttfont and one.ttfont is not parsed.prototype.ttfont
    assert one.subset is not other.subset and one.desc is not other.desc and one.cw is not other.cw
    assert one.ttfont["glyf"].glyphs["uni4E2D"] is not other.ttfont["glyf"].glyphs["uni4E2D"]
    assert one.i == other.i == 1 and one.fontkey == "body"
    first.add_page()
    first.set_font("body", size=12)
    first.cell(text="中国")
    first.output()  # subsets this copy's font in place
    assert len(other.ttfont.getGlyphOrder()) == len(parsed.glyph_order)
    assert len(parsed.prototype.ttfont.getGlyphOrder()) == len(parsed.glyph_order)


def test_a_copy_makes_only_the_glyphs_asked_for_yet_every_reading_sees_all() -> None:
    path = bundled_face().path
    pdf = FPDF()
    pdf_fonts.add_face(pdf, "body", path)
    glyphs = pdf.fonts["body"].ttfont["glyf"].glyphs
    assert isinstance(glyphs, pdf_fonts.GlyphsOnDemand)
    assert dict.__len__(glyphs) == 0 and len(glyphs) > 7000 and "uni4E2D" in glyphs
    assert glyphs.get("uni4E2D") is glyphs["uni4E2D"] and glyphs.get("no-such-glyph") is None
    assert dict.__len__(glyphs) == 1 and list(glyphs)[:3] == list(glyphs.keys())[:3]
    assert len(glyphs.values()) == len(glyphs.items()) == len(glyphs) == dict.__len__(glyphs)
    with pytest.raises(KeyError):
        glyphs["no-such-glyph"]


def test_a_font_file_that_changes_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "font.ttf"
    shutil.copyfile(bundled_face().path, path)
    before = FPDF()
    pdf_fonts.add_face(before, "body", path)
    other = next((face for face in system_faces() if face.path.suffix == ".ttf"), None)
    if other is None:
        pytest.skip("no TrueType system font to swap in")
    shutil.copyfile(other.path, path)
    after = FPDF()
    pdf_fonts.add_face(after, "body", path)
    assert ord("中") in before.fonts["body"].cmap  # type: ignore[union-attr]
    assert before.fonts["body"].name != after.fonts["body"].name


def test_a_face_that_cannot_be_copied_is_added_as_fpdf2_adds_it(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_fonts, "parsed_face", lambda *_: None)
    pdf = FPDF()
    pdf_fonts.add_face(pdf, "Body", bundled_face().path)
    font = pdf.fonts["body"]
    assert isinstance(font, TTFFont) and font.ttfont.reader.file.name == str(bundled_face().path)


# --- the fpdf2 and fontTools internals _pdf_fonts relies on ---------------------------------------------------
# _pdf_fonts makes a PDF's TTFFont as fpdf2's add_font would, but by copying a parsed one: it depends on how
# fpdf2 lays out a TTFFont, not only on its public API. pyproject.toml pins fpdf2 to the releases these
# checks were run on; a release that changes any of it fails here, by name, before a PDF comes out wrong.

TTFFONT_PER_PDF = frozenset({"i", "fontkey", "ttfont", "desc", "cw", "missing_glyphs", "biggest_size_pt",
                             "_hbfont", "subset"})
"""The attributes ParsedFace.copy_for gives each PDF its own value of (the state a PDF changes as it is made)."""
TTFFONT_SHARED = frozenset({"type", "name", "ttffile", "emphasis", "scale", "up", "ut", "sp", "ss", "cmap",
                            "glyph_ids", "unicode_range", "palette_index", "color_font", "is_compressed",
                            "is_cff", "is_cid_keyed", "is_symbol", "cff_ros", "collection_font_number"})
"""The attributes every copy shares with the prototype: set once when fpdf2 parses the font, only read after."""
TTFFONT_READ = frozenset({"color_font", "is_cff", "ttfont", "desc", "cw"})
"""The prototype's attributes parsed_face and copy_for read."""


def test_fpdf2_ttffont_has_the_attributes_pdf_fonts_copies_and_no_others() -> None:
    slots = frozenset(TTFFont.__slots__)
    gone = sorted((TTFFONT_PER_PDF | TTFFONT_READ) - slots)
    assert not gone, (f"fpdf2 {fpdf.__version__}: fpdf.fonts.TTFFont no longer has {gone}, which "
                      "haizhi_cli/documents/_pdf_fonts.py reads or sets")
    new = sorted(slots - TTFFONT_PER_PDF - TTFFONT_SHARED)
    assert not new, (f"fpdf2 {fpdf.__version__}: fpdf.fonts.TTFFont has new attributes {new}; ParsedFace.copy_for "
                     "shares them between PDFs: give each PDF its own if fpdf2 changes them while making a PDF")


def test_fpdf2_ttffont_is_copied_attribute_by_attribute() -> None:
    """copy_for starts from copy.copy(prototype): that copies every slot only while TTFFont defines no copying
    of its own."""
    own = sorted(name for name in ("__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__")
                 if name in vars(TTFFont))
    assert not own, f"fpdf2 {fpdf.__version__}: fpdf.fonts.TTFFont now defines {own}; copy.copy may not copy it"
    assert "__dict__" not in vars(TTFFont), "fpdf.fonts.TTFFont is no longer slotted: check its attributes anew"


def test_fpdf2_subset_map_is_made_from_the_font_alone() -> None:
    parameters = list(inspect.signature(SubsetMap.__init__).parameters)
    assert parameters == ["self", "font"], (f"fpdf2 {fpdf.__version__}: fpdf.fonts.SubsetMap.__init__ takes "
                                            f"{parameters}; ParsedFace.copy_for calls SubsetMap(font)")


def test_fpdf2_add_font_files_a_face_as_copy_for_does() -> None:
    parameters = inspect.signature(FPDF.add_font).parameters
    assert {"fname", "collection_font_number"} <= set(parameters), (
        f"fpdf2 {fpdf.__version__}: FPDF.add_font has no fname or collection_font_number parameter")
    pdf = FPDF()
    pdf.add_font("Body", fname=bundled_face().path, collection_font_number=0)
    font = pdf.fonts.get("body")
    assert isinstance(font, TTFFont), (
        f"fpdf2 {fpdf.__version__}: FPDF.add_font no longer files a TrueType face in FPDF.fonts as fpdf.fonts.TTFFont")
    assert (font.i, font.fontkey) == (1, "body"), (
        f"fpdf2 {fpdf.__version__}: FPDF.add_font numbers or keys a font as (i, fontkey) == {(font.i, font.fontkey)}"
        "; ParsedFace.copy_for gives (len(pdf.fonts) + 1, family.lower())")
    assert (font.missing_glyphs, font.biggest_size_pt, font._hbfont, len(font.subset)) == ([], 0, None, 2), (
        "a fresh fpdf.fonts.TTFFont no longer starts with missing_glyphs [], biggest_size_pt 0, _hbfont None and "
        "a SubsetMap of .notdef and space, as ParsedFace.copy_for starts each copy")


def test_fonttools_tables_have_what_pdf_fonts_copies() -> None:
    font = TTFont(bundled_face().path, lazy=True)
    glyf, cmap, hmtx = font["glyf"], font["cmap"], font["hmtx"]
    for table, name in ((glyf, "glyphs"), (glyf, "glyphOrder"), (glyf, "_reverseGlyphOrder"), (hmtx, "metrics"),
                        (cmap, "tables"), (cmap, "ensureDecompiled"), (font, "isLoaded"), (font, "setGlyphOrder")):
        assert hasattr(table, name), f"fontTools: {type(table).__module__}.{type(table).__name__} has no {name}"
    assert all(hasattr(subtable, "cmap") for subtable in cmap.tables), "fontTools: a cmap subtable has no cmap"
    stored = getattr(glyf.glyphs["uni4E2D"], "data", None)
    assert isinstance(stored, bytes) and stored, "fontTools: a glyph read, not expanded, keeps no Glyph.data"
    assert Glyph(stored).data == stored, "fontTools: Glyph(data) no longer keeps its data as Glyph.data"
    font.close()

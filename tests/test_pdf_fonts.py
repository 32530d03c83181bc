"""Fonts parsed once per process: every PDF is, byte for byte, the PDF fpdf2's own `add_font` gives."""

from __future__ import annotations

import datetime as dt
import inspect
import marshal
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import fpdf
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable  # type: ignore[import-untyped]
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
from haizhi_cli.outputs import cache_dir
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


@pytest.fixture
def font_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of the user's, and no face parsed yet in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    monkeypatch.delenv("HAIZHI_NO_CACHE", raising=False)
    pdf_fonts.parsed_face.cache_clear()
    yield cache_dir() or folder
    pdf_fonts.parsed_face.cache_clear()


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a face comes from the cache or not at all."""
    def parse(*_: object) -> None:
        raise AssertionError("the face was parsed again instead of read from the cache")
    monkeypatch.setattr(pdf_fonts, "snapshot_of", parse)


@pytest.mark.parametrize("face", truetype_faces(), ids=lambda face: face.path.name)
def test_each_truetype_face_gives_the_bytes_fpdf2_gives(face: FontFace, font_cache: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = one_page(face, fpdf2_add_face)
    assert one_page(face, pdf_fonts.add_face) == expected  # parsed now: the first copy of a fresh parse
    assert one_page(face, pdf_fonts.add_face) == expected
    pdf_fonts.parsed_face.cache_clear()  # as a new process: the face from the cache file
    refuse_to_parse(monkeypatch)
    assert one_page(face, pdf_fonts.add_face) == expected


def test_pdfs_from_cached_faces_are_the_bytes_of_fresh_ones(tmp_path: Path, font_cache: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    names = list(documents())
    parsed = write_all(tmp_path / "parsed", names)
    assert sorted(path.name for path in font_cache.glob("face-*.marshal")), "no face was cached"
    pdf_fonts.parsed_face.cache_clear()
    refuse_to_parse(monkeypatch)
    assert write_all(tmp_path / "cached", names) == parsed


def test_a_face_is_parsed_once_and_each_pdf_gets_its_own_copy() -> None:
    path = bundled_face().path
    first, second = FPDF(), FPDF()
    pdf_fonts.add_face(first, "body", path)
    pdf_fonts.add_face(second, "body", path)
    one, other = first.fonts["body"], second.fonts["body"]
    assert isinstance(one, TTFFont) and isinstance(other, TTFFont)
    parsed = pdf_fonts.parsed_face(path, 0, *pdf_fonts._identity(path))
    assert parsed is not None and parsed is pdf_fonts.parsed_face(path, 0, *pdf_fonts._identity(path))
    assert one.ttfont is not other.ttfont and one.cmap is other.cmap is parsed.shared["cmap"]
    assert one.subset is not other.subset and one.desc is not other.desc and one.cw is not other.cw
    assert one.ttfont["glyf"].glyphs["uni4E2D"] is not other.ttfont["glyf"].glyphs["uni4E2D"]
    assert one.i == other.i == 1 and one.fontkey == "body"
    first.add_page()
    first.set_font("body", size=12)
    first.cell(text="中国")
    first.output()  # subsets this copy's font in place
    glyph_count = len(parsed.glyph_order)
    assert len(one.ttfont.getGlyphOrder()) < glyph_count == len(other.ttfont.getGlyphOrder())
    tables = parsed.snapshot["tables"]
    assert len(tables["hmtx"]["metrics"]) == glyph_count == len(parsed.glyphs)
    assert len(tables["cmap"]["tables"][0]["cmap"]) == len(parsed.shared["cmap"]) > 7000


def cached_faces(folder: Path) -> list[Path]:
    return sorted(folder.glob("face-*.marshal"))


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The font files parsed from here on, one entry per parse."""
    parsed: list[Path] = []
    snapshot_of = pdf_fonts.snapshot_of

    def counted(path: Path, index: int) -> pdf_fonts.Snapshot | None:
        parsed.append(path)
        return snapshot_of(path, index)
    monkeypatch.setattr(pdf_fonts, "snapshot_of", counted)
    return parsed


def test_a_face_is_cached_once_and_read_back_by_the_next_process(font_cache: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_fonts.add_face(FPDF(), "body", bundled_face().path)
    [cached] = cached_faces(font_cache)
    written = cached.read_bytes()
    pdf_fonts.parsed_face.cache_clear()
    refuse_to_parse(monkeypatch)
    pdf_fonts.add_face(FPDF(), "body", bundled_face().path)
    assert cached_faces(font_cache) == [cached] and cached.read_bytes() == written


def damaged(written: bytes) -> dict[str, bytes]:
    """One cache file for each way it can be unusable: not marshal data, cut short, or not what this code
    wrote for this font."""
    form, key, path, snapshot = marshal.loads(written)
    return {
        "empty": b"",
        "not marshal": b"\x00\xffnot a cache file",
        "cut short": written[: len(written) // 2],
        "a list": marshal.dumps([form, key, path, snapshot]),
        "another layout": marshal.dumps((form + 1, key, path, snapshot)),
        "another font or version": marshal.dumps((form, "0" * 64, path, snapshot)),
        "a field missing": marshal.dumps((form, key, path, {k: v for k, v in snapshot.items() if k != "widths"})),
        "a field of another kind": marshal.dumps((form, key, path,
                                                  {**snapshot, "glyph_order": list(snapshot["glyph_order"])})),
    }


def test_an_unusable_cache_file_is_parsed_afresh_and_rewritten(font_cache: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    face = bundled_face()
    expected = one_page(face, pdf_fonts.add_face)
    [cached] = cached_faces(font_cache)
    written = cached.read_bytes()
    parses = count_parses(monkeypatch)
    for mode, data in damaged(written).items():
        cached.write_bytes(data)
        pdf_fonts.parsed_face.cache_clear()
        assert one_page(face, pdf_fonts.add_face) == expected, mode
        assert len(parses) == 1 and cached.read_bytes() == written, f"{mode}: not parsed again and rewritten"
        parses.clear()


def test_a_font_changed_at_its_path_is_parsed_again_and_replaces_its_cache_file(
        tmp_path: Path, font_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "font.ttf"
    shutil.copyfile(bundled_face().path, path)
    pdf_fonts.add_face(FPDF(), "body", path)
    [cached] = cached_faces(font_cache)
    before = marshal.loads(cached.read_bytes())[1]
    with path.open("ab") as font:
        font.write(b"\0" * 4)  # bytes after the last table: the same face, another file
    pdf_fonts.parsed_face.cache_clear()
    parses = count_parses(monkeypatch)
    pdf_fonts.add_face(FPDF(), "body", path)
    assert parses == [path] and cached_faces(font_cache) == [cached]
    assert marshal.loads(cached.read_bytes())[1] != before


def test_no_cache_is_read_or_written_with_haizhi_no_cache(font_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_fonts.add_face(FPDF(), "body", bundled_face().path)
    [cached] = cached_faces(font_cache)
    cached.unlink()
    monkeypatch.setenv("HAIZHI_NO_CACHE", "1")
    pdf_fonts.parsed_face.cache_clear()
    parses = count_parses(monkeypatch)
    pdf_fonts.add_face(FPDF(), "body", bundled_face().path)
    assert len(parses) == 1 and cached_faces(font_cache) == []


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path, font_cache: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    face = bundled_face()
    expected = one_page(face, fpdf2_add_face)
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))
    pdf_fonts.parsed_face.cache_clear()
    assert one_page(face, pdf_fonts.add_face) == expected


def test_writing_a_face_prunes_those_of_font_files_that_are_gone(tmp_path: Path, font_cache: Path) -> None:
    gone = tmp_path / "gone.ttf"
    shutil.copyfile(bundled_face().path, gone)
    pdf_fonts.add_face(FPDF(), "body", gone)
    [of_gone] = cached_faces(font_cache)
    foreign = font_cache / "face-not-ours.marshal"
    foreign.write_bytes(b"written by something else")
    gone.unlink()
    pdf_fonts.add_face(FPDF(), "body", bundled_face().path)
    remaining = cached_faces(font_cache)
    assert of_gone not in remaining and foreign in remaining and len(remaining) == 2


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
"""The attributes every copy shares: set once when fpdf2 parses the font, only read after."""
TTFFONT_READ = frozenset({"color_font", "is_cff", "ttfont", "desc", "cw"})
"""The attributes snapshot_of reads besides the shared ones."""


def test_pdf_fonts_gives_each_pdf_its_own_of_the_attributes_a_pdf_changes() -> None:
    assert pdf_fonts.PER_PDF == TTFFONT_PER_PDF


def test_fpdf2_ttffont_has_the_attributes_pdf_fonts_copies_and_no_others() -> None:
    slots = frozenset(TTFFont.__slots__)
    gone = sorted((TTFFONT_PER_PDF | TTFFONT_READ) - slots)
    assert not gone, (f"fpdf2 {fpdf.__version__}: fpdf.fonts.TTFFont no longer has {gone}, which "
                      "haizhi_cli/documents/_pdf_fonts.py reads or sets")
    new = sorted(slots - TTFFONT_PER_PDF - TTFFONT_SHARED)
    assert not new, (f"fpdf2 {fpdf.__version__}: fpdf.fonts.TTFFont has new attributes {new}; ParsedFace.copy_for "
                     "shares them between PDFs: give each PDF its own if fpdf2 changes them while making a PDF")
    assert "__dict__" not in vars(TTFFont), "fpdf.fonts.TTFFont is no longer slotted: check its attributes anew"


def slot_values(font: TTFFont) -> dict[str, object]:
    """Every attribute fpdf2 set, the fontTools font left out; the descriptor by its attributes."""
    values = {name: getattr(font, name) for name in TTFFont.__slots__ if hasattr(font, name) and name != "ttfont"}
    values["desc"] = vars(font.desc)
    values["cw"] = (dict(font.cw), font.cw.default_factory() if font.cw.default_factory else None)
    values["subset"] = (font.subset._next, font.subset._reserved, font.subset._char_id_per_glyph)
    return values


@pytest.mark.parametrize("source", ["parsed", "cached"])
def test_a_copy_has_every_attribute_fpdf2_gives_a_font_it_parses(source: str, font_cache: Path) -> None:
    """copy_for makes a TTFFont without running its __init__: each attribute must be what fpdf2 would set."""
    path = bundled_face().path
    pdf_fonts.add_face(FPDF(), "body", path)
    if source == "cached":
        pdf_fonts.parsed_face.cache_clear()
    copied, parsed = FPDF(), FPDF()
    pdf_fonts.add_face(copied, "body", path)
    parsed.add_font("body", fname=path)
    ours, theirs = copied.fonts["body"], parsed.fonts["body"]
    assert isinstance(ours, TTFFont) and isinstance(theirs, TTFFont)
    assert slot_values(ours) == slot_values(theirs)
    assert {name: type(value) for name, value in slot_values(ours).items()} == {
        name: type(value) for name, value in slot_values(theirs).items()}


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
                        (cmap, "tables"), (cmap, "ensureDecompiled"), (font, "isLoaded"), (font, "setGlyphOrder"),
                        (font, "reader"), (font["loca"], "locations"), (CmapSubtable, "getSubtableClass")):
        assert hasattr(table, name), f"fontTools: {type(table).__module__}.{type(table).__name__} has no {name}"
    assert all(hasattr(subtable, "cmap") for subtable in cmap.tables), "fontTools: a cmap subtable has no cmap"
    stored = getattr(glyf.glyphs["uni4E2D"], "data", None)
    assert isinstance(stored, bytes) and stored, "fontTools: a glyph read, not expanded, keeps no Glyph.data"
    assert Glyph(stored).data == stored, "fontTools: Glyph(data) no longer keeps its data as Glyph.data"
    offsets, number = font["loca"].locations, font.getGlyphID("uni4E2D")
    assert font.reader["glyf"][offsets[number]:offsets[number + 1]] == stored, (
        "fontTools: a glyph's data is no longer its slice of the glyf table between its loca offsets")
    font.close()

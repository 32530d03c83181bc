"""Fonts parsed once per process: every PDF is, byte for byte, the PDF fpdf2's own `add_font` gives."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.fonts import TTFFont

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

"""Fonts and the draft mark of built packets: every font haizhi writes is embedded, 申报表 carries its serif and
sans faces, and a draft's 草稿 is a mark on the page, never text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from haizhi_cli.packet._building import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES

OPEN_EXAMPLES = ("work-base", "offshore-base", "rd-community")
DRAFT_EXAMPLE = "fail-work-base-small-area"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("packets")
    result = {}
    for name in (*OPEN_EXAMPLES, DRAFT_EXAMPLE):
        options = BuildOptions(out=root / name, as_of=CHECK_DAY, draft=name == DRAFT_EXAMPLE)
        result[name] = build_packet(EXAMPLES / name / "applicant.yaml", options).out
    return result


def fonts_of(path: Path) -> dict[str, bool]:
    """Each font the pages of a PDF use (by /BaseFont, without subset tag) and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        for reference in page.get("/Resources", {}).get("/Font", {}).values():
            font: Any = reference.get_object()
            descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            embedded = font["/Subtype"] == "/Type3" or (descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")))
            found[str(font.get("/BaseFont", font["/Subtype"])).split("+")[-1]] = embedded
    return found


@pytest.mark.parametrize("example", [*OPEN_EXAMPLES, DRAFT_EXAMPLE])
def test_no_pdf_of_a_packet_leaves_a_font_unembedded(built: dict[str, Path], example: str) -> None:
    """haizhi's documents, the bound packet and the attachments (the examples' placeholders draw their text in a
    Type 3 font of outlines, scripts/make_example_pdfs.py) all carry their fonts."""
    pdfs = sorted(built[example].rglob("*.pdf"))
    assert len(pdfs) >= 8
    for path in pdfs:
        fonts = fonts_of(path)
        assert fonts and all(fonts.values()), (path.name, fonts)


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_form_embeds_its_serif_and_sans_faces(built: dict[str, Path], example: str) -> None:
    fonts = fonts_of(built[example] / "申报表.pdf")
    assert all(fonts.values())
    assert {"NotoSerifCJKSC", "NotoSansCJKSC"} <= set(fonts), fonts
    assert "NotoSerifCJKSCBold" in fonts


def draft_text_is_clean(text: str) -> None:
    assert "草" not in text
    assert not re.search(r"(?<!代拟)稿", text), [line for line in text.splitlines() if "稿" in line]


def test_the_draft_mark_is_not_in_the_text(built: dict[str, Path]) -> None:
    out = built[DRAFT_EXAMPLE]
    for path in out.glob("*.pdf"):
        reader = PdfReader(path)
        draft_text_is_clean("\n".join(page.extract_text() for page in reader.pages))
    packet = PdfReader(out / "packet.pdf")
    marked = sum(b"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC" in page.get_contents().get_data()
                 for page in packet.pages if page.get_contents() is not None)
    assert marked >= 5  # every page haizhi drew carries the mark, as a shape


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_pdftotext_shows_no_draft_mark(built: dict[str, Path]) -> None:
    for path in built[DRAFT_EXAMPLE].glob("*.pdf"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        draft_text_is_clean(text)

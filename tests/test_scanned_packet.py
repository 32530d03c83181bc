"""A packet bound from scanned attachments (benchmarks/scans.py makes them: one noise JPEG a page, as a
scanner writes it): every page in place, bookmarked, labelled and numbered, and each scan's image streams
in the packet byte for byte those of the unit's file (nothing decoded, re-encoded or recompressed).
Not timed: `make bench` measures the large cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from haizhi_cli.packet._building import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES, load_script
from tests.test_packet_numbering import NUMBER, outline_pages

SCANNED = {"proofs.pdf": ("七3-1 ", 12), "overseas-contacts.pdf": ("七4-1 ", 10), "policies.pdf": ("七6-1 ", 8)}
"""The three attachments replaced by scans: the start of their bookmark and their pages (30 in all)."""


scans = load_script("benchmarks/scans.py")


def _images(pdf: pikepdf.Pdf, pages: range) -> list[bytes]:
    """The raw (still encoded) bytes of every image drawn on `pages`, in order."""
    found = []
    for index in pages:
        xobjects = pdf.pages[index].obj.Resources.get("/XObject", {})
        found += [bytes(x.read_raw_bytes()) for _, x in sorted(xobjects.items()) if x.get("/Subtype") == "/Image"]
    return found


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The unit's folder (work-base, three attachments scanned) and the packet built from it."""
    unit = tmp_path_factory.mktemp("scanned") / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    for seed, (name, (_, pages)) in enumerate(SCANNED.items()):
        scans.scan_pdf(unit / "attachments" / name, pages, seed=seed, page_bytes=20_000)
    out = build_packet(unit / "applicant.yaml", BuildOptions(out=unit.parent / "out", as_of=CHECK_DAY)).out
    return unit, out / "packet.pdf"


def _start(reader: PdfReader, prefix: str) -> int:
    return next(page for title, page, _ in outline_pages(reader) if title.startswith(prefix))


def test_every_scanned_page_is_bound_bookmarked_labelled_and_numbered(packet: tuple[Path, Path]) -> None:
    _, packet_pdf = packet
    out = packet_pdf.parent
    reader = PdfReader(packet_pdf)
    bound = [out / "材料清单.pdf", out / "申报表.pdf", out / "建设方案.pdf", *(out / "attachments").glob("*.pdf")]
    assert sum(pages for _, pages in SCANNED.values()) == 30
    assert len(reader.pages) == sum(len(PdfReader(pdf).pages) for pdf in bound)
    assert reader.page_labels[0] == "封面"
    for prefix, pages in SCANNED.values():
        start = _start(reader, prefix)
        for index in range(start, start + pages):
            assert reader.page_labels[index] == str(index)
            assert NUMBER.findall(reader.pages[index].extract_text()) == [str(index)]


def test_each_scans_image_streams_come_through_byte_for_byte(packet: tuple[Path, Path]) -> None:
    unit, packet_pdf = packet
    reader = PdfReader(packet_pdf)
    with pikepdf.open(packet_pdf) as bound:
        for name, (prefix, pages) in SCANNED.items():
            start = _start(reader, prefix)
            with pikepdf.open(unit / "attachments" / name) as original:
                assert _images(bound, range(start, start + pages)) == _images(original, range(pages))
                assert len(_images(original, range(pages))) == pages


def test_every_page_restores_each_graphics_state_it_saves(packet: tuple[Path, Path]) -> None:
    """The stamp is drawn after the page's own content, wrapped in q … Q: a Q without its q is an error a
    viewer reports (and may stop drawing at), as the 材料清单's second page once had."""
    _, packet_pdf = packet
    with pikepdf.open(packet_pdf) as bound:
        assert len(bound.pages) >= 30
        for number, page in enumerate(bound.pages):
            depth = 0
            for _, operator in pikepdf.parse_content_stream(page):
                depth += {"q": 1, "Q": -1}.get(str(operator), 0)
                assert depth >= 0, f"page {number}: Q without q"
            assert depth == 0, f"page {number}: q without Q"

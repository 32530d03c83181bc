"""`haizhi sign`: the scans of the signed pages replace those pages in packet-signed.pdf; numbers, bookmarks and
labels kept, the packet untouched, and every bad input refused with a Chinese message naming it (exit 2)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from haizhi_cli.cli._app import app
from haizhi_cli.errors import UsageError
from haizhi_cli.packet import SIGNED_FILE, sign_packet
from tests.conftest import EPOCH, OPEN_EXAMPLES
from tests.test_packet_numbering import NUMBER, outline_pages

runner = CliRunner(env={"COLUMNS": "200", "SOURCE_DATE_EPOCH": EPOCH, "HAIZHI_LANG": None})


pytestmark = pytest.mark.usefixtures("reproducible")


@pytest.fixture(scope="module")
def packets(open_packets: dict[str, Path]) -> dict[str, Path]:
    return open_packets


@pytest.fixture
def packet(packets: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of the work base's packet, so that a test may sign it."""
    return Path(shutil.copytree(packets["work-base"], tmp_path / "packet"))


def scans(path: Path, pages: int, marks: str = "SIGNED") -> Path:
    """A fake scan: `pages` A4 pages, each with a mark and a red circle for the seal."""
    pdf = FPDF(unit="mm", format="A4")
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=20)
        pdf.text(30, 40, f"{marks} {page}")
        pdf.set_draw_color(200, 0, 0)
        pdf.circle(150, 200, 40)
    pdf.output(str(path))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def signed_pages(packet: Path) -> list[int]:
    """The pages sign replaces by default: the last page of 六 and the pages of 八, as printed."""
    reader = PdfReader(packet / "packet.pdf")
    texts = [page.extract_text() for page in reader.pages]
    promise = max(i for i, t in enumerate(texts) if "申报单位负责人（签字）" in t or "六、申报单位负责人承诺" in t)
    opinions = [i for i, t in enumerate(texts) if "省级科协意见" in t or "八、单位意见" in t]
    return sorted({promise, *opinions})


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_signed_pages_replace_the_promise_and_the_opinions(packets: dict[str, Path], tmp_path: Path,
                                                                example: str) -> None:
    folder = Path(shutil.copytree(packets[example], tmp_path / example))
    before = {p.name: digest(p) for p in folder.iterdir() if p.is_file()}
    expected = signed_pages(folder)
    result = sign_packet(folder, scans(tmp_path / "scan.pdf", len(expected)))
    assert result.out == folder / SIGNED_FILE
    original, signed = PdfReader(folder / "packet.pdf"), PdfReader(folder / SIGNED_FILE)
    assert len(signed.pages) == len(original.pages)
    assert signed.page_labels == original.page_labels
    assert outline_pages(signed) == outline_pages(original)
    assert [int(n) for n in result.replaced] == expected
    for index, page in enumerate(signed.pages):
        text = page.extract_text()
        if index in expected:
            assert "SIGNED" in text and "承诺" not in text and "单位意见" not in text
        else:
            assert text == original.pages[index].extract_text()
        assert NUMBER.findall(text) == ([str(index)] if index else [])  # the number kept in the text layer
    assert {p.name: digest(p) for p in folder.iterdir() if p.is_file() and p.name != SIGNED_FILE} == before


def test_the_number_of_a_signed_page_is_invisible_text(packet: Path, tmp_path: Path) -> None:
    """The scan shows the number printed on the paper; the text layer keeps it without drawing it twice."""
    sign_packet(packet, scans(tmp_path / "scan.pdf", 2))
    reader = PdfReader(packet / SIGNED_FILE)
    page = reader.pages[signed_pages(packet)[0]]
    contents = page.get_contents()
    assert contents is not None
    assert b"3 Tr" in contents.get_data()  # text render mode 3: neither filled nor stroked


def test_pages_can_be_named_by_their_printed_numbers_or_their_sections(packet: Path, tmp_path: Path) -> None:
    promise, opinions = signed_pages(packet)
    one = scans(tmp_path / "one.pdf", 1)
    assert sign_packet(packet, one, f"{opinions}").replaced == (str(opinions),)
    assert sign_packet(packet, one, "八", force=True).replaced == (str(opinions),)
    assert sign_packet(packet, one, "单位意见", force=True).replaced == (str(opinions),)
    two = scans(tmp_path / "two.pdf", 2)
    assert sign_packet(packet, two, f"{promise}-{opinions}", force=True).replaced == (str(promise), str(opinions))
    assert sign_packet(packet, two, "六，八", force=True).replaced == (str(promise), str(opinions))


def test_a_scan_of_the_wrong_page_count_is_refused_naming_both_counts(packet: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["sign", str(packet), str(scans(tmp_path / "scan.pdf", 3))])
    assert res.exit_code == 2, res.output
    assert "扫描件有 3 页，而要替换的页有 2 页" in res.output and "scan.pdf" in res.output
    assert "Traceback" not in res.output
    assert not (packet / SIGNED_FILE).exists()


def test_cli_signs_and_says_which_pages(packet: Path, tmp_path: Path) -> None:
    scan = str(scans(tmp_path / "scan.pdf", 2))
    res = runner.invoke(app, ["sign", str(packet), scan])
    assert res.exit_code == 0, res.output
    assert "已写出签章版" in res.output and "packet-signed.pdf" in res.output
    again = runner.invoke(app, ["sign", str(packet), scan])
    assert again.exit_code == 2 and "--force" in again.output  # an existing signed packet is the unit's
    out = tmp_path / "签章版.pdf"
    third = runner.invoke(app, ["sign", str(packet), scan, "-o", str(out)])
    assert third.exit_code == 0, third.output
    assert out.read_bytes() == (packet / SIGNED_FILE).read_bytes()  # same inputs, same bytes


def test_the_signed_packet_is_not_written_over_the_packet(packet: Path, tmp_path: Path) -> None:
    before = digest(packet / "packet.pdf")
    with pytest.raises(UsageError, match="输入文件"):
        sign_packet(packet, scans(tmp_path / "scan.pdf", 2), out=packet / "packet.pdf", force=True)
    assert digest(packet / "packet.pdf") == before


def encrypted(path: Path) -> Path:
    writer = PdfWriter(clone_from=scans(path, 2))
    writer.encrypt("secret")
    writer.write(path)
    return path


@pytest.mark.parametrize("case", ["not a packet", "no scan", "not a pdf", "encrypted", "bad page", "no page"])
def test_bad_inputs_are_refused_in_chinese_with_the_path(packet: Path, tmp_path: Path, case: str) -> None:
    scan = scans(tmp_path / "scan.pdf", 2)
    junk = tmp_path / "junk.pdf"
    junk.write_text("不是 PDF", encoding="utf-8")
    args = {
        "not a packet": [str(tmp_path), str(scan)],
        "no scan": [str(packet), str(tmp_path / "missing.pdf")],
        "not a pdf": [str(packet), str(junk)],
        "encrypted": [str(packet), str(encrypted(tmp_path / "locked.pdf"))],
        "bad page": [str(packet), str(scan), "--pages", "5,x"],
        "no page": [str(packet), str(scan), "--pages", "99"],
    }[case]
    named = {"not a packet": str(tmp_path), "no scan": "missing.pdf", "not a pdf": "junk.pdf",
             "encrypted": "locked.pdf", "bad page": "“x”", "no page": "99"}[case]
    res = runner.invoke(app, ["sign", *args])
    assert res.exit_code == 2, res.output
    assert res.output.startswith("错误：") and named in res.output
    assert "Traceback" not in res.output and "EOF marker" not in res.output
    assert not (packet / SIGNED_FILE).exists()


def test_a_turned_or_landscape_scan_is_fitted_to_the_page_it_replaces(packet: Path, tmp_path: Path) -> None:
    """A scanner may store a page turned (/Rotate) or at another size: the page keeps the packet's size."""
    path = scans(tmp_path / "scan.pdf", 2)
    writer = PdfWriter(clone_from=path)
    writer.pages[0].rotate(90)
    writer.pages[1].scale_to(842, 595)
    writer.write(path)
    sign_packet(packet, path)
    original, signed = PdfReader(packet / "packet.pdf"), PdfReader(packet / SIGNED_FILE)
    for index in signed_pages(packet):
        assert signed.pages[index].mediabox == original.pages[index].mediabox
        assert signed.pages[index].rotation == 0 and "SIGNED" in signed.pages[index].extract_text()

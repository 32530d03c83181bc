"""packet.pdf as one book: every page after the cover carries its number, the labels and the 材料清单's ranges are
those numbers, each 材料清单 row points at pages bookmarked with its number, the 申报表's sections have
bookmarks, and an attachment's content is shrunk so that the number never covers it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from haizhi_cli.packet import _binding as binding
from haizhi_cli.packet._building import BuildOptions, build_packet
from haizhi_cli.packet._numbering import BAND_PT, SAMPLE_NUMBER, number_stamp_pdf, stamp_sample
from tests.conftest import CHECK_DAY, EPOCH, EXAMPLES, OPEN_EXAMPLES

NUMBER = re.compile(r"— (\d+) —")
HEADINGS = ("一、基本信息", "二、工作基础", "三、设立目的及具备的优势", "四、预期目标", "五、支持政策与条件保障",
            "六、申报单位负责人承诺", "七、其他材料", "八、单位意见")


pytestmark = pytest.mark.usefixtures("reproducible")


@pytest.fixture(scope="module")
def built(open_packets: dict[str, Path]) -> dict[str, Path]:
    return open_packets


def outline_pages(reader: PdfReader) -> list[tuple[str, int, int]]:
    """Every bookmark as (title, page, depth), in order."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((item.title, reader.get_destination_page_number(item), depth))  # type: ignore[attr-defined]

    walk(reader.outline, 0)
    return found


def deepest_bookmark(bookmarks: list[tuple[str, int, int]], page: int) -> str:
    """The bookmark a reader sees a page under: the last, deepest bookmark that starts at or before it."""
    before = [(title, start, depth) for title, start, depth in bookmarks if start <= page]
    last_start = max(start for _, start, _ in before)
    return max((b for b in before if b[1] == last_start), key=lambda b: b[2])[0]


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_every_page_after_the_cover_prints_its_place_after_the_cover(built: dict[str, Path], example: str) -> None:
    reader = PdfReader(built[example] / "packet.pdf")
    printed = [NUMBER.findall(page.extract_text()) for page in reader.pages]
    assert printed[0] == []  # the cover
    assert printed[1:] == [[str(n)] for n in range(1, len(reader.pages))]


@pytest.mark.parametrize("number", [1, 7, 10, 88, 123, 4096, SAMPLE_NUMBER])
def test_each_stamp_is_where_fpdf2_draws_that_number_and_reads_as_it(number: int) -> None:
    laid_out = PdfReader(io.BytesIO(number_stamp_pdf(range(number, number + 1)))).pages[0]
    place = re.search(rb"BT ([\d.]+ [\d.]+) Td", laid_out.get_contents().get_data())
    sample = stamp_sample()
    drawn = re.fullmatch(rb"BT /F1 10.50 Tf ([\d.]+ [\d.]+) Td <([0-9a-f]+)> Tj ET\n", sample.content(number))
    assert place is not None and drawn is not None and drawn[1] == place[1]
    chars = {code: char for char, code in sample.codes.items()}
    codes = bytes.fromhex(drawn[2].decode())
    assert "".join(chars[codes[i:i + 2]] for i in range(0, len(codes), 2)) == f"— {number} —"


@pytest.mark.parametrize("document", ["申报表.pdf", "建设方案.pdf"])
def test_the_documents_beside_the_packet_keep_their_own_numbers_marked_as_artifacts(built: dict[str, Path],
                                                                                     document: str) -> None:
    reader = PdfReader(built["work-base"] / document)
    assert [NUMBER.findall(page.extract_text()) for page in reader.pages] == [
        [str(n)] for n in range(1, len(reader.pages) + 1)]
    marks = [page.get_contents().get_data().count(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC")
             for page in reader.pages]
    assert marks == [1] * len(reader.pages)


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_page_labels_are_the_printed_numbers(built: dict[str, Path], example: str) -> None:
    reader = PdfReader(built[example] / "packet.pdf")
    assert reader.page_labels == ["封面", *(str(n) for n in range(1, len(reader.pages)))]


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_each_checklist_range_points_at_pages_bookmarked_with_its_number(built: dict[str, Path], example: str) -> None:
    out = built[example]
    reader = PdfReader(out / "packet.pdf")
    bookmarks = outline_pages(reader)
    text = "\n".join(page.extract_text() for page in PdfReader(out / "材料清单.pdf").pages[1:])
    rows = re.findall(r"(?m)^(七\d(?:-\d+)?|—) .*? (\d+)(?:–(\d+))? 已附$", text)
    numbers = [f["number"] for f in json.loads((out / "manifest.json").read_text("utf-8"))["files"]
               if f["role"] == "attachment"]
    assert [number for number, _, _ in rows] == ["—", numbers[0], "七2", *numbers[1:]]
    for number, first, last in rows:
        for printed in range(int(first), int(last or first) + 1):
            index = reader.page_labels.index(str(printed))
            assert NUMBER.findall(reader.pages[index].extract_text()) == [str(printed)]
            seen_under = deepest_bookmark(bookmarks, index)
            if number == "—":
                assert seen_under == "中国科协海智计划基地申报表" or seen_under in HEADINGS
            else:
                assert seen_under.startswith(f"{number} "), (number, printed, seen_under)


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_forms_sections_have_bookmarks_on_their_pages(built: dict[str, Path], example: str) -> None:
    reader = PdfReader(built[example] / "packet.pdf")
    bookmarks = outline_pages(reader)
    form = next(i for i, b in enumerate(bookmarks) if b[0] == "中国科协海智计划基地申报表")
    sections = bookmarks[form + 1:form + 1 + len(HEADINGS)]
    assert [title for title, _, _ in sections] == list(HEADINGS)
    assert all(depth == 1 for _, _, depth in sections)
    for title, page, _ in sections:
        assert title in [line.strip() for line in reader.pages[page].extract_text().splitlines()]


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_attachment_file_names_are_the_paths_the_checklist_prints(built: dict[str, Path], example: str) -> None:
    out = built[example]
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(out / "材料清单.pdf").pages)
    copies = sorted(p.relative_to(out).as_posix() for p in (out / "attachments").iterdir())
    assert copies and all(copy in text for copy in copies)
    assert all(re.fullmatch(r"attachments/七\d(-\d+)?-.+\.pdf", copy) for copy in copies)


def test_the_manifest_is_dated_by_source_date_epoch(built: dict[str, Path]) -> None:
    data = json.loads((built["work-base"] / "manifest.json").read_text("utf-8"))
    assert data["generated"] == dt.datetime.fromtimestamp(int(EPOCH), dt.UTC).isoformat()
    assert (PdfReader(built["work-base"] / "packet.pdf").metadata or {})["/CreationDate"] == "D:20230915000000Z"


def test_without_source_date_epoch_the_manifest_is_dated_by_the_build(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    options = BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY)
    out = build_packet(EXAMPLES / "work-base" / "applicant.yaml", options).out
    after = dt.datetime.now(dt.UTC)
    generated = dt.datetime.fromisoformat(json.loads((out / "manifest.json").read_text("utf-8"))["generated"])
    assert before <= generated <= after  # not the round's deadline (2023-09-15)
    stamp = (PdfReader(out / "packet.pdf").metadata or {})["/CreationDate"]
    assert stamp == generated.strftime("D:%Y%m%d%H%M%SZ")


# --- the unit's pages: shrunk, never covered ----------------------------------------------------------------

def full_bleed_pdf(path: Path, rotate: int = 0, size: tuple[float, float] = (210, 297)) -> Path:
    """A page painted black to its edges, as a scan that fills the page."""
    pdf = FPDF(unit="mm", format=size)
    pdf.add_page()
    pdf.rect(0, 0, size[0], size[1], style="F")
    pdf.output(str(path))
    if rotate:
        writer = PdfWriter(clone_from=path)
        writer.pages[0].rotate(rotate)
        writer.write(path)
    return path


def painted_box(page: object) -> tuple[float, float, float, float]:
    """Where the page's black rectangle lies once its content's transformations are applied (x0, y0, x1, y1)."""
    from pypdf import PageObject

    assert isinstance(page, PageObject)
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                      e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
        if operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            corners = [(x, y), (x + w, y + h)]
            points = [(matrix[0] * px + matrix[2] * py + matrix[4], matrix[1] * px + matrix[3] * py + matrix[5])
                      for px, py in corners]
            return (min(p[0] for p in points), min(p[1] for p in points),
                    max(p[0] for p in points), max(p[1] for p in points))
    raise AssertionError("no rectangle drawn")


@pytest.mark.parametrize(("rotate", "size"), [(0, (210, 297)), (90, (210, 297)), (0, (297, 210)), (0, (148, 210))])
def test_an_attachment_page_is_shrunk_just_enough_to_free_the_band(tmp_path: Path, rotate: int,
                                                                   size: tuple[float, float]) -> None:
    with pikepdf.Pdf.open(full_bleed_pdf(tmp_path / "scan.pdf", rotate, size)) as scan:
        binding._free_the_band(scan.pages[0])  # as packet.pdf binds an attachment's page
        scan.save(tmp_path / "bound.pdf")
    page = PdfReader(tmp_path / "bound.pdf").pages[0]
    box = page.cropbox
    x0, y0, x1, y1 = painted_box(page)
    assert page.rotation == 0
    assert y0 == pytest.approx(float(box.bottom) + BAND_PT, abs=0.01)  # the band is free, and no more
    assert y1 == pytest.approx(float(box.top), abs=0.01)
    assert (x0 + x1) / 2 == pytest.approx((float(box.left) + float(box.right)) / 2, abs=0.01)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(float(box.width) / float(box.height), rel=1e-3)  # not distorted


def test_a_full_page_scan_is_bound_shrunk_with_its_number_below_it(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    full_bleed_pdf(unit / "attachments" / "proofs.pdf", rotate=90)
    out = build_packet(unit / "applicant.yaml", BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY)).out
    reader = PdfReader(out / "packet.pdf")
    index = next(page for title, page, _ in outline_pages(reader) if title.startswith("七3-1 "))
    page = reader.pages[index]
    assert painted_box(page)[1] == pytest.approx(float(page.cropbox.bottom) + BAND_PT, abs=0.01)
    assert NUMBER.findall(page.extract_text()) == [str(index)]
    assert page.rotation == 0


def test_two_builds_give_the_same_packet(tmp_path: Path, built: dict[str, Path]) -> None:
    again = build_packet(EXAMPLES / "work-base" / "applicant.yaml",
                         BuildOptions(out=tmp_path / "again", as_of=CHECK_DAY)).out
    assert (again / "packet.pdf").read_bytes() == (built["work-base"] / "packet.pdf").read_bytes()
    data = yaml.safe_load((again / "manifest.json").read_text("utf-8"))
    assert data["generated"] == "2023-09-15T00:00:00+00:00"


# --- where the 申报表's sections lie ---------------------------------------------------------------------------

def test_a_section_ends_before_a_heading_that_opens_its_page_else_on_that_page() -> None:
    from haizhi_cli.packet._sections import form_sections

    pages = [["封面"], ["一、基本信息", "表"], ["续表", "二、工作基础", "文"], ["三、设立目的及具备的优势"],
             ["四、预期目标", "五、支持政策与条件保障", "六、申报单位负责人承诺", "承诺"],
             ["基地负责人（签字）：", "七、其他材料"], ["八、单位意见"]]
    sections = {s.heading: (s.first, s.last) for s in form_sections(pages, first_page=10)}
    assert sections == {
        "一、基本信息": (11, 12), "二、工作基础": (12, 12),  # 三 opens page 13: 二 ends on 12
        "三、设立目的及具备的优势": (13, 13), "四、预期目标": (14, 14), "五、支持政策与条件保障": (14, 14),
        "六、申报单位负责人承诺": (14, 15),  # its signature line is on 15, above 七
        "七、其他材料": (15, 15),  # 八 opens its page
        "八、单位意见": (16, 16)}


def test_a_heading_not_found_is_left_out_and_a_mention_in_the_text_is_not_a_heading() -> None:
    from haizhi_cli.packet._sections import form_sections

    pages = [["一、基本信息"], ["见“六、申报单位负责人承诺”一节"], ["六、申报单位负责人承诺"], ["八、单位意见"]]
    assert [(s.heading, s.first, s.last) for s in form_sections(pages)] == [
        ("一、基本信息", 0, 1), ("六、申报单位负责人承诺", 2, 2), ("八、单位意见", 3, 3)]


def test_a_drafts_watermark_does_not_hide_its_sections(tmp_path: Path) -> None:
    out = build_packet(EXAMPLES / "fail-work-base-small-area" / "applicant.yaml",
                       BuildOptions(out=tmp_path / "draft", as_of=CHECK_DAY, draft=True)).out
    titles = [title for title, _, depth in outline_pages(PdfReader(out / "packet.pdf")) if depth == 1]
    assert [t for t in titles if t in HEADINGS] == list(HEADINGS)

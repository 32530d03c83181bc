"""The PDF writer on the rendered examples and on crafted documents: geometry, fonts, text, 禁则, determinism."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream

from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.applicant._models import Applicant
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blocks import LAYOUTS, Cell, Document, PageBreak, Paragraph, Space, Style, Table
from haizhi_cli.documents._fontset import (
    BUNDLED_HEADING_FONT,
    BUNDLED_TITLE_FONT,
    FontSet,
    MissingGlyphError,
    bundled_face,
    resolve_fonts,
    system_faces,
)
from haizhi_cli.documents._linebreaking import HANGING, NO_END, NO_START, break_lines, units
from haizhi_cli.documents._pdf_writer import MM_PER_PT, write_pdf, write_self_numbered_pdf
from haizhi_cli.engine._rules import RoundFacts, load_round
from haizhi_cli.errors._errors import UserInputError
from tests.conftest import EXAMPLES

EXAMPLE_NAMES = ("work-base", "offshore-base", "rd-community")
COMPOSERS: dict[str, Callable[..., Document]] = {
    "application_form": composing.application_form,
    "construction_plan": composing.construction_plan,
    "support_letter_draft": composing.support_letter_draft,
    "public_notice_draft": composing.public_notice_draft,
}
TIMESTAMP = dt.datetime(2023, 9, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
A4_PT = (595.28, 841.89)
PAGE_HEIGHT_PT = A4_PT[1]
NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONTS = FontSet(bundled_face(), system_faces(), bundled_face(BUNDLED_TITLE_FONT), bundled_face(BUNDLED_HEADING_FONT))
BUNDLED_ONLY = FontSet(bundled_face())


@dataclass(frozen=True)
class Rendered:
    document: Document
    path: Path
    pages: int

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.path)

    def texts(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]


@dataclass(frozen=True)
class Run:
    """A piece of text as pypdf sees it: position of its start in mm from the top-left, and size."""

    text: str
    x: float
    top: float
    size: float


def facts() -> RoundFacts:
    return load_round(2023).facts


def applicant(name: str) -> Applicant:
    return load_applicant(EXAMPLES / name / "applicant.yaml", [2023]).applicant


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Rendered]:
    """Every document of every eligible example, written once for the module."""
    folder = tmp_path_factory.mktemp("pdf")
    result: dict[tuple[str, str], Rendered] = {}
    for example in EXAMPLE_NAMES:
        for kind, compose in COMPOSERS.items():
            document = compose(applicant(example), facts())
            path = folder / f"{example}-{kind}.pdf"
            result[example, kind] = Rendered(document, path, write_pdf(document, path, FONTS, TIMESTAMP))
    return result


def write(document: Document, folder: Path, fonts: FontSet = FONTS, name: str = "out.pdf") -> Rendered:
    path = folder / name
    return Rendered(document, path, write_pdf(document, path, fonts, TIMESTAMP))


def runs(page: Any) -> list[Run]:
    """The text runs of a page with their positions (pypdf's visitor; fpdf2 draws with Td, no cm)."""
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Run(text.strip("\n"), x * MM_PER_PT, (PAGE_HEIGHT_PT - y) * MM_PER_PT, size))

    page.extract_text(visitor_text=visit)
    return found


def rectangles(page: Any) -> list[tuple[float, float, float, float]]:
    """The rectangles (`re`) a page draws, in pt: x, y, width, height."""
    content = ContentStream(page.get_contents(), page.pdf)
    return [tuple(float(v) for v in operands) for operands, operator in content.operations  # type: ignore[misc]
            if operator == b"re"]


def paragraph_document(*blocks: Any, layout: str = "form", **options: Any) -> Document:
    return Document("测试文档", LAYOUTS[layout], tuple(blocks), **options)


def squeeze(text: str) -> str:
    """Text without whitespace and page numbers: what is left when line and page breaks are ignored."""
    return re.sub(r"\s+", "", re.sub(r"— \d+ —", "", text))


# --- the rendered examples ---------------------------------------------------------------------------


def test_page_counts(rendered: dict[tuple[str, str], Rendered]) -> None:
    for (example, kind), result in rendered.items():
        assert result.pages == len(result.reader.pages), (example, kind)
    for example in EXAMPLE_NAMES:
        assert rendered[example, "application_form"].pages >= 4
        assert rendered[example, "support_letter_draft"].pages == 1
        assert rendered[example, "public_notice_draft"].pages == 1


def test_every_page_is_a4(rendered: dict[tuple[str, str], Rendered]) -> None:
    for result in rendered.values():
        for page in result.reader.pages:
            assert float(page.mediabox.width) == pytest.approx(A4_PT[0], abs=0.1)
            assert float(page.mediabox.height) == pytest.approx(A4_PT[1], abs=0.1)


def test_every_font_is_embedded(rendered: dict[tuple[str, str], Rendered]) -> None:
    for result in rendered.values():
        for page in result.reader.pages:
            fonts = page["/Resources"]["/Font"]
            assert fonts
            for reference in fonts.values():
                font = reference.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, result.path.name


def test_chinese_text_is_extractable_and_contiguous(rendered: dict[tuple[str, str], Rendered]) -> None:
    for example in EXAMPLE_NAMES:
        base_name = applicant(example).base_name
        form = "\n".join(rendered[example, "application_form"].texts())
        assert "中国科协海智计划基地申报表" in form
        assert squeeze(base_name) in squeeze(form), "a long name wraps on the cover, at one size"
        assert "一、基本信息" in form and "六、申报单位负责人承诺" in form
        assert squeeze(base_name) in squeeze(rendered[example, "construction_plan"].texts()[0])
        assert "关于支持" in rendered[example, "support_letter_draft"].texts()[0]
        assert applicant(example).applicant.name in rendered[example, "public_notice_draft"].texts()[0]


def test_narratives_come_out_whole(rendered: dict[tuple[str, str], Rendered]) -> None:
    for example in EXAMPLE_NAMES:
        form = squeeze("".join(rendered[example, "application_form"].texts()))
        narratives = applicant(example).narratives
        for text in (narratives.foundation, narratives.purpose, narratives.goals, narratives.policies):
            assert squeeze(text) in form


def test_basic_info_table_has_eleven_rows_of_four_bordered_cells(rendered: dict[tuple[str, str], Rendered]) -> None:
    result = rendered["work-base", "application_form"]
    number = next(i for i, text in enumerate(result.texts()) if "一、基本信息" in text)
    page = result.reader.pages[number]
    rows: dict[float, list[float]] = {}
    for x, y, _, _ in rectangles(page):
        rows.setdefault(round(y, 1), []).append(x)
    assert len(rows) == 11
    assert all(len(cells) == 4 for cells in rows.values())
    text = squeeze(result.texts()[number])
    for left, right in composing.BASIC_INFO:
        assert left[0] in text and right[0] in text


def test_cover_table_has_no_border_but_the_labels(rendered: dict[tuple[str, str], Rendered]) -> None:
    result = rendered["work-base", "application_form"]
    assert rectangles(result.reader.pages[0]) == []
    assert "基地名称：" in result.texts()[0]


def test_page_numbers_only_when_the_document_asks(rendered: dict[tuple[str, str], Rendered]) -> None:
    form = rendered["work-base", "application_form"]
    assert form.document.page_numbers
    for number, text in enumerate(form.texts(), start=1):
        assert f"— {number} —" in text
    notice = rendered["work-base", "public_notice_draft"]
    assert notice.document.page_numbers, "GB/T 9704-2012 §7.5"
    folder = notice.path.parent / "unnumbered"
    folder.mkdir(exist_ok=True)
    unnumbered = write(dataclasses.replace(notice.document, page_numbers=False), folder)
    assert not re.search(r"— \d+ —", unnumbered.texts()[0])


def test_official_layout_text_area_starts_at_28_and_37_mm(rendered: dict[tuple[str, str], Rendered]) -> None:
    page_runs = runs(rendered["work-base", "support_letter_draft"].reader.pages[0])
    body = [run for run in page_runs if not run.text.startswith("—")]
    assert min(run.x for run in body) == pytest.approx(28, abs=0.2)
    first = min(body, key=lambda run: run.top)
    assert 37 < first.top < 37 + first.size * 1.5 * MM_PER_PT
    salutation = next(run for run in body if run.text.startswith("中国科协国际合作部"))
    assert salutation.x == pytest.approx(28, abs=0.05)


def test_official_layout_keeps_the_grid_of_22_lines_by_28_characters(
        rendered: dict[tuple[str, str], Rendered]) -> None:
    page_runs = runs(rendered["work-base", "support_letter_draft"].reader.pages[0])
    body = [run for run in page_runs if run.size == 16 and not run.text.startswith("—")]
    pitches = {round(b.top - a.top, 3) for a, b in itertools.pairwise(body) if b.top > a.top}
    assert min(pitches) == pytest.approx(225 / 22, abs=0.01)
    assert max(len(run.text) for run in body) == 28
    indented = [run for run in body if 30 < run.x < 50]
    assert indented and all(run.x == pytest.approx(28 + 2 * 156 / 28, abs=0.1) for run in indented)


def test_form_layout_margins_and_sizes(rendered: dict[tuple[str, str], Rendered]) -> None:
    result = rendered["work-base", "application_form"]
    instructions = runs(result.reader.pages[1])
    assert min(run.x for run in instructions) == pytest.approx(25, abs=0.2)
    assert min(run.top for run in instructions) > 25
    assert runs(result.reader.pages[0])[0].size == 22
    sizes = {run.text: run.size for page in result.reader.pages for run in runs(page)}
    assert sizes["（2023年）"] == 16
    assert sizes["一、基本信息"] == 16
    assert sizes["（请另附页）"] == 10.5
    assert sizes["四、各项情况须如实填报，若无该项内容可直接填“无”。"] == LAYOUTS["form"].body_pt


def test_centred_and_right_aligned_lines(tmp_path: Path) -> None:
    document = paragraph_document(Paragraph("标题", "title"), Paragraph("落款单位", "right"),
                                  Paragraph("居中文字", "center"))
    page_runs = {run.text: run for run in runs(write(document, tmp_path).reader.pages[0])}
    title = page_runs["标题"]
    assert title.x + 2 * title.size * MM_PER_PT / 2 == pytest.approx(25 + 160 / 2, abs=0.2)
    right = page_runs["落款单位"]
    assert right.x + 4 * right.size * MM_PER_PT == pytest.approx(210 - 25, abs=0.2)
    centre = page_runs["居中文字"]
    assert centre.x + 2 * centre.size * MM_PER_PT == pytest.approx(105, abs=0.2)


def watermark_paths(page: Any) -> int:
    """How many filled paths a page draws inside a /Artifact marked-content sequence."""
    content = ContentStream(page.get_contents(), page.pdf)
    inside, filled = False, 0
    for operands, operator in content.operations:
        if operator == b"BDC" and operands[0] == "/Artifact":
            inside = True
        elif operator == b"EMC":
            inside = False
        elif operator == b"f" and inside:
            filled += 1
    return filled


def test_draft_watermark_only_on_drafts_and_never_in_the_text(tmp_path: Path) -> None:
    source = applicant("work-base")
    draft = write(composing.application_form(source, facts(), draft=True), tmp_path, name="draft.pdf")
    final = write(composing.application_form(source, facts()), tmp_path, name="final.pdf")
    assert all(watermark_paths(page) == 1 for page in draft.reader.pages)
    assert not any(watermark_paths(page) for page in final.reader.pages)
    assert [squeeze(text) for text in draft.texts()] == [squeeze(text) for text in final.texts()]
    assert draft.pages == final.pages


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    document = composing.construction_plan(applicant("offshore-base"), facts())
    first = write(document, tmp_path, name="first.pdf").path.read_bytes()
    second = write(document, tmp_path, name="second.pdf").path.read_bytes()
    assert first == second
    assert b"/ID [" in first
    later = tmp_path / "later.pdf"
    write_pdf(document, later, FONTS, TIMESTAMP + dt.timedelta(seconds=1))
    assert later.read_bytes() != first


def pages_of_text(pages: int, last: str) -> Document:
    """A document of `pages` pages, `last` on the last."""
    blocks: list[Any] = []
    for number in range(1, pages):
        blocks += [Paragraph(f"第{number}页"), PageBreak()]
    return paragraph_document(*blocks, Paragraph(last))


def test_a_self_numbered_pdf_is_written_for_the_page_count_it_comes_to(tmp_path: Path) -> None:
    asked: list[int] = []

    def compose(pages: int) -> Document:
        asked.append(pages)
        return pages_of_text(3, f"本清单共{pages}页")

    target = tmp_path / "list.pdf"
    assert write_self_numbered_pdf(compose, 2, target, FONTS, TIMESTAMP) == 3
    assert asked == [2, 3]
    assert write_pdf(compose(3), tmp_path / "expected.pdf", FONTS, TIMESTAMP) == 3
    assert target.read_bytes() == (tmp_path / "expected.pdf").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expected.pdf", "list.pdf"]


def test_a_self_numbered_pdf_that_never_settles_is_written_as_last_tried(tmp_path: Path) -> None:
    asked: list[int] = []

    def compose(pages: int) -> Document:
        asked.append(pages)
        return pages_of_text(pages + 1, f"本清单共{pages}页")

    target = tmp_path / "list.pdf"
    assert write_self_numbered_pdf(compose, 2, target, FONTS, TIMESTAMP) == 6
    assert asked == [2, 3, 4, 5]
    write_pdf(compose(5), tmp_path / "expected.pdf", FONTS, TIMESTAMP)
    assert target.read_bytes() == (tmp_path / "expected.pdf").read_bytes()


def test_a_self_numbered_pdf_right_at_once_is_laid_out_once(tmp_path: Path) -> None:
    asked: list[int] = []
    write_self_numbered_pdf(lambda pages: asked.append(pages) or pages_of_text(2, "清单"), 2, tmp_path / "list.pdf",
                            FONTS, TIMESTAMP)
    assert asked == [2]


def test_metadata(rendered: dict[tuple[str, str], Rendered]) -> None:
    result = rendered["rd-community", "construction_plan"]
    metadata = result.reader.metadata
    assert metadata is not None
    assert metadata.title == result.document.title
    assert metadata["/Producer"] == "haizhi"
    assert metadata["/CreationDate"] == "D:20230901083000+08'00'"
    assert "ModDate" not in str(dict(metadata))


def test_written_atomically_without_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"old")
    write(paragraph_document(Paragraph("正文")), tmp_path, name="doc.pdf")
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.pdf"]


def test_unwritable_target_is_a_user_input_error(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="无法写入 PDF 文件"):
        write_pdf(paragraph_document(Paragraph("正文")), tmp_path / "missing" / "doc.pdf", FONTS, TIMESTAMP)


# --- applicant text -----------------------------------------------------------------------------------


def with_foundation(text: str) -> Applicant:
    source = applicant("work-base")
    return source.model_copy(update={"narratives": source.narratives.model_copy(update={"foundation": text})})


def test_applicant_text_is_data(tmp_path: Path) -> None:
    tricky = "{{ 7*7 }} <w:p> & < > \"引\" '号' {% if x %}"
    result = write(composing.application_form(with_foundation(tricky), facts()), tmp_path)
    text = "\n".join(result.texts())
    assert tricky in text
    assert "49" not in squeeze(text).split("二、工作基础")[1].split("三、")[0]


def test_character_no_font_has_names_the_field(tmp_path: Path) -> None:
    document = composing.application_form(with_foundation("基地宗旨😀明确"), facts())
    with pytest.raises(MissingGlyphError) as caught:
        write_pdf(document, tmp_path / "form.pdf", BUNDLED_ONLY, TIMESTAMP)
    assert "“😀”（U+1F600）" in caught.value.message
    assert "narratives.foundation" in caught.value.message
    assert "--font" in caught.value.message
    assert not list(tmp_path.iterdir())


def test_rare_character_in_a_table_cell_names_its_key(tmp_path: Path) -> None:
    source = applicant("work-base")
    contact = source.base.contact.model_copy(update={"name": "李𠀀"})
    changed = source.model_copy(update={"base": source.base.model_copy(update={"contact": contact})})
    with pytest.raises(MissingGlyphError, match=r"base\.contact\.name.*“𠀀”（U\+20000）"):
        write_pdf(composing.application_form(changed, facts()), tmp_path / "form.pdf", BUNDLED_ONLY, TIMESTAMP)


def test_a_character_missing_from_the_bundled_font_comes_from_a_system_font(tmp_path: Path) -> None:
    if not FONTS.fallbacks or FONTS.missing("鱻"):
        pytest.skip("no system Chinese font with 鱻")
    result = write(paragraph_document(Paragraph("中国鱻科协", "plain", "narratives.goals")), tmp_path)
    assert "中国鱻科协" in result.texts()[0]
    fonts = [font.get_object() for font in result.reader.pages[0]["/Resources"]["/Font"].values()]
    assert len(fonts) == 2
    assert len({str(font["/BaseFont"]) for font in fonts}) == 2


def test_titles_and_headings_fall_back_to_system_fonts_too(tmp_path: Path) -> None:
    if not FONTS.fallbacks or FONTS.missing("鱻"):
        pytest.skip("no system Chinese font with 鱻")
    document = paragraph_document(Paragraph("中国鱻科协", "title"), Paragraph("一、鱻的标题", "heading"))
    texts = write(document, tmp_path).texts()[0]
    assert "中国鱻科协" in texts and "一、鱻的标题" in texts


@pytest.mark.skipif(not NOTO_TTC.is_file(), reason="Noto Serif CJK (fonts-noto-cjk) is not installed")
def test_a_cff_font_is_embedded_as_truetype_and_extracts_exactly(tmp_path: Path) -> None:
    fonts = resolve_fonts(NOTO_TTC)
    result = write(composing.support_letter_draft(applicant("work-base"), facts()), tmp_path, fonts)
    text = result.texts()[0]
    assert "\x00" not in text
    assert "中国科协国际合作部：" in text
    for reference in result.reader.pages[0]["/Resources"]["/Font"].values():
        descendant = reference.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def base_fonts(result: Rendered) -> set[str]:
    """The /BaseFont of every font the pages use, without the subset tag."""
    return {str(reference.get_object()["/BaseFont"]).split("+")[-1] for page in result.reader.pages
            for reference in page["/Resources"]["/Font"].values()}


def test_only_needed_fallbacks_are_embedded(rendered: dict[tuple[str, str], Rendered]) -> None:
    """The examples need no character outside the bundled faces: no fallback (named `…-N`) is embedded."""
    for result in rendered.values():
        assert not any(re.search(r"-\d+$", name) for name in base_fonts(result)), base_fonts(result)


def faces_drawing(result: Rendered, start: str) -> set[str]:
    """The /BaseFont (without subset tag) of the text runs that start with `start`, on any page."""
    found: set[str] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip().startswith(start) and font:
            found.add(str(font["/BaseFont"]).split("+")[-1])

    for page in result.reader.pages:
        page.extract_text(visitor_text=visit)
    return found


def test_titles_bold_serif_headings_sans_body_serif(rendered: dict[tuple[str, str], Rendered]) -> None:
    """申报表.pdf embeds the serif, the bold serif and the sans, and each draws its role."""
    for example in EXAMPLE_NAMES:
        form = rendered[example, "application_form"]
        assert {"NotoSerifCJKSC", "NotoSerifCJKSCBold", "NotoSansCJKSC"} <= base_fonts(form)
        assert faces_drawing(form, "中国科协海智计划基地申报表") == {"NotoSerifCJKSCBold", "NotoSansCJKSC"}
        assert faces_drawing(form, "一、基本信息") == {"NotoSansCJKSC"}
        assert faces_drawing(form, "四、各项情况须如实填报") == {"NotoSerifCJKSC"}
        assert faces_drawing(rendered[example, "support_letter_draft"], "关于支持") == {"NotoSerifCJKSCBold"}


def test_no_faux_bold(rendered: dict[tuple[str, str], Rendered]) -> None:
    """No text is drawn in render mode 2 (fill and stroke), the way a missing bold face is faked."""
    for result in rendered.values():
        for page in result.reader.pages:
            content = ContentStream(page.get_contents(), page.pdf)
            assert not any(operator == b"Tr" and operands[0] != 0 for operands, operator in content.operations)


def test_the_official_body_is_fangsong_where_the_system_has_it(tmp_path: Path) -> None:
    fangsong = bundled_face(BUNDLED_HEADING_FONT)  # stands in for a system 仿宋: any face other than the serif
    fonts = FontSet(bundled_face(), (), bundled_face(BUNDLED_TITLE_FONT), bundled_face(BUNDLED_HEADING_FONT),
                    fangsong)
    letter = write(composing.support_letter_draft(applicant("work-base"), facts()), tmp_path, fonts)
    form = write(composing.application_form(applicant("work-base"), facts()), tmp_path, fonts, name="form.pdf")
    assert faces_drawing(letter, "特此函告") == {"NotoSansCJKSC"}  # the body, in the stand-in 仿宋
    assert faces_drawing(letter, "关于支持") == {"NotoSerifCJKSCBold"}
    assert faces_drawing(form, "四、各项情况须如实填报") == {"NotoSerifCJKSC"}  # only GB/T 9704 documents


# --- layout of crafted documents ----------------------------------------------------------------------

KINSOKU_TEXT = ("海智计划（海外智力为国服务行动计划）是中国科协于2004年启动的，旨在“引导海外科技人才”，"
                "以多种方式为国服务。基地建设：联系人才、服务人才；推动合作！成效如何？见《年度报告》……"
                "——总之，工作基础扎实，“人才、项目、成果”三落地。") * 6


@pytest.mark.parametrize("layout", ["form", "plan", "official"])
def test_no_extracted_line_breaks_a_rule_of_kinsoku(tmp_path: Path, layout: str) -> None:
    document = paragraph_document(Paragraph(KINSOKU_TEXT), Paragraph(KINSOKU_TEXT[7:], "plain"), layout=layout)
    lines = [line for text in write(document, tmp_path).texts() for line in text.splitlines()
             if line and not line.startswith("— ")]
    assert len(lines) > 10
    assert not [line for line in lines if line[0] in NO_START]
    assert not [line for line in lines if line[-1] in NO_END]
    assert squeeze("".join(lines)) == squeeze(KINSOKU_TEXT + KINSOKU_TEXT[7:])


def test_latin_words_are_not_split_across_lines(tmp_path: Path) -> None:
    english = "Haizhi plan supports international cooperation with overseas scientists and engineers. "
    text = ("海智计划是中国科协于2004年启动的。" + english) * 8
    lines = [line for line in write(paragraph_document(Paragraph(text)), tmp_path).texts()[0].splitlines()
             if not line.startswith("— ")]
    words = {word for line in lines for word in re.findall(r"[A-Za-z]+", line)}
    assert words == set(re.findall(r"[A-Za-z]+", english))


def test_rows_are_never_split_and_move_to_a_new_page(tmp_path: Path) -> None:
    tall = tuple((Cell((Paragraph(f"第{n}行", "label"),), height_mm=70), Cell((Paragraph("内容"),)))
                 for n in range(8))
    result = write(paragraph_document(Table((40, 120), tall)), tmp_path)
    assert result.pages == 3
    bottom, top = 25 / MM_PER_PT, PAGE_HEIGHT_PT - 25 / MM_PER_PT
    for page in result.reader.pages:
        for _, y, _, height in rectangles(page):
            assert bottom - 0.5 <= y + height and y <= top + 0.5
            assert bottom - 0.5 <= y <= top + 0.5


def test_row_height_is_the_tallest_cell(tmp_path: Path) -> None:
    row = (Cell((Paragraph("短"),)), Cell((Paragraph("很长的内容" * 12),)))
    result = write(paragraph_document(Table((30, 60), (row,))), tmp_path)
    heights = {round(h, 2) for *_, h in rectangles(result.reader.pages[0])}
    assert len(heights) == 1
    assert abs(heights.pop()) > 12 * 1.5 * 3


def test_spanning_cell_takes_the_columns_widths(tmp_path: Path) -> None:
    rows = ((Cell((Paragraph("合并"),), span=2), Cell((Paragraph("三"),))),
            (Cell((Paragraph("一"),)), Cell((Paragraph("二"),)), Cell((Paragraph("三"),))))
    result = write(paragraph_document(Table((30, 50, 40), rows)), tmp_path)
    widths = sorted(round(w * MM_PER_PT, 1) for _, _, w, _ in rectangles(result.reader.pages[0]))
    assert widths == [30, 40, 40, 50, 80]


def test_borderless_table_draws_no_rectangles(tmp_path: Path) -> None:
    rows = ((Cell((Paragraph("左"),)), Cell((Paragraph("右"),))),)
    result = write(paragraph_document(Table((30, 50), rows, border=False)), tmp_path)
    assert rectangles(result.reader.pages[0]) == []
    assert "左" in result.texts()[0]


def test_page_break_and_space(tmp_path: Path) -> None:
    document = paragraph_document(Paragraph("第一页", "plain"), PageBreak(), Paragraph("第二页", "plain"),
                                  Space(3), Paragraph("空三行", "plain"))
    result = write(document, tmp_path)
    assert result.pages == 2
    second = {run.text: run for run in runs(result.reader.pages[1])}
    gap = second["空三行"].top - second["第二页"].top
    assert gap == pytest.approx(4 * LAYOUTS["form"].line_pt * MM_PER_PT, abs=0.05)


def test_body_indents_two_characters_and_keeps_the_line_pitch(tmp_path: Path) -> None:
    result = write(paragraph_document(Paragraph("正文" * 60)), tmp_path)
    page_runs = [run for run in runs(result.reader.pages[0]) if not run.text.startswith("—")]
    assert page_runs[0].x == pytest.approx(25 + 2 * 12 * MM_PER_PT, abs=0.05)
    assert all(run.x == pytest.approx(25, abs=0.05) for run in page_runs[1:])
    assert page_runs[1].top - page_runs[0].top == pytest.approx(20 * MM_PER_PT, abs=0.05)


def test_long_document_flows_onto_pages_within_the_margins(tmp_path: Path) -> None:
    result = write(paragraph_document(*(Paragraph("海智计划基地建设。" * 30) for _ in range(12)), layout="plan"),
                   tmp_path)
    assert result.pages > 3
    for page in result.reader.pages:
        tops = [run.top for run in runs(page) if not run.text.startswith("—")]
        assert min(tops) > 25 and max(tops) < 297 - 25


# --- the line breaker ---------------------------------------------------------------------------------


def measure(text: str) -> float:
    """One unit for a Chinese character or full-width mark, half for anything narrow."""
    return sum(0.5 if char.isascii() else 1.0 for char in text)


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("一二三四五六七八", 4, ["一二三四", "五六七八"]),
    ("一二三四五，六七", 5, ["一二三四", "五，六七"]),
    ("一二三四五。”六", 5, ["一二三四", "五。”六"]),
    ("一二三四（五六", 5, ["一二三四", "（五六"]),
    ("一二三（四五六", 4, ["一二三", "（四五六"]),
    ("一二三“四五”六", 4, ["一二三", "“四五”", "六"]),
    ("一二三四。”（五", 5, ["一二三", "四。”（五"]),
    ("一二三四……五", 5, ["一二三", "四……五"]),
    ("一二三四——五", 5, ["一二三", "四——五"]),
    ("中文haizhi计划", 3, ["中文", "haizhi", "计划"]),
    ("用 haizhi check 检查", 6, ["用 haizhi", "check 检查"]),
    ("用 haizhi check 检查", 4, ["用", "haizhi", "check 检", "查"]),
    ("网址https://example.cn/x", 5, ["网址", "https://", "example.", "cn/x"]),
    ("增长35%，合作", 4, ["增长", "35%，合", "作"]),
    ("一二三四五", 5, ["一二三四五"]),
    ("", 5, [""]),
])
def test_break_lines(text: str, width: float, expected: list[str]) -> None:
    assert break_lines(text, width, measure) == expected


def test_break_lines_indents_the_first_line() -> None:
    assert break_lines("一二三四五六七八", 4, measure, indent=2) == ["一二", "三四五六", "七八"]


def test_a_mark_hangs_when_no_characters_can_move_down() -> None:
    assert break_lines("一，，，，，，", 1, measure) == ["一，", "，，", "，，", "，"]
    assert all(len(mark) == 1 for mark in HANGING)


def test_units_keep_words_and_split_chinese() -> None:
    assert units("年度PDF版本 v2.0，Word") == ["年", "度", "PDF", "版", "本", " ", "v2.0", "，", "Word"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二三四五六七八九十，。、：；！？（）《》“”…—%abcXYZ12 ", max_size=80),
       st.integers(min_value=2, max_value=12))
def test_break_lines_keeps_every_character_and_the_width(text: str, width: int) -> None:
    lines = break_lines(text, width, measure)
    assert squeeze("".join(lines)) == squeeze(text)
    for line in lines:
        longest_unit = max((measure(unit) for unit in units(line)), default=0)
        assert measure(line) <= width + max(1.0, longest_unit)


@pytest.mark.parametrize("style", ["title", "subtitle", "heading", "heading-center", "subheading", "official-title",
                                   "body", "plain", "center", "right", "note", "caption", "label", "signature",
                                   "underline"])
def test_every_style_renders(tmp_path: Path, style: Style) -> None:
    result = write(paragraph_document(Paragraph(f"样式{style}测试", style)), tmp_path)
    assert f"样式{style}测试" in result.texts()[0]


# --- line breaking as drawn ------------------------------------------------------------------------------------


def test_no_paragraph_ends_on_a_line_of_one_character(tmp_path: Path) -> None:
    """35 characters fill the first (indented) line of the form's body, 37 the others: without care, 程。 alone."""
    paragraphs = [Paragraph("海" * count + "程。") for count in (35, 72, 109)]
    assert all(break_lines(p.text, 37.79, len, indent=2)[-1] == "程。" for p in paragraphs)  # the naive way
    result = write(paragraph_document(*paragraphs), tmp_path)
    lines = [line.strip() for line in result.texts()[0].splitlines()]
    assert "程。" not in lines
    assert lines.count("海程。") == 3


def test_cells_keep_units_in_brackets_and_break_addresses_after_marks(tmp_path: Path) -> None:
    labels = ("年度专项工作经费（万元）", "服务场所面积（平方米）", "所在地市科协意见")
    addresses = ("offshore@hhtz-talent.example.cn", "li_si.2023@mail.example.org", "www.example-base.org.cn/apply")
    rows = tuple((Cell((Paragraph(label, "label"),)), Cell((Paragraph(address, "plain"),)))
                 for label, address in zip(labels, addresses, strict=True))
    result = write(paragraph_document(Table((24, 30), rows)), tmp_path)
    lines = [line.strip() for line in result.texts()[0].splitlines()]
    assert "（万元）" in lines and "（平方米）" in lines and not any(line.endswith("意") for line in lines)
    ascii_lines = [line for line in lines if line.isascii() and line]
    assert len(ascii_lines) > 3  # the addresses did break
    for line in ascii_lines:
        assert line[-1] in "@.-_/" or any(address.endswith(line) for address in addresses), lines


def test_each_paragraph_is_broken_into_lines_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from haizhi_cli.documents import _pdf_writer as pdf_writer

    broken: list[tuple[str, float]] = []
    real = pdf_writer.break_lines

    def counted(text: str, width: float, *args: Any, **kwargs: Any) -> list[str]:
        broken.append((text, width))
        return real(text, width, *args, **kwargs)

    monkeypatch.setattr(pdf_writer, "break_lines", counted)
    write(composing.application_form(applicant("offshore-base"), facts()), tmp_path)
    repeated = [key for key, count in collections.Counter(broken).items() if count > 1]
    assert len(broken) > 50 and not repeated, repeated[:3]

"""The composed documents as a reviewer holds them: the 申报表's labels whole, 六 and 八 with room to write, sign and
stamp, and the drafts laid out as GB/T 9704-2012 asks (署名 over the date, page numbers right and left)."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pypdf import PdfReader

from haizhi_cli.applicant import BASIC_INFO, OPINIONS, OPINIONS_HEADING, PROMISE_HEADING
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blocks import Document, Paragraph, Table
from haizhi_cli.documents._linebreaking import em_width
from haizhi_cli.documents._pdf_writer import MM_PER_PT, HaizhiPDF
from tests.test_docx_writer import attribute, mm, paragraph_style
from tests.test_pdf_writer import EXAMPLE_NAMES, FONTS, TIMESTAMP, Rendered, Run, applicant, facts, rectangles
from tests.test_pdf_writer import runs as spaced_runs

SEAL_MM = 40.0
"""A 公章 is a circle of 40–50 mm; the smallest must fit where the form asks for it."""
NAME_MM = 30.0
"""Room to sign a name by hand after the 签字 label."""
ROW_MIN_MM = 70.0
"""N: each row of 八 is at least 7 cm tall."""
FORM_RIGHT_MM = 210 - 25
OFFICIAL_LEFT_MM, OFFICIAL_RIGHT_MM = 28.0, 28.0 + 156.0
OFFICIAL_CHAR_MM = 156 / 28


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Rendered]:
    """The 申报表, 建设方案 and both drafts of the three examples, as PDF."""
    folder = tmp_path_factory.mktemp("composed")
    result: dict[tuple[str, str], Rendered] = {}
    for example in EXAMPLE_NAMES:
        for kind in ("application_form", "construction_plan", "support_letter_draft", "public_notice_draft"):
            document = getattr(composing, kind)(applicant(example), facts())
            path = folder / f"{example}-{kind}.pdf"
            result[example, kind] = Rendered(document, path, write_pdf(document, path))
    return result


def write_pdf(document: Document, path: Path) -> int:
    from haizhi_cli.documents._pdf_writer import write_pdf as write

    return write(document, path, FONTS, TIMESTAMP)


def write_word(document: Document, path: Path) -> WordDocument:
    from haizhi_cli.documents._docx_writer import write_docx

    write_docx(document, path, TIMESTAMP)
    return docx.Document(str(path))


def runs(page: object) -> list[Run]:
    """The page's runs, without the space pypdf puts before some of them."""
    return [dataclasses.replace(run, text=run.text.strip(), x=run.x) for run in spaced_runs(page)]


def page_with(result: Rendered, text: str) -> int:
    return next(number for number, page in enumerate(result.texts()) if text in page)


def width_mm(text: str, size_pt: float) -> float:
    """The width of a run of the form's tables and paragraphs, which have no added character spacing."""
    return em_width(text) * size_pt * MM_PER_PT


@dataclasses.dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def touches_circle(self, x: float, y: float, radius: float) -> bool:
        nearest_x, nearest_y = min(max(x, self.left), self.right), min(max(y, self.top), self.bottom)
        return math.hypot(x - nearest_x, y - nearest_y) < radius


def box(run: Run) -> Box:
    """The ink of a run: from its baseline up most of the type size."""
    size = run.size * MM_PER_PT
    return Box(run.x, run.top - 0.88 * size, run.x + width_mm(run.text, run.size), run.top + 0.12 * size)


def cell_boxes(page: object) -> list[Box]:
    """The table cells a page draws, in mm from the top-left."""
    height_pt = 841.89
    return [Box(min(x, x + w) * MM_PER_PT, (height_pt - max(y, y + h)) * MM_PER_PT, max(x, x + w) * MM_PER_PT,
                (height_pt - min(y, y + h)) * MM_PER_PT) for x, y, w, h in rectangles(page)]


def only(found: list[Run], text: str) -> Run:
    matching = [run for run in found if run.text == text]
    assert len(matching) == 1, (text, [run.text for run in found])
    return matching[0]


def inside(run: Run, cell: Box) -> bool:
    return cell.left <= run.x <= cell.right and cell.top <= run.top <= cell.bottom


# --- labels: columns as wide as their longest line, breaks between words -------------------------------


def test_label_lines_break_only_between_words() -> None:
    labels = [label for pair in BASIC_INFO for label, _ in pair]
    chars = composing.label_chars(labels, composing.LABEL_MAX_LINES)
    for label in labels:
        words = composing.label_words(label)
        assert "".join(words) == label
        lines = composing.label_lines(label, chars)
        assert "".join(lines) == label and len(lines) <= composing.LABEL_MAX_LINES
        ends = set(itertools.accumulate(len(word) for word in words))
        assert set(itertools.accumulate(len(line) for line in lines)) <= ends, (label, lines)
        assert all(len(line) <= chars for line in lines)
    assert composing.label_words("服务场所面积（平方米）")[-1] == "（平方米）"
    assert composing.label_lines("年度人才或项目支持奖励经费（万元）", chars)[-1].endswith("（万元）")


def test_basic_info_columns_hold_the_longest_label_line_and_the_base_type() -> None:
    rows, widths = composing.basic_info_layout()
    label_mm, value_mm, *_ = (float(width) for width in widths.split(","))
    longest = max(len(line) for row in rows for cell in row for line in cell["label"].split("\n"))
    word_margins = 3.8
    assert label_mm - word_margins >= longest * composing.CHAR_MM
    assert value_mm - word_margins >= len("中国科协海智工作基地") * composing.CHAR_MM
    assert sum(float(width) for width in widths.split(",")) == pytest.approx(160, abs=0.2)


def test_no_label_of_the_forms_tables_breaks_inside_a_word(pdfs: dict[tuple[str, str], Rendered]) -> None:
    """Every line a label is composed of is one line of the PDF, whole: a label broken by the writer would
    leave a piece of a line (所在地市科协意 / 见)."""
    rows, _ = composing.basic_info_layout()
    label_lines = [line for row in rows for cell in row for line in cell["label"].split("\n")]
    for example in EXAMPLE_NAMES:
        form = pdfs[example, "application_form"]
        table_runs = [run.text for run in runs(form.reader.pages[page_with(form, "一、基本信息")])]
        for line in label_lines:
            assert line in table_runs, (example, line)
        opinion_runs = [run.text for run in runs(form.reader.pages[page_with(form, OPINIONS_HEADING)])]
        assert [opinion.label for opinion in OPINIONS if opinion.label in opinion_runs] == \
            [opinion.label for opinion in OPINIONS]
        plan = pdfs[example, "construction_plan"]
        plan_runs = [run.text for run in runs(plan.reader.pages[page_with(plan, "序号")])]
        for label in ("序号", "指标", "单位", *(f"{year}年" for year in facts().plan_years)):
            assert label in plan_runs, (example, label)


def test_the_base_type_stays_on_one_line_in_the_table(pdfs: dict[tuple[str, str], Rendered]) -> None:
    form = pdfs["work-base", "application_form"]
    assert "中国科协海智工作基地" in [run.text for run in runs(form.reader.pages[page_with(form, "一、基本信息")])]


# --- 六: the pledge is a paragraph, with room to sign and stamp -----------------------------------------


def test_promise_is_a_body_paragraph_kept_with_its_signature() -> None:
    for example in EXAMPLE_NAMES:
        blocks = composing.application_form(applicant(example), facts()).blocks
        start = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == PROMISE_HEADING)
        pledge, signature, date = blocks[start + 1: start + 4]
        assert isinstance(pledge, Paragraph) and pledge.style == "body" and pledge.text.startswith("本人已认真")
        assert isinstance(signature, Paragraph) and signature.text == "基地负责人（签字）："
        assert isinstance(date, Paragraph) and date.text == "年　　月　　日"
        assert pledge.keep and signature.keep
        cells = [p.text for b in blocks if isinstance(b, Table) for row in b.rows for c in row for p in c.paragraphs]
        assert not any("本人" in text for text in cells)


def test_promise_is_set_at_body_size_with_room_for_a_name_and_a_seal(pdfs: dict[tuple[str, str], Rendered]) -> None:
    for example in EXAMPLE_NAMES:
        form = pdfs[example, "application_form"]
        found = runs(form.reader.pages[page_with(form, PROMISE_HEADING)])
        heading = only(found, PROMISE_HEADING)
        pledge = [run for run in found if run.text.startswith("本人已认真")]
        assert pledge and pledge[0].size == 12 < heading.size, "body size, not the heading's"
        signature = only(found, "基地负责人（签字）：")
        end = box(signature).right
        assert FORM_RIGHT_MM - end >= NAME_MM + SEAL_MM, f"{FORM_RIGHT_MM - end:.1f} mm after the label"
        seal_x, seal_y = FORM_RIGHT_MM - SEAL_MM / 2 - 1, signature.top - 2
        others = [run for run in found if run.text not in ("年　　月　　日",) and run is not signature]
        assert not [run.text for run in others if box(run).touches_circle(seal_x, seal_y, SEAL_MM / 2)], example
        assert not box(signature).touches_circle(seal_x, seal_y, SEAL_MM / 2)


def test_word_promise_is_a_body_paragraph_not_a_table(tmp_path: Path) -> None:
    word = write_word(composing.application_form(applicant("work-base"), facts()), tmp_path / "form.docx")
    assert not any("本人已认真" in cell.text for table in word.tables for row in table.rows for cell in row.cells)
    pledge = next(p for p in word.paragraphs if p.text.startswith("本人已认真"))
    assert pledge.style is not None and pledge.style.name == "Haizhi Body"
    assert paragraph_style(word, "Haizhi Body").font.size.pt == 12  # type: ignore[union-attr]
    assert pledge.paragraph_format.keep_with_next
    signature = next(p for p in word.paragraphs if p.text == "基地负责人（签字）：")
    assert signature.paragraph_format.keep_with_next
    assert attribute(signature._p, "pPr/ind", "w:rightChars") == "1900"


# --- 八: three rows with room to write, sign and stamp, on one page --------------------------------------


def test_opinions_are_on_one_page_with_rows_of_at_least_7_cm(pdfs: dict[tuple[str, str], Rendered]) -> None:
    for example in EXAMPLE_NAMES:
        form = pdfs[example, "application_form"]
        number = page_with(form, OPINIONS_HEADING)
        text = form.texts()[number]
        assert all(opinion.label in text for opinion in OPINIONS), example
        assert text.count("负责人（签字）：") == len(OPINIONS) == text.count("（单位公章）")
        cells = cell_boxes(form.reader.pages[number])
        assert len(cells) == 2 * len(OPINIONS)
        assert all(cell.bottom - cell.top >= ROW_MIN_MM for cell in cells), example
        assert all(cell.bottom <= 297 - 25 + 0.1 for cell in cells)


def test_each_opinion_row_holds_written_lines_a_signature_and_a_seal(pdfs: dict[tuple[str, str], Rendered]) -> None:
    for example in EXAMPLE_NAMES:
        form = pdfs[example, "application_form"]
        page = form.reader.pages[page_with(form, OPINIONS_HEADING)]
        found = runs(page)
        values = sorted((cell for cell in cell_boxes(page) if cell.right - cell.left > 100), key=lambda c: c.top)
        assert len(values) == len(OPINIONS)
        for cell in values:
            mine = [run for run in found if inside(run, cell)]
            signature = only(mine, "负责人（签字）：")
            seal_mark = only(mine, "（单位公章）")
            first = min(mine, key=lambda run: run.top)
            above = first if first.text == "单位名称：" else None
            written_from = box(above).bottom if above else cell.top
            assert box(signature).top - written_from >= 28, "room for two or three written lines"
            seal_x = seal_mark.x + width_mm(seal_mark.text, seal_mark.size) / 2
            seal_y = box(seal_mark).top + (box(seal_mark).bottom - box(seal_mark).top) / 2
            radius = SEAL_MM / 2
            assert cell.left + radius <= seal_x <= cell.right - radius
            assert cell.top + radius <= seal_y <= cell.bottom - radius, "the seal fits inside the row"
            assert box(signature).right + NAME_MM <= seal_x - radius, "a name fits between label and seal"
            printed = [run for run in mine if run.text not in ("（单位公章）", "年　　月　　日")]
            assert not [run.text for run in printed if box(run).touches_circle(seal_x, seal_y, radius)]


def test_word_opinions_start_a_page_and_keep_together(tmp_path: Path) -> None:
    word = write_word(composing.application_form(applicant("offshore-base"), facts()), tmp_path / "form.docx")
    heading = next(p for p in word.paragraphs if p.text == OPINIONS_HEADING)
    assert heading.paragraph_format.page_break_before
    assert heading.style is not None and heading.style.paragraph_format.keep_with_next
    table = next(t for t in word.tables if t.cell(0, 0).text == OPINIONS[0].label)
    for number, row in enumerate(table.rows):
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert mm(row.height) >= ROW_MIN_MM
        kept = {bool(p.paragraph_format.keep_with_next) for cell in row.cells for p in cell.paragraphs}
        assert kept == ({True} if number < len(table.rows) - 1 else {False})
        assert row.cells[1].vertical_alignment is not None and row.cells[1].vertical_alignment.name == "TOP"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_opinions_on_one_page(tmp_path: Path) -> None:
    write_word(composing.application_form(applicant("offshore-base"), facts()), tmp_path / "form.docx")
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
               str(tmp_path / "form.docx")]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    pages = [page.extract_text() for page in PdfReader(tmp_path / "form.pdf").pages]
    number = next(i for i, text in enumerate(pages) if OPINIONS_HEADING in text)
    assert all(opinion.label in pages[number] for opinion in OPINIONS)
    assert pages[number].count("（单位公章）") == len(OPINIONS)
    assert number == len(pages) - 1, "nothing after 八, not even an empty page"


# --- the cover's fill-in lines ----------------------------------------------------------------------------


def test_cover_blanks_are_full_width_lines_in_word(tmp_path: Path) -> None:
    word = write_word(composing.application_form(applicant("work-base"), facts()), tmp_path / "form.docx")
    cover = word.tables[0]
    assert [row.cells[0].text for row in cover.rows] == ["基地名称：", "基地类型：", "申报单位："]
    for row in cover.rows:
        assert attribute(row.cells[1]._tc, "tcPr/tcBorders/bottom", "w:val") == "single"
        assert attribute(row.cells[0]._tc, "tcPr/tcBorders/bottom", "w:val") is None


def test_cover_name_keeps_one_size(pdfs: dict[tuple[str, str], Rendered]) -> None:
    for example in EXAMPLE_NAMES:
        cover = runs(pdfs[example, "application_form"].reader.pages[0])
        labels = {"基地名称：", "基地类型：", "申报单位："}
        sizes = {run.size for run in cover if run.text in labels}
        values = [run for run in cover if run.text not in labels and box(run).left > 60 and 80 < run.top < 160]
        assert values and {run.size for run in values} == sizes, example


# --- the drafts: GB/T 9704-2012 ---------------------------------------------------------------------------


def official_runs(result: Rendered) -> list[Run]:
    return runs(result.reader.pages[0])


@pytest.fixture(scope="module")
def measure(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], float]:
    """The width in mm of body text of the official layout as the PDF sets it: 3号 on the 28-a-line grid."""
    letter = composing.support_letter_draft(applicant("work-base"), facts())
    pdf = HaizhiPDF(letter, FONTS, TIMESTAMP, tmp_path_factory.mktemp("fonts"))
    pdf.set_font("haizhi0", size=16)
    pdf.set_char_spacing(OFFICIAL_CHAR_MM / MM_PER_PT - 16)
    return lambda text: float(pdf.get_string_width(text))


@pytest.mark.parametrize("kind", ["support_letter_draft", "public_notice_draft"])
def test_issuer_is_centred_over_the_date_set_four_characters_from_the_right(
        pdfs: dict[tuple[str, str], Rendered], measure: Callable[[str], float], kind: str) -> None:
    for example in EXAMPLE_NAMES:
        found = official_runs(pdfs[example, kind])
        date = only(found, f"{facts().round}年　　月　　日")
        date_end = date.x + measure(date.text)
        assert date_end == pytest.approx(OFFICIAL_RIGHT_MM - 4 * OFFICIAL_CHAR_MM, abs=0.6), "右空四字"
        issuer = next(run for run in found if run.top < date.top and abs(run.top - date.top) < 12)
        centre = issuer.x + measure(issuer.text) / 2
        assert centre == pytest.approx(date.x + measure(date.text) / 2, abs=0.8), (example, issuer.text)
        note = next(run for run in found if run.text.startswith("（联系人："))
        assert "电话" in note.text and note.top > date.top
        assert note.x == pytest.approx(OFFICIAL_LEFT_MM + 2 * OFFICIAL_CHAR_MM, abs=0.3), "附注 indented two"
        number = next(run for run in found if re.fullmatch(r"××\S*〔\d{4}〕××号", run.text))
        assert number.top < min(run.top for run in found if run.size == 22), "发文字号 above the title"


def test_official_signature_offsets() -> None:
    signature = composing.official_signature("苏州市人民政府", 2023)
    assert signature["date"] == "2023年　　月　　日" and signature["date_right"] == 4
    assert signature["issuer_right"] == 5  # (9 - 7) / 2 characters more than the date's
    assert composing.official_signature("某" * 20, 2023)["issuer_right"] == 0


def page_number_runs(result: Rendered) -> Iterator[tuple[int, Run]]:
    for number, page in enumerate(result.reader.pages, start=1):
        yield number, only(runs(page), f"— {number} —")


def page_number_width(document: Document, folder: Path, number: int) -> float:
    pdf = HaizhiPDF(document, FONTS, TIMESTAMP, folder)
    pdf.set_font("haizhi0", size=14)
    pdf.set_char_spacing(0)
    return float(pdf.get_string_width(f"— {number} —"))


def test_official_page_numbers_odd_right_even_left(tmp_path: Path) -> None:
    letter = composing.support_letter_draft(applicant("work-base"), facts())
    text = "经研究，支持该单位申报海智计划基地，并在政策、资金和人才服务等方面给予保障。"
    filler = tuple(Paragraph(text) for _ in range(60))
    long_letter = dataclasses.replace(letter, blocks=letter.blocks + filler)
    result = Rendered(long_letter, tmp_path / "long.pdf", write_pdf(long_letter, tmp_path / "long.pdf"))
    assert result.pages >= 3
    one_char = 14 * MM_PER_PT
    for number, run in page_number_runs(result):
        assert run.size == 14, "4号"
        assert run.top > 297 - 35, "below the text area"
        if number % 2:
            end = run.x + page_number_width(long_letter, tmp_path / "fonts", number)
            assert end == pytest.approx(OFFICIAL_RIGHT_MM - one_char, abs=0.3), "单页码居右空一字"
        else:
            assert run.x == pytest.approx(OFFICIAL_LEFT_MM + one_char, abs=0.3), "双页码居左空一字"


def test_drafts_carry_their_page_number_right(pdfs: dict[tuple[str, str], Rendered], tmp_path: Path) -> None:
    for example in EXAMPLE_NAMES:
        for kind in ("support_letter_draft", "public_notice_draft"):
            result = pdfs[example, kind]
            (number, run), *_ = page_number_runs(result)
            end = run.x + page_number_width(result.document, tmp_path / f"{example}-{kind}", number)
            assert end == pytest.approx(OFFICIAL_RIGHT_MM - 14 * MM_PER_PT, abs=0.3)


@pytest.mark.parametrize("kind", ["support_letter_draft", "public_notice_draft"])
def test_word_drafts_have_odd_and_even_footers(tmp_path: Path, kind: str) -> None:
    document = getattr(composing, kind)(applicant("rd-community"), facts(), True)
    word = write_word(document, tmp_path / "draft.docx")
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert [t.strip() for t in paragraph._p.xpath(".//w:instrText/text()")] == ["PAGE"]
        assert paragraph.style is not None and paragraph.style.font.size.pt == 14  # type: ignore[union-attr]
        assert attribute(paragraph.style.element, "rPr/rFonts", "w:eastAsia") == "宋体"
    assert odd.style is not None and odd.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert attribute(odd.style.element, "pPr/ind", "w:rightChars") == "100"
    assert even.style is not None and even.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert attribute(even.style.element, "pPr/ind", "w:firstLineChars") == "100"
    for header in (section.header, section.even_page_header):
        assert "草稿" in header.paragraphs[0].text, "the draft mark on even pages too"
    body = paragraph_style(word, "Haizhi Body")
    assert attribute(body.element, "rPr/rFonts", "w:eastAsia") == "仿宋_GB2312"
    title = paragraph_style(word, "Haizhi Official Title")
    assert attribute(title.element, "rPr/rFonts", "w:eastAsia") == "方正小标宋简体"
    date = next(p for p in word.paragraphs if p.text == f"{facts().round}年　　月　　日")
    assert attribute(date._p, "pPr/ind", "w:rightChars") == "400"
    texts = [p.text for p in word.paragraphs]
    assert texts.index(date.text) + 1 == next(i for i, t in enumerate(texts) if t.startswith("（联系人："))
    assert re.fullmatch(r"××\S*〔\d{4}〕××号", texts[0])


def test_target_columns_fit_their_labels_and_values_and_leave_the_rest_to_the_indicator() -> None:
    targets = [{"unit": "万元", "row": ["1200", "1500", "不少于2000"]}, {"unit": "家", "row": ["9", "10", "12"]}]
    number, indicator, unit, *years = composing.target_widths(["2024年", "2025年", "2026年"], targets)
    assert sum((number, indicator, unit, *years)) == pytest.approx(composing.PLAN_WIDTH_MM, abs=0.2)
    assert number == composing.label_width_mm(2) and unit == composing.label_width_mm(2)
    assert years[0] == composing.label_width_mm(3) and years[2] == composing.label_width_mm(5)
    assert indicator >= 60

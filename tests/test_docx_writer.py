"""The Word writer: every written file is opened again with python-docx and inspected."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table as WordTable
from pypdf import PdfReader

from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.applicant._models import Applicant
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blocks import LAYOUTS, Cell, Document, PageBreak, Paragraph, Space, Table, cell_pt
from haizhi_cli.documents._docx_writer import CHARS_PER_LINE, LOOKS, PPR_ORDER, RPR_ORDER, TBLPR_ORDER, write_docx
from haizhi_cli.documents._linebreaking import em_width
from haizhi_cli.engine._rules import RoundFacts, load_round
from tests.conftest import EXAMPLES

TIMESTAMP = dt.datetime(2023, 9, 1, 8, 30, tzinfo=dt.UTC)
EXAMPLE_NAMES = ("work-base", "offshore-base", "rd-community")
HOSTILE = "{{ 7*7 }} {% raw %} <w:p>x</w:p> & < > \" ' &amp; 😀 ]]>"
Composer = Callable[[Applicant, RoundFacts, bool], Document]
COMPOSERS: dict[str, Composer] = {
    "application_form": composing.application_form,
    "construction_plan": composing.construction_plan,
    "support_letter_draft": composing.support_letter_draft,
    "public_notice_draft": composing.public_notice_draft,
}


@cache
def facts() -> RoundFacts:
    return load_round(2023).facts


@cache
def applicant(name: str = "work-base") -> Applicant:
    return load_applicant(EXAMPLES / name / "applicant.yaml", [2023]).applicant


def compose(kind: str, name: str = "work-base", draft: bool = False) -> Document:
    return COMPOSERS[kind](applicant(name), facts(), draft)


def write(document: Document, folder: Path, timestamp: dt.datetime = TIMESTAMP) -> tuple[Path, WordDocument]:
    path = folder / "out.docx"
    write_docx(document, path, timestamp)
    return path, docx.Document(str(path))


def part_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}


def paragraph_style(word: WordDocument, name: str) -> ParagraphStyle:
    style = word.styles[name]
    assert isinstance(style, ParagraphStyle)
    return style


def attribute(element: object, path: str, name: str) -> str | None:
    """An attribute of the first element at `path` (w:… names) under a python-docx XML element."""
    found = element.find("/".join(qn(f"w:{step}") for step in path.split("/")))  # type: ignore[attr-defined]
    value = None if found is None else found.get(qn(name))
    return None if value is None else str(value)


def table_with(word: WordDocument, first_cell: str) -> WordTable:
    return next(table for table in word.tables if table.cell(0, 0).text == first_cell)


def borders(table: WordTable) -> dict[str, tuple[str | None, str | None]]:
    element = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert element is not None
    return {child.tag.split("}")[1]: (child.get(qn("w:val")), child.get(qn("w:sz"))) for child in element}


def mm(length: int | None) -> float:
    assert length is not None
    return length / 36000


def through_libreoffice(folder: Path, *files: Path) -> None:
    """Each .docx converted to a PDF beside it in `folder` by LibreOffice, with a profile of its own."""
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)


def doc_of(*blocks: Paragraph | Table | Space | PageBreak, layout: str = "form", title: str = "测试",
           page_numbers: bool = True, draft: bool = False) -> Document:
    return Document(title, LAYOUTS[layout], tuple(blocks), page_numbers, draft)


# Page geometry


@pytest.mark.parametrize("kind", list(COMPOSERS))
def test_page_is_a4_with_the_layout_margins(kind: str, tmp_path: Path) -> None:
    document = compose(kind)
    layout = document.layout
    _, word = write(document, tmp_path)
    section = word.sections[0]
    assert mm(section.page_width) == pytest.approx(210, abs=0.05)
    assert mm(section.page_height) == pytest.approx(297, abs=0.05)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    expected = (layout.top_mm, layout.bottom_mm, layout.left_mm, layout.right_mm)
    assert [mm(margin) for margin in margins] == pytest.approx(expected, abs=0.05)


def test_official_layout_follows_gb_t_9704(tmp_path: Path) -> None:
    _, word = write(compose("support_letter_draft"), tmp_path)
    section = word.sections[0]
    assert (mm(section.top_margin), mm(section.left_margin)) == pytest.approx((37, 28), abs=0.05)
    width_mm = mm(section.page_width) - mm(section.left_margin) - mm(section.right_margin)
    height_mm = mm(section.page_height) - mm(section.top_margin) - mm(section.bottom_margin)
    assert (width_mm, height_mm) == pytest.approx((156, 225), abs=0.05)

    normal = paragraph_style(word, "Normal")
    assert normal.font.size == Pt(16)
    line = normal.paragraph_format.line_spacing
    assert isinstance(line, int)
    assert 22 * mm(line) <= height_mm < 23 * mm(line), "exactly 22 lines a page"
    assert attribute(normal.element, "pPr/spacing", "w:lineRule") == "exact"

    spacing = attribute(normal.element, "rPr/spacing", "w:val")
    assert spacing is not None
    pitch_mm = (16 + int(spacing) / 20) * 25.4 / 72
    assert 28 * pitch_mm <= width_mm < 29 * pitch_mm, "exactly 28 characters a line"


def test_official_title_is_2hao_xiaobiaosong(tmp_path: Path) -> None:
    _, word = write(compose("public_notice_draft"), tmp_path)
    title = next(p for p in word.paragraphs if p.text.startswith("关于"))  # below the 发文字号 line
    assert title.style is not None and title.style.name == "Haizhi Official Title"
    style = paragraph_style(word, "Haizhi Official Title")
    assert style.font.size == Pt(22)
    assert attribute(style.element, "rPr/rFonts", "w:eastAsia") == "方正小标宋简体"
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = paragraph_style(word, "Haizhi Body")
    assert attribute(body.element, "rPr/rFonts", "w:eastAsia") == "仿宋_GB2312"


# Styles and fonts


@pytest.mark.parametrize(("kind", "body_font"), [("application_form", "宋体"), ("construction_plan", "宋体"),
                                                 ("support_letter_draft", "仿宋_GB2312")])
def test_styles_name_chinese_fonts_and_language(kind: str, body_font: str, tmp_path: Path) -> None:
    _, word = write(compose(kind), tmp_path)
    expected = {"Normal": body_font, "Haizhi Body": body_font, "Haizhi Heading": "黑体",
                "Haizhi Heading Center": "黑体", "Haizhi Subheading": "黑体", "Haizhi Title": "黑体",
                "Haizhi Subtitle": "黑体", "Haizhi Official Title": "方正小标宋简体"}
    for name, font in expected.items():
        properties = paragraph_style(word, name).element.rPr
        assert properties is not None, name
        assert attribute(properties, "rFonts", "w:eastAsia") == font, name
        assert attribute(properties, "rFonts", "w:ascii") == "Times New Roman", name
        assert attribute(properties, "rFonts", "w:eastAsiaTheme") is None, name
        assert attribute(properties, "lang", "w:eastAsia") == "zh-CN", name


def test_every_block_style_is_a_named_paragraph_style(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    for look in LOOKS.values():
        style = paragraph_style(word, look.name)
        assert style.type == WD_STYLE_TYPE.PARAGRAPH
        assert style.base_style is not None and style.base_style.name == "Normal"
        properties = style.element.rPr
        assert attribute(properties, "rFonts", "w:eastAsia") and attribute(properties, "lang", "w:eastAsia")
    cells = [p for table in word.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    used = {p.style.name for p in [*word.paragraphs, *cells] if p.style is not None}
    assert {"Haizhi Title", "Haizhi Body", "Haizhi Note", "Haizhi Heading", "Haizhi Signature"} <= used


def test_paragraph_styles_format_as_the_form_asks(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    body = paragraph_style(word, "Haizhi Body")
    assert attribute(body.element, "pPr/ind", "w:firstLineChars") == "200"
    assert attribute(body.element, "pPr/ind", "w:firstLine") == "480", "two 12 pt characters"
    for name in ("Haizhi Center", "Haizhi Heading Center", "Haizhi Title", "Haizhi Subtitle",
                 "Haizhi Official Title", "Haizhi Caption"):
        assert paragraph_style(word, name).paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER, name
    assert paragraph_style(word, "Haizhi Right").paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    note = paragraph_style(word, "Haizhi Note")
    assert note.font.size == Pt(10.5)
    signature = paragraph_style(word, "Haizhi Signature")
    assert signature.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert int(attribute(signature.element, "pPr/ind", "w:rightChars") or 0) > 0, "room to sign"
    cover = table_with(word, "基地名称：")
    assert all(attribute(row.cells[1]._tc, "tcPr/tcBorders/bottom", "w:val") == "single" for row in cover.rows), \
        "the cover's blanks are full-width fill-in lines"
    assert paragraph_style(word, "Haizhi Title").font.size == Pt(22)
    cells = [p for table in word.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    styles = {p.text: p.style.name for p in [*word.paragraphs, *cells] if p.style is not None}
    assert styles["二、工作基础"] == "Haizhi Heading"
    assert styles["基地负责人（签字）："] == "Haizhi Signature"


def test_headings_have_outline_levels_and_keep_with_next(tmp_path: Path) -> None:
    _, word = write(compose("construction_plan"), tmp_path)
    heading = paragraph_style(word, "Haizhi Heading")
    assert attribute(heading.element, "pPr/outlineLvl", "w:val") == "0"
    assert attribute(paragraph_style(word, "Haizhi Subheading").element, "pPr/outlineLvl", "w:val") == "1"
    assert heading.paragraph_format.keep_with_next is True


# The 申报表's content


def test_basic_info_table_holds_labels_and_values(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    table = table_with(word, "基地名称")
    assert (len(table.rows), len(table.columns)) == (11, 4)
    pairs = {}
    for row in table.rows:
        cells = [cell.text for cell in row.cells]
        assert len(cells) == 4
        pairs.update({"".join(cells[0].split()): cells[1], "".join(cells[2].split()): cells[3]})  # labels' lines
    labels = [label for row in composing.BASIC_INFO for label, _ in row]
    assert list(pairs) == labels
    assert pairs["服务场所面积（平方米）"] == "350"
    assert pairs["入驻企业数量（家）"] == "无"
    assert pairs["成立时间"] == "2016年5月18日"
    assert pairs["负责人姓名"] == "张明远"
    assert pairs["基地名称"] == "中国科协海智工作基地（苏州工业园区）"


def test_the_four_instruction_lines_are_notes(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    notes = [p for p in word.paragraphs if p.text.startswith("（请简述")]
    limits = [re.search(r"[，。](\d+)字以内。）$", p.text) for p in notes]
    assert [match.group(1) if match else None for match in limits] == ["1000", "600", "400", "1000"]
    assert [p.text for p in notes] == [instruction for _, instruction, _ in composing.SECTIONS]
    assert all(p.style is not None and p.style.name == "Haizhi Note" for p in notes)


def test_opinion_table_has_three_rows_with_room_to_sign(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    table = table_with(word, "申报单位意见")
    assert [row.cells[0].text for row in table.rows] == ["申报单位意见", "所在地市科协意见", "省级科协意见"]
    for row in table.rows:
        lines = [p.text for p in row.cells[1].paragraphs]
        assert lines[-3:] == ["负责人（签字）：", "（单位公章）", "年　　月　　日"]
        assert row.height_rule == WD_ROW_HEIGHT_RULE.AT_LEAST
        assert mm(row.height) == pytest.approx(composing.OPINION_ROW_MM, abs=0.05) and composing.OPINION_ROW_MM >= 70
        assert row.cells[0].vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER
    assert table.rows[0].cells[1].paragraphs[0].text == "单位名称："


def test_label_cells_are_centred_vertically(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    table = table_with(word, "基地名称")
    for row in table.rows:
        assert row.cells[0].vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER
        style = row.cells[0].paragraphs[0].style
        assert style is not None and style.name == "Haizhi Label"


def test_construction_plan_targets_table(tmp_path: Path) -> None:
    _, word = write(compose("construction_plan"), tmp_path)
    table = table_with(word, "序号")
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "指标", "单位", "2024年", "2025年", "2026年"]
    targets = applicant().plan.targets
    assert len(table.rows) == 1 + len(targets)
    for row, target in zip(table.rows[1:], targets, strict=True):
        cells = [cell.text for cell in row.cells]
        assert cells[1:3] == [target.indicator, target.unit]
        assert cells[3:] == [composing.cell_text(target.values.get(year)) for year in (2024, 2025, 2026)]
    assert [cell.text for cell in table.rows[1].cells[3:]] == ["40", "50", "60"]


# Tables


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_targets_table_is_set_as_the_pdf_sets_it(name: str, tmp_path: Path) -> None:
    """The 建设方案's body is 四号, but its targets table is composed for 小四 (as the PDF sets it): at the
    body's size LibreOffice broke 序号 into 序|号, 单位 into 单|位 and 2024年 into 2024|年."""
    document = compose("construction_plan", name)
    _, word = write(document, tmp_path)
    table = table_with(word, "序号")
    size = cell_pt(document.layout, bordered=True)
    assert size == 12 < document.layout.body_pt
    paragraphs = [paragraph for row in table.rows for cell in row.cells for paragraph in cell.paragraphs]
    assert {paragraph.paragraph_format.line_spacing for paragraph in paragraphs} == {Pt(size * 1.5)}
    assert {run.font.size for paragraph in paragraphs for run in paragraph.runs} == {Pt(size)}
    spacing = "0" if document.layout.name in CHARS_PER_LINE else None  # no character spacing of the body's
    assert {attribute(run._r, "rPr/spacing", "w:val") for p in paragraphs for run in p.runs} == {spacing}
    widths = [mm(column.width) for column in table.columns]
    word_cell_margins_mm = 3.8
    for label, width in zip((cell.text for cell in table.rows[0].cells), widths, strict=True):
        assert em_width(label) * size * 25.4 / 72 <= width - word_cell_margins_mm, (label, width)


def test_column_widths_are_fixed_in_grid_and_cells(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    table = table_with(word, "基地名称")
    widths = [float(w) for w in composing.basic_info_layout()[1].split(",")]
    assert sum(widths) == pytest.approx(160, abs=0.2)
    expected = [Mm(w).twips for w in widths]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == expected
    for row in table.rows:
        assert [int(str(attribute(tc, "tcPr/tcW", "w:w"))) for tc in row._tr.tc_lst] == expected
        assert {attribute(tc, "tcPr/tcW", "w:type") for tc in row._tr.tc_lst} == {"dxa"}
    assert attribute(table._tbl, "tblPr/tblLayout", "w:type") == "fixed"
    assert table._tbl.tblPr.findall(qn("w:tblW"))[-1].get(qn("w:w")) == str(sum(expected))
    assert len(table._tbl.tblPr.findall(qn("w:tblW"))) == 1


def test_bordered_tables_have_half_point_lines_and_the_cover_none(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    sides = {"top", "left", "bottom", "right", "insideH", "insideV"}
    for first in ("基地名称", "申报单位意见"):
        assert borders(table_with(word, first)) == dict.fromkeys(sides, ("single", "4"))
    cover = table_with(word, "基地名称：")
    assert {value for value, _ in borders(cover).values()} == {"nil"}
    assert set(borders(cover)) == sides


def test_spans_merge_cells_and_must_fill_the_grid(tmp_path: Path) -> None:
    first = (Cell((Paragraph("合并", "label"),), span=2, label=True), Cell((Paragraph("c", "plain"),)))
    second = tuple(Cell((Paragraph(text, "plain"),)) for text in "xyz")
    _, word = write(doc_of(Table((30, 40, 50), (first, second))), tmp_path)
    row = word.tables[0].rows[0]
    assert len(row._tr.tc_lst) == 2
    assert attribute(row._tr.tc_lst[0], "tcPr/gridSpan", "w:val") == "2"
    assert attribute(row._tr.tc_lst[0], "tcPr/tcW", "w:w") == str(Mm(70).twips)
    assert [cell.text for cell in row.cells] == ["合并", "合并", "c"]
    with pytest.raises(ValueError, match="spans 2 columns, not 3"):
        write(doc_of(Table((30, 40, 50), (second[:2],))), tmp_path)


# Spaces and breaks


def test_space_is_empty_lines_and_page_break_starts_the_next_paragraph(tmp_path: Path) -> None:
    table = Table((80,), ((Cell((Paragraph("t", "plain"),)),),))
    blocks = (Paragraph("a"), Space(3), Paragraph("b"), PageBreak(), Paragraph("c"), PageBreak(), table, Space(1.5))
    _, word = write(doc_of(*blocks), tmp_path)
    texts = [p.text for p in word.paragraphs]
    assert texts == ["a", "", "", "", "b", "c", "", "", ""]
    assert [p.paragraph_format.page_break_before for p in word.paragraphs[4:6]] == [None, True]
    assert word.paragraphs[6]._p.xpath("./w:r/w:br/@w:type") == ["page"], "a break before a table"
    assert word.paragraphs[8].paragraph_format.line_spacing == Pt(10), "half a 20 pt line"
    body = word.element.body
    assert [child.tag.split("}")[1] for child in body][6:8] == ["p", "tbl"]


def test_application_form_cover_is_followed_by_a_new_page(tmp_path: Path) -> None:
    _, word = write(compose("application_form"), tmp_path)
    starts = [p.text for p in word.paragraphs if p.paragraph_format.page_break_before]
    assert starts == ["填 表 说 明", "中国科协海智计划基地申报表", "八、单位意见"]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_cover_blanks_break_where_the_pdf_breaks(name: str, tmp_path: Path) -> None:
    """A 基地名称 too long for its blank is broken between words with an explicit break, in the lines the PDF
    gives it (LibreOffice broke （杭州高|新区） inside the place name), left-aligned so that the line before
    the break is not stretched; the lines joined are the name."""
    _, word = write(compose("application_form", name), tmp_path)
    cover = table_with(word, "基地名称：")
    paragraphs = [p for row in cover.rows for p in row.cells[1].paragraphs]
    assert {paragraph_style(word, p.style.name).paragraph_format.alignment for p in paragraphs} == {
        WD_ALIGN_PARAGRAPH.LEFT}
    name_cell = cover.rows[0].cells[1].text
    assert name_cell.replace("\n", "") == applicant(name).base_name
    expected = {"work-base": [applicant(name).base_name],
                "offshore-base": ["国家海外人才离岸创新创业基地", "（杭州高新区）"],
                "rd-community": [applicant(name).base_name]}[name]
    assert name_cell.split("\n") == expected


# Header, footer and properties


def test_page_numbers_only_when_asked(tmp_path: Path) -> None:
    with_numbers = compose("application_form")
    assert with_numbers.page_numbers
    path, word = write(with_numbers, tmp_path)
    footer = word.sections[0].footer
    assert not footer.is_linked_to_previous
    paragraph = footer.paragraphs[0]
    assert paragraph.style is not None and paragraph.style.name == "Haizhi Page Number"
    assert paragraph_style(word, "Haizhi Page Number").paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    assert [t.strip() for t in paragraph._p.xpath(".//w:instrText/text()")] == ["PAGE"]
    assert paragraph._p.xpath(".//w:fldChar/@w:fldCharType") == ["begin", "separate", "end"]

    without = dataclasses.replace(compose("public_notice_draft"), page_numbers=False)
    path, word = write(without, tmp_path)
    assert word.sections[0].footer.is_linked_to_previous
    assert not any("PAGE" in text for text in part_texts(path).values())


@pytest.mark.parametrize("kind", list(COMPOSERS))
def test_draft_marks_every_page_only_for_drafts(kind: str, tmp_path: Path) -> None:
    path, word = write(compose(kind, draft=True), tmp_path)
    header = word.sections[0].header
    assert not header.is_linked_to_previous
    assert header.paragraphs[0].text == "草稿"
    style = paragraph_style(word, "Haizhi Draft Mark")
    assert style.font.bold is True and style.font.color.rgb is not None and str(style.font.color.rgb) == "FF0000"
    assert 'string="草稿"' in part_texts(path)["word/header1.xml"], "the diagonal watermark"

    path, word = write(compose(kind, draft=False), tmp_path)
    assert word.sections[0].header.is_linked_to_previous
    assert not any("草稿" in text for text in part_texts(path).values())


def test_core_properties_hold_title_author_and_the_one_timestamp(tmp_path: Path) -> None:
    document = compose("construction_plan")
    path, word = write(document, tmp_path, dt.datetime(2023, 9, 1, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    properties = word.core_properties
    assert properties.title == document.title == "中国科协海智工作基地（苏州工业园区）建设方案（2024-2026年）"
    assert properties.author == properties.last_modified_by == "haizhi"
    naive = TIMESTAMP.replace(tzinfo=None)
    assert properties.created is not None and properties.modified is not None
    assert properties.created.replace(tzinfo=None) == properties.modified.replace(tzinfo=None) == naive
    assert properties.revision == 1
    assert properties.last_printed is None
    core = part_texts(path)["docProps/core.xml"]
    assert core.count("2023-09-01T08:30:00Z") == 2 and core.count("T") - core.count("W3CDTF") >= 2
    assert "python-docx" not in core and "lastPrinted" not in core and "2013" not in core


@pytest.mark.parametrize("kind", list(COMPOSERS))
def test_property_children_follow_the_schema_order(kind: str, tmp_path: Path) -> None:
    """Word refuses a file whose w:pPr, w:rPr or w:tblPr holds a child out of the ECMA-376 order."""
    path, _ = write(compose(kind, draft=True), tmp_path)
    orders = {"pPr": PPR_ORDER, "rPr": RPR_ORDER, "tblPr": TBLPR_ORDER}
    parts = part_texts(path)
    for name in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
        if name not in parts:
            continue
        root = parse_xml(parts[name].encode("utf-8"))
        for tag, order in orders.items():
            for element in root.iter(qn(f"w:{tag}")):
                children = [f"w:{child.tag.split('}')[1]}" for child in element]
                assert all(child in order for child in children), (name, children)
                positions = [order.index(child) for child in children]
                assert positions == sorted(positions) and len(set(children)) == len(children), (name, children)


def test_template_leftovers_are_dropped(tmp_path: Path) -> None:
    path, _ = write(compose("application_form"), tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert names[0] == "[Content_Types].xml"
    assert not any("thumbnail" in name or "stylesWithEffects" in name for name in names)
    assert 'w:eastAsia="zh-CN"' in part_texts(path)["word/settings.xml"]


# Reproducible and atomic


def test_same_input_and_timestamp_give_the_same_bytes(tmp_path: Path) -> None:
    document = compose("application_form", draft=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = write(document, tmp_path / "a")
    second, _ = write(document, tmp_path / "b", TIMESTAMP.astimezone(dt.timezone(dt.timedelta(hours=8))))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert {info.date_time for info in infos} == {(2023, 9, 1, 8, 30, 0)}
    assert {(info.compress_type, info.create_system, info.external_attr) for info in infos} == {
        (zipfile.ZIP_DEFLATED, 3, 0o100644 << 16)}

    later, _ = write(document, tmp_path, TIMESTAMP + dt.timedelta(minutes=1))
    assert later.read_bytes() != first.read_bytes()


def test_timestamps_before_1980_are_clamped_in_the_zip_only(tmp_path: Path) -> None:
    path, word = write(compose("public_notice_draft"), tmp_path, dt.datetime(1970, 1, 1))
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert word.core_properties.created is not None and word.core_properties.created.year == 1970


def test_writing_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.docx"
    path.write_bytes(b"old")
    write_docx(compose("support_letter_draft"), path, TIMESTAMP)
    assert zipfile.is_zipfile(path)
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]
    with pytest.raises(FileNotFoundError):
        write_docx(compose("support_letter_draft"), tmp_path / "missing" / "out.docx", TIMESTAMP)
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


# Applicant text is data


def test_hostile_text_round_trips_literally(tmp_path: Path) -> None:
    cell = Cell((Paragraph(HOSTILE, "plain"),))
    document = doc_of(Paragraph(HOSTILE), Table((80, 80), ((Cell((Paragraph("标签", "label"),)), cell),)),
                      Paragraph(HOSTILE, "official-title"), title=HOSTILE, draft=True)
    path, word = write(document, tmp_path)
    # the official title breaks between words into lines (explicit <w:br/>, "\n" in python-docx's text)
    assert [p.text.replace("\n", "") for p in word.paragraphs if p.text] == [HOSTILE, HOSTILE]
    assert word.tables[0].cell(0, 1).text == HOSTILE
    assert word.core_properties.title == HOSTILE
    assert "49" not in "".join(p.text for p in word.paragraphs)
    assert "<w:p>x</w:p>" not in part_texts(path)["word/document.xml"]


def test_a_title_longer_than_core_properties_allow_is_cut(tmp_path: Path) -> None:
    _, word = write(doc_of(Paragraph("正文"), title="长" * 300), tmp_path)
    assert word.core_properties.title == "长" * 255


def test_control_characters_are_stripped(tmp_path: Path) -> None:
    dirty = "A\x00B\x01C\x08D\x0bE\x0cF\x0eG\x1fH\ufffeI\uffffJ\ud800K"
    cell = Cell((Paragraph(dirty, "plain"),))
    document = doc_of(Paragraph(dirty), Table((80,), ((cell,),)), title=dirty)
    _, word = write(document, tmp_path)
    assert word.paragraphs[0].text == "ABCDEFGHIJK"
    assert word.tables[0].cell(0, 0).text == "ABCDEFGHIJK"
    assert word.core_properties.title == "ABCDEFGHIJK"


# The bundled examples


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.parametrize("kind", [*COMPOSERS, "checklist"])
def test_every_example_document_renders(name: str, kind: str, tmp_path: Path) -> None:
    if kind == "checklist":
        items = [composing.ChecklistItem("1", "申报表", "1-5", "已生成"),
                 composing.ChecklistItem("2", HOSTILE, "", "缺")]
        document = composing.checklist(applicant(name), facts(), items, ["缺少 & <支持函>"])
    else:
        document = compose(kind, name)
    _, word = write(document, tmp_path)
    assert word.core_properties.title == document.title
    texts = [p.text.replace("\n", "") for p in word.paragraphs]  # titles carry explicit line breaks
    texts += [cell.text for t in word.tables for r in t.rows for cell in r.cells]
    expected = [b.text for b in document.blocks if isinstance(b, Paragraph) and b.text]
    assert [text for text in texts if text in expected] [: len(expected)] == expected
    assert len(word.tables) == sum(isinstance(b, Table) for b in document.blocks)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_out_22_lines_of_28_characters(tmp_path: Path) -> None:
    """Where LibreOffice is at hand: the files open, and an official page holds 22 lines of 28 characters."""
    line = "".join("一二三四五六七八九十"[i % 10] for i in range(28 * 3))
    grid = doc_of(*(Paragraph(line, "plain") for _ in range(10)), layout="official")
    write_docx(grid, tmp_path / "grid.docx", TIMESTAMP)
    write_docx(compose("application_form", draft=True), tmp_path / "form.docx", TIMESTAMP)
    through_libreoffice(tmp_path, tmp_path / "grid.docx", tmp_path / "form.docx")
    pages = PdfReader(tmp_path / "grid.pdf").pages
    first = [text for text in pages[0].extract_text().splitlines() if text.strip()]
    assert len(pages) == 2
    assert [len(text) for text in first[:22]] == [28] * 22 and first[22] == "— 1 —"
    assert len(PdfReader(tmp_path / "form.pdf").pages) >= 4


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_targets_labels_whole(tmp_path: Path) -> None:
    """Where LibreOffice is at hand: each example's targets table comes out with its labels on one line, in
    the order of the columns (序号 指标 单位 2024 年 …), none broken inside a word."""
    files = []
    for name in EXAMPLE_NAMES:
        files.append(str(tmp_path / f"{name}.docx"))
        write_docx(compose("construction_plan", name), Path(files[-1]), TIMESTAMP)
    through_libreoffice(tmp_path, *map(Path, files))
    years = " ".join(rf"{year}\s?年" for year in facts().plan_years)
    header = re.compile(rf"^序号 指标 单位 {years}$")
    for name in EXAMPLE_NAMES:
        lines = [line.strip() for page in PdfReader(tmp_path / f"{name}.pdf").pages
                 for line in page.extract_text().splitlines()]
        assert any(header.match(line) for line in lines), (name, [line for line in lines if "序" in line])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_cover_name_whole_between_its_words(tmp_path: Path) -> None:
    write_docx(compose("application_form", "offshore-base"), tmp_path / "form.docx", TIMESTAMP)
    through_libreoffice(tmp_path, tmp_path / "form.docx")
    lines = [line.strip() for line in PdfReader(tmp_path / "form.pdf").pages[0].extract_text().splitlines()]
    assert "（杭州高新区）" in lines, lines
    assert any(line.endswith("国家海外人才离岸创新创业基地") for line in lines), lines


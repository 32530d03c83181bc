"""`build-packet --blank`: the 申报表 with every cell empty, to fill in Word or WPS and read back with `haizhi import`.

It is the template of the rendered 申报表 (templates/application_form.xml.j2), given empty values: the same
cover, 填表说明, labels, headings, instruction lines, 承诺 and 单位意见 in the same layout, so the importer reads
a filled-in blank form exactly as it reads a rendered one. What a form filled in by hand needs besides:

- 基地类型 as three ☐ choices, on the cover (full names) and in 一、基本信息 (short names), read back by
  `haizhi import` when one is ticked;
- fill-in lines under the cover's 基地名称 and 申报单位, as wide as their cells;
- under each instruction line of 二–五, eight ruled empty paragraphs in the body style, where typing starts
  (and where a pen writes on a printed form);
- 八、单位意见 kept on one page: its heading and every paragraph of its three rows keep with the next, which
  Word and LibreOffice both honour by moving the whole of 八 to a new page when it does not fit (a page
  break would make the blank form differ from the filled one).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from haizhi_cli.applicant import BASIC_INFO, SECTIONS, BaseType
from haizhi_cli.documents._blocks import Block, Cell, Document, Paragraph, Table, render
from haizhi_cli.documents._composing import deadline_text, form_layout
from haizhi_cli.engine import RoundFacts, load_round, round_or_latest
from haizhi_cli.errors import Location, UsageError
from haizhi_cli.i18n import BASE_TYPE_LABELS, BASE_TYPE_NAMES, tr
from haizhi_cli.outputs import refuse_overwrite, reproducible_timestamp, write_file_atomically

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

FILE_NAME = "申报表.docx"
RULED_LINES = 8
"""Ruled empty lines under each instruction line of 二–五."""

BOX = "☐"
CHOICES = (BaseType.work_base, BaseType.offshore_base, BaseType.rd_community)
"""The three types the form's 填表说明 names, in its order."""

TYPE_LABEL = "基地类型"
FILL_IN_LABELS = ("基地名称", "申报单位")
FILL_IN_ROW_MM = 11
"""The cover's fill-in rows are as tall as a handwritten line needs, not one printed line."""


def blank_form(facts: RoundFacts) -> Document:
    """The 申报表 of `facts.round` with nothing filled in."""
    rows = [tuple({"label": label, "value": "", "source": dotted} for label, dotted in pair) for pair in BASIC_INFO]
    sections = [{"heading": heading, "instruction": instruction, "source": f"narratives.{name}", "text": ""}
                for heading, instruction, name in SECTIONS]
    document = render("application_form.xml.j2", False, round=facts.round, base_name="", base_type_label="",
                      applicant={"name": ""}, deadline_text=deadline_text(facts), basic_info=rows,
                      sections=sections, **form_layout())
    return dataclasses.replace(document, blocks=_to_fill_in(document.blocks))


def _to_fill_in(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The type choices in both tables and room to write under 二–五."""
    sources = {instruction: f"narratives.{name}" for _, instruction, name in SECTIONS}
    result: list[Block] = []
    for block in blocks:
        result.append(_for_hand(block) if isinstance(block, Table) else block)
        if isinstance(block, Paragraph) and block.style == "note" and block.text in sources:
            result += [Paragraph("", "body", sources[block.text])] * RULED_LINES
    return tuple(result)


def _for_hand(table: Table) -> Table:
    """The cell after the 基地类型 label as ☐ lines: full names on the borderless cover, short ones in the
    narrow cell of 一、基本信息; the cover's fill-in rows a handwritten line tall."""
    names = BASE_TYPE_LABELS if table.border else BASE_TYPE_NAMES
    choices = tuple(Paragraph(f"{BOX} {names[base_type.value].zh}", "plain", "base_type") for base_type in CHOICES)
    rows = []
    for row in table.rows:
        cells = list(row)
        for index, cell in enumerate(cells[:-1]):
            if cell.label and _label(cell) == TYPE_LABEL:
                cells[index + 1] = dataclasses.replace(cells[index + 1], paragraphs=choices)
        if not table.border and cells[0].label and _label(cells[0]) in FILL_IN_LABELS:
            cells = [dataclasses.replace(cell, height_mm=max(cell.height_mm, FILL_IN_ROW_MM)) for cell in cells]
        rows.append(tuple(cells))
    return dataclasses.replace(table, rows=tuple(rows))


def _label(cell: Cell) -> str:
    return "".join(paragraph.text for paragraph in cell.paragraphs).strip().rstrip("：:")


def draw_fill_in_lines(word: WordDocument) -> None:
    """What the blocks cannot say: a line under the cover's 基地名称 and 申报单位, 八 (the last table) kept
    on one page, and the ruled lines of 二–五 (the empty paragraphs after each instruction line)."""
    from haizhi_cli.documents._docx_writer import rule_paragraph, underline_cell

    for row in word.tables[0].rows:
        cells = row.cells
        if cells[0].text.strip().rstrip("：:") in FILL_IN_LABELS:
            underline_cell(cells[-1])
    for row in word.tables[-1].rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    instructions = {instruction for _, instruction, _ in SECTIONS}
    paragraphs = word.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if paragraph.text in instructions:
            for ruled in paragraphs[index + 1:index + 1 + RULED_LINES]:
                rule_paragraph(ruled)


def write_blank_form(out: Path, force: bool, round_: int | None = None, rules_root: Path | None = None) -> list[Path]:
    """Write OUT/申报表.docx (OUT is made when missing); an existing 申报表.docx is replaced only with `force`."""
    from haizhi_cli.documents._docx_writer import write_docx

    if out.exists() and not out.is_dir():
        raise UsageError(tr("输出位置是一个文件，不是文件夹；请换一个输出位置"), Location(out))
    target = out / FILE_NAME
    refuse_overwrite(target, force)
    facts = load_round(round_or_latest(round_, rules_root), rules_root).facts
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / FILE_NAME
        write_docx(blank_form(facts), staged, reproducible_timestamp(facts.deadline), draw_fill_in_lines)
        data = staged.read_bytes()
    return [write_file_atomically(target, data, force=force, make_parents=True)]

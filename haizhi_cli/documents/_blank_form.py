"""`build-packet --blank`: the 申报表 with every cell empty, to fill in Word or WPS and read back with `haizhi import`.

It is the template of the rendered 申报表 (templates/application_form.xml.j2), given empty values: the same
cover, 填表说明, labels, headings, instruction lines, 承诺 and 单位意见 in the same layout, so the importer reads
a filled-in blank form exactly as it reads a rendered one. Under each instruction line of 二–五 there is one
empty paragraph in the body style, where typing starts.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from haizhi_cli.applicant import BASIC_INFO, SECTIONS
from haizhi_cli.documents._blocks import Block, Document, Paragraph, render
from haizhi_cli.documents._composing import deadline_text, form_layout
from haizhi_cli.engine import RoundFacts, load_round, round_or_latest
from haizhi_cli.errors import Location, UsageError
from haizhi_cli.i18n import tr
from haizhi_cli.outputs import refuse_overwrite, reproducible_timestamp, write_file_atomically

FILE_NAME = "申报表.docx"


def blank_form(facts: RoundFacts) -> Document:
    """The 申报表 of `facts.round` with nothing filled in."""
    rows = [tuple({"label": label, "value": "", "source": dotted} for label, dotted in pair) for pair in BASIC_INFO]
    sections = [{"heading": heading, "instruction": instruction, "source": f"narratives.{name}", "text": ""}
                for heading, instruction, name in SECTIONS]
    document = render("application_form.xml.j2", False, round=facts.round, base_name="", base_type_label="",
                      applicant={"name": ""}, deadline_text=deadline_text(facts), basic_info=rows,
                      sections=sections, **form_layout())
    return dataclasses.replace(document, blocks=_with_room_to_type(document.blocks))


def _with_room_to_type(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """An empty body paragraph after each instruction line of 二–五."""
    sources = {instruction: f"narratives.{name}" for _, instruction, name in SECTIONS}
    result: list[Block] = []
    for block in blocks:
        result.append(block)
        if isinstance(block, Paragraph) and block.style == "note" and block.text in sources:
            result.append(Paragraph("", "body", sources[block.text]))
    return tuple(result)


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
        write_docx(blank_form(facts), staged, reproducible_timestamp(facts.deadline))
        data = staged.read_bytes()
    return [write_file_atomically(target, data, force=force, make_parents=True)]

"""Where a 申报表's parts are among the blocks of its Word file: the table 一、基本信息, the cover, the year, 二–五.

The form is found by its structure, never by styles: the table is the one carrying the most labels of
一、基本信息 (at least half of them), the cover the table before it with 申报单位, the year the cover's
（2023年） or 2023年制, and each section the blocks from its heading to the next heading found. Labels and
headings are compared after NFKC and without spaces (see `comparable`), so a form typed into in Word, WPS or
LibreOffice reads as the one haizhi rendered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from haizhi_cli.applicant import BASIC_INFO, LATER_HEADINGS, SECTIONS
from haizhi_cli.authoring._docx_blocks import Block, Paragraph, Table
from haizhi_cli.authoring._values import comparable
from haizhi_cli.errors import ApplicantFileError, Location
from haizhi_cli.i18n import tr

MIN_LABELS = len(BASIC_INFO)
"""How many of the 22 labels of 一、基本信息 a table must carry to be taken for it: half of them (11)."""

COVER_LABELS = {"基地名称": "base_name", "基地类型": "base_type", "申报单位": "applicant.name"}
"""The cover's fields, by label (its cells read `基地名称：` …)."""

ENDS = LATER_HEADINGS
"""The headings after 五: each ends the section before it."""

_ROUND = (re.compile(r"[(（](\d{4})年[)）]"), re.compile(r"(\d{4})年制"))
_INSTRUCTION = re.compile(r"[(（]请简述.*?字以内[。.]?[)）]")


@dataclass(frozen=True)
class FormParts:
    """The texts of a 申报表's parts, as found; each still to be read into values."""

    table: dict[str, tuple[str, ...]]
    """一、基本信息: applicant key → the texts of its value cell (keys whose label is missing are absent)."""
    cover: dict[str, tuple[str, ...]]
    """The cover's 基地名称, 基地类型 and 申报单位 the same way (empty when the cover has no such table)."""
    round_text: str | None
    """The year on the cover, as written; None when there is none."""
    sections: dict[str, tuple[list[str], bool] | None]
    """narratives key → (its lines, whether it held a table), or None when its heading is missing."""


def _table_labels() -> dict[str, str]:
    """Label key → applicant key for 一、基本信息; a label without its unit (服务场所面积) matches too."""
    labels = {comparable(label): dotted for pair in BASIC_INFO for label, dotted in pair}
    stems = {re.sub(r"\(.*\)$", "", label): dotted for label, dotted in labels.items()}
    return {**{stem: dotted for stem, dotted in stems.items() if stem not in labels}, **labels}


def _pairs(grid: Table, labels: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Applicant key → the cell after its label, scanning each row as label, value, label, value …"""
    found: dict[str, tuple[str, ...]] = {}
    for row in grid.rows:
        index = 0
        while index < len(row):
            dotted = labels.get(comparable("".join(row[index])))
            if dotted is None:
                index += 1
                continue
            found.setdefault(dotted, row[index + 1] if index + 1 < len(row) else ())
            index += 2
    return found


def _unbroken(cover: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The cover's one-line fields with their line breaks taken out: the writer breaks a long 基地名称 between
    words with explicit breaks (as the PDF does) and nothing else, so the lines joined are the name."""
    return {key: tuple("".join(text.splitlines()) for text in texts) for key, texts in cover.items()}


def locate_form(blocks: Sequence[Block], path: Path) -> FormParts:
    """The parts of the form in `blocks`; without the table 一、基本信息 it is not a 申报表 (ApplicantFileError)."""
    labels = _table_labels()
    scored = [(len(_pairs(block, labels)), index) for index, block in enumerate(blocks) if isinstance(block, Table)]
    best, at = max(scored, default=(0, -1))
    if best < MIN_LABELS:
        raise ApplicantFileError(tr("这不是海智计划基地申报表：没有找到“一、基本信息”表格；请导入 haizhi 生成的申报表，"
                                    "或填写 haizhi build-packet --blank 生成的空白申报表"), Location(path))
    table = blocks[at]
    assert isinstance(table, Table)
    before, after = blocks[:at], blocks[at + 1:]
    covers = [_pairs(block, COVER_LABELS) for block in before if isinstance(block, Table)]
    cover = _unbroken(next((pairs for pairs in covers if "applicant.name" in pairs), {}))
    return FormParts(_pairs(table, labels), cover, _round_text(before), _sections(after))


def _round_text(blocks: Sequence[Block]) -> str | None:
    """The year of the cover's （2023年） or 2023年制, as written."""
    for pattern in _ROUND:
        for block in blocks:
            if isinstance(block, Paragraph):
                found = pattern.fullmatch(comparable(block.text))
                if found:
                    return found.group(1)
    return None


def _heading_pattern(heading: str) -> re.Pattern[str]:
    numeral, _, title = heading.partition("、")
    return re.compile(rf"(?:{numeral}[、.,:]?)?{re.escape(comparable(title))}")


def _sections(blocks: Sequence[Block]) -> dict[str, tuple[list[str], bool] | None]:
    """Sections 二–五: the blocks from each heading to the next heading found (六–八 end 五)."""
    headings = [(heading, name) for heading, _, name in SECTIONS] + [(end, "") for end in ENDS]
    starts: dict[str, int] = {}
    position = 0
    for heading, name in headings:
        found = _find_heading(blocks, position, _heading_pattern(heading))
        if found is not None:
            starts[name or heading] = found
            position = found + 1
    ordered = sorted(starts.values())
    sections: dict[str, tuple[list[str], bool] | None] = {}
    for _, instruction, name in SECTIONS:
        start = starts.get(name)
        if start is None:
            sections[name] = None
            continue
        end = next((i for i in ordered if i > start), len(blocks))
        sections[name] = _section_lines(blocks[start + 1:end], instruction)
    return sections


def _find_heading(blocks: Sequence[Block], start: int, pattern: re.Pattern[str]) -> int | None:
    for index in range(start, len(blocks)):
        block = blocks[index]
        if isinstance(block, Paragraph) and pattern.fullmatch(comparable(block.text)):
            return index
    return None


def _section_lines(blocks: Sequence[Block], instruction: str) -> tuple[list[str], bool]:
    """The lines of a section without the form's instruction line (nor another section's, when a heading was
    deleted); a table in it is read cell by cell."""
    texts: list[str] = []
    has_table = False
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            has_table = True
            texts.extend(text for row in block.rows for cell in row for text in cell)
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    if lines:
        lines[0] = _without_instruction(lines[0].strip(), instruction)
    return [line for line in lines if not _INSTRUCTION.fullmatch(line.strip())], has_table


def _without_instruction(line: str, instruction: str) -> str:
    """A section's first line without the form's instruction (as printed, or any （请简述…字以内。）)."""
    if line.startswith(instruction):
        return line[len(instruction):]
    found = _INSTRUCTION.match(line)
    return line[found.end():] if found else line

"""Reads the parts of a located 申报表 into the values of format 1, the comments under them and warnings.

What the form holds is read as the renderer writes it: a cell or a section is its lines, each trimmed,
empty ones dropped, joined with "\\n". Numbers are converted where that is unambiguous (`_values`), the
original staying as a comment; `无` is kept. A value that does not parse (`约三百平方米`) is never dropped:
its key keeps the skeleton's placeholder, the cell's text is kept as a comment under it, and a warning
names the cell. Where the cover and 一、基本信息 both give 基地名称 or 基地类型 and differ, the table wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from haizhi_cli.applicant import (
    BASIC_INFO,
    BASIC_INFO_HEADING,
    INVISIBLE_CHARACTERS,
    MAX_TEXT_CHARS,
    SECTIONS,
    Applicant,
    BaseType,
    cell_text,
)
from haizhi_cli.authoring._form_locating import FormParts
from haizhi_cli.authoring._schema import property_nodes, value_kind
from haizhi_cli.authoring._values import label_units, parse_base_type, parse_day, parse_number, ticked_base_types
from haizhi_cli.i18n import BASE_TYPE_NAMES, tr

TABLE = BASIC_INFO_HEADING
COVER = "封面"
"""The parts of the form a warning names a cell by: `一、基本信息 · 基地名称`, `封面 · 申报单位`."""


Message = Callable[[], str]
"""A warning, made in the language asked for when it is shown: the YAML's copy is always Chinese."""


def _clean(texts: Sequence[str]) -> tuple[list[str], int]:
    """The lines of some texts as the renderer prints them (trimmed, empty ones dropped), and how many
    invisible characters were removed from them (those the loader refuses: removed here, with a warning)."""
    lines: list[str] = []
    removed = 0
    for text in texts:
        for line in text.splitlines():
            visible, count = INVISIBLE_CHARACTERS.subn("", line)
            removed += count
            if visible.strip():
                lines.append(visible.strip())
    return lines, removed


def _shown(lines: Sequence[str], limit: int = 60) -> str:
    """A cell's text in one line for a message."""
    text = " / ".join(lines)
    return text if len(text) <= limit else text[:limit] + "…"


def _original(lines: Sequence[str], suffix: str = "") -> tuple[str, ...]:
    """Comment lines holding a cell's text as it was: `原表格内容：…`, further lines indented."""
    if not lines:
        return ()
    written = [f"原表格内容：{lines[0]}", *(f"  {line}" for line in lines[1:])]
    written[-1] += suffix
    return tuple(written)


class FormReader:
    """Reads the cells and sections of a located form into values, notes and warnings."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        """What the form holds, by dotted key."""
        self.written: dict[str, Any] = {}
        """What is written instead of the skeleton's placeholder: the values, and a base type guessed."""
        self.notes: dict[str, tuple[str, ...]] = {}
        """Comment lines written under a key: the cell's text where it was converted or could not be read."""
        self.messages: list[Message] = []
        """The warnings, in the order they were found."""
        self.kinds = _kinds()
        """What each key holds (text, integer, number, date …): how its cell is parsed."""

    def set(self, dotted: str, value: Any, notes: tuple[str, ...] = ()) -> None:
        """`value` read for `dotted`: written instead of its placeholder, with `notes` under it."""
        self.written[dotted] = value
        self.notes[dotted] = notes
        self.values[dotted] = value

    def keep(self, dotted: str, notes: tuple[str, ...]) -> None:
        """Leave the skeleton's placeholder for `dotted`, with `notes` under it."""
        self.written.pop(dotted, None)
        self.notes[dotted] = notes

    def read_round(self, text: str | None, rounds: Sequence[int]) -> int:
        """The year on the cover; the latest of `rounds`, with a warning, when there is none or it has no rules."""
        latest = max(rounds)
        if text is None:
            self.messages.append(lambda: tr("封面上没有找到申报年度（如“（2023年）”），按 {round} 年度读取",
                                            round=latest))
            return latest
        found = int(text)
        if found not in rounds:
            self.messages.append(lambda: tr("申报表的年度 {found} 没有对应的规则，按 {round} 年度读取",
                                            found=found, round=latest))
            return latest
        self.set("round", found)
        return found

    def read_form(self, form: FormParts) -> BaseType:
        """Read every cell and section; the base type the form names (or guessed, with a warning)."""
        self.cell("base_name", *self.merged("base_name", "基地名称", form))
        base_type = self.base_type(*self.type_cell(form))
        self.cell("applicant.name", f"{COVER} · 申报单位", form.cover.get("applicant.name"))
        for pair in BASIC_INFO:
            for label, dotted in pair:
                if dotted not in ("base_name", "base_type"):
                    self.cell(dotted, f"{TABLE} · {label}", form.table.get(dotted))
        for heading, _, name in SECTIONS:
            self.section(f"narratives.{name}", heading, form.sections[name])
        return base_type

    def merged(self, dotted: str, label: str, form: FormParts) -> tuple[str, tuple[str, ...] | None]:
        """The cell in 一、基本信息, else the cover's; a warning when both are filled in and differ."""
        table, cover = form.table.get(dotted), form.cover.get(dotted)
        table_lines, cover_lines = _clean(table or ())[0], _clean(cover or ())[0]
        if table_lines and cover_lines and table_lines != cover_lines:
            self.differ(label, cover_lines, table_lines)
        if table_lines or not cover_lines:
            return f"{TABLE} · {label}", table
        return f"{COVER} · {label}", cover

    def type_cell(self, form: FormParts) -> tuple[str, tuple[str, ...] | None]:
        """基地类型: the table's cell if it names a type, else the cover's if that does or is the only one
        ticked at all (so that a warning about two ticks names the cell that has them), else the table's."""
        table, cover = form.table.get("base_type"), form.cover.get("base_type")
        table_lines, cover_lines = _clean(table or ())[0], _clean(cover or ())[0]
        table_type, cover_type = _read_type(table_lines), _read_type(cover_lines)
        if table_type is not None and cover_type is not None and table_type != cover_type:
            self.differ("基地类型", [BASE_TYPE_NAMES[cover_type.value].zh], [BASE_TYPE_NAMES[table_type.value].zh])
        only_cover_ticked = bool(ticked_base_types(cover_lines)) and not ticked_base_types(table_lines)
        if table_type is None and (cover_type is not None or only_cover_ticked):
            return f"{COVER} · 基地类型", cover
        return f"{TABLE} · 基地类型", table

    def differ(self, label: str, cover: list[str], table: list[str]) -> None:
        self.messages.append(lambda: tr("封面与“一、基本信息”的{label}不一致（“{cover}”与“{table}”），"
                                        "已采用“一、基本信息”中的", label=label, cover=_shown(cover),
                                        table=_shown(table)))

    def cell(self, dotted: str, cell: str, texts: tuple[str, ...] | None) -> None:
        if texts is None:
            self.messages.append(lambda: tr("{cell}：申报表中没有这一栏", cell=cell))
            self.keep(dotted, ("申报表中没有这一栏",))
            return
        lines = self.visible(cell, texts)
        if not lines:
            self.messages.append(lambda: tr("{cell}：未填写", cell=cell))
            self.keep(dotted, ("申报表中此项为空",))
            return
        kind = self.kinds[dotted]
        if kind in ("integer", "number"):
            self.number(dotted, cell, lines, kind == "integer")
        elif kind == "date":
            self.day(dotted, cell, lines)
        else:
            self.text(dotted, cell, lines)

    def visible(self, cell: str, texts: Sequence[str]) -> list[str]:
        lines, removed = _clean(texts)
        if removed:
            self.messages.append(lambda: tr("{cell}：删除了 {count} 个看不见的格式字符（如零宽空格）",
                                            cell=cell, count=removed))
        return lines

    def text(self, dotted: str, cell: str, lines: list[str]) -> None:
        text = "\n".join(lines)
        if len(text) > MAX_TEXT_CHARS:
            self.messages.append(lambda: tr("{cell}：超过 {limit:,} 个字符的上限，未读入，原文保留为注释",
                                            cell=cell, limit=MAX_TEXT_CHARS))
            self.keep(dotted, _original(lines))
            return
        self.set(dotted, text)

    def number(self, dotted: str, cell: str, lines: list[str], integer: bool) -> None:
        text = "".join(lines)
        value, problem = parse_number(text, label_units(cell), integer)
        if value is None:
            shown = _shown(lines)
            if problem == "integer":
                self.messages.append(lambda: tr("{cell}：“{value}”不是整数", cell=cell, value=shown))
            else:
                self.messages.append(lambda: tr("{cell}：“{value}”无法读作数字", cell=cell, value=shown))
            self.keep(dotted, (*_original(lines), "无法读作数字，请按原表格内容改写上面的值"))
            return
        written = cell_text(value)
        self.set(dotted, value, () if text == written else _original(lines, f"（已读作 {written}）"))

    def day(self, dotted: str, cell: str, lines: list[str]) -> None:
        value = parse_day("".join(lines))
        if isinstance(value, dt.date):
            self.set(dotted, value)
            return
        shown = _shown(lines)
        if value == "no such day":
            self.messages.append(lambda: tr("{cell}：日期“{value}”不存在", cell=cell, value=shown))
        else:
            self.messages.append(lambda: tr("{cell}：“{value}”无法读作日期", cell=cell, value=shown))
        self.keep(dotted, (*_original(lines), "无法读作日期，请按原表格内容改写上面的日期（格式 YYYY-MM-DD）"))

    def section(self, dotted: str, heading: str, found: tuple[list[str], bool] | None) -> None:
        if found is None:
            self.messages.append(lambda: tr("{cell}：申报表中没有这一部分", cell=heading))
            self.keep(dotted, ("申报表中没有这一部分",))
            return
        texts, has_table = found
        if has_table:
            self.messages.append(lambda: tr("{cell}：其中的表格已逐格读作文字，请核对", cell=heading))
        lines = self.visible(heading, texts)
        if not lines:
            self.messages.append(lambda: tr("{cell}：未填写", cell=heading))
            self.keep(dotted, ("申报表中此部分为空",))
            return
        self.text(dotted, heading, lines)

    def base_type(self, cell: str, texts: tuple[str, ...] | None) -> BaseType:
        """The type the cell names or ticks; else the one the base name's pattern names; else the first type."""
        lines = _clean(texts or ())[0]
        found = _read_type(lines)
        if found is not None:
            self.set("base_type", found.value)
            return found
        guessed = parse_base_type(str(self.values.get("base_name", "")), names_only=True)
        self.messages.append(self.type_unread(cell, lines, guessed))
        chosen = guessed or BaseType.work_base
        self.written["base_type"] = chosen.value
        self.notes["base_type"] = _original(lines) or ("申报表中此项为空",)
        return chosen

    @staticmethod
    def type_unread(cell: str, lines: list[str], guessed: BaseType | None) -> Message:
        ticked = ticked_base_types(lines)
        if ticked is not None:
            return _tick_problem(cell, ticked, guessed)
        shown = _shown(lines)
        if guessed is None:
            code = BaseType.work_base.value
            return lambda: tr("{cell}：没有读出基地类型，暂按 {code} 写出，请改为实际类型", cell=cell, code=code)
        label = BASE_TYPE_NAMES[guessed.value].zh
        if not lines:
            return lambda: tr("{cell}：未填写，按基地名称读作“{label}”，请核对", cell=cell, label=label)
        return lambda: tr("{cell}：“{value}”不是基地类型，按基地名称读作“{label}”，请核对",
                          cell=cell, value=shown, label=label)


def _read_type(lines: list[str]) -> BaseType | None:
    """The one type a cell ticks, or names when it has no boxes; None when it ticks two or none."""
    ticked = ticked_base_types(lines)
    if ticked is None:
        return parse_base_type("".join(lines))
    return ticked[0] if len(ticked) == 1 else None


def _tick_problem(cell: str, ticked: list[BaseType], guessed: BaseType | None) -> Message:
    """The warning for a cell of ☐ choices with none or several ticked, and what was written instead."""
    names = "、".join(BASE_TYPE_NAMES[base_type.value].zh for base_type in ticked)
    code = BaseType.work_base.value
    label = "" if guessed is None else BASE_TYPE_NAMES[guessed.value].zh
    if ticked and guessed is None:
        return lambda: tr("{cell}：勾选了多项（{names}），只能勾选一项；暂按 {code} 写出，请改为实际类型",
                          cell=cell, names=names, code=code)
    if ticked:
        return lambda: tr("{cell}：勾选了多项（{names}），只能勾选一项；按基地名称读作“{label}”，请核对",
                          cell=cell, names=names, label=label)
    if guessed is None:
        return lambda: tr("{cell}：三种类型都没有勾选（在所选类型前的 ☐ 处打 ☑、☒、■ 或 √）；暂按 {code} 写出，"
                          "请改为实际类型", cell=cell, code=code)
    return lambda: tr("{cell}：三种类型都没有勾选（在所选类型前的 ☐ 处打 ☑、☒、■ 或 √）；按基地名称读作“{label}”，"
                      "请核对", cell=cell, label=label)


def warning_field(warning: str) -> str | None:
    """The key a warning of the reading concerns, by the cell it starts with (`一、基本信息 · 基地地址：未填写`
    → `base.address`); None for a warning about the whole form (its year, a cover that differs)."""
    return next((dotted for cell, dotted in _cells() if warning.startswith(cell)), None)


@cache
def _cells() -> tuple[tuple[str, str], ...]:
    """How warnings name cells, with their keys, longest first (so a cell is not taken for its prefix)."""
    cells = {f"{TABLE} · {label}": dotted for pair in BASIC_INFO for label, dotted in pair}
    cells |= {f"{COVER} · {label}": dotted for label, dotted in (("基地名称", "base_name"), ("基地类型", "base_type"),
                                                                 ("申报单位", "applicant.name"))}
    cells |= {heading: f"narratives.{name}" for heading, _, name in SECTIONS}
    return tuple(sorted(cells.items(), key=lambda item: -len(item[0])))


@cache
def _kinds() -> dict[str, str]:
    """What each key of the format holds (text, integer, number, date …), from the JSON Schema."""
    schema = Applicant.model_json_schema()
    return {path: value_kind(node, schema) for path, node in property_nodes(schema)}

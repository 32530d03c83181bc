"""Help text laid out by the columns a terminal gives each character: a Chinese character takes two.

Click wraps help by counting characters and breaks lines only at spaces, so a Chinese sentence (no spaces,
two columns a character) ran past an 80-column terminal in one line. Here lines are broken as the
documents break theirs (`documents.break_lines`: at a space or between two Chinese
characters, never before closing punctuation (，。）) or after opening punctuation （（“）), measured in
terminal columns; Click's paragraph rules are kept (a blank line ends a paragraph, a paragraph opened by a
line holding only ``\\b`` is printed as written).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from rich.cells import cell_len
from typer.core import TyperGroup

from haizhi_cli.documents import break_lines

_HelpFormatter: Any = TyperGroup.context_class.formatter_class
"""The Click help formatter Typer uses (Typer 0.26–0.28 vendor Click: it is reached through Typer's class)."""

NO_REWRAP = "\b"
"""Click's mark: a paragraph whose first line holds only this is printed as written."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def wrap_cells(text: str, width: int) -> list[str]:
    """One paragraph's lines, none wider than `width` columns: the documents' line breaking (禁则 and all),
    measured in terminal columns, with no mark hanging past the width; a run of spaces is one space."""
    return break_lines(" ".join(text.split()), width, cell_len, hang=False)


def _paragraphs(text: str) -> Iterator[tuple[int, bool, str]]:
    """(indent, raw, text) for each paragraph, as Click reads them; lines of one paragraph are joined with a
    space, except between two wide characters (a Chinese sentence continued on the next line)."""
    lines: list[str] = []
    for line in [*text.expandtabs().splitlines(), ""]:
        if line.strip():
            lines.append(line)
            continue
        if lines:
            indent = cell_len(lines[0]) - cell_len(lines[0].lstrip())
            if lines[0].strip() == NO_REWRAP:
                yield indent, True, "\n".join(lines[1:])
            else:
                yield indent, False, _joined(item.strip() for item in lines)
        lines = []


def _joined(lines: Iterator[str]) -> str:
    text = ""
    for line in lines:
        text += line if text and _wide(text[-1]) and _wide(line[0]) else (" " + line if text else line)
    return text


def wrap_help(text: str, width: int, indent: str = "") -> str:
    """Help text with every paragraph rewrapped to `width` columns, each line after `indent`."""
    blocks = []
    for extra, raw, paragraph in _paragraphs(text):
        margin = indent + " " * extra
        lines = paragraph.splitlines() if raw else wrap_cells(paragraph, max(width - cell_len(margin), 10))
        blocks.append("\n".join(margin + line for line in lines))
    return "\n\n".join(blocks)


class CellHelpFormatter(_HelpFormatter):  # type: ignore[misc]
    """Click's help formatter, with text and the second column of option and command lists wrapped by
    terminal columns (`wrap_help`)."""

    def write_text(self, text: str) -> None:
        self.write(wrap_help(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = min(max((cell_len(first) for first, _ in rows), default=0), col_max) + col_spacing
        margin = " " * (self.current_indent + first_width)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second.strip():
                self.write("\n")
                continue
            fits = cell_len(first) <= first_width - col_spacing
            self.write(" " * (first_width - cell_len(first)) if fits else "\n" + margin)
            lines = wrap_help(second, max(self.width - first_width - 2, 10)).splitlines()
            self.write("\n".join([lines[0], *(margin + line if line else line for line in lines[1:])]) + "\n")


def first_sentence(text: str | None) -> str:
    """A command's line in its group's list: the first sentence of its help, whole (Click cut it at a count of
    characters, which for Chinese is half the room it takes)."""
    paragraph = (text or "").strip().split("\n\n", 1)[0]
    for end in ("。", ". "):
        if end in paragraph:
            paragraph = paragraph.split(end, 1)[0] + end.strip()
            break
    return _joined(line.strip() for line in paragraph.splitlines() if line.strip())


def short_help(command: Any) -> str:
    """The short help Click would show for `command`: its own `short_help`, else `first_sentence`."""
    return str(command.short_help) if command.short_help else first_sentence(command.help)

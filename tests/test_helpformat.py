"""Help laid out by terminal columns: a Chinese character takes two, lines break between characters or at
spaces, never before closing or after opening punctuation, and Click's paragraph rules hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from haizhi_cli.cli._app import app
from haizhi_cli.cli._helpformat import first_sentence, wrap_cells, wrap_help
from haizhi_cli.documents._linebreaking import NO_END as NO_BREAK_AFTER
from haizhi_cli.documents._linebreaking import NO_START as NO_BREAK_BEFORE

COMMANDS = ["check", "build-packet", "sign", "import", "init", "schema", "rules", "explain", "serve"]
SENTENCE = "先检查，再生成申报表、建设方案、材料清单、支持函与公示代拟稿（Word 与 PDF），装订为 packet.pdf。"


def without_spaces(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("width", [10, 20, 37, 56, 78])
def test_a_chinese_sentence_fits_the_width_and_loses_nothing(width: int) -> None:
    lines = wrap_cells(SENTENCE, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert without_spaces("".join(lines)) == without_spaces(SENTENCE)
    assert "Word 与 PDF" in " ".join(lines) or width < 20


def test_punctuation_stays_with_its_neighbour() -> None:
    for width in range(8, 60):
        lines = wrap_cells(SENTENCE, width)
        assert not any(line[0] in NO_BREAK_BEFORE for line in lines[1:]), (width, lines)
        assert not any(line[-1] in NO_BREAK_AFTER for line in lines), (width, lines)


def test_english_breaks_at_spaces_only() -> None:
    text = "Check, then write the application form, the construction plan and the checklist."
    lines = wrap_cells(text, 30)
    assert lines == ["Check, then write the", "application form, the", "construction plan and the",
                     "checklist."]


def test_a_piece_wider_than_the_line_is_cut_not_lost() -> None:
    assert wrap_cells("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap_cells("装订为 packet.pdf。", 10) == ["装订为", "packet.pd", "f。"]


@given(st.text(alphabet="中文字，。（）“” abcXYZ-.", max_size=120), st.integers(4, 90))
def test_any_text_fits_and_keeps_its_characters(text: str, width: int) -> None:
    lines = wrap_cells(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert without_spaces("".join(lines)) == without_spaces(text)


def test_paragraphs_are_kept_and_chinese_lines_join_without_a_space() -> None:
    text = "第一段的前半句，\n后半句。\n\n\b\n示例：\n  haizhi check\n\nSecond\nparagraph."
    expected = "  第一段的前半句，后半句。\n\n  示例：\n    haizhi check\n\n  Second paragraph."
    assert wrap_help(text, 80, "  ") == expected


def test_the_first_sentence_is_whole() -> None:
    assert first_sentence("写一份模板：每个键都有注释。不覆盖已有文件。\n\n示例") == "写一份模板：每个键都有注释。"
    assert first_sentence("List every rule of a round. One line each.") == "List every rule of a round."
    assert first_sentence(None) == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_every_help_page_fits_80_columns(command: list[str], lang: str) -> None:
    """No line of any help page is wider than an 80-column terminal, and no line starts with closing
    punctuation (the commands' list included, whose lines are no longer cut short with "...")."""
    result = CliRunner(env={"COLUMNS": "80", "HAIZHI_LANG": lang}).invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, [line for line in lines if cell_len(line) > 80]
    assert not [line for line in lines if line.strip() and line.strip()[0] in NO_BREAK_BEFORE]
    if not command:
        assert "..." not in "".join(line for line in lines if not line.startswith("用法") and "Usage" not in line)

"""字数 as Word and WPS count it: East Asian characters one each, other words one per run."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haizhi_cli.applicant._wordcount import WIDE, _count_word, count_chars, is_east_asian


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("字", 1),
    ("①②③", 3),
    ("温度25℃", 4),
    ("≥100", 2),
    ("3×4", 3),
    ("café au lait", 3),
    ("αβγ", 1),
    ("苏州工业园区", 6),
    ("，。：；！？（）《》", 10),
    ("ＡＢ１２", 4),
    ("“”‘’…—·", 7),
    ("……", 2),
    ("——", 2),
    ("约翰·史密斯", 6),
    ("hello", 1),
    ("2024", 1),
    ("3.5%", 1),
    ("hello-world", 1),
    ("hello world", 2),
    ("a b c", 3),
    ("😀", 1),
    ("😀😀", 2),
    ("hello😀world", 3),
    ("2024年", 2),
    ("AI年AI", 3),
    (" ", 0),
    ("\n\t\r ", 0),
    ("\u3000", 0),
    ("\u00a0", 0),
    ("  hello  \n\n  world  ", 2),
    ("苏州工业园区，2024 年 AI hello-world！", 12),
    ("《中国科协海智计划》（2023）", 13),
])
def test_count_chars(text: str, expected: int) -> None:
    assert count_chars(text) == expected


@pytest.mark.parametrize("char", list("字，。（）《》ＡＢ１“”‘’…—·😀"))
def test_east_asian_characters(char: str) -> None:
    assert is_east_asian(char)


@pytest.mark.parametrize("char", list("aZ09.%-,()\"'"))
def test_ascii_characters_are_not_east_asian(char: str) -> None:
    assert not is_east_asian(char)


def test_a_thousand_han_characters_count_a_thousand() -> None:
    assert count_chars("字" * 1000) == 1000


def test_line_breaks_separate_words() -> None:
    assert count_chars("hello\nworld") == 2
    assert count_chars("hello\r\nworld") == 2


TEXT = st.text(alphabet=st.sampled_from(list("ab1.-%字，“…😀Ａ \n\u3000")), max_size=30)


@given(TEXT, TEXT)
def test_a_space_between_two_texts_adds_their_counts(left: str, right: str) -> None:
    """A space always ends an ASCII run, so no run of `left` can continue into `right`."""
    assert count_chars(left + " " + right) == count_chars(left) + count_chars(right)


def _in_run(char: str) -> bool:
    """A character that joins neighbours into one run (an ASCII-like word character)."""
    return not char.isspace() and not is_east_asian(char)


@given(TEXT, TEXT)
def test_joining_without_a_space_merges_only_touching_runs(left: str, right: str) -> None:
    """Joined directly, the counts add up unless `left` ends and `right` starts inside a run: then one less."""
    merged = bool(left) and bool(right) and _in_run(left[-1]) and _in_run(right[0])
    assert count_chars(left + right) == count_chars(left) + count_chars(right) - int(merged)


@given(TEXT)
def test_count_is_east_asian_characters_plus_runs(text: str) -> None:
    """The docstring's definition, computed another way: split the text at everything but run characters."""
    east_asian = sum(1 for c in text if is_east_asian(c) and not c.isspace())
    runs = "".join(c if _in_run(c) else " " for c in text).split()
    assert count_chars(text) == east_asian + len(runs)
    assert 0 <= count_chars(text) <= len(text)


def test_every_character_of_the_wide_blocks_is_east_asian_and_not_a_space() -> None:
    """The fast path counts these one each without looking them up: each must be what the lookup says."""
    block = re.compile(f"[{WIDE}]")
    wide = [chr(code) for code in range(0x110000) if block.fullmatch(chr(code))]
    assert len(wide) == 7 + 0x303E - 0x3001 + 1 + 0x9FFF - 0x4E00 + 1 + 0xFF60 - 0xFF01 + 1
    assert [char for char in wide if not is_east_asian(char) or char.isspace()] == []


@given(TEXT)
def test_the_fast_count_is_the_count_character_by_character(text: str) -> None:
    assert count_chars(text) == _count_word(text)

"""Count 字数 the way Microsoft Word and WPS count it for Chinese text.

Word's 字数 (Tools → Word Count, "字数") is the number of East Asian characters plus the number of
non-East-Asian words: every Han character and every full-width character (CJK punctuation, full-width
letters and digits) counts 1; every run of other non-space characters (an English word, `2024`,
`3.5%`) counts 1 as a whole; spaces and line breaks count 0. Symbols of "ambiguous" width, which Chinese
text sets full-width — the quotes, ellipsis and dash (“”‘’…—·), circled numbers (①), units and signs
(℃ ≥ × °) — count 1 each, as Word counts them in Chinese text; letters of ambiguous width (é, α) stay
part of their word.
"""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=8192)  # a text repeats its characters: look each one up once
def is_east_asian(char: str) -> bool:
    """True for a character Word counts on its own: wide, full-width, or an ambiguous-width symbol."""
    width = unicodedata.east_asian_width(char)
    if width in ("W", "F"):
        return True
    return width == "A" and not unicodedata.category(char).startswith("L")


WIDE = "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u3001-\u303e\u4e00-\u9fff\uff01-\uff60"
"""The symbols of ambiguous width Chinese text uses most (·—‘’“”…), CJK punctuation, the CJK Unified Ideographs
and the full-width forms: each counts 1 and none is a space (tests check every one), and together they are
nearly every character of a Chinese text."""


@functools.cache
def _other_runs() -> re.Pattern[str]:
    """The runs of characters neither spaces nor of WIDE; compiled on first use, as the large ranges take
    some 1.5 ms to compile and most commands count nothing."""
    return re.compile(f"[^\\s{WIDE}]+")


def count_chars(text: str) -> int:
    """字数 of a text, as Word and WPS report it.

    Done by the regular-expression engine and string methods, not a Python step per character: every character
    that is not a space is counted, less the characters of the runs between spaces and the wide blocks; each
    such run counts 1 when it is plain ASCII (one word), else character by character. A wide character ends a
    run as a space does, so the runs are the words the definition counts."""
    runs = _other_runs().findall(text)
    wide = len("".join(text.split())) - sum(map(len, runs))
    return wide + sum(1 if run.isascii() else _count_word(run) for run in runs)


def _count_word(text: str) -> int:
    """字数 of a text, one character at a time: the definition, which `count_chars` computes faster."""
    total = 0
    in_word = False
    for char in text:
        if char.isspace():
            in_word = False
        elif is_east_asian(char):
            total += 1
            in_word = False
        elif not in_word:
            total += 1
            in_word = True
    return total

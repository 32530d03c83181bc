"""Count 字数 the way Microsoft Word and WPS count it for Chinese text.

Word's 字数 (Tools → Word Count, "字数") is the number of East Asian characters plus the number of
non-East-Asian words: every Han character and every full-width character (CJK punctuation, full-width
letters and digits) counts 1; every run of other non-space characters (an English word, `2024`,
`3.5%`) counts 1 as a whole; spaces and line breaks count 0. Curly quotes, the ellipsis and the dash
that Chinese text uses (“”‘’…—·) count 1 each, as Word counts them in Chinese text.
"""

from __future__ import annotations

import unicodedata

_CHINESE_TEXT_PUNCTUATION = frozenset("“”‘’…—·")


def is_east_asian(char: str) -> bool:
    """True for a character Word counts on its own: wide, full-width, or Chinese punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F") or char in _CHINESE_TEXT_PUNCTUATION


def count_chars(text: str) -> int:
    """字数 of a text, as Word and WPS report it."""
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

"""Text as a person may safely see it: on a terminal, in a CI log, in a report.

A name or key from a user's file may hold characters that a terminal or a CI log acts on instead of showing:
ESC and other C0/C1 controls (colours, OSC 0 window titles, OSC 8 links), right-to-left overrides (U+202E
makes `gpj.exe` read `exe.jpg`), line and paragraph separators. They are shown escaped, as `repr()` shows them
(`\\x1b`, `\\u202e`), so the reader sees what is really there. A path is also never printed so that a line
begins with `::`, which GitHub Actions would read as a workflow command.
"""

from __future__ import annotations

import unicodedata

_ACTING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls, format characters (bidirectional overrides, zero-width marks), lone surrogates, line separators."""


def visible(text: str, keep: str = "\n\t") -> str:
    """`text` with every acting character escaped, but for those in `keep` (line breaks and tabs by default)."""
    if text.isprintable():
        return text
    return "".join(_escaped(char) if char not in keep and _acts(char) else char for char in text)


def shown_path(path: object) -> str:
    """A file name as haizhi prints it: on one line, visible, and never read as a workflow command (a name
    that would start a line with `::` is shown as `./::…`, the same relative path)."""
    text = visible(str(path), keep="")
    return f"./{text}" if text.lstrip().startswith("::") else text


def _acts(char: str) -> bool:
    return unicodedata.category(char) in _ACTING


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

"""Messages in Chinese (the default) or English.

Every user-facing message is written in Chinese in the code, as `tr("中文模板 {name}", name=value)`;
the Chinese template is also the key of its English translation in `EN` (as gettext uses its msgid).
`tests/test_i18n.py` fails when a template passed to `tr` has no English entry.
The language is a value, chosen once per command (`--lang`, else `HAIZHI_LANG`, else Chinese) and passed
down; `tr` reads it from a context variable that the command sets with `speaking(lang)` for the time it
runs. Nothing sets it at import time, and leaving `speaking` puts back what was there before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from haizhi_cli.i18n._en import EN


@dataclass(frozen=True, slots=True)
class Localized:
    """A value that reads differently in each language of the report."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_LANG: ContextVar[str] = ContextVar("haizhi_lang", default=DEFAULT_LANG)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Let `tr` answer in `lang` (an unknown language is Chinese) until the block ends."""
    token = _LANG.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _LANG.reset(token)


def current_lang() -> str:
    """The language `tr` answers in here and now."""
    return _LANG.get()


def tr(template: str, /, **values: object) -> str:
    """The message in the current language, with `{name}` filled from `values` (str.format rules)."""
    chosen = EN.get(template, template) if _LANG.get() == "en" else template
    return chosen.format(**values) if values else chosen


def later(template: str, /) -> str:
    """A message translated when it is shown rather than now: the template as it is. Help texts are defined
    when the command line is imported, before any language is chosen; the command classes pass them through
    `tr` when they print help (tests/test_i18n.py checks their English entries as it checks `tr`'s)."""
    return template


def translated_later(template: str, /) -> str:
    """A text marked with `later()`, in the current language."""
    return EN.get(template, template) if _LANG.get() == "en" else template


def lang_from(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The language a command line asks for, before it is parsed: `--lang en`, `--lang=en`, else HAIZHI_LANG."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1] if argv[index + 1] in LANGS else "zh"
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGS else "zh"
    value = (environ if environ is not None else dict(os.environ)).get("HAIZHI_LANG", "zh")
    return value if value in LANGS else "zh"

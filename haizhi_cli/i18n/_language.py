"""Messages in Chinese (the default) or English.

Every user-facing message is written in Chinese in the code, as `tr("中文模板 {name}", name=value)`;
the Chinese template is also the key of its English translation in `EN` (as gettext uses its msgid).
`tests/test_i18n.py` fails when a template passed to `tr` has no English entry.
The language is a process-wide setting chosen once by the command line (`--lang`, `HAIZHI_LANG`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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
_current = {"lang": "zh"}


def set_lang(lang: str) -> None:
    """Choose the language of every later message (a worker process calls this too)."""
    _current["lang"] = lang if lang in LANGS else "zh"


def current_lang() -> str:
    return _current["lang"]


def tr(template: str, /, **values: object) -> str:
    """The message in the current language, with `{name}` filled from `values` (str.format rules)."""
    chosen = EN.get(template, template) if _current["lang"] == "en" else template
    return chosen.format(**values) if values else chosen


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

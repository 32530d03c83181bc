"""Messages in Chinese (the default) or English, and the one vocabulary of labels.

The language is a value chosen once per command and passed down; `tr` reads it from a context variable the
command sets with `speaking(lang)`, never at import time. `vocabulary` names categories, statuses, base types
and the verdict for every reporter and document.
The bottom layer: it imports nothing else of haizhi.
"""

from haizhi_cli.i18n._display import shown_path, visible
from haizhi_cli.i18n._language import (
    DEFAULT_LANG,
    LANGS,
    Localized,
    current_lang,
    lang_from,
    later,
    speaking,
    tr,
    translated_later,
)
from haizhi_cli.i18n._vocabulary import (
    ALL_BASE_TYPES,
    BASE_TYPE_LABELS,
    BASE_TYPE_NAMES,
    CATEGORY_LABELS,
    COMPLETE,
    ELIGIBLE,
    INCOMPLETE,
    NOT_ELIGIBLE,
    SEVERITY_LABELS,
    STATUS_LABELS,
    joined,
    label,
    status_counts,
    verdict,
)

__all__ = [
    "ALL_BASE_TYPES",
    "BASE_TYPE_LABELS",
    "BASE_TYPE_NAMES",
    "CATEGORY_LABELS",
    "COMPLETE",
    "DEFAULT_LANG",
    "ELIGIBLE",
    "INCOMPLETE",
    "LANGS",
    "NOT_ELIGIBLE",
    "SEVERITY_LABELS",
    "STATUS_LABELS",
    "Localized",
    "current_lang",
    "joined",
    "label",
    "lang_from",
    "later",
    "shown_path",
    "speaking",
    "status_counts",
    "tr",
    "translated_later",
    "verdict",
    "visible",
]

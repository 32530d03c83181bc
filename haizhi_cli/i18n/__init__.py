"""Messages in Chinese (the default) or English, and the one vocabulary of labels.

The bottom layer: it imports nothing else of haizhi.
"""

from haizhi_cli.i18n._language import Localized, current_lang, lang_from, set_lang, tr

__all__ = ["Localized", "current_lang", "lang_from", "set_lang", "tr"]

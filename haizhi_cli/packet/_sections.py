"""Where the 申报表's sections 一 … 八 lie in its PDF, read from the pages' text.

The bookmarks inside the 申报表 point at these pages, and `sign` finds the pages to replace by them: the
last page of 六 (the 承诺 is signed at its end) and every page of 八 (the three opinions). The text is read,
not remembered from the layout, so that a PDF made by LibreOffice is found the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject

from haizhi_cli.applicant import BASIC_INFO_HEADING, LATER_HEADINGS, OPINIONS_HEADING, PROMISE_HEADING, SECTIONS

FORM_HEADINGS = (BASIC_INFO_HEADING, *(section[0] for section in SECTIONS), *LATER_HEADINGS)
"""The headings of the 申报表's sections, 一 to 八, in order."""
SIGNED_HEADINGS = (PROMISE_HEADING, OPINIONS_HEADING)
"""The sections signed and stamped by hand: 六 承诺 and 八 单位意见."""
IGNORED_LINES = frozenset({"草稿", "草", "稿"})
"""A draft's watermark, which a page's text may begin with."""


@dataclass(frozen=True)
class Section:
    heading: str
    first: int
    """The page its heading is on (0 is the document's first page)."""
    last: int
    """The page it ends on: the next heading's page, or the one before when that heading opens its page."""


def page_lines(page: PageObject) -> list[str]:
    """The non-empty lines of a page's text, without a draft's watermark."""
    lines = (line.strip() for line in page.extract_text().splitlines())
    return [line for line in lines if line and line not in IGNORED_LINES]


def form_sections(pages: Sequence[list[str]], first_page: int = 0) -> list[Section]:
    """The sections found among `pages` (each page's lines), numbered from `first_page`; a heading that is not
    found (a form laid out otherwise) is left out rather than guessed."""
    found: list[tuple[str, int]] = []
    start = 0
    for heading in FORM_HEADINGS:
        page = next((n for n in range(start, len(pages)) if heading in pages[n]), None)
        if page is not None:
            found.append((heading, page))
            start = page
    return [Section(heading, first_page + page, first_page + _last_page(found, index, pages))
            for index, (heading, page) in enumerate(found)]


def _last_page(found: list[tuple[str, int]], index: int, pages: Sequence[list[str]]) -> int:
    if index + 1 == len(found):
        return len(pages) - 1
    heading, page = found[index + 1]
    opens_its_page = bool(pages[page]) and pages[page][0] == heading
    return max(found[index][1], page - 1 if opens_its_page else page)

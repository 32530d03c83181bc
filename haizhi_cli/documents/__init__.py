"""Documents: the 申报表, 建设方案 and cover documents laid out as blocks and written as Word and PDF.

Rendering lays out what the applicant wrote; it never decides eligibility (the check's report says that).
The writers and the font resolution load when first used (PEP 562 `__getattr__`), so that a build refused
by the check pays for neither python-docx nor fpdf2.
May import: checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from haizhi_cli._lazy import loaded_when_used
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blank_form import write_blank_form
from haizhi_cli.documents._blocks import Document
from haizhi_cli.documents._composing import ChecklistItem
from haizhi_cli.documents._linebreaking import break_lines

if TYPE_CHECKING:
    from haizhi_cli.documents._docx_writer import write_docx
    from haizhi_cli.documents._fontset import FontSet, bundled_face, resolve_fonts
    from haizhi_cli.documents._pdf_fonts import add_face
    from haizhi_cli.documents._pdf_writer import PAGE_NUMBER_MARK, write_pdf, write_self_numbered_pdf

_LOADED_WHEN_USED = {
    "write_docx": "_docx_writer", "FontSet": "_fontset", "resolve_fonts": "_fontset", "bundled_face": "_fontset",
    "write_pdf": "_pdf_writer", "write_self_numbered_pdf": "_pdf_writer", "add_face": "_pdf_fonts",
    "PAGE_NUMBER_MARK": "_pdf_writer",
}

__getattr__ = loaded_when_used(__name__, _LOADED_WHEN_USED)


__all__ = [
    "PAGE_NUMBER_MARK",
    "ChecklistItem",
    "Document",
    "FontSet",
    "add_face",
    "break_lines",
    "bundled_face",
    "composing",
    "resolve_fonts",
    "write_blank_form",
    "write_docx",
    "write_pdf",
    "write_self_numbered_pdf",
]

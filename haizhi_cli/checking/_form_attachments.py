"""Which PDF beside a received 申报表 is which item of 申报表七, by its file name.

The form lists the items (支持函, 证明材料, 海外团体简介, 合作证明, 政策文件) but not the files: a unit sends its
PDFs in the form's folder (or a folder below it) under names of its own. Each PDF is offered to the first item
whose words its name holds — the item's number first (`七3-1-proofs.pdf`), then its Chinese or English words.
Every PDF is listed, matched or not, and a reviewer confirms it: the name is a guess, never a fact.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from haizhi_cli.applicant import OTHER_MATERIALS

ITEM_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("partner_agreements", ("合作", "协议", "partner", "agreement", "cooperation")),
    ("support_letter", ("支持函", "support-letter", "support_letter", "supportletter")),
    ("policy_documents", ("政策", "policy", "policies")),
    ("overseas_contacts", ("简介", "海外团体", "专家", "contacts")),
    ("proofs", ("证明", "经费", "预算", "办公", "人员", "proof")),
)
"""The words by which a file name names an item, tried in this order: 合作的证明材料 is item 5, not item 3."""
_ITEM_NUMBER = re.compile(r"^(?:附件)?七\s*[-_.]?\s*(\d)")
_KEY_BY_NUMBER = {item.number: item.keys[0] for item in OTHER_MATERIALS if item.keys}
_ITEM_BY_KEY = {key: item for item in OTHER_MATERIALS for key in item.keys}


@dataclass(frozen=True)
class Offer:
    """A PDF beside the form (relative to its folder, with `/`) and the key of 七 it is offered to, if any."""

    file: str
    key: str | None
    second_letter: bool = False
    """Named as a support letter when another already is: 七1 is one letter, so this one is not offered."""

    @property
    def clause(self) -> str:
        return _ITEM_BY_KEY[self.key].clause if self.key else ""

    @property
    def title(self) -> str:
        return _ITEM_BY_KEY[self.key].title if self.key else ""


def offer_attachments(form: Path) -> list[Offer]:
    """Every PDF in the form's folder and below, in name order, each with the item its name names; a
    second support letter is not offered (七1 is one letter) and is listed unmatched."""
    offers: list[Offer] = []
    for file in pdfs_beside(form):
        key = item_key(Path(file).name)
        if key == "support_letter" and any(offer.key == key for offer in offers):
            offers.append(Offer(file, None, second_letter=True))
        else:
            offers.append(Offer(file, key))
    return offers


MAX_DEPTH = 2
"""How far below the form's folder PDFs are looked for (`attachments/七3/证明.pdf`): a form saved at the top of a
large folder must not have the whole tree walked."""


def pdfs_beside(form: Path) -> list[str]:
    """The PDFs below the form's folder, as paths relative to it, in name order (`attachments/…` before the
    names in the form's folder, as a build's packet folder has them). Hidden folders, folders deeper than
    MAX_DEPTH and the folder of another unit (one holding a 申报表 of its own) are left out."""
    root = form.parent
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        depth = len(Path(folder).relative_to(root).parts)
        if depth and any(_names_a_form(name) for name in names):
            dirs[:] = []
            continue
        dirs[:] = [] if depth >= MAX_DEPTH else sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder, name).relative_to(root).as_posix() for name in names if name.lower().endswith(".pdf")]
    return sorted(found)


FORM_SUFFIXES = (".docx",)
"""The files read as a 申报表 rather than as an applicant file."""
FORM_NAME_MARK = "申报表"
"""A Word file found in a folder is taken as a form when its name says so (建设方案.docx is not one)."""


def is_form(path: Path) -> bool:
    return path.suffix.lower() in FORM_SUFFIXES


def looks_like_form(path: Path) -> bool:
    """A Word file in a folder that is a 申报表 by its name, not Word's lock file (`~$申报表.docx`)."""
    return is_form(path) and FORM_NAME_MARK in path.stem and not path.name.startswith("~$")


def _names_a_form(name: str) -> bool:
    return looks_like_form(Path(name))


def item_key(name: str) -> str | None:
    """The key of the item of 七 a file name names: by its number (七3…), else by its words."""
    numbered = _ITEM_NUMBER.match(name)
    if numbered and int(numbered.group(1)) in _KEY_BY_NUMBER:
        return _KEY_BY_NUMBER[int(numbered.group(1))]
    lowered = name.lower()
    for key, words in ITEM_WORDS:
        if any(word in lowered for word in words):
            return key
    return None

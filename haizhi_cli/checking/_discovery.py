"""Which files a command line names: applicant files given, and those found below the folders given.

A folder is searched for YAML files whose top level has a `format:` key and for Word files named as a
申报表 (`申报表.docx`, `某单位申报表.docx`: the forms that units send); every other YAML or Word file found
is passed over and named, and a folder without any applicant file is an error: nothing is left out silently.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from haizhi_cli.checking._form_attachments import is_form, looks_like_form

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv"})
"""Folders never searched for applicant files (besides hidden ones such as .git and .venv)."""

_APPLICANT_MARK = re.compile(rb"^format[ \t]*:", re.MULTILINE)
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Found:
    """The files a command line names: applicant files to check, YAML files passed over, and folders
    given that hold no applicant file at all (each an error: a folder is never passed over silently)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    empty: list[Path] = field(default_factory=list)


def find_applicant_files(paths: Iterable[Path]) -> Found:
    """Files as given; folders searched below for YAML files with a top-level `format:` key, in name order."""
    found = Found()
    for path in paths:
        if path.is_dir():
            before = len(found.files)
            _search_folder(path, found)
            if len(found.files) == before:
                found.empty.append(path)
        else:
            found.files.append(path)
    return found


def _search_folder(folder: Path, found: Found) -> None:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in sorted(names):
            path = Path(root) / name
            if path.suffix.lower() in YAML_SUFFIXES:
                (found.files if looks_like_applicant(path) else found.skipped).append(path)
            elif is_form(path) and not name.startswith("~$"):
                (found.files if looks_like_form(path) else found.skipped).append(path)


def looks_like_applicant(path: Path) -> bool:
    """An applicant file starts its format with `format:` at the top level (format 1, first key or not).

    Only a regular file is opened to look: a FIFO, a socket or a device named `*.yaml` would block the scan
    (or never end). Such an entry, like an unreadable file, is checked rather than passed over, so the
    loader reports it as the error it is ("not a regular file") and the run exits 2 without waiting.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return True
        with path.open("rb") as handle:
            return _APPLICANT_MARK.search(handle.read(SNIFF_BYTES)) is not None
    except OSError:
        return True  # unreadable: check it, so the error is reported rather than the file passed over

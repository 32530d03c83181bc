"""`haizhi import`: read a 申报表 (.docx) back into an applicant file (format 1).

The form is found by its structure, not by its styles or runs: the table whose cells carry the labels of
一、基本信息 (compared after NFKC and without spaces, so full-width and half-width brackets, colons and
stray spaces all match), the cover's 基地名称/基地类型/申报单位 table before it, the year in the cover's
（2023年）, and the headings 二–八 after it. A form that haizhi rendered, the blank one from
`build-packet --blank` typed into in Word, WPS or LibreOffice (runs split, empty paragraphs added,
styles changed) all read the same way.

What the form holds is read as the renderer writes it: a cell or a section is its lines, each trimmed,
empty ones dropped, joined with "\\n". Numbers written with full-width digits, `，` thousands separators
or the cell's unit are converted where that is unambiguous (the original stays as a comment); `无` is
kept. A value that does not parse (`约三百平方米`) is never dropped: its key gets the skeleton's
placeholder, the cell's text is written as a comment under it, and a warning names the cell.

Everything the form does not ask (申报对象, eligibility figures, conditions, the plan, attachments, …) is
written as `haizhi init` writes it: commented placeholders that `common.no_placeholders` fails on. The
YAML always loads (`haizhi check` gives exit 0 or 1 on it, never 2) and the same form gives the same bytes.

One module does each step: `_docx_blocks` reads the Word file into paragraphs and tables, `_form_locating`
finds the parts of the form among them, `_form_reading` reads those into values (parsed by `_values`),
comments and warnings, and `_import_writing` writes the YAML with the skeleton's writer. None of them writes
a file: only `write_import` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from haizhi_cli.applicant import BaseType
from haizhi_cli.authoring._docx_blocks import read_blocks
from haizhi_cli.authoring._form_locating import locate_form
from haizhi_cli.authoring._form_reading import FormReader
from haizhi_cli.authoring._import_writing import imported_yaml
from haizhi_cli.engine import available_rounds, load_round
from haizhi_cli.errors import Location, UsageError
from haizhi_cli.i18n import speaking, tr
from haizhi_cli.outputs import write_file_atomically


@dataclass(frozen=True)
class ImportResult:
    """What a 申报表 holds, as format 1."""

    source: Path
    round: int
    base_type: BaseType
    values: dict[str, Any]
    """Every key read from the form, dotted (`base.service_area_m2`), with its value as written to the YAML."""
    warnings: tuple[str, ...]
    """Cells that were empty or could not be read, each naming its cell, in the current language."""
    text: str
    """The applicant file (YAML, format 1)."""

    @property
    def data(self) -> Any:
        """The applicant file as plain data."""
        return yaml.safe_load(self.text)


def import_form(path: Path, rules_root: Path | None = None) -> ImportResult:
    """Read the 申报表 at `path`; a file that is not one (or not a Word file) is an ApplicantFileError."""
    blocks = read_blocks(path)
    form = locate_form(blocks, path)
    reader = FormReader()
    round_ = reader.read_round(form.round_text, available_rounds(rules_root))
    base_type = reader.read_form(form)
    ruleset = load_round(round_, rules_root)
    with speaking("zh"):
        text = imported_yaml(path.name, ruleset, base_type, reader, rules_root)
    warnings = tuple(message() for message in reader.messages)
    return ImportResult(path, round_, base_type, dict(reader.values), warnings, text)


def write_import(result: ImportResult, out: Path, force: bool) -> None:
    """Write the applicant file to `out` atomically; an existing file only with `force`, never the form itself."""
    if out.absolute() == result.source.absolute() or (out.exists() and out.resolve() == result.source.resolve()):
        raise UsageError(tr("输出文件不能是要导入的申报表本身；请用 -o 给出 .yaml 文件名"), Location(out))
    write_file_atomically(out, result.text.encode("utf-8"), force=force, make_parents=True)



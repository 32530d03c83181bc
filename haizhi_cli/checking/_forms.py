"""`haizhi check 申报表.docx`: a received Word form read as `haizhi import` reads it, and checked in the same run.

Reading the form is authoring's work, and checking may not import authoring (they are one layer): the command
line passes the reader in (`CheckOptions.read_form`, `authoring.import_form`). What comes back is what
`import` would write; the PDFs beside the form are offered to the items of 申报表七 by their file names
(`_form_attachments`). The rules then run as on any applicant file, and each finding is placed on the form:

- a key the form holds, read from its cell: the finding as it is, pointing at the cell (申报表一 “服务场所面积”);
- a key the form has a cell for that was empty or could not be read: `review`, saying so (the reading's
  own remark is a `warn` finding of its own, `form.reading`);
- a key the form has no place for (申报对象类别, 法人资格, 申报进程的日期, 统一社会信用代码 …) and which PDF is
  which attachment: `review`, saying that the form does not carry it. Never a pass, never a fail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from haizhi_cli.applicant import (
    BASIC_INFO,
    BASIC_INFO_HEADING,
    OTHER_MATERIALS,
    SECTIONS,
    LoadedApplicant,
    load_applicant,
)
from haizhi_cli.checking._form_attachments import Offer, offer_attachments
from haizhi_cli.engine import Category, Finding, Report, Status, available_rounds
from haizhi_cli.i18n import joined, tr

ATTACHMENT_FIELDS = [field for item in OTHER_MATERIALS for field in item.fields]
"""Every field of the applicant file that names attachment files, in the order of the form's 七."""


class ReadForm(Protocol):
    """What a form reader gives back (`authoring.ImportResult`)."""

    @property
    def values(self) -> dict[str, Any]:
        """Every key read from the form, dotted, with its value."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """The remarks of the reading, each naming its cell."""

    @property
    def data(self) -> Any:
        """The applicant file the form becomes, as plain data."""


FormReader = Callable[[Path, "Path | None"], ReadForm]
"""Reads the 申报表 at a path with the rules of a rules folder (None: the bundled ones)."""


@cache
def form_cells() -> dict[str, tuple[str, str]]:
    """Where the form holds each key it carries: (part, label), e.g. ("一", "服务场所面积")."""
    cells = {"round": ("封面", "（年度）"), "applicant.name": ("封面", "申报单位")}
    part = BASIC_INFO_HEADING.split("、")[0]
    cells |= {dotted: (part, label) for pair in BASIC_INFO for label, dotted in pair}
    cells |= {f"narratives.{name}": (heading.split("、")[0], heading.split("、")[1]) for heading, _, name in SECTIONS}
    return cells


def cell_name(dotted: str) -> str | None:
    """The cell of `dotted` as a reviewer finds it on the form: 申报表一 “服务场所面积”."""
    found = form_cells().get(dotted)
    if found is None:
        return None
    part, label = found
    return tr("申报表{part} “{label}”", part=part, label=label)


def load_form(path: Path, read: ReadForm, offers: list[Offer], rules_root: Path | None) -> LoadedApplicant:
    """The applicant the form becomes, its attachments the PDFs offered, placed at the form's own path (so
    that attachments are found beside it and reports name it)."""
    data = read.data
    _fill_attachments(data, offers)
    import tempfile  # off the start-up path of a check, as in check_bytes

    with tempfile.TemporaryDirectory(prefix="haizhi-form-") as folder:
        copy = Path(folder) / "form.yaml"
        copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        loaded = load_applicant(copy, available_rounds(rules_root))
    return LoadedApplicant(dataclasses.replace(loaded.document, path=path), loaded.applicant)


def _fill_attachments(data: dict[str, Any], offers: list[Offer]) -> None:
    attachments = data.setdefault("attachments", {})
    for offer in offers:
        if offer.key is None:
            continue
        if offer.key == "support_letter":
            attachments["support_letter"] = {**(attachments.get("support_letter") or {}), "file": offer.file}
        else:
            attachments.setdefault(offer.key, []).append(offer.file)


RulesRun = Callable[[LoadedApplicant], tuple[list[Finding], Mapping[str, list[str]]]]
"""Runs the round's rules on an applicant: the findings, and the keys each rule read (by rule id)."""


def check_form(path: Path, read_form: FormReader, run_rules: RulesRun, rules_root: Path | None) -> Report:
    """The report for one form: its findings placed on the form, its reading's remarks, its PDFs offered."""
    read = read_form(path, rules_root)
    offers = offer_attachments(path)
    loaded = load_form(path, read, offers, rules_root)
    applicant = loaded.applicant
    findings, fields = run_rules(loaded)
    placed = [on_form(finding, read.values, fields.get(finding.rule, ())) for finding in findings]
    remarks = [_reading_remark(warning) for warning in read.warnings]
    listed = [_offer_finding(offer) for offer in offers]
    return Report(str(path), applicant.round, applicant.base_type.value, applicant.base_name,
                  [*remarks, *placed, *listed])


def on_form(finding: Finding, read: Mapping[str, Any], fields: Sequence[str] = ()) -> Finding:
    """A finding of the rules placed on the form (see the module's docstring); `fields` are the keys its
    rule read: a finding is the form's own only when every one of them was read from the form."""
    field = finding.field
    cell = None if field is None else cell_name(field)
    elsewhere = [key for key in fields if key not in read]
    if field is not None and field in read and cell is not None:
        if not elsewhere:
            return dataclasses.replace(finding, line=None, cell=cell)
        message = tr("{cell}与申报表中没有的 {keys} 一起判断，须按原件核对：{message}", cell=cell,
                     keys=joined(elsewhere), message=finding.message)
    elif cell is not None:
        message = tr("{cell}为空或未能读出（见读取提示），须核对：{message}", cell=cell, message=finding.message)
    elif field is not None and names_a_file(field):
        message = tr("申报表不写明哪个 PDF 是哪项附件（已按文件名对应），须核对：{message}", message=finding.message)
    else:
        message = tr("申报表中没有这一项，须按原件或附件核对：{message}", message=finding.message)
    return dataclasses.replace(finding, status=Status.review, message=message, line=None, cell=cell)


def names_a_file(field: str) -> bool:
    """Whether a key holds attachment files (`attachments.proofs[0]`, `attachments.support_letter.file`), not
    what else the applicant file says of them (the letter's issuer and level)."""
    return any(field in (key, f"{key}.file") or field.startswith(f"{key}[") for key in ATTACHMENT_FIELDS)


def _reading_remark(warning: str) -> Finding:
    return Finding("form.reading", "填表说明", Category.form, Status.warn,
                   tr("读取申报表：{warning}", warning=warning))


def _offer_finding(offer: Offer) -> Finding:
    """A PDF beside the form, matched to an item of 申报表七 by its name, or not: to be confirmed either way."""
    if offer.second_letter:
        return Finding("form.attachments", "申报表七1", Category.materials, Status.review,
                       tr("{file}：文件名像是支持函，但申报表七1 只有一份，已对应前面的一份；须人工核对",
                          file=offer.file), offer.file)
    if offer.key is None:
        return Finding("form.attachments", "申报表七", Category.materials, Status.review,
                       tr("{file}：按文件名无法对应申报表七的任何一项，须人工核对", file=offer.file), offer.file)
    return Finding("form.attachments", offer.clause, Category.materials, Status.review,
                   tr("{file}：按文件名对应{clause} {title}，须核对", file=offer.file, clause=offer.clause,
                      title=offer.title), offer.file, field=f"attachments.{offer.key}")

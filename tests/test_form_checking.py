"""A Word 申报表 in `haizhi check`: which PDF beside it is which item of 七, which Word files a folder holds as
forms, and how a finding of the rules is placed on the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from haizhi_cli.checking._discovery import find_applicant_files
from haizhi_cli.checking._form_attachments import item_key, offer_attachments
from haizhi_cli.checking._forms import cell_name, on_form
from haizhi_cli.engine._results import Category, Finding, Status
from haizhi_cli.i18n import speaking


@pytest.mark.parametrize(("name", "key"), [
    ("七1-support-letter.pdf", "support_letter"),
    ("七3-1-proofs.pdf", "proofs"),
    ("附件七6 文件.pdf", "policy_documents"),
    ("市政府支持函（盖章）.pdf", "support_letter"),
    ("经费预算证明.pdf", "proofs"),
    ("与境外机构合作的证明材料.pdf", "partner_agreements"),  # 合作 before 证明: item 5, not 3
    ("海外专家情况简介.pdf", "overseas_contacts"),
    ("人才政策汇编.PDF", "policy_documents"),
    ("扫描件001.pdf", None),
    ("七2-建设方案.pdf", None),  # 七2 is the 建设方案, which haizhi writes: no file is offered to it
])
def test_a_file_name_names_an_item_of_seven(name: str, key: str | None) -> None:
    assert item_key(name) == key


def test_every_pdf_below_the_form_is_offered_once_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "attachments").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("attachments/七1-support-letter.pdf", "支持函.pdf", "证明.pdf", ".hidden/政策.pdf", "说明.txt"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    offers = offer_attachments(tmp_path / "申报表.docx")
    assert [(o.file, o.key, o.second_letter) for o in offers] == [
        ("attachments/七1-support-letter.pdf", "support_letter", False),
        ("支持函.pdf", None, True),
        ("证明.pdf", "proofs", False),
    ]


def test_another_units_folder_and_deep_folders_are_not_searched(tmp_path: Path) -> None:
    for name in ("单位乙/申报表.docx", "单位乙/政策.pdf", "a/b/证明.pdf", "a/b/c/简介.pdf", "a/申报表.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    assert [o.file for o in offer_attachments(tmp_path / "申报表.docx")] == ["a/b/证明.pdf", "a/申报表.pdf"]


def test_a_folder_holds_the_word_files_named_as_forms(tmp_path: Path) -> None:
    for name in ("a/申报表.docx", "b/某单位申报表.DOCX", "b/~$申报表.docx", "b/建设方案.docx", "c/applicant.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("format: 1\n", encoding="utf-8")
    found = find_applicant_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "a/申报表.docx", "b/某单位申报表.DOCX", "c/applicant.yaml"]
    assert [p.relative_to(tmp_path).as_posix() for p in found.skipped] == ["b/建设方案.docx"]


def finding(field: str | None, status: Status = Status.failed) -> Finding:
    return Finding("r", "一", Category.eligibility, status, "消息", 1, None, field, 12)


def test_a_finding_on_a_cell_read_keeps_its_status_and_names_the_cell() -> None:
    placed = on_form(finding("base.service_area_m2"), {"base.service_area_m2": 80}, ["base.service_area_m2"])
    assert (placed.status, placed.message, placed.line) == (Status.failed, "消息", None)
    assert placed.cell == "申报表一 “服务场所面积（平方米）”"


@pytest.mark.parametrize(("field", "read", "fields", "start"), [
    ("applicant.independent_legal_person", {}, [], "申报表中没有这一项"),
    ("attachments.proofs", {}, [], "申报表不写明哪个 PDF 是哪项附件"),
    ("attachments.proofs[1].file", {}, [], "申报表不写明哪个 PDF 是哪项附件"),
    ("attachments.support_letter.issuer", {}, [], "申报表中没有这一项"),
    ("base.service_area_m2", {}, [], "申报表一 “服务场所面积（平方米）”为空或未能读出"),
    ("base.resident_rd_institutions", {"base.resident_rd_institutions": 17},
     ["base.resident_rd_institutions", "eligibility.intl_org_offices"],
     "申报表一 “入驻新型研发机构数量（家）”与申报表中没有的 eligibility.intl_org_offices 一起判断"),
    (None, {}, [], "申报表中没有这一项"),
])
@pytest.mark.parametrize("status", [Status.passed, Status.failed, Status.warn])
def test_what_the_form_does_not_carry_is_review_saying_so(field: str | None, read: dict[str, int],
                                                          fields: list[str], start: str, status: Status) -> None:
    placed = on_form(finding(field, status), read, fields)
    assert placed.status is Status.review  # never a silent pass, never a fail
    assert placed.message.startswith(start) and placed.message.endswith("消息")
    assert placed.line is None


def test_the_cells_of_the_form() -> None:
    with speaking("zh"):
        assert cell_name("narratives.foundation") == "申报表二 “工作基础”"
        assert cell_name("applicant.name") == "申报表封面 “申报单位”"
        assert cell_name("applicant.kind") is None
    assert Finding("r", "一", Category.form, Status.passed, "m", cell="申报表二 “工作基础”").as_json()["cell"] == \
        "申报表二 “工作基础”"
    assert "cell" not in Finding("r", "一", Category.form, Status.passed, "m").as_json()


def test_a_cell_is_named_once_before_the_message() -> None:
    cell = "申报表一 “服务场所面积（平方米）”"
    assert Finding("r", "一", Category.form, Status.failed, "不足", cell=cell).message_at_cell("：") == f"{cell}：不足"
    assert Finding("r", "一", Category.form, Status.review, f"{cell}为空", cell=cell).message_at_cell("：") == \
        f"{cell}为空"
    assert Finding("r", "一", Category.form, Status.failed, "不足").message_at_cell("：") == "不足"

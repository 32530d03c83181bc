"""The packet plan, made without writing anything: which documents, which attachment files under which item of
申报表七 and in which order, the 材料清单's rows, what is missing and what packet.pdf binds. And the one
description of 七 and 八 in applicant/_form.py that the plan, the check and the documents read."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from haizhi_cli.applicant._form import ATTACHMENT_KEYS, OPINIONS, OTHER_MATERIALS
from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.applicant._models import Applicant, Attachments, BaseType
from haizhi_cli.checking._forms import ATTACHMENT_FIELDS
from haizhi_cli.checking._pipeline import CheckOptions, check_file
from haizhi_cli.documents import _composing as composing
from haizhi_cli.engine._results import Report
from haizhi_cli.packet._packet_plan import (
    DOCUMENTS,
    AttachedFile,
    BoundPart,
    ChecklistRow,
    CheckSummary,
    PacketPlan,
    plan_packet,
)
from tests.conftest import CHECK_DAY, EXAMPLES

ALL_EXAMPLES = sorted(p.parent.name for p in EXAMPLES.glob("*/applicant.yaml"))
KEYS_IN_ORDER = ("support_letter", "proofs", "overseas_contacts", "partner_agreements", "policy_documents")
"""The attachment keys in 申报表七's order (items 1, 3, 4, 5, 6), written out here independently of the form."""
ITEM_OF_KEY = {"support_letter": 1, "proofs": 3, "overseas_contacts": 4, "partner_agreements": 5,
               "policy_documents": 6}


def applicant(example: str) -> Applicant:
    return load_applicant(EXAMPLES / example / "applicant.yaml", [2023]).applicant


def clean_report(who: Applicant) -> Report:
    """A report with nothing failed: eligible and complete."""
    return Report("applicant.yaml", who.round, who.base_type.value, who.base_name, [])


def changed(example: str, **attachments: Any) -> Applicant:
    """An example with some `attachments` keys replaced (None removes the key)."""
    data = yaml.safe_load((EXAMPLES / example / "applicant.yaml").read_text(encoding="utf-8"))
    for key, value in attachments.items():
        if value is None:
            data["attachments"].pop(key, None)
        else:
            data["attachments"][key] = value
    return Applicant.model_validate(data)


def numbers_in_items(files: list[tuple[int, str]]) -> list[str]:
    """Each file's number, the form's own: `七1` for the one support letter, `七N-k` for the k-th file of a
    list item."""
    numbers: list[str] = []
    for item, _ in files:
        place = sum(1 for number in numbers if number.startswith(f"七{item}-")) + 1
        numbers.append("七1" if item == 1 else f"七{item}-{place}")
    return numbers


def written_files(example: str) -> list[tuple[int, str]]:
    """(item of 七, path as written) of every attachment file, read from the raw YAML in 七's order."""
    data = yaml.safe_load((EXAMPLES / example / "applicant.yaml").read_text(encoding="utf-8"))["attachments"]
    found: list[tuple[int, str]] = []
    for key in KEYS_IN_ORDER:
        value = data.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        found += [(ITEM_OF_KEY[key], item if isinstance(item, str) else item["file"]) for item in items]
    return found


# --- the plan of each bundled example ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plans() -> dict[str, PacketPlan]:
    result = {}
    for example in ALL_EXAMPLES:
        path = EXAMPLES / example / "applicant.yaml"
        report = check_file(path, CheckOptions(CHECK_DAY))
        result[example] = plan_packet(applicant(example), report, draft=False)
    return result


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_the_generated_documents_come_first_in_a_fixed_order(plans: dict[str, PacketPlan], example: str) -> None:
    plan = plans[example]
    assert [(d.name, d.role, d.in_packet) for d in plan.documents] == [
        ("申报表", "application_form", True), ("建设方案", "construction_plan", True),
        ("支持函代拟稿", "support_letter_draft", False), ("公示代拟稿", "public_notice_draft", False)]
    assert [d.compose for d in plan.documents] == [composing.application_form, composing.construction_plan,
                                                   composing.support_letter_draft, composing.public_notice_draft]


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_every_attachment_file_is_planned_under_its_item_in_the_forms_order(
        plans: dict[str, PacketPlan], example: str) -> None:
    plan = plans[example]
    assert [(a.item.number, a.written) for a in plan.attachments] == written_files(example)
    assert [a.number for a in plan.attachments] == numbers_in_items(written_files(example))
    assert [a.copy for a in plan.attachments] == [
        f"attachments/{number}-{Path(w).name}" for number, (_, w) in zip(
            numbers_in_items(written_files(example)), written_files(example), strict=True)]
    letter = applicant(example).attachments.support_letter
    assert [a.alone for a in plan.attachments] == [
        "支持函.pdf" if letter is not None and a.written == letter.file else None for a in plan.attachments]


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_the_packet_binds_the_cover_the_form_then_seven_in_the_forms_order(
        plans: dict[str, PacketPlan], example: str) -> None:
    plan = plans[example]
    attached = [a for a in plan.attachments if a.copy is not None]
    letter = [BoundPart(a.copy or "", "七1 地方政府支持函", None, True) for a in attached if a.item.number == 1]
    others = [BoundPart(a.copy or "", f"{a.number} {Path(a.written).name}", f"七{a.item.number} {a.item.title}", True)
              for a in attached if a.item.number != 1]
    assert plan.cover == "材料清单.pdf"
    assert plan.bound == (
        BoundPart("申报表.pdf", "中国科协海智计划基地申报表"),
        *letter,
        BoundPart("建设方案.pdf", "七2 海智计划基地建设方案"),
        *others,
    )


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_the_checklist_lists_the_form_then_every_file_under_its_number_in_seven(
        plans: dict[str, PacketPlan], example: str) -> None:
    plan = plans[example]
    rows = plan.checklist
    letter = [a for a in plan.attachments if a.item.number == 1]
    others = [a for a in plan.attachments if a.item.number != 1]
    assert [r.number for r in rows] == ["—", *(a.number for a in letter), "七2", *(a.number for a in others)]
    assert rows[0] == ChecklistRow("—", "中国科协海智计划基地申报表", "申报表.pdf")
    assert rows[1 + len(letter)] == ChecklistRow("七2", "海智计划基地建设方案", "建设方案.pdf")
    listed = [r for r in rows if r.number not in ("—", "七2")]
    assert [(r.title, r.file) for r in listed] == [(f"{a.item.title}：\n{a.copy or a.written}", a.copy)
                                                  for a in (*letter, *others)]


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_the_plan_records_the_checks_verdict(plans: dict[str, PacketPlan], example: str) -> None:
    expected = yaml.safe_load((EXAMPLES / example / "expected.yaml").read_text(encoding="utf-8"))
    check = plans[example].check
    assert (check.eligible, check.complete) == (expected["eligible"], expected["complete"])
    assert check.failed_rules == tuple(sorted(expected["fail"]))


def test_the_work_base_plan_in_full(plans: dict[str, PacketPlan]) -> None:
    plan = plans["work-base"]
    assert (plan.base_name, plan.base_type, plan.round, plan.draft) == (
        "中国科协海智工作基地（苏州工业园区）", "work_base", 2023, False)
    assert plan.attachments == (
        AttachedFile(OTHER_MATERIALS[0], "attachments/support-letter.pdf", "attachments/七1-support-letter.pdf",
                     "支持函.pdf", "七1"),
        AttachedFile(OTHER_MATERIALS[2], "attachments/proofs.pdf", "attachments/七3-1-proofs.pdf", number="七3-1"),
        AttachedFile(OTHER_MATERIALS[3], "attachments/overseas-contacts.pdf",
                     "attachments/七4-1-overseas-contacts.pdf", number="七4-1"),
        AttachedFile(OTHER_MATERIALS[5], "attachments/policies.pdf", "attachments/七6-1-policies.pdf",
                     number="七6-1"),
    )
    assert [(r.number, r.title) for r in plan.checklist] == [
        ("—", "中国科协海智计划基地申报表"),
        ("七1", "地方政府支持函：\nattachments/七1-support-letter.pdf"),
        ("七2", "海智计划基地建设方案"),
        ("七3-1", "人员、经费、办公条件、预算等相关证明材料：\nattachments/七3-1-proofs.pdf"),
        ("七4-1", "联系的海外团体、专家情况简介：\nattachments/七4-1-overseas-contacts.pdf"),
        ("七6-1", "地方党委、政府专项支持或配套政策文件：\nattachments/七6-1-policies.pdf")]
    assert plan.missing == ()  # a work base is not asked for 七5's partner proofs
    assert plan.verdict == "符合申报条件；材料齐全"


def test_the_offshore_plan_binds_its_partner_proofs_as_item_five(plans: dict[str, PacketPlan]) -> None:
    plan = plans["offshore-base"]
    assert [a.item.number for a in plan.attachments] == [1, 3, 4, *[5] * 12, 6, 6]
    assert [a.number for a in plan.attachments][2:] == [
        "七4-1", *(f"七5-{n}" for n in range(1, 13)), "七6-1", "七6-2"]
    assert [p.group for p in plan.bound][-3:] == ["七5 与境外海智合作机构合作的证明材料",
                                                  "七6 地方党委、政府专项支持或配套政策文件",
                                                  "七6 地方党委、政府专项支持或配套政策文件"]
    assert plan.attachments[3].copy == "attachments/七5-1-partner-01.pdf"


def test_a_missing_support_letter_is_listed_as_not_given(plans: dict[str, PacketPlan]) -> None:
    plan = plans["fail-rd-community-missing-letter"]
    assert plan.missing == ("地方政府支持函（申报表七1）：未提供",)
    assert [a.alone for a in plan.attachments] == [None] * len(plan.attachments)
    assert plan.verdict == "符合申报条件；材料不齐"


# --- the plan's decisions, on changed applicants -------------------------------------------------------------

def test_an_unreadable_file_is_listed_missing_and_later_files_keep_their_places() -> None:
    who = changed("work-base", proofs=["attachments/proofs.pdf", "broken.pdf", "attachments/policies.pdf"])
    plan = plan_packet(who, clean_report(who), draft=True, unreadable={"broken.pdf"})
    assert [a.copy for a in plan.attachments] == [
        "attachments/七1-support-letter.pdf", "attachments/七3-1-proofs.pdf", None, "attachments/七3-3-policies.pdf",
        "attachments/七4-1-overseas-contacts.pdf", "attachments/七6-1-policies.pdf"]
    assert [p.bookmark for p in plan.bound] == [
        "中国科协海智计划基地申报表", "七1 地方政府支持函", "七2 海智计划基地建设方案", "七3-1 proofs.pdf",
        "七3-3 policies.pdf", "七4-1 overseas-contacts.pdf", "七6-1 policies.pdf"]
    assert plan.checklist[4] == ChecklistRow("七3-2", "人员、经费、办公条件、预算等相关证明材料：\nbroken.pdf", None)
    assert plan.missing == ("人员、经费、办公条件、预算等相关证明材料：broken.pdf（申报表七3）",)
    assert plan.verdict == "符合申报条件；材料齐全（草稿）"


def test_the_support_letter_is_also_copied_alone_wherever_it_is_listed() -> None:
    who = changed("work-base", proofs=["attachments/support-letter.pdf"])
    plan = plan_packet(who, clean_report(who), draft=False)
    assert [(a.copy, a.alone) for a in plan.attachments][:2] == [
        ("attachments/七1-support-letter.pdf", "支持函.pdf"), ("attachments/七3-1-support-letter.pdf", "支持函.pdf")]


def test_an_unreadable_support_letter_is_not_copied_alone() -> None:
    who = applicant("work-base")
    plan = plan_packet(who, clean_report(who), draft=False, unreadable={"attachments/support-letter.pdf"})
    assert (plan.attachments[0].copy, plan.attachments[0].alone) == (None, None)
    assert plan.missing == ("地方政府支持函：attachments/support-letter.pdf（申报表七1）",)


def test_items_given_nothing_are_missing_and_partner_proofs_only_for_an_offshore_base() -> None:
    work = changed("work-base", overseas_contacts=[], policy_documents=[])
    assert plan_packet(work, clean_report(work), False).missing == (
        "联系的海外团体、专家情况简介（申报表七4）：未提供",
        "地方党委、政府专项支持或配套政策文件（申报表七6）：未提供")
    offshore = changed("offshore-base", partner_agreements=None)
    assert plan_packet(offshore, clean_report(offshore), False).missing == (
        "与境外海智合作机构合作的证明材料（申报表七5）：未提供",)


def test_the_checklist_gives_the_numbers_printed_after_the_cover() -> None:
    """The cover is not numbered; the list's two pages are 1 and 2, so the 申报表 begins on page 3."""
    who = changed("work-base", proofs=["attachments/proofs.pdf", "broken.pdf"])
    plan = plan_packet(who, clean_report(who), False, unreadable={"broken.pdf"})
    pages = {"申报表.pdf": 5, "建设方案.pdf": 2, "attachments/七1-support-letter.pdf": 1,
             "attachments/七3-1-proofs.pdf": 3, "attachments/七4-1-overseas-contacts.pdf": 1,
             "attachments/七6-1-policies.pdf": 2}
    items = plan.checklist_items(pages, cover_pages=3)
    assert [(i.number, i.pages, i.status) for i in items] == [
        ("—", "3–7", "已附"), ("七1", "8", "已附"), ("七2", "9–10", "已附"), ("七3-1", "11–13", "已附"),
        ("七3-2", "—", "缺（无法读取）"), ("七4-1", "14", "已附"), ("七6-1", "15–16", "已附")]


def test_the_manifest_lists_the_packet_the_check_then_the_files() -> None:
    who = applicant("work-base")
    report = Report("applicant.yaml", 2023, "work_base", who.base_name, [])
    data = plan_packet(who, report, draft=True).manifest("2023-09-01T00:00:00+00:00", [{"path": "packet.pdf"}])
    assert list(data) == ["base_name", "base_type", "round", "draft", "generated", "haizhi", "as_of", "check",
                          "files"]
    assert data["check"] == {"eligible": True, "complete": True, "failed_rules": [],
                             "counts": {"fail": 0, "warn": 0, "review": 0}}
    assert data["draft"] is True and data["files"] == [{"path": "packet.pdf"}]


def test_making_a_plan_touches_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    who = changed("offshore-base", proofs=["missing.pdf"])
    report = clean_report(who)

    def no_io(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the plan did I/O: {args}")

    for name in ("stat", "lstat", "listdir", "scandir", "open", "mkdir", "replace", "rename"):
        monkeypatch.setattr(os, name, no_io)
    monkeypatch.setattr(builtins, "open", no_io)
    try:
        plan = plan_packet(who, report, draft=False, unreadable={"missing.pdf"})
    finally:
        monkeypatch.undo()
    assert plan.check == CheckSummary(True, True, (), (("fail", 0), ("warn", 0), ("review", 0)))
    assert plan.documents == DOCUMENTS


# --- the one description of 七 and 八 ---------------------------------------------------------------------

def test_seven_prints_the_notices_items() -> None:
    assert [item.printed for item in OTHER_MATERIALS] == [
        "1. 地方政府支持函；",
        "2. 海智计划基地建设方案（提纲见附件）；",
        "3. 人员、经费、办公条件、预算等相关证明材料；",
        "4. 联系的海外团体、专家情况简介；",
        "5. 离岸基地提供不少于10家与境外的海智合作机构合作的证明材料；",
        "6. 地方党委、政府专项支持或配套政策文件。",
    ]
    assert [item.clause for item in OTHER_MATERIALS] == [f"申报表七{n}" for n in range(1, 7)]


def test_every_attachment_key_of_the_applicant_file_is_one_item_of_seven() -> None:
    assert ATTACHMENT_KEYS == KEYS_IN_ORDER
    assert set(ATTACHMENT_KEYS) == set(Attachments.model_fields)
    assert {item.number: item.keys for item in OTHER_MATERIALS if item.keys} == {
        number: (key,) for key, number in ITEM_OF_KEY.items()}
    assert [f"attachments.{key}" for key in KEYS_IN_ORDER] == ATTACHMENT_FIELDS


def test_items_are_titled_as_the_applicant_file_titles_their_keys() -> None:
    assert [item.title for item in OTHER_MATERIALS] == [
        "地方政府支持函", "海智计划基地建设方案", "人员、经费、办公条件、预算等相关证明材料",
        "联系的海外团体、专家情况简介", "与境外海智合作机构合作的证明材料", "地方党委、政府专项支持或配套政策文件"]
    assert [item.number for item in OTHER_MATERIALS if item.only_for is BaseType.offshore_base] == [5]


def test_eight_has_three_opinion_rows_the_first_naming_the_unit() -> None:
    assert [(o.label, o.with_name) for o in OPINIONS] == [
        ("申报单位意见", True), ("所在地市科协意见", False), ("省级科协意见", False)]


def test_the_filled_and_the_blank_form_print_seven_and_eight_alike() -> None:
    from haizhi_cli.documents._blank_form import blank_form
    from haizhi_cli.engine._rules import load_round

    facts = load_round(2023).facts
    filled = composing.application_form(applicant("work-base"), facts)
    blank = blank_form(facts)

    def tail(blocks: tuple[Any, ...]) -> list[str]:
        texts = [repr(block) for block in blocks]
        return texts[next(i for i, t in enumerate(texts) if "七、其他材料" in t):]

    assert tail(filled.blocks) == tail(blank.blocks)
    assert any("2023年9月15日前" in repr(block) for block in blank.blocks)

"""End-to-end runs of `haizhi check` on the Word 申报表 that reviewers receive, asserting on output and exit status.

The forms are the examples' own, as `build-packet` writes them (申报表.docx beside the packet's PDFs), and the
blank form filled in the way a person fills it (python-docx, runs split, a ticked ☑ type, values typed in
cells). What the form does not carry is `review`, never a pass or a fail; findings name the form's cells.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook

from haizhi_cli.checking import cell_name
from haizhi_cli.i18n import speaking
from tests.conftest import EXAMPLES, OPEN_EXAMPLES, run
from tests.test_importing import blank, fill_like_a_person, tables, type_over, value_cell

pytestmark = pytest.mark.usefixtures("chinese")
AS_OF = "2023-06-01"
AREA_CELL = "申报表一 “服务场所面积（平方米）”"
FORMATS = ("text", "concise", "json", "junit", "github")
FORM_KEYS_READ = ("base_name", "base_type", "base.", "narratives.", "applicant.name", "round")


def check_json(*args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    res = run("check", "--as-of", AS_OF, "--format", "json", *args)
    data = json.loads(res.stdout)
    return res.exit_code, data if isinstance(data, list) else [data]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each eligible example's packet folder, as `build-packet` writes it."""
    root = tmp_path_factory.mktemp("built")
    folders = {}
    for name in OPEN_EXAMPLES:
        res = run("build-packet", EXAMPLES / name / "applicant.yaml", "-o", root / name)
        assert res.exit_code == 0, res.output
        folders[name] = root / name
    return folders


@pytest.fixture
def by_hand(tmp_path: Path) -> Path:
    """The blank form filled in as a person would (its service area 约三百平方米, not a number), in a folder
    with the unit's PDFs under names of their own."""
    unit = tmp_path / "无锡高新区"
    unit.mkdir()
    form = fill_like_a_person(blank(tmp_path))
    shutil.copy(form, unit / "申报表.docx")
    attachments = EXAMPLES / "work-base" / "attachments"
    shutil.copy(next(attachments.glob("*letter*.pdf")), unit / "市政府支持函.pdf")
    shutil.copy(next(attachments.glob("*policies*.pdf")), unit / "人才政策汇编.pdf")
    shutil.copy(next(attachments.glob("*policies*.pdf")), unit / "扫描件001.pdf")
    return unit / "申报表.docx"


def findings_of(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [finding for finding in report["findings"] if finding["rule"] == rule]


def read_from_form(field: str | None) -> bool:
    return field is not None and any(field == key or (key.endswith(".") and field.startswith(key))
                                     for key in FORM_KEYS_READ)


# --- the examples' own built forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", OPEN_EXAMPLES)
def test_each_examples_built_form_is_checked_in_the_same_run(built: dict[str, Path], name: str) -> None:
    status, reports = check_json(built[name] / "申报表.docx")
    assert status == 0  # nothing the form carries fails; what it does not carry is to be reviewed
    report = reports[0]
    expected = json.loads(run("check", "--as-of", AS_OF, "--format", "json",
                              EXAMPLES / name / "applicant.yaml").stdout)
    assert (report["base_type"], report["base_name"]) == (expected["base_type"], expected["base_name"])
    assert report["file"].endswith("申报表.docx")
    for finding in report["findings"]:
        assert "line" not in finding, finding  # the form has cells, not lines
        if finding["rule"].startswith("form."):
            continue
        if not read_from_form(finding.get("field")):
            assert finding["status"] == "review", finding  # never a silent pass, never a fail
        else:
            assert finding["cell"].startswith("申报表"), finding


@pytest.mark.parametrize("name", OPEN_EXAMPLES)
def test_the_fields_the_form_has_no_place_for_are_review_saying_so(built: dict[str, Path], name: str) -> None:
    report = check_json(built[name] / "申报表.docx")[1][0]
    by_field = {finding.get("field"): finding for finding in report["findings"]}
    for field in ("applicant.kind", "applicant.independent_legal_person", "process.provincial_submission"):
        finding = by_field[field]
        assert finding["status"] == "review"
        assert finding["message"].startswith("申报表中没有这一项，须按原件或附件核对：")
    letter = findings_of(report, "common.support_letter_issuer")[0]  # the letter's issuer: not on the form
    assert letter["status"] == "review" and letter["message"].startswith("申报表中没有这一项")
    for finding in findings_of(report, "common.attachment_files") + findings_of(report, "common.policy_documents"):
        assert finding["status"] == "review" and "哪个 PDF 是哪项附件（已按文件名对应）" in finding["message"]


def test_the_pdfs_beside_a_built_form_are_offered_to_seven_by_name(built: dict[str, Path]) -> None:
    report = check_json(built["work-base"] / "申报表.docx")[1][0]
    listed = {finding["actual"]: finding for finding in findings_of(report, "form.attachments")}
    assert listed["attachments/七1-support-letter.pdf"]["field"] == "attachments.support_letter"
    assert listed["attachments/七3-1-proofs.pdf"]["clause"] == "申报表七3"
    assert listed["attachments/七6-1-policies.pdf"]["field"] == "attachments.policy_documents"
    assert "只有一份" in listed["支持函.pdf"]["message"]  # 七1 is one letter: the second is not taken
    assert "无法对应" in listed["packet.pdf"]["message"] and "field" not in listed["packet.pdf"]
    assert all(finding["status"] == "review" for finding in listed.values())
    area = next(f for f in report["findings"] if f["rule"] == "work_base.service_area")
    assert (area["status"], area["cell"]) == ("pass", AREA_CELL)


# --- a form filled in as a person would ----------------------------------------------------------------------


def test_a_form_filled_by_hand_is_checked_with_its_cells_named(by_hand: Path) -> None:
    status, reports = check_json(by_hand)
    assert status == 0
    report = reports[0]
    assert report["base_type"] == "work_base" and report["base_name"] == "中国科协海智工作基地（无锡高新区）"
    reading = findings_of(report, "form.reading")
    assert any("约三百平方米" in f["message"] and f["status"] == "warn" for f in reading)
    area = findings_of(report, "work_base.service_area")[0]
    assert area["status"] == "review" and area["cell"] == AREA_CELL
    assert area["message"].startswith(f"{AREA_CELL}为空或未能读出")
    staff = findings_of(report, "common.staff_full_time")[0]
    assert staff["status"] == "pass" and staff["cell"] == "申报表一 “专职工作人员数量（人）”"
    listed = {f["actual"]: f.get("field") for f in findings_of(report, "form.attachments")}
    assert listed == {"人才政策汇编.pdf": "attachments.policy_documents",
                      "市政府支持函.pdf": "attachments.support_letter", "扫描件001.pdf": None}


def test_a_cell_that_breaks_a_rule_fails_at_that_cell(by_hand: Path) -> None:
    word = docx.Document(str(by_hand))
    type_over(value_cell(tables(word)[1], "服务场所面积（平方米）"), "80")
    word.save(str(by_hand))
    res = run("check", "--as-of", AS_OF, "--format", "concise", by_hand)
    assert res.exit_code == 1, res.output
    line = next(line for line in res.stdout.splitlines() if "work_base.service_area " in line)
    assert line.startswith(f"{by_hand}: 不通过 work_base.service_area 一（一）2（2） {AREA_CELL}：")
    annotated = run("check", "--as-of", AS_OF, "--format", "github", by_hand).stdout
    assert f"::error file={by_hand},title=work_base.service_area 一（一）2（2）::{AREA_CELL}：服务场地 80" in annotated
    failures = ET.fromstring(run("check", "--as-of", AS_OF, "--format", "junit", by_hand).stdout).iter("failure")
    assert any(AREA_CELL in str(failure.get("message")) for failure in failures)
    explained = run("check", "--as-of", AS_OF, "--format", "text", "--explain", by_hand)
    assert "base.service_area_m2（申报表一" in explained.stdout.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_names_the_cell(by_hand: Path, output_format: str) -> None:
    res = run("check", "--as-of", AS_OF, "--format", output_format, by_hand)
    assert res.exit_code == 0, res.output
    shown = res.stdout.replace("\n", "").replace(" ", "")
    assert AREA_CELL.replace(" ", "") in shown, res.stdout
    assert "扫描件001.pdf" in res.stdout
    if output_format == "junit":
        ET.fromstring(res.stdout)
    if output_format == "github":
        assert f"::notice file={by_hand}" in res.stdout


def test_the_cells_are_named_in_english_too(by_hand: Path) -> None:
    res = run("check", "--as-of", AS_OF, "--format", "concise", "--lang", "en", by_hand)
    assert "form part 一, “服务场所面积（平方米）” is empty or could not be read" in res.stdout
    assert "the form has no place for this" in res.stdout
    with speaking("en"):
        assert cell_name("narratives.goals") == "form part 四, “预期目标”"


# --- a folder of received submissions ------------------------------------------------------------------------


@pytest.fixture
def submissions(by_hand: Path, built: dict[str, Path], tmp_path: Path) -> Path:
    """One folder per unit: a hand-filled form with its PDFs, a built form with its packet, an applicant file
    with its attachments, and a Word file that is not a form."""
    root = tmp_path / "收到的申报"
    shutil.copytree(by_hand.parent, root / "a-无锡")
    shutil.copytree(built["rd-community"], root / "b-社区")
    shutil.copytree(EXAMPLES / "offshore-base", root / "c-离岸")
    return root


def test_a_folder_mixing_yaml_and_forms_with_jobs_and_summary(submissions: Path, tmp_path: Path) -> None:
    summary = tmp_path / "汇总.xlsx"
    res = run("check", "--as-of", AS_OF, "--format", "json", "--jobs", "2", "--summary", summary, submissions)
    assert res.exit_code == 0, res.output
    files = [Path(report["file"]).relative_to(submissions).as_posix() for report in json.loads(res.stdout)]
    assert files == ["a-无锡/申报表.docx", "b-社区/申报表.docx", "c-离岸/applicant.yaml"]
    assert "跳过 3 个文件名不含“申报表”的 Word 文件" in res.stderr  # 建设方案, 支持函代拟稿, 公示代拟稿
    sheets = load_workbook(summary)
    names = [row[0] for row in sheets.worksheets[0].iter_rows(min_row=2, values_only=True) if row[0]]
    assert [Path(str(name)).name for name in names[:3]] == ["申报表.docx", "申报表.docx", "applicant.yaml"]
    alone = run("check", "--as-of", AS_OF, "--format", "json", submissions)
    assert alone.stdout == res.stdout  # one process or two, the same report


def test_a_word_file_named_that_is_not_a_form_cannot_be_checked(built: dict[str, Path]) -> None:
    res = run("check", "--as-of", AS_OF, "--format", "concise", built["work-base"] / "建设方案.docx")
    assert res.exit_code == 2, res.output
    assert "建设方案.docx" in res.stderr

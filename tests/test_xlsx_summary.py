"""The Excel summary, read back with openpyxl: sheets, rows, text kept as text, same bytes, no overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from haizhi_cli.checking._pipeline import CheckOptions, check_file
from haizhi_cli.engine._results import Category, FileError, Finding, Outcome, Report, Status
from haizhi_cli.errors._errors import UsageError
from haizhi_cli.reports._xlsx import display_width, write_summary
from tests.conftest import CHECK_DAY, EXAMPLES

CODE = "913205940000000001"
"""Number-looking text (a 统一社会信用代码 made of digits): Excel would turn it into 9.13205940000000E+17."""

FAIL = Finding("common.credit_code", "申报表一", Category.form, Status.failed, "统一社会信用代码校验位不符",
               CODE, "=SUM(A1)", "applicant.credit_code", 16)
WARN = Finding("common.round_open", "二（三）", Category.process, Status.warn, "申报已于 2023-09-15 截止",
               "2026-11-28", "<= 2023-09-15")
REVIEW = Finding("work_base.channels", "一（一）2（3）", Category.eligibility, Status.review,
                 "已说明渠道，须审核确认", "66 字", "书面说明", "conditions.channels", 42)
PASS = Finding("work_base.service_area", "一（一）2（2）", Category.eligibility, Status.passed, "服务场地 350 平方米",
               350, ">= 100", "base.service_area_m2", 23)
OUTCOMES: list[Outcome] = [
    Report("a/applicant.yaml", 2023, "work_base", "中国科协海智工作基地（苏州工业园区）", [PASS, FAIL, WARN, REVIEW]),
    Report("0012/applicant.yaml", 2023, "rd_community", "00123", [PASS]),
    FileError("bad/applicant.yaml", "YAML 语法错误", 3, 1),
]
SUMMARY_HEADERS = ("文件", "基地名称", "基地类型", "年度", "符合申报条件", "材料齐全", "不通过项数", "警告项数",
                   "待审核项数", "说明")
FINDING_HEADERS = ("文件", "基地名称", "状态", "规则", "条款", "类别", "检查结果", "要求", "读到的值", "键", "行")


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))


def written(tmp_path: Path, outcomes: list[Outcome] = OUTCOMES, lang: str = "zh") -> openpyxl.Workbook:
    path = tmp_path / "汇总.xlsx"
    write_summary(outcomes, path, lang)
    return openpyxl.load_workbook(path)


def test_two_sheets_with_their_headers(tmp_path: Path) -> None:
    book = written(tmp_path)
    assert book.sheetnames == ["汇总", "不通过项"]
    assert rows(book["汇总"])[0] == SUMMARY_HEADERS
    assert rows(book["不通过项"])[0] == FINDING_HEADERS


def test_a_row_per_applicant(tmp_path: Path) -> None:
    table = rows(written(tmp_path)["汇总"])[1:]
    assert table == [
        ("a/applicant.yaml", "中国科协海智工作基地（苏州工业园区）", "中国科协海智工作基地", 2023, "是", "否", 1, 1, 1,
         None),
        ("0012/applicant.yaml", "00123", "海智国际研发社区", 2023, "是", "是", 0, 0, 0, None),
        ("bad/applicant.yaml", None, None, None, "无法检查", "无法检查", None, None, None, "3:1 YAML 语法错误"),
    ]


def test_a_row_per_failed_or_warned_finding(tmp_path: Path) -> None:
    table = rows(written(tmp_path)["不通过项"])[1:]
    assert table == [
        ("a/applicant.yaml", "中国科协海智工作基地（苏州工业园区）", "不通过", "common.credit_code", "申报表一",
         "填表规范", "统一社会信用代码校验位不符", "=SUM(A1)", CODE, "applicant.credit_code", 16),
        ("a/applicant.yaml", "中国科协海智工作基地（苏州工业园区）", "警告", "common.round_open", "二（三）",
         "程序与时限", "申报已于 2023-09-15 截止", "<= 2023-09-15", "2026-11-28", None, None),
    ]


def test_text_that_looks_like_a_number_or_a_formula_stays_text(tmp_path: Path) -> None:
    book = written(tmp_path)
    findings, summary = book["不通过项"], book["汇总"]
    assert findings["I2"].data_type == "s" and findings["I2"].value == CODE
    assert findings["H2"].data_type == "s" and findings["H2"].value == "=SUM(A1)"
    assert summary["B3"].data_type == "s" and summary["B3"].value == "00123"
    assert summary["G2"].data_type == "n"


def test_headers_are_bold_frozen_and_filtered(tmp_path: Path) -> None:
    book = written(tmp_path)
    for sheet, last in ((book["汇总"], "J4"), (book["不通过项"], "K3")):
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{last}"


def test_columns_fit_chinese_text(tmp_path: Path) -> None:
    sheet = written(tmp_path)["汇总"]
    name = "中国科协海智工作基地（苏州工业园区）"
    assert sheet.column_dimensions["B"].width >= display_width(name)
    assert display_width(name) == 2 * len(name)
    assert display_width("abc") == 3


def test_english_sheets(tmp_path: Path) -> None:
    book = written(tmp_path, lang="en")
    assert book.sheetnames == ["Summary", "Failing findings"]
    assert rows(book["Summary"])[1][2:6] == ("work_base", 2023, "yes", "no")
    assert rows(book["Failing findings"])[1][2] == "fail"


def test_the_same_outcomes_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_summary(OUTCOMES, first)
    write_summary(OUTCOMES, second)
    assert first.read_bytes() == second.read_bytes()
    created = openpyxl.load_workbook(first).properties.created
    assert created == dt.datetime(2023, 9, 15)


def test_source_date_epoch_sets_the_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "s.xlsx"
    write_summary(OUTCOMES, path)
    created = openpyxl.load_workbook(path).properties.created
    assert created == dt.datetime(2023, 11, 14, 22, 13, 20)


def test_an_existing_file_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(UsageError) as refused:
        write_summary(OUTCOMES, path)
    assert str(path) in str(refused.value) and "--force" in str(refused.value)
    assert path.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_force_replaces_it_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(b"mine")
    write_summary(OUTCOMES, path, force=True)
    assert openpyxl.load_workbook(path).sheetnames == ["汇总", "不通过项"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_a_summary_of_the_bundled_examples(tmp_path: Path) -> None:
    options = CheckOptions(CHECK_DAY)
    outcomes: list[Outcome] = [check_file(EXAMPLES / name / "applicant.yaml", options)
                               for name in ("work-base", "fail-work-base-small-area")]
    book = written(tmp_path, outcomes)
    assert [r[4:7] for r in rows(book["汇总"])[1:]] == [("是", "是", 0), ("否", "是", 1)]
    assert [r[3] for r in rows(book["不通过项"])[1:]] == ["work_base.service_area"]

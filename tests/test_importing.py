"""`haizhi import`: a 申报表 read back into format 1, and the blank form it is filled in from.

Render → import gives back every value the form carries, for every example and for generated applicants;
a blank form typed into the way a person does (and one re-saved by LibreOffice) reads the same; a value that
does not parse is kept as a comment with a warning naming its cell; what is not a 申报表 is a clear error.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.shared import Mm
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from haizhi_cli.applicant import OPINIONS, OPINIONS_HEADING, PROMISE_HEADING, SECTIONS
from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.applicant._models import MAX_NUMBER, NONE_MARK, Applicant, BaseType
from haizhi_cli.authoring._importing import ImportResult, import_form, write_import
from haizhi_cli.authoring._skeleton import PLACEHOLDER, PLACEHOLDER_DAY
from haizhi_cli.authoring._values import parse_base_type, parse_day, parse_number
from haizhi_cli.checking._pipeline import CheckOptions, check_file
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blank_form import FILE_NAME, FILL_IN_ROW_MM, blank_form, write_blank_form
from haizhi_cli.documents._blocks import Cell, Document, Paragraph, Table
from haizhi_cli.documents._docx_writer import write_docx
from haizhi_cli.engine._operators import lookup
from haizhi_cli.engine._results import Status
from haizhi_cli.engine._rules import load_round
from haizhi_cli.errors._errors import ApplicantFileError, UsageError
from haizhi_cli.i18n import speaking
from tests.conftest import CHECK_DAY, EXAMPLES
from tests.test_fuzz import DATA, get, required_text

FACTS = load_round(2023).facts
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TIMESTAMP = dt.datetime(2023, 9, 15, tzinfo=dt.UTC)
ALL_EXAMPLES = sorted(path.name for path in EXAMPLES.iterdir() if (path / "applicant.yaml").is_file())
TEXT_KEYS = ("base_name", "applicant.name", "base.address", "base.leader.name", "base.leader.phone",
             "base.contact.name", "base.contact.phone", "base.contact.mobile", "base.contact.email",
             "narratives.foundation", "narratives.purpose", "narratives.goals", "narratives.policies")
COUNT_KEYS = ("base.staff_total", "base.staff_full_time", "base.overseas_talents", "base.overseas_talents_long_term",
              "base.overseas_partners", "base.overseas_stations", "base.resident_enterprises",
              "base.resident_rd_institutions")
AMOUNT_KEYS = ("base.service_area_m2", "base.office_area_m2", "base.annual_work_funds_wan",
               "base.annual_award_funds_wan")
CARRIED = ("round", "base_type", *TEXT_KEYS, "base.established", *COUNT_KEYS, *AMOUNT_KEYS)
"""Every key whose value the 申报表 prints: the cover, 一、基本信息 and sections 二–五."""

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.usefixtures("chinese")


def carried(applicant: Applicant) -> dict[str, Any]:
    """What the form shows of each key: text as the writers print it (lines trimmed, empty ones dropped)."""
    data = applicant.model_dump(mode="python")
    values = {dotted: lookup(data, dotted) for dotted in CARRIED}
    values["base_type"] = applicant.base_type.value
    for dotted in TEXT_KEYS:
        values[dotted] = "\n".join(line.strip() for line in values[dotted].splitlines() if line.strip())
    return values


def render(applicant: Applicant, path: Path) -> Path:
    write_docx(composing.application_form(applicant, FACTS), path, TIMESTAMP)
    return path


def loaded_values(result: ImportResult, folder: Path) -> dict[str, Any]:
    """The carried keys of the written YAML, as `haizhi check` loads them."""
    out = folder / "applicant.yaml"
    write_import(result, out, force=True)
    data = load_applicant(out, [2023]).applicant.model_dump(mode="python")
    values = {dotted: lookup(data, dotted) for dotted in CARRIED}
    values["base_type"] = data["base_type"].value
    return values


def assert_round_trip(applicant: Applicant, folder: Path) -> ImportResult:
    result = import_form(render(applicant, folder / "申报表.docx"))
    expected = carried(applicant)
    assert result.warnings == ()
    assert result.values == expected
    assert loaded_values(result, folder) == expected
    return result


# --- render → import ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_example_comes_back(tmp_path: Path, name: str) -> None:
    applicant = load_applicant(EXAMPLES / name / "applicant.yaml", [2023]).applicant
    result = assert_round_trip(applicant, tmp_path)
    assert result.base_type == applicant.base_type and result.round == 2023


counts = st.one_of(st.integers(0, MAX_NUMBER), st.sampled_from([0, 1, 12, 999, 1000, 1234567, NONE_MARK]))
amounts = st.one_of(counts, st.floats(0, MAX_NUMBER, allow_nan=False, allow_infinity=False),
                    st.sampled_from([0.5, 12.5, 1e-05, 0.1, 123456789.125]))


@st.composite
def applicants(draw: st.DrawFn) -> Applicant:
    data = copy.deepcopy(DATA["work-base"])
    data["base_type"] = draw(st.sampled_from([t.value for t in BaseType]))
    chosen = {**{key: draw(required_text) for key in TEXT_KEYS}, **{key: draw(counts) for key in COUNT_KEYS},
              **{key: draw(amounts) for key in AMOUNT_KEYS}, "base.established": draw(st.dates())}
    for dotted, value in chosen.items():
        *parents, last = dotted.split(".")
        get(data, tuple(parents))[last] = value
    return Applicant.model_validate(data)


@settings(max_examples=max(10, settings().max_examples // 5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(applicant=applicants())
def test_generated_applicants_come_back(tmp_path: Path, applicant: Applicant) -> None:
    assert_round_trip(applicant, tmp_path)


def test_the_same_form_gives_the_same_text(tmp_path: Path) -> None:
    applicant = load_applicant(EXAMPLES / "offshore-base" / "applicant.yaml", [2023]).applicant
    path = render(applicant, tmp_path / "申报表.docx")
    assert import_form(path).text == import_form(path).text


def test_keys_the_form_does_not_carry_are_the_skeletons_placeholders(tmp_path: Path) -> None:
    applicant = load_applicant(EXAMPLES / "work-base" / "applicant.yaml", [2023]).applicant
    data = import_form(render(applicant, tmp_path / "申报表.docx")).data
    assert data["applicant"]["credit_code"] == f"{PLACEHOLDER}：统一社会信用代码"
    assert data["plan"]["approach"] == f"{PLACEHOLDER}：建设思路和目标"
    assert data["eligibility"] == {"returnee_talents_long_term": NONE_MARK}
    assert set(data["conditions"]) == {"management_body", "channels", "local_policy", "returnee_funds"}
    assert data["attachments"]["support_letter"]["level"] == "city"


def test_an_imported_form_is_checked_with_findings_not_an_error(tmp_path: Path) -> None:
    applicant = load_applicant(EXAMPLES / "rd-community" / "applicant.yaml", [2023]).applicant
    out = tmp_path / "imported.yaml"
    write_import(import_form(render(applicant, tmp_path / "申报表.docx")), out, force=False)
    report = check_file(out, CheckOptions(CHECK_DAY))
    assert report.base_type == "rd_community"
    by_rule = {finding.rule: finding.status for finding in report.findings}
    assert by_rule["common.no_placeholders"] == Status.failed
    assert by_rule["rd_community.service_area"] == Status.passed  # read from the form


# --- a blank form filled in by hand -------------------------------------------------------------------


def blank(tmp_path: Path) -> Path:
    written = write_blank_form(tmp_path / "blank", force=False)
    assert written == [tmp_path / "blank" / FILE_NAME]
    return written[0]


def type_into(cell: _Cell, text: str) -> None:
    """Type the way Word saves typing: the text in several runs, a line break where the text has one."""
    paragraph = cell.paragraphs[0]
    for number, line in enumerate(text.split("\n")):
        if number:
            paragraph.add_run().add_break()
        for start in range(0, len(line), 3):
            paragraph.add_run(line[start:start + 3])


def type_over(cell: _Cell, text: str) -> None:
    """Select everything in the cell (the ☐ choices of 基地类型) and type `text` over it."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    cell.paragraphs[0].clear()
    type_into(cell, text)


def tick(cell: _Cell, name: str, mark: str = "☑") -> None:
    """Replace the ☐ before `name` with `mark`, as a person does with Insert › Symbol."""
    paragraph = next(p for p in cell.paragraphs if p.text.endswith(name))
    assert paragraph.text.startswith("☐"), paragraph.text
    text = paragraph.text
    paragraph.clear()
    paragraph.add_run(mark + text[1:])


def tables(word: WordDocument) -> tuple[WordTable, WordTable]:
    """The cover's table and 一、基本信息."""
    return word.tables[0], word.tables[1]


def value_cell(table: WordTable, label: str) -> _Cell:
    for row in table.rows:
        cells = row.cells
        for index, cell in enumerate(cells[:-1]):
            if "".join(cell.text.split()).rstrip("：") == label:  # a label set on two lines reads as one
                found: _Cell = cells[index + 1]
                return found
    raise AssertionError(label)


def body_after(word: WordDocument, heading: str, empty: bool = True) -> WordParagraph:
    """The paragraph the blank form leaves empty under a section's instruction line."""
    paragraphs = word.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    assert paragraphs[index + 2].text == "" or not empty
    return paragraphs[index + 2]


PERSON = {
    "基地名称": "中国科协海智工作基地（无锡高新区）",
    "基地地址": "江苏省无锡市新吴区\n震泽路18号",
    "成立时间": "２０１９年６月１日",
    "负责人姓名": "王建国", "负责人电话": "0510-81234567",
    "联系人姓名": "陈静", "联系人电话": "0510-81234568", "联系人手机": "13912345678",
    "电子信箱": "haizhi@wuxi.example.cn",
    "服务场所面积（平方米）": "约三百平方米",
    "办公场所面积（平方米）": "１，２００",
    "工作人员总数（人）": "１２", "专职工作人员数量（人）": "6人",
    "年度专项工作经费（万元）": "80.5", "年度人才或项目支持奖励经费（万元）": "无",
    "现有海外科技人才数量（人）": "45", "长期联系海外人才数量（人）": "32 ",
    "海外合作机构或合作伙伴数量（个）": "12", "设立海外工作站点数量（个）": "无",
    "入驻企业数量（家）": "无", "入驻新型研发机构数量（家）": "0",
}


def fill_like_a_person(path: Path) -> Path:
    word = docx.Document(str(path))
    cover, table = tables(word)
    type_into(value_cell(cover, "基地名称"), PERSON["基地名称"])
    tick(value_cell(cover, "基地类型"), "中国科协海智工作基地")
    type_into(value_cell(cover, "申报单位"), "无锡高新区人才发展中心")
    for label, text in PERSON.items():
        type_into(value_cell(table, label), text)
    type_into(value_cell(table, "基地类型"), "√")  # after ☐ 工作基地, the first line
    first = body_after(word, "二、工作基础")
    first.add_run("无锡高新区集聚物联网、")
    first.add_run("集成电路等产业。")
    first.add_run().add_break()
    first.add_run("　　现有海外科技人才45人。")
    second = body_after(word, "三、设立目的及具备的优势").insert_paragraph_before("")  # an empty line typed first
    second.add_run("推动人才和项目落地。")
    body_after(word, "四、预期目标").add_run("三年内联系海外人才60人。")
    policies = body_after(word, "五、支持政策与条件保障")
    policies.add_run("出台人才安居政策。")
    word.paragraphs[next(i for i, p in enumerate(word.paragraphs) if p.text == "六、申报单位负责人承诺")] \
        .insert_paragraph_before("设立专项经费。")
    word.save(str(path))
    return path


def assert_read_as_the_person_wrote(result: ImportResult) -> None:
    values = result.values
    assert values["base_name"] == "中国科协海智工作基地（无锡高新区）"
    assert values["base_type"] == "work_base"
    assert values["applicant.name"] == "无锡高新区人才发展中心"
    assert values["base.address"] == "江苏省无锡市新吴区\n震泽路18号"
    assert values["base.established"] == dt.date(2019, 6, 1)
    assert values["base.office_area_m2"] == 1200
    assert values["base.staff_total"] == 12 and values["base.staff_full_time"] == 6
    assert values["base.annual_work_funds_wan"] == 80.5
    assert values["base.annual_award_funds_wan"] == NONE_MARK
    assert values["base.overseas_talents_long_term"] == 32
    assert values["base.resident_rd_institutions"] == 0
    assert "base.service_area_m2" not in values
    assert values["narratives.foundation"] == "无锡高新区集聚物联网、集成电路等产业。\n现有海外科技人才45人。"
    assert values["narratives.purpose"] == "推动人才和项目落地。"
    assert values["narratives.goals"] == "三年内联系海外人才60人。"
    assert values["narratives.policies"] == "出台人才安居政策。\n设立专项经费。"
    assert result.warnings == ("一、基本信息 · 服务场所面积（平方米）：“约三百平方米”无法读作数字",)


def test_a_blank_form_filled_in_by_hand(tmp_path: Path) -> None:
    result = import_form(fill_like_a_person(blank(tmp_path)))
    assert_read_as_the_person_wrote(result)
    text = result.text
    assert "  service_area_m2: 无\n  # 原表格内容：约三百平方米\n" in text
    assert "  office_area_m2: 1200\n  # 原表格内容：１，２００（已读作 1200）\n" in text
    assert "  staff_total: 12\n  # 原表格内容：１２（已读作 12）\n" in text
    assert "# 读取时的提示：\n#   - 一、基本信息 · 服务场所面积（平方米）：“约三百平方米”无法读作数字\n" in text
    assert "  foundation: |-\n    无锡高新区集聚物联网、集成电路等产业。\n    现有海外科技人才45人。\n" in text


def test_a_hand_filled_form_is_checked(tmp_path: Path) -> None:
    result = import_form(fill_like_a_person(blank(tmp_path)))
    out = tmp_path / "applicant.yaml"
    write_import(result, out, force=False)
    report = check_file(out, CheckOptions(CHECK_DAY))
    failed = {finding.rule for finding in report.findings if finding.status == Status.failed}
    assert "common.no_placeholders" in failed and "work_base.service_area" in failed


def soffice_convert(source: Path, kind: str, folder: Path, profile: Path) -> Path:
    assert SOFFICE is not None
    folder.mkdir(exist_ok=True)
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", kind,
                           "--outdir", str(folder), str(source)], capture_output=True, timeout=180, check=False)
    produced = folder / f"{source.stem}.{kind}"
    assert done.returncode == 0 and produced.exists(), done.stderr
    return produced


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_form_resaved_by_libreoffice(tmp_path: Path) -> None:
    """Filled in, then saved as .odt and back as .docx by LibreOffice: runs, styles and XML all rewritten."""
    filled = fill_like_a_person(blank(tmp_path))
    profile = tmp_path / "profile"
    odt = soffice_convert(filled, "odt", tmp_path / "odt", profile)
    resaved = soffice_convert(odt, "docx", tmp_path / "docx", profile)
    assert resaved.read_bytes() != filled.read_bytes()
    result = import_form(resaved)
    assert_read_as_the_person_wrote(result)
    assert result.text == import_form(filled).text


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_rendered_form_resaved_by_libreoffice(tmp_path: Path) -> None:
    applicant = load_applicant(EXAMPLES / "offshore-base" / "applicant.yaml", [2023]).applicant
    resaved = soffice_convert(render(applicant, tmp_path / "申报表.docx"), "docx", tmp_path / "lo", tmp_path / "p")
    result = import_form(resaved)
    assert result.warnings == ()
    assert result.values == carried(applicant)


def test_an_empty_blank_form_loads_and_fails_the_check(tmp_path: Path) -> None:
    result = import_form(blank(tmp_path))
    assert "二、工作基础：未填写" in result.warnings
    assert "一、基本信息 · 成立时间：未填写" in result.warnings
    out = tmp_path / "applicant.yaml"
    write_import(result, out, force=False)
    data = load_applicant(out, [2023]).applicant
    assert data.base.established == dt.date.fromisoformat(PLACEHOLDER_DAY)
    assert data.narratives.foundation == f"{PLACEHOLDER}：工作基础"
    report = check_file(out, CheckOptions(CHECK_DAY))
    assert not report.eligible


def test_word_markup_a_person_leaves_behind(tmp_path: Path) -> None:
    """Tracked insertions count, tracked deletions do not; a content control and a tab are read through."""
    path = fill_like_a_person(blank(tmp_path))
    word = docx.Document(str(path))
    paragraph = body_after(word, "四、预期目标", empty=False)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>删去</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:sdt {w}><w:sdtPr/><w:sdtContent><w:r><w:tab/><w:t>控件</w:t></w:r>'
                                  "</w:sdtContent></w:sdt>"))
    word.save(str(path))
    assert import_form(path).values["narratives.goals"] == "三年内联系海外人才60人。新增\t控件"


# --- what is not a 申报表 ------------------------------------------------------------------------------


def refused(path: Path) -> ApplicantFileError:
    with pytest.raises(ApplicantFileError) as info:
        import_form(path)
    assert info.value.location.file == path
    return info.value


def test_another_word_file_is_not_a_form(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("会议通知")
    word.add_table(rows=2, cols=2).cell(0, 0).text = "基地名称"
    path = tmp_path / "其他.docx"
    word.save(str(path))
    assert refused(path).message.startswith("这不是海智计划基地申报表：没有找到“一、基本信息”表格")


def test_the_construction_plan_is_not_a_form(tmp_path: Path) -> None:
    applicant = load_applicant(EXAMPLES / "work-base" / "applicant.yaml", [2023]).applicant
    path = tmp_path / "建设方案.docx"
    write_docx(composing.construction_plan(applicant, FACTS), path, TIMESTAMP)
    assert refused(path).message.startswith("这不是海智计划基地申报表")


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40])
def test_a_corrupt_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "申报表.docx"
    path.write_bytes(content)
    assert refused(path).message.startswith("无法打开 Word 文件（不是 .docx 或已损坏）")


def test_a_zip_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "申报表.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert refused(path).message.startswith("无法打开 Word 文件")


def test_a_truncated_form_is_refused(tmp_path: Path) -> None:
    whole = blank(tmp_path).read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(whole[: len(whole) // 2])
    assert refused(path).message.startswith("无法打开 Word 文件")


def test_an_old_word_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "申报表.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "另存为 .docx" in refused(path).message


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    assert refused(tmp_path / "none.docx").message == "文件不存在，请检查路径"
    assert refused(tmp_path).message == "这是一个文件夹，不是文件"


def test_errors_and_warnings_in_english(tmp_path: Path) -> None:
    path = fill_like_a_person(blank(tmp_path))
    other = tmp_path / "other.docx"
    docx.Document().save(str(other))
    with speaking("en"):
        result = import_form(path)
        error = refused(other)
    assert result.warnings == ("一、基本信息 · 服务场所面积（平方米）: “约三百平方米” cannot be read as a number",)
    chinese_warning = "#   - 一、基本信息 · 服务场所面积（平方米）：“约三百平方米”无法读作数字"
    assert chinese_warning in result.text  # the file itself stays Chinese
    assert error.message.startswith("this is not a Haizhi base application form")


# --- reading cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "units", "integer", "expected"), [
    ("350", (), False, 350),
    ("３５０", (), False, 350),
    ("１，２００", (), True, 1200),
    ("1,200.5", (), False, 1200.5),
    ("12.5", (), False, 12.5),
    ("12.0", (), True, 12),
    ("1e-05", (), False, 1e-05),
    (" 350\u3000", (), True, 350),
    ("350 平方米", ("平方米", "m2"), False, 350),
    ("350平方米", ("平方米", "m2"), False, 350),
    ("350㎡", ("平方米", "m2"), False, 350),
    ("80万元", ("万元", "万"), False, 80),
    ("无", (), True, NONE_MARK),
    ("无", (), False, NONE_MARK),
])
def test_numbers_that_are_read(text: str, units: tuple[str, ...], integer: bool, expected: Any) -> None:
    value, problem = parse_number(text, units, integer)
    assert (value, problem) == (expected, "")
    assert type(value) is type(expected)


@pytest.mark.parametrize(("text", "integer", "problem"), [
    ("约三百平方米", False, "number"),
    ("三百五十", False, "number"),
    ("1,5", False, "number"),
    ("3 2", True, "number"),
    ("-3", False, "number"),
    ("350人", False, "number"),
    ("12.5", True, "integer"),
    ("1e400", False, "number"),
    (str(MAX_NUMBER + 1), True, "number"),
    ("暂无", True, "number"),
    ("", True, "number"),
])
def test_numbers_that_are_not_read(text: str, integer: bool, problem: str) -> None:
    assert parse_number(text, (), integer) == (None, problem)


@pytest.mark.parametrize(("text", "expected"), [
    ("2019-06-01", dt.date(2019, 6, 1)),
    ("2019/6/1", dt.date(2019, 6, 1)),
    ("2019.6.1", dt.date(2019, 6, 1)),
    ("2019年6月1日", dt.date(2019, 6, 1)),
    ("２０１９年０６月０１日", dt.date(2019, 6, 1)),
    ("2019 年 6 月 1 日", dt.date(2019, 6, 1)),
    ("2019-02-30", "no such day"),
    ("2019年6月", "not a date"),
    ("去年", "not a date"),
])
def test_dates(text: str, expected: Any) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("中国科协海智工作基地", BaseType.work_base),
    ("国家海外人才离岸创新创业基地", BaseType.offshore_base),
    ("研发社区", BaseType.rd_community),
    ("rd_community", BaseType.rd_community),
    ("□中国科协海智工作基地 ☑国家海外人才离岸创新创业基地 □海智国际研发社区", BaseType.offshore_base),
    ("√海智国际研发社区 □中国科协海智工作基地", BaseType.rd_community),
    ("中国科协海外创新创业基地", BaseType.overseas_base),
    ("□中国科协海智工作基地 □海智国际研发社区", None),
    ("☑中国科协海智工作基地 ☑海智国际研发社区", None),
    ("工作基地或研发社区", None),
    ("", None),
])
def test_base_types(text: str, expected: BaseType | None) -> None:
    assert parse_base_type(text) == expected


def edited_blank(tmp_path: Path, label: str, text: str) -> ImportResult:
    path = blank(tmp_path)
    word = docx.Document(str(path))
    type_into(value_cell(tables(word)[1], label), text)
    word.save(str(path))
    return import_form(path)


def test_a_date_that_does_not_parse_is_kept_as_a_comment(tmp_path: Path) -> None:
    result = edited_blank(tmp_path, "成立时间", "2019年2月30日")
    assert "一、基本信息 · 成立时间：日期“2019年2月30日”不存在" in result.warnings
    assert f"  established: {PLACEHOLDER_DAY}\n  # 原表格内容：2019年2月30日\n" in result.text


def test_a_count_that_is_not_whole_is_kept_as_a_comment(tmp_path: Path) -> None:
    result = edited_blank(tmp_path, "工作人员总数（人）", "12.5")
    assert "一、基本信息 · 工作人员总数（人）：“12.5”不是整数" in result.warnings
    assert "  staff_total: 无\n  # 原表格内容：12.5\n" in result.text


def test_a_type_the_cell_does_not_name_is_read_from_the_base_name(tmp_path: Path) -> None:
    path = blank(tmp_path)
    word = docx.Document(str(path))
    type_into(value_cell(tables(word)[1], "基地名称"), "海智国际研发社区（杭州）")
    type_over(value_cell(tables(word)[1], "基地类型"), "社区")
    word.save(str(path))
    result = import_form(path)
    assert result.base_type == BaseType.rd_community
    assert "一、基本信息 · 基地类型：“社区”不是基地类型，按基地名称读作“海智国际研发社区”，请核对" in result.warnings
    assert "base_type: rd_community\n# 原表格内容：社区\n" in result.text


TYPE_BOXES = {"cover": {BaseType.work_base: "中国科协海智工作基地",
                        BaseType.offshore_base: "国家海外人才离岸创新创业基地",
                        BaseType.rd_community: "海智国际研发社区"},
              "table": {BaseType.work_base: "工作基地", BaseType.offshore_base: "离岸基地",
                        BaseType.rd_community: "研发社区"}}


def ticked_blank(tmp_path: Path, ticks: dict[str, list[tuple[BaseType, str]]]) -> ImportResult:
    """The blank form with boxes ticked: place ("cover" or "table") → (type, mark) pairs."""
    path = blank(tmp_path)
    word = docx.Document(str(path))
    for place, marks in ticks.items():
        cell = value_cell(tables(word)[0 if place == "cover" else 1], "基地类型")
        for base_type, mark in marks:
            tick(cell, TYPE_BOXES[place][base_type], mark)
    word.save(str(path))
    return import_form(path)


@pytest.mark.parametrize("mark", ["☑", "☒", "■", "√"])
@pytest.mark.parametrize("place", ["cover", "table"])
@pytest.mark.parametrize("base_type", [BaseType.work_base, BaseType.offshore_base, BaseType.rd_community])
def test_a_ticked_box_is_read_back(tmp_path: Path, mark: str, place: str, base_type: BaseType) -> None:
    result = ticked_blank(tmp_path, {place: [(base_type, mark)]})
    assert result.base_type == base_type and result.values["base_type"] == base_type.value
    assert not [warning for warning in result.warnings if "基地类型" in warning]
    assert f"base_type: {base_type.value}\n" in result.text


def test_a_tick_written_beside_the_box_counts(tmp_path: Path) -> None:
    path = blank(tmp_path)
    word = docx.Document(str(path))
    cell = value_cell(tables(word)[1], "基地类型")
    cell.paragraphs[2].insert_paragraph_before("")  # an empty line typed between the choices
    cell.paragraphs[1].runs[0].text = "√" + cell.paragraphs[1].runs[0].text  # √☐ 离岸基地
    word.save(str(path))
    assert import_form(path).base_type == BaseType.offshore_base


@pytest.mark.parametrize(("font", "char"), [("Wingdings 2", "F052"), ("Wingdings 2", "F054"), ("Wingdings", "F0FE"),
                                           ("Wingdings", "F0FC")])
def test_a_tick_inserted_as_a_symbol_counts(tmp_path: Path, font: str, char: str) -> None:
    """Insert › Symbol writes `w:sym` (a Wingdings code, no text) where the ☐ was."""
    path = blank(tmp_path)
    word = docx.Document(str(path))
    paragraph = value_cell(tables(word)[0], "基地类型").paragraphs[2]
    paragraph.runs[0].text = paragraph.runs[0].text.removeprefix("☐")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph.runs[0]._r.addprevious(parse_xml(f'<w:r {w}><w:sym w:font="{font}" w:char="{char}"/></w:r>'))
    word.save(str(path))
    result = import_form(path)
    assert result.base_type == BaseType.rd_community
    assert not [warning for warning in result.warnings if "基地类型" in warning]


def test_other_symbols_are_not_ticks(tmp_path: Path) -> None:
    path = blank(tmp_path)
    word = docx.Document(str(path))
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for paragraph in value_cell(tables(word)[1], "基地类型").paragraphs:
        paragraph._p.append(parse_xml(f'<w:r {w}><w:sym w:font="Wingdings" w:char="F04A"/></w:r>'))  # ☺
        paragraph._p.append(parse_xml(f'<w:r {w}><w:sym w:font="Symbol" w:char="zz"/></w:r>'))
    word.save(str(path))
    assert any("三种类型都没有勾选" in warning for warning in import_form(path).warnings)


def test_two_ticked_boxes_are_refused_with_a_clear_warning(tmp_path: Path) -> None:
    result = ticked_blank(tmp_path, {"table": [(BaseType.work_base, "☑"), (BaseType.rd_community, "√")]})
    assert ("一、基本信息 · 基地类型：勾选了多项（中国科协海智工作基地、海智国际研发社区），只能勾选一项；"
            "暂按 work_base 写出，请改为实际类型") in result.warnings
    assert "base_type: work_base\n# 原表格内容：☑ 工作基地\n#   ☐ 离岸基地\n#   √ 研发社区\n" in result.text


def test_two_ticked_on_the_cover_name_the_cover(tmp_path: Path) -> None:
    result = ticked_blank(tmp_path, {"cover": [(BaseType.offshore_base, "■"), (BaseType.rd_community, "■")]})
    assert any(w.startswith("封面 · 基地类型：勾选了多项（国家海外人才离岸创新创业基地、海智国际研发社区）")
               for w in result.warnings), result.warnings


def test_no_ticked_box_is_a_clear_warning_and_the_base_name_still_helps(tmp_path: Path) -> None:
    path = blank(tmp_path)
    word = docx.Document(str(path))
    type_into(value_cell(tables(word)[1], "基地名称"), "海智国际研发社区（杭州）")
    word.save(str(path))
    result = import_form(path)
    assert result.base_type == BaseType.rd_community
    assert ("一、基本信息 · 基地类型：三种类型都没有勾选（在所选类型前的 ☐ 处打 ☑、☒、■ 或 √）；"
            "按基地名称读作“海智国际研发社区”，请核对") in result.warnings
    with speaking("en"):
        assert any("no type is ticked" in str(w) for w in import_form(path).warnings)


def test_the_table_wins_over_the_cover_when_both_are_ticked(tmp_path: Path) -> None:
    result = ticked_blank(tmp_path, {"cover": [(BaseType.work_base, "☑")], "table": [(BaseType.offshore_base, "☑")]})
    assert result.base_type == BaseType.offshore_base
    assert any(w.startswith("封面与“一、基本信息”的基地类型不一致") for w in result.warnings)


def test_cover_and_table_that_disagree(tmp_path: Path) -> None:
    path = blank(tmp_path)
    word = docx.Document(str(path))
    cover, table = tables(word)
    type_into(value_cell(cover, "基地名称"), "中国科协海智工作基地（甲）")
    type_into(value_cell(table, "基地名称"), "中国科协海智工作基地（乙）")
    tick(value_cell(cover, "基地类型"), "国家海外人才离岸创新创业基地")
    word.save(str(path))
    result = import_form(path)
    assert result.values["base_name"] == "中国科协海智工作基地（乙）"
    assert result.base_type == BaseType.offshore_base  # nothing ticked in the table: the cover's type
    assert any(w.startswith("封面与“一、基本信息”的基地名称不一致") for w in result.warnings)


def test_invisible_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    result = edited_blank(tmp_path, "负责人姓名", "王\u200b建国")
    assert result.values["base.leader.name"] == "王建国"
    assert "一、基本信息 · 负责人姓名：删除了 1 个看不见的格式字符（如零宽空格）" in result.warnings


def test_every_imported_yaml_line_is_safe(tmp_path: Path) -> None:
    """A cell holding characters YAML cannot carry in a comment (C1 controls, line separators) still loads."""
    result = edited_blank(tmp_path, "服务场所面积（平方米）", "约\x85三百\x9f")
    assert yaml.safe_load(result.text)["base"]["service_area_m2"] == NONE_MARK
    assert "<U+009F>" in result.text


# --- the blank form and the output files ----------------------------------------------------------------


def blanked(document: Document) -> tuple[Any, ...]:
    """A rendered 申报表 with every applicant value emptied: what the blank form should be."""
    blocks: list[Any] = []
    for block in document.blocks:
        if isinstance(block, Table):
            rows = tuple(tuple(dataclasses.replace(cell, paragraphs=tuple(_empty(p) for p in cell.paragraphs))
                               for cell in row) for row in block.rows)
            blocks.append(dataclasses.replace(block, rows=rows))
        elif isinstance(block, Paragraph) and block.source:
            if not (blocks and blocks[-1] == _empty(block)):
                blocks.append(_empty(block))
        else:
            blocks.append(block)
    return tuple(blocks)


def _empty(paragraph: Paragraph) -> Paragraph:
    filled = paragraph.source is not None or paragraph.style == "underline"
    return dataclasses.replace(paragraph, text="") if filled else paragraph


TYPE_CHOICES = Cell((Paragraph("the 基地类型 cell", "plain"),))


def without_type_cells(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
    """`blocks` with the cell after each 基地类型 label replaced by one stand-in and no heights in the cover's
    rows (the blank form's fill-in rows are taller), to compare the rest."""
    result: list[Any] = []
    for block in blocks:
        if isinstance(block, Table):
            rows = tuple(tuple(TYPE_CHOICES if index and row[index - 1].label and "基地类型" in
                               "".join(p.text for p in row[index - 1].paragraphs) else
                               cell if block.border else dataclasses.replace(cell, height_mm=0)
                               for index, cell in enumerate(row)) for row in block.rows)
            block = dataclasses.replace(block, rows=rows)
        result.append(block)
    return tuple(result)


def as_rendered(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
    """The blank form without what only it has: the ruled lines after the first."""
    result: list[Any] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.source and result and result[-1] == block:
            continue
        result.append(block)
    return tuple(result)


def test_the_blank_form_is_the_rendered_form_without_values() -> None:
    applicant = load_applicant(EXAMPLES / "work-base" / "applicant.yaml", [2023]).applicant
    blank_document = blank_form(FACTS)
    expected = without_type_cells(blanked(composing.application_form(applicant, FACTS)))
    assert without_type_cells(as_rendered(blank_document.blocks)) == expected
    cells = [cell for block in blank_document.blocks if isinstance(block, Table) for row in block.rows for cell in row]
    assert all(p.text == "" for cell in cells if not cell.label for p in cell.paragraphs
               if p.source and p.source != "base_type")


def test_the_blank_form_offers_the_three_types_as_boxes() -> None:
    tables_ = [block for block in blank_form(FACTS).blocks if isinstance(block, Table)]
    cover, basic = tables_[0], tables_[1]
    choices = [[p.text for p in row[index + 1].paragraphs] for table in (cover, basic) for row in table.rows
               for index, cell in enumerate(row[:-1]) if cell.label and "基地类型" in cell.paragraphs[0].text]
    assert choices == [["☐ 中国科协海智工作基地", "☐ 国家海外人才离岸创新创业基地", "☐ 海智国际研发社区"],
                       ["☐ 工作基地", "☐ 离岸基地", "☐ 研发社区"]]


def test_the_blank_form_leaves_eight_ruled_lines_under_each_section_and_keeps_eight_on_one_page(
        tmp_path: Path) -> None:
    blocks = blank_form(FACTS).blocks
    for _, instruction, name in SECTIONS:
        at = blocks.index(Paragraph(instruction, "note"))
        assert blocks[at + 1: at + 9] == (Paragraph("", "body", f"narratives.{name}"),) * 8
    opinions = blocks[blocks.index(Paragraph(OPINIONS_HEADING, "heading")) + 1]
    assert isinstance(opinions, Table) and len(opinions.rows) == len(OPINIONS)
    layout = blank_form(FACTS).layout
    page_mm = 297 - layout.top_mm - layout.bottom_mm - 2 * layout.line_pt * 25.4 / 72  # the heading and its space
    assert sum(max(cell.height_mm for cell in row) for row in opinions.rows) <= page_mm, "八 fits on its page"
    word = docx.Document(str(blank(tmp_path)))
    ruled = [p for p in word.paragraphs if p._p.find(f"{W}pPr/{W}pBdr/{W}between") is not None]
    assert len(ruled) == 8 * len(SECTIONS) and all(p.text == "" for p in ruled)
    for paragraph in ruled:
        borders = paragraph._p.find(f"{W}pPr/{W}pBdr")
        assert [child.tag.removeprefix(W) for child in borders] == ["bottom", "between"]
    heading = next(p for p in word.paragraphs if p.text == OPINIONS_HEADING)
    assert heading.style is not None and heading.style.paragraph_format.keep_with_next is True
    kept = [p.paragraph_format.keep_with_next for row in word.tables[-1].rows for c in row.cells for p in c.paragraphs]
    assert len(kept) > len(OPINIONS) and all(kept), "八 moves to a new page whole"
    cover = tables(word)[0]
    lined = [row.cells[0].text for row in cover.rows
             if row.cells[1]._tc.find(f"{W}tcPr/{W}tcBorders/{W}bottom") is not None]
    assert lined == ["基地名称：", "申报单位："]
    assert all(row.height is not None and row.height >= Mm(FILL_IN_ROW_MM) for row in cover.rows
               if row.cells[0].text in lined), "room for a handwritten line"


HORIZONTAL_LINE = re.compile(rb"([\d.]+) ([\d.]+) m\s+([\d.]+) \2 l S")
"""A stroked horizontal segment as LibreOffice writes it in a PDF: `x1 y m x2 y l S`."""


def text_heights(page: Any) -> list[tuple[str, float]]:
    """Each piece of text pypdf finds on `page`, trimmed, with the height of its baseline."""
    found: list[tuple[str, float]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: found.append((text.strip(), tm[5])))
    return found


def printed_rules(pdf: Path, headings: set[str]) -> dict[str, int]:
    """How many full-width horizontal lines each heading of `headings` has under it, up to the next one."""
    marks: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(pdf).pages):
        lines = HORIZONTAL_LINE.findall(page.get_contents().get_data())
        marks += [(number, -float(y), "") for y in {y for x1, y, x2 in lines if abs(float(x2) - float(x1)) > 400}]
        marks += [(number, -y, text) for text, y in text_heights(page) if text in headings]
    counts: dict[str, int] = {}
    current = None
    for _, _, heading in sorted(marks):
        if heading:
            current = heading
            counts[current] = 0
        elif current is not None:
            counts[current] += 1
    return counts


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_blank_form_as_libreoffice_prints_it(tmp_path: Path) -> None:
    """Eight ruled lines under each of 二–五 on paper, and 八 with its three rows on one page."""
    pdf = soffice_convert(blank(tmp_path), "pdf", tmp_path / "pdf", tmp_path / "profile")
    sections = [heading for heading, _, _ in SECTIONS]
    counts = printed_rules(pdf, {*sections, PROMISE_HEADING})
    assert [counts.get(heading) for heading in sections] == [8] * len(sections)
    pages = ["".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
    [opinions] = [text for text in pages if OPINIONS_HEADING in text]
    assert all(row.label in opinions for row in OPINIONS)
    assert opinions.count("负责人（签字）") == len(OPINIONS) and PROMISE_HEADING not in opinions


def test_write_blank_form_makes_the_folder_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder"
    [written] = write_blank_form(out, force=False)
    first = written.read_bytes()
    with pytest.raises(UsageError, match="已存在"):
        write_blank_form(out, force=False)
    assert write_blank_form(out, force=True) == [written]
    assert written.read_bytes() == first  # the same bytes every time
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="不是文件夹"):
        write_blank_form(tmp_path / "file", force=True)


def test_write_import_refuses_to_overwrite_and_never_writes_over_the_form(tmp_path: Path) -> None:
    source = blank(tmp_path)
    result = import_form(source)
    out = tmp_path / "applicant.yaml"
    write_import(result, out, force=False)
    with pytest.raises(UsageError, match="已存在"):
        write_import(result, out, force=False)
    write_import(result, out, force=True)
    assert out.read_text(encoding="utf-8") == result.text
    with pytest.raises(UsageError, match="申报表本身"):
        write_import(result, source, force=True)
    assert source.read_bytes()[:2] == b"PK"


def test_a_deleted_row_and_a_deleted_heading(tmp_path: Path) -> None:
    """What the form no longer has is a warning and the skeleton's placeholder; nothing else moves."""
    path = fill_like_a_person(blank(tmp_path))
    word = docx.Document(str(path))
    table = tables(word)[1]
    table._tbl.remove(table.rows[-1]._tr)  # 入驻企业数量, 入驻新型研发机构数量
    heading = next(p for p in word.paragraphs if p.text == "四、预期目标")
    heading._p.getparent().remove(heading._p)
    word.save(str(path))
    result = import_form(path)
    assert "一、基本信息 · 入驻企业数量（家）：申报表中没有这一栏" in result.warnings
    assert "四、预期目标：申报表中没有这一部分" in result.warnings
    assert "  resident_enterprises: 无\n  # 申报表中没有这一栏\n" in result.text
    assert result.values["narratives.purpose"] == "推动人才和项目落地。\n三年内联系海外人才60人。"  # 四's text runs on
    assert "narratives.goals" not in result.values
    assert result.values["base.staff_total"] == 12

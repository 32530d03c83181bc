"""End-to-end runs of `haizhi import` and `haizhi build-packet --blank`, asserting on output and exit status.

The round trip a unit makes: the blank 申报表 from `build-packet --blank`, filled in with Word or WPS, read
back with `haizhi import` (the YAML on stdout, or into -o), then `haizhi check` on what was written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blank_form import FILE_NAME
from haizhi_cli.documents._docx_writer import write_docx
from haizhi_cli.engine._rules import packaged_rules_root
from tests.conftest import EXAMPLES, run
from tests.test_clitext import HAN, haizhi
from tests.test_importing import FACTS, TIMESTAMP, blank, fill_like_a_person, render

pytestmark = pytest.mark.usefixtures("chinese")
WORK_BASE = EXAMPLES / "work-base" / "applicant.yaml"
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an old .doc (or .wps) file starts."""
UNREADABLE_AREA = "一、基本信息 · 服务场所面积（平方米）：“约三百平方米”无法读作数字"


def assert_refused(res: Result, *phrases: str) -> None:
    """Exit 2, nothing on stdout, one Chinese error on stderr holding every phrase."""
    shown = f"exit {res.exit_code}\nstdout: {res.stdout}\nstderr: {res.stderr}"
    assert res.exit_code == 2, shown
    assert res.stdout == "", shown
    assert res.stderr.startswith("错误："), shown
    for phrase in phrases:
        assert phrase in res.stderr, shown


@pytest.fixture
def form(tmp_path: Path) -> Path:
    """The 申报表 haizhi renders for the bundled 工作基地."""
    return render(load_applicant(WORK_BASE, [2023]).applicant, tmp_path / "申报表.docx")


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """The blank 申报表 typed into the way a person does, with a service area that is not a number."""
    return fill_like_a_person(blank(tmp_path))


# --- importing a rendered form ----------------------------------------------------------------------------


def test_import_prints_the_yaml_when_no_output_is_given(form: Path) -> None:
    res = run("import", form)
    assert res.exit_code == 0, res.output
    assert res.stderr == ""  # a rendered form holds everything it asks: no notes
    data = yaml.safe_load(res.stdout)
    expected = yaml.safe_load(WORK_BASE.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["round"] == 2023 and data["base_type"] == "work_base"
    assert data["base_name"] == expected["base_name"]
    assert data["base"]["service_area_m2"] == expected["base"]["service_area_m2"] == 350
    assert data["narratives"]["goals"] == expected["narratives"]["goals"].strip()


def test_import_writes_the_file_and_check_gives_findings_not_an_error(form: Path, tmp_path: Path) -> None:
    out = tmp_path / "imported" / "applicant.yaml"
    res = run("import", form, "-o", out)
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    assert res.stderr.splitlines() == [
        f"已写出 {out}，读取时的提示 0 条",
        f"下一步：核对提示，把“待填写”等占位内容改为真实情况，然后运行 haizhi check {out}",
    ]
    assert out.read_text(encoding="utf-8") == run("import", form).stdout
    checked = run("check", "--as-of", "2023-09-01", "--format", "json", out)
    assert checked.exit_code == 1, checked.output  # the placeholders of what the form does not ask fail
    status = {finding["rule"]: finding["status"] for finding in json.loads(checked.stdout)["findings"]}
    assert status["common.no_placeholders"] == "fail"
    assert status["work_base.service_area"] == "pass"  # 350 m², read from the form


def test_import_refuses_to_overwrite_without_force(form: Path, tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    out.write_text("# 我的文件\n", encoding="utf-8")
    assert_refused(run("import", form, "-o", out), f"{out} 已存在，未覆盖；确认要替换它请加 --force")
    assert out.read_text(encoding="utf-8") == "# 我的文件\n"
    res = run("import", form, "-o", out, "--force")
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("# 中国科协海智计划基地申报文件（格式 1）")


def test_import_never_writes_over_the_form_itself(form: Path) -> None:
    before = form.read_bytes()
    assert_refused(run("import", form, "-o", form, "--force"), str(form), "输出文件不能是要导入的申报表本身")
    assert form.read_bytes() == before


# --- files that are not a 申报表 ----------------------------------------------------------------------------


def test_another_generated_document_is_not_a_form(tmp_path: Path) -> None:
    plan = tmp_path / "建设方案.docx"
    write_docx(composing.construction_plan(load_applicant(WORK_BASE, [2023]).applicant, FACTS), plan, TIMESTAMP)
    assert_refused(run("import", plan), f"错误：{plan}: 这不是海智计划基地申报表：没有找到“一、基本信息”表格")


def truncated(path: Path) -> Path:
    whole = path.read_bytes()
    cut = path.with_name("truncated.docx")
    cut.write_bytes(whole[: len(whole) // 2])
    return cut


def test_a_truncated_form_is_refused(form: Path) -> None:
    cut = truncated(form)
    assert_refused(run("import", cut), f"错误：{cut}: 无法打开 Word 文件（不是 .docx 或已损坏）")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("申报表.docx", b"not a zip at all", "无法打开 Word 文件（不是 .docx 或已损坏）"),
    ("申报表.doc", OLE_HEADER + b"\x00" * 512, "这是旧版 Word/WPS 文件（.doc/.wps），无法读取"),
    ("申报表.docx", None, "文件不存在，请检查路径"),
])
def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert_refused(run("import", path, "-o", tmp_path / "applicant.yaml"), f"错误：{path}: {message}")
    assert not (tmp_path / "applicant.yaml").exists()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert_refused(run("import", tmp_path), f"错误：{tmp_path}: 这是一个文件夹，不是文件")


def test_errors_in_english(tmp_path: Path) -> None:
    path = tmp_path / "申报表.docx"
    path.write_bytes(b"")
    res = run("import", "--lang", "en", path)
    assert res.exit_code == 2, res.output
    assert res.stderr == f"error: {path}: cannot open the Word file (it is not a .docx, or it is damaged); " \
                         "open it in Word or WPS, save it as .docx and import that\n"


# --- a blank form filled in by hand -------------------------------------------------------------------------


def test_notes_from_a_hand_filled_form_go_to_stderr_one_a_line(filled: Path) -> None:
    res = run("import", filled)
    assert res.exit_code == 0, res.output
    assert res.stderr == f"{filled}: 提示: {UNREADABLE_AREA}\n"
    data = yaml.safe_load(res.stdout)
    assert data["base"]["office_area_m2"] == 1200 and data["base"]["service_area_m2"] == "无"
    assert f"#   - {UNREADABLE_AREA}\n" in res.stdout  # the file's own header lists it too


def test_notes_are_counted_in_the_summary(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    res = run("import", filled, "-o", out)
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[:2] == [f"{filled}: 提示: {UNREADABLE_AREA}", f"已写出 {out}，读取时的提示 1 条"]
    checked = run("check", "--as-of", "2023-09-01", "--quiet", out)
    assert checked.exit_code == 1, checked.output
    assert "服务场地 “无” 平方米，不足要求的 100 平方米" in checked.stdout


def test_notes_in_english(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "applicant.yaml"
    res = run("import", "--lang", "en", filled, "-o", out)
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines() == [
        f"{filled}: note: 一、基本信息 · 服务场所面积（平方米）: “约三百平方米” cannot be read as a number",
        f"written: {out}; notes from reading: 1",
        f"next: review the notes, replace the placeholders such as “待填写” with the real facts, "
        f"then run haizhi check {out}",
    ]
    assert f"#   - {UNREADABLE_AREA}\n" in out.read_text(encoding="utf-8")  # the file itself stays Chinese


def test_a_rule_folder_outside_the_package(filled: Path, tmp_path: Path) -> None:
    res = run("import", "--rules", packaged_rules_root(), filled)
    assert res.exit_code == 0, res.output
    assert yaml.safe_load(res.stdout)["round"] == 2023
    assert_refused(run("import", "--rules", tmp_path / "none", filled), "规则文件夹", "不存在或不是文件夹")


# --- build-packet --blank -----------------------------------------------------------------------------------


def test_build_packet_blank_writes_the_form_and_it_imports(tmp_path: Path) -> None:
    out = tmp_path / "空白表"
    res = run("build-packet", "--blank", "-o", out)
    assert res.exit_code == 0, res.output
    written = out / FILE_NAME
    assert res.stderr.splitlines() == [
        f"已写出 {written}",
        f"下一步：在 Word 或 WPS 中填写 {written}，然后运行 haizhi import {written} -o applicant.yaml",
    ]
    assert sorted(p.name for p in out.iterdir()) == [FILE_NAME]
    imported = run("import", written, "-o", tmp_path / "applicant.yaml")
    assert imported.exit_code == 0, imported.output
    assert f"{written}: 提示: 二、工作基础：未填写" in imported.stderr.splitlines()
    assert (f"{written}: 提示: 一、基本信息 · 基地类型：三种类型都没有勾选（在所选类型前的 ☐ 处打 ☑、☒、■ 或 √）；"
            "暂按 work_base 写出，请改为实际类型") in imported.stderr.splitlines()
    checked = run("check", "--as-of", "2023-09-01", tmp_path / "applicant.yaml")
    assert checked.exit_code == 1, checked.output


def test_build_packet_blank_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "空白表"
    assert run("build-packet", "--blank", "-o", out).exit_code == 0
    assert_refused(run("build-packet", "--blank", "-o", out), "已存在，未覆盖；确认要替换它请加 --force")
    res = run("build-packet", "--blank", "-o", out, "--force", "--rules", packaged_rules_root())
    assert res.exit_code == 0, res.output


def test_build_packet_blank_with_an_applicant_file_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "空白表"
    assert_refused(run("build-packet", WORK_BASE, "--blank", "-o", out),
                   f"错误：--blank 只写空白申报表，不读申报文件；请去掉 {WORK_BASE}，或去掉 --blank")
    assert not out.exists()


def test_build_packet_with_neither_an_applicant_file_nor_blank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert_refused(run("build-packet", "-o", "out"), "错误：没有给出申报文件，当前文件夹中也没有 applicant.yaml；"
                   "请给出申报文件，或加 --blank 只写一份空白申报表")
    assert not (tmp_path / "out").exists()


# --- help ---------------------------------------------------------------------------------------------------


def test_import_help_in_chinese() -> None:
    res = run("import", "--help")
    assert res.exit_code == 0, res.output
    assert "用法：haizhi import" in res.stdout and "示例：" in res.stdout
    assert "haizhi import 空白表/申报表.docx -o applicant.yaml" in res.stdout
    assert "Show this message" not in res.stdout


def test_import_and_blank_help_in_english() -> None:
    done = haizhi("import", "--help", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Usage: haizhi import" in done.stdout and "Examples:" in done.stdout
    assert "Without -o the YAML goes to standard output" in done.stdout
    assert not HAN.search(done.stdout), done.stdout
    done = haizhi("build-packet", "--help", lang="en")
    assert "haizhi build-packet --blank -o blank" in done.stdout
    assert not HAN.search(done.stdout), done.stdout


def test_the_top_level_help_lists_import() -> None:
    res = run("--help")
    assert res.exit_code == 0, res.output
    assert "import" in res.stdout and "把申报表（.docx）读回为申报文件" in res.stdout

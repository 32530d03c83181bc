"""End to end, the conventions users bring from ruff, yamllint and check-jsonschema: concise output when piped,
--exit-zero and --strict, `-` for standard input and output, no path for the current folder, -h, Chinese help,
--type with dashes, an .xlsx-only --summary, the reason of a refused build first, and Windows-style paths."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from haizhi_cli.cli._app import app
from tests.conftest import EXAMPLES

runner = CliRunner(env={"COLUMNS": "120", "HAIZHI_LANG": None, "HAIZHI_AS_OF": None, "HAIZHI_RULES": None,
                        "NO_COLOR": None})
WORK_BASE = EXAMPLES / "work-base" / "applicant.yaml"
SMALL = EXAMPLES / "fail-work-base-small-area" / "applicant.yaml"
INSIDE_THE_ROUND = ("--as-of", "2023-09-01")
AFTER_THE_ROUND = ("--as-of", "2023-12-01")
CONCISE_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<status>不通过|警告|待审核) "
                          r"(?P<rule>[a-z_]+\.[a-z_]+) (?P<clause>\S+) (?P<message>.+)$")


def run(*args: str | Path, stdin: bytes | None = None) -> Result:
    res = runner.invoke(app, [str(a) for a in args], input=stdin)
    assert "Traceback" not in res.output, res.output
    return res


def haizhi(*args: str | Path, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """The console script in a process of its own, stdout a real pipe (not a terminal)."""
    environment = {**os.environ, "COLUMNS": "120", **env}
    for name in ("HAIZHI_LANG", "HAIZHI_AS_OF", "HAIZHI_RULES"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run([sys.executable, "-m", "haizhi_cli", *map(str, args)], cwd=cwd, env=environment,
                          capture_output=True, text=True, check=False, timeout=120)


# --- concise output -------------------------------------------------------------------------------------------

def test_piped_output_is_a_line_per_finding_then_a_verdict_line() -> None:
    done = haizhi("check", *INSIDE_THE_ROUND, SMALL)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    findings = [CONCISE_LINE.match(line) for line in lines[:-1]]
    assert all(findings), lines
    failed = [m for m in findings if m and m["status"] == "不通过"]
    assert [(m["path"], m["line"], m["col"], m["rule"], m["clause"]) for m in failed] == [
        (str(SMALL), "24", "1", "work_base.service_area", "一（一）2（2）")]
    assert failed[0]["message"] == "服务场地 99 平方米，不足要求的 100 平方米"
    assert lines[-1] == f"{SMALL}：不符合申报条件；材料齐全（通过 45 · 不通过 1 · 警告 0 · 待审核 5）"
    assert "┃" not in done.stdout and "\x1b" not in done.stdout


def test_quiet_concise_leaves_out_the_reviews_and_text_forces_the_tables() -> None:
    quiet = haizhi("check", *INSIDE_THE_ROUND, "--quiet", SMALL)
    assert [line.split()[1] for line in quiet.stdout.splitlines()[:-1]] == ["不通过"]
    tables = haizhi("check", *INSIDE_THE_ROUND, "--format", "text", SMALL)
    assert "┃ 状态" in tables.stdout and tables.returncode == 1


def test_concise_in_english_and_a_bad_file_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "applicant.yaml"
    bad.write_text("format: 1\nround: [\n", encoding="utf-8")
    done = haizhi("check", *INSIDE_THE_ROUND, "--lang", "en", SMALL, bad)
    assert done.returncode == 2
    assert f"{SMALL}:24:1: fail work_base.service_area" in done.stdout
    assert f"{SMALL}: NOT eligible" in done.stdout
    assert done.stderr.startswith(f"{bad}:3:1: error: YAML syntax error")


# --- exit status ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "options", "status"), [
    (SMALL, (), 1), (SMALL, ("--exit-zero",), 0), (SMALL, ("--strict",), 1),
    (WORK_BASE, (), 0), (WORK_BASE, ("--strict",), 0), (WORK_BASE, ("--exit-zero",), 0),
])
def test_exit_zero_and_strict_inside_the_round(path: Path, options: tuple[str, ...], status: int) -> None:
    res = run("check", *INSIDE_THE_ROUND, *options, path)
    assert res.exit_code == status, res.output
    assert "work_base.service_area" in res.stdout or path == WORK_BASE


def test_strict_fails_on_a_warning() -> None:
    warned = run("check", *AFTER_THE_ROUND, WORK_BASE)  # the round has closed: a warning, not a failure
    assert warned.exit_code == 0 and "警告 common.round_open" in warned.stdout
    strict = run("check", *AFTER_THE_ROUND, "--strict", WORK_BASE)
    assert strict.exit_code == 1 and "警告 common.round_open" in strict.stdout


def test_exit_zero_still_exits_2_for_a_file_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "applicant.yaml"
    bad.write_text("", encoding="utf-8")
    res = run("check", "--exit-zero", SMALL, bad)
    assert res.exit_code == 2 and "work_base.service_area" in res.stdout


def test_exit_zero_and_strict_together_are_refused() -> None:
    res = run("check", "--exit-zero", "--strict", WORK_BASE)
    assert res.exit_code == 2 and res.stdout == ""
    assert "--exit-zero 与 --strict 不能同时使用" in res.stderr


# --- `-` and no path ------------------------------------------------------------------------------------------

def test_standard_input_is_named_stdin_and_its_attachments_are_found_from_the_current_folder(
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = SMALL.read_bytes()
    monkeypatch.chdir(SMALL.parent)
    here = run("check", *INSIDE_THE_ROUND, "-", stdin=data)
    assert here.exit_code == 1, here.output
    assert here.stdout.splitlines()[-1].startswith("<stdin>：不符合申报条件；材料齐全")
    assert "<stdin>:24:1: 不通过 work_base.service_area" in here.stdout
    monkeypatch.chdir(EXAMPLES)  # the attachments are not here
    elsewhere = run("check", *INSIDE_THE_ROUND, "--quiet", "-", stdin=data)
    missing = "<stdin>:84:1: 不通过 common.attachment_files 申报表七 附件 attachments/policies.pdf：文件不存在"
    assert missing in elsewhere.stdout


def test_a_bad_file_on_standard_input_is_named_stdin() -> None:
    res = run("check", "-", stdin=b"format: 1\nround: [\n")
    assert res.exit_code == 2
    assert res.stderr.startswith("<stdin>:3:1: 错误: YAML 语法错误")


def test_standard_input_goes_alone() -> None:
    res = run("check", "-", WORK_BASE, stdin=b"")
    assert res.exit_code == 2 and "只能单独给出" in res.stderr


def test_no_path_checks_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SMALL.parent, tmp_path / "small")
    monkeypatch.chdir(tmp_path)
    res = run("check", *INSIDE_THE_ROUND)
    assert res.exit_code == 1, res.output
    assert "small/applicant.yaml:24:1: 不通过 work_base.service_area" in res.stdout


def test_schema_and_import_write_standard_output_for_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    schema = run("schema", "-o", "-")
    assert schema.exit_code == 0 and schema.stdout.startswith("{") and '"$schema"' in schema.stdout
    blank = run("build-packet", "--blank", "-o", "blank")
    assert blank.exit_code == 0, blank.output
    imported = run("import", "blank/申报表.docx", "-o", "-")
    assert imported.exit_code == 0, imported.output
    assert "format: 1" in imported.stdout
    assert not (tmp_path / "-").exists()


# --- help and words -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["check"], ["build-packet"], ["import"], ["init"], ["schema"], ["rules"],
                                     ["explain"]])
def test_dash_h_is_help_and_help_is_chinese(command: list[str]) -> None:
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout and short.stdout.startswith("用法：haizhi")
    for english in ("[env var", "<int range>", "x>=", "[OPTIONS]", "Show this message", "completion for", "<path>",
                    "<int>", "<str>", "paths", "{file}", "[file]", "rule_id"):
        assert english not in short.stdout, (command, english)


def test_completion_is_installed_with_a_chinese_report(tmp_path: Path) -> None:
    done = haizhi("--install-completion", "bash", HOME=str(tmp_path), SHELL="/bin/bash")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已为 bash 安装命令补全：") and "重新打开终端后生效" in done.stdout
    assert "completion installed" not in done.stdout


@pytest.mark.parametrize(("text", "chinese"), [
    ("format: 1\nround: [\n", "此处缺少值"),
    ("format: 1\na: b: c\n", "此处不能再有“键: 值”"),
    ('format: 1\na: "abc\n', "没有闭合的引号"),
    ("format: 1\na: *x\n", "没有定义的锚点"),
])
def test_yaml_syntax_errors_are_in_chinese(tmp_path: Path, text: str, chinese: str) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_text(text, encoding="utf-8")
    res = run("check", path)
    assert res.exit_code == 2
    assert chinese in res.stderr and not re.search(r"[a-z]{4,} [a-z]{3,}", res.stderr.split("错误:")[1])


@pytest.mark.parametrize("written", ["work-base", "work_base", "offshore-base"])
def test_types_may_be_written_with_dashes(tmp_path: Path, written: str) -> None:
    init = run("init", "--type", written, "-o", tmp_path / "applicant.yaml")
    assert init.exit_code == 0, init.output
    assert f"base_type: {written.replace('-', '_')}" in (tmp_path / "applicant.yaml").read_text(encoding="utf-8")
    rules = run("rules", "-t", written)
    assert rules.exit_code == 0
    assert ("work_base.service_area" in rules.stdout) == written.startswith("work")


# --- summary and build ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["汇总.csv", "汇总", "汇总.xls"])
def test_a_summary_not_ending_in_xlsx_is_refused_before_checking(tmp_path: Path, name: str) -> None:
    res = run("check", "--summary", tmp_path / name, WORK_BASE)
    assert res.exit_code == 2 and res.stdout == ""
    assert "汇总表只写为 Excel 文件（.xlsx" in res.stderr
    assert not (tmp_path / name).exists()


def test_a_refused_build_says_why_first_then_the_findings(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "build-packet", *INSIDE_THE_ROUND, str(SMALL),
                           "-o", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, "COLUMNS": "120"}, check=False)
    assert done.returncode == 1
    assert done.stdout.startswith("错误：申报单位不符合申报条件或材料不齐，未生成材料包")
    assert done.stdout.index("错误：") < done.stdout.index("服务场地 99 平方米")
    assert not (tmp_path / "out").exists()


# --- paths written on Windows ---------------------------------------------------------------------------------

def windows_copy(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(WORK_BASE.parent, tmp_path / "w")
    path = tmp_path / "w" / "applicant.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_backslash_path_is_read_with_slashes(tmp_path: Path) -> None:
    path = windows_copy(tmp_path, "file: attachments/proofs.pdf", "file: attachments\\proofs.pdf")
    res = run("check", *INSIDE_THE_ROUND, "--format", "json", path)
    assert res.exit_code == 0, res.output
    built = run("build-packet", *INSIDE_THE_ROUND, path, "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    names = sorted(p.name for p in (tmp_path / "out" / "attachments").iterdir())
    assert "七3-1-proofs.pdf" in names and not any("\\" in name for name in names)


def test_a_name_differing_only_in_case_fails_and_is_named(tmp_path: Path) -> None:
    path = windows_copy(tmp_path, "file: attachments/policies.pdf", "file: Attachments/Policies.PDF")
    res = run("check", *INSIDE_THE_ROUND, path)
    assert res.exit_code == 1
    assert ("附件 Attachments/Policies.PDF：文件不存在；是否应为 attachments/policies.pdf？两者只差大小写："
            "Windows 上能找到它，Linux 上找不到") in res.stdout
    english = run("check", *INSIDE_THE_ROUND, "--lang", "en", path)
    said = "did you mean attachments/policies.pdf? The names differ only in case: Windows would find it"
    assert said in english.stdout

"""Bad input end to end: `haizhi check` on every fixture of tests/fixtures/bad/ exits 2 with a located message.

The spec: exit status 2 when a file could not be read or does not fit the format; then stdout carries
`{"file": ..., "error": {"message": ..., "line": ..., "column": ...}}` and stderr says the same in words;
never a traceback. The fixtures and their lines are the table in test_loading.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from haizhi_cli.applicant._loading import MAX_FILE_BYTES
from haizhi_cli.cli._app import app
from tests.conftest import EXAMPLES
from tests.test_loading import BAD, BadCase, bad_params

runner = CliRunner(env={"COLUMNS": "200"})  # rich tables must not wrap the lines asserted on
GOOD = EXAMPLES / "work-base" / "applicant.yaml"


def check(*args: str | Path) -> Result:
    """`haizhi check` with a fixed day, asserting what holds for every bad input."""
    res = runner.invoke(app, ["check", "--as-of", "2023-09-01", *map(str, args)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert "内部错误" not in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res


def json_of(res: Result) -> Any:
    return json.loads(res.stdout)


@pytest.mark.parametrize("case", bad_params())
def test_text_report_of_a_bad_file(case: BadCase) -> None:
    res = check(case.path)
    assert res.stdout == ""
    first = res.stderr.splitlines()[0]
    assert first.startswith(f"{case.path}:{case.line}:"), res.stderr
    if case.column is not None:
        assert first.startswith(f"{case.path}:{case.line}:{case.column}: 错误: "), res.stderr


@pytest.mark.parametrize("case", bad_params())
def test_json_report_of_a_bad_file(case: BadCase) -> None:
    res = check("--format", "json", case.path)
    report = json_of(res)
    assert set(report) == {"file", "error"}
    assert report["file"] == str(case.path)
    error = report["error"]
    assert {"message", "line", "column"} <= set(error)
    assert error["line"] == case.line, error
    if case.column is not None:
        assert error["column"] == case.column, error
    assert isinstance(error["message"], str)
    assert error["message"]
    # stderr says the same in words, with the file and line.
    assert f"{case.path}:{case.line}:" in res.stderr


def test_json_error_details_list_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("  staff_total: 12\n", "  staff_total: -1\n").replace("  kind: park\n", "  kind: parkk\n")
    path.write_text(text, encoding="utf-8")
    res = check("--format", "json", path)
    error = json_of(res)["error"]
    assert error["line"] == 11
    assert error["message"].startswith("共 2 处问题；applicant.kind（第 11 行）")
    assert [(d["line"], d["column"]) for d in error["details"]] == [(11, 3), (25, 3)]
    assert error["details"][1]["message"] == "base.staff_total（第 25 行）：不能为负数"
    lines = res.stderr.splitlines()
    assert lines[0].startswith(f"{path}:11:3: 错误: applicant.kind（第 11 行）：取值 'parkk' 无效")
    assert lines[1] == f"{path}:25:3: 错误: base.staff_total（第 25 行）：不能为负数"


def test_unknown_key_suggestion_reaches_stderr() -> None:
    path = BAD / "unknown-key.yaml"
    res = check(path)
    expected = f"{path}:24:3: 错误: base.ofice_area_m2（第 24 行）：未知的键 ofice_area_m2，是否应为 office_area_m2？"
    assert expected in res.stderr.splitlines()


def test_duplicate_key_in_words() -> None:
    path = BAD / "duplicate-key.yaml"
    res = check(path)
    assert res.stderr == f"{path}:8:1: 错误: 键 base_name 重复出现（第 7 行与第 8 行）；只保留一个，删除另一个\n"


def test_english_label_for_the_error_prefix() -> None:
    path = BAD / "negative-number.yaml"
    res = check("--lang", "en", path)
    assert res.stderr.startswith(f"{path}:25:3: error: ")


# --- files that cannot be read ----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    res = check(path)
    assert res.stderr == f"{path}: 错误: 文件不存在，请检查路径\n"
    res = check("--format", "json", path)
    assert json_of(res) == {"file": str(path), "error": {"message": "文件不存在，请检查路径", "line": None,
                                                        "column": None}}


def test_folder_without_applicant_files(tmp_path: Path) -> None:
    """A folder is searched for applicant files; one that holds none is an error, never a silent pass."""
    message = "文件夹中没有申报文件（含顶层 format: 键的 .yaml/.yml 文件）"
    res = check(tmp_path)
    assert res.exit_code == 2
    assert res.stderr == f"{tmp_path}: 错误: {message}\n"
    res = check("--format", "json", tmp_path)
    assert json_of(res)["error"] == {"message": message, "line": None, "column": None}


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    message = f"文件过大（{MAX_FILE_BYTES + 1:,} 字节，上限 {MAX_FILE_BYTES:,} 字节），未读取"
    res = check(path)
    assert res.stderr == f"{path}: 错误: {message}\n"
    res = check("--format", "json", path)
    assert json_of(res) == {"file": str(path), "error": {"message": message, "line": None, "column": None}}


# --- several files ----------------------------------------------------------------------------------------


def test_several_files_one_bad_gives_a_json_array() -> None:
    bad = BAD / "wrong-type.yaml"
    res = check("--format", "json", GOOD, bad)
    reports = json_of(res)
    assert isinstance(reports, list)
    assert len(reports) == 2
    good_report, bad_report = reports
    assert good_report["file"] == str(GOOD)
    assert "error" not in good_report
    assert good_report["round"] == 2023
    assert good_report["base_type"] == "work_base"
    assert isinstance(good_report["findings"], list)
    assert good_report["findings"]
    assert bad_report["file"] == str(bad)
    assert bad_report["error"]["line"] == 23
    assert bad_report["error"]["column"] == 3
    assert res.stderr.startswith(f"{bad}:23:3: 错误: base.service_area_m2（第 23 行）")


def test_several_files_order_is_kept_when_the_bad_one_comes_first() -> None:
    bad = BAD / "empty.yaml"
    res = check("--format", "json", bad, GOOD)
    reports = json_of(res)
    assert [r["file"] for r in reports] == [str(bad), str(GOOD)]
    assert reports[0]["error"] == {"message": "文件为空：没有任何内容", "line": 1, "column": 1}
    assert "findings" in reports[1]


def test_several_files_one_bad_in_text_still_reports_the_good_one() -> None:
    bad = BAD / "unknown-round.yaml"
    res = check("--format", "text", GOOD, bad)
    assert re.search(r"通过 \d+ · 不通过 \d+ · 警告 \d+ · 待审核 \d+", res.stdout), res.stdout  # the good one
    assert "无法检查" in res.stdout  # the summary row of the bad file
    assert res.stderr == f"{bad}:5:1: 错误: round: 2019 没有对应的规则；可用的申报年度：2023\n"


def test_several_bad_files_are_each_reported() -> None:
    names = ["empty.yaml", "top-level-list.yaml", "bad-date.yaml"]
    res = check("--format", "json", *(BAD / name for name in names))
    reports = json_of(res)
    assert [(r["file"], r["error"]["line"]) for r in reports] == [
        (str(BAD / "empty.yaml"), 1), (str(BAD / "top-level-list.yaml"), 1), (str(BAD / "bad-date.yaml"), 20),
    ]
    assert len(res.stderr.splitlines()) == 3

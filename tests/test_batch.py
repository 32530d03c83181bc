"""Batch review: `haizhi check DIR…` finds the applicant files, checks them in one or several processes,
and says which YAML files it passed over; `--rules DIR` checks against a rule folder outside the package."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haizhi_cli.checking._discovery import find_applicant_files
from haizhi_cli.checking._pipeline import CheckOptions, check_paths
from haizhi_cli.cli._app import app
from haizhi_cli.cli._running import rules_root_option
from haizhi_cli.engine._results import FileError, Report
from haizhi_cli.engine._rules import packaged_rules_root
from haizhi_cli.errors._errors import UsageError
from tests.conftest import CHECK_DAY, EXAMPLES

runner = CliRunner(env={"COLUMNS": "200"})
APPLICANTS = sorted(EXAMPLES.glob("*/applicant.yaml"))


def check(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["check", "--as-of", "2023-09-01", *args])
    assert "Traceback" not in res.output
    return res.exit_code, res.stdout, res.stderr


def test_a_folder_yields_every_applicant_file_below_it_in_name_order() -> None:
    found = find_applicant_files([EXAMPLES])
    assert found.files == APPLICANTS
    assert sorted(found.skipped) == sorted(EXAMPLES.glob("*/expected.yaml"))


def test_files_given_by_name_are_always_checked(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    assert find_applicant_files([other]).files == [other]


def test_hidden_and_tool_folders_are_not_searched(tmp_path: Path) -> None:
    for folder in (".git", ".venv", "node_modules", "sub"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "applicant.yaml").write_text("format: 1\n", encoding="utf-8")
    assert find_applicant_files([tmp_path]).files == [tmp_path / "sub" / "applicant.yaml"]


def test_a_file_whose_format_key_is_not_first_is_still_found(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("# 说明\nround: 2023\nformat: 1\n", encoding="utf-8")
    assert find_applicant_files([tmp_path]).files == [path]


def test_several_processes_give_the_same_outcomes_in_the_same_order() -> None:
    options = CheckOptions(as_of=CHECK_DAY)
    alone = check_paths(APPLICANTS, options)
    shared = check_paths(APPLICANTS, options, jobs=3)
    assert [o.as_json() for o in shared] == [o.as_json() for o in alone]


def test_progress_is_reported_once_per_file() -> None:
    seen: list[str] = []
    check_paths(APPLICANTS[:3], CheckOptions(as_of=CHECK_DAY), on_done=lambda o: seen.append(o.file))
    assert seen == [str(p) for p in APPLICANTS[:3]]


def test_a_bad_file_in_a_batch_does_not_stop_the_others(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "work-base", tmp_path / "good")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "applicant.yaml").write_text("format: 1\nround: [\n", encoding="utf-8")
    outcomes = check_paths(find_applicant_files([tmp_path]).files, CheckOptions(as_of=CHECK_DAY), jobs=2)
    assert [type(o) for o in outcomes] == [FileError, Report]


def test_check_of_a_folder_prints_a_summary_and_names_skipped_files() -> None:
    code, out, err = check("--format", "text", str(EXAMPLES), "--jobs", "2")
    assert code == 1, out + err
    assert "汇总" in out
    for path in APPLICANTS:
        assert str(path) in out
    assert "跳过 10 个不是申报文件的 YAML 文件" in err


def test_check_of_a_folder_as_json_is_an_array_of_every_file() -> None:
    code, out, _ = check(str(EXAMPLES), "--format", "json")
    assert code == 1
    assert [item["file"] for item in json.loads(out)] == [str(p) for p in APPLICANTS]


def test_a_folder_without_applicant_files_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    code, out, err = check(str(tmp_path), "--format", "json")
    assert code == 2
    assert "文件夹中没有申报文件" in err
    assert json.loads(out)["file"] == str(tmp_path)


def test_rules_dir_may_be_a_folder_of_rounds_or_a_round_folder(tmp_path: Path) -> None:
    shutil.copytree(packaged_rules_root() / "2023", tmp_path / "rules" / "2023")
    assert rules_root_option(tmp_path / "rules") == tmp_path / "rules"
    assert rules_root_option(tmp_path / "rules" / "2023") == tmp_path / "rules"


@pytest.mark.parametrize("layout", ["missing", "empty", "badly-named-round"])
def test_a_rules_dir_that_holds_no_round_is_refused(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "rules"
    if layout != "missing":
        folder.mkdir()
    if layout == "badly-named-round":
        shutil.copy(packaged_rules_root() / "2023" / "facts.yaml", folder / "facts.yaml")
    with pytest.raises(UsageError):
        rules_root_option(folder)


def test_check_with_an_outside_rule_folder_uses_its_thresholds(tmp_path: Path) -> None:
    """A new round before a release: the same rules with a stricter service area for 工作基地."""
    round_folder = tmp_path / "rules" / "2023"
    shutil.copytree(packaged_rules_root() / "2023", round_folder)
    rule_file = round_folder / "work_base.yaml"
    text = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(text.replace("field: base.service_area_m2, value: 100", "field: base.service_area_m2, "
                                      "value: 400"), encoding="utf-8")
    applicant = str(EXAMPLES / "work-base" / "applicant.yaml")
    assert check(applicant)[0] == 0
    code, out, _ = check(applicant, "--rules", str(tmp_path / "rules"), "--format", "json")
    assert code == 1
    failed = [f["rule"] for f in json.loads(out)["findings"] if f["status"] == "fail"]
    assert failed == ["work_base.service_area"]


def test_a_broken_outside_rule_folder_names_the_rule_file(tmp_path: Path) -> None:
    round_folder = tmp_path / "2023"
    shutil.copytree(packaged_rules_root() / "2023", round_folder)
    (round_folder / "work_base.yaml").write_text("applies_to: [work_base]\nrules: [{id: 1}]\n", encoding="utf-8")
    code, out, err = check(str(EXAMPLES / "work-base" / "applicant.yaml"), "--rules", str(round_folder))
    assert code == 2
    assert "work_base.yaml" in out + err


def test_an_existing_summary_is_refused_before_anything_is_checked(tmp_path: Path) -> None:
    summary = tmp_path / "汇总.xlsx"
    summary.write_bytes(b"a reviewer's own notes")
    code, out, err = check(str(EXAMPLES / "work-base"), "--summary", str(summary))
    assert code == 2
    assert out == ""
    assert "已存在，未覆盖" in err and "--force" in err
    assert summary.read_bytes() == b"a reviewer's own notes"
    code, _, err = check(str(EXAMPLES / "work-base"), "--summary", str(summary), "--force")
    assert code == 0, err
    assert summary.read_bytes()[:2] == b"PK"


def test_the_summary_table_names_types_by_their_short_names() -> None:
    _, out, _ = check("--format", "text", str(EXAMPLES / "work-base"), str(EXAMPLES / "offshore-base"))
    cells = {cell.strip() for line in out.splitlines() for cell in line.split("│")}
    assert {"工作基地", "离岸基地"} <= cells

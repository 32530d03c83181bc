"""A new round is a new folder, not new code: a copy of rules/2023 renamed 2024, with every year moved on by
one, goes through check, rules, explain, schema, init and the xlsx summary, and is the default round."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from haizhi_cli.cli import app
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner(env={"COLUMNS": "200", "HAIZHI_LANG": None, "SOURCE_DATE_EPOCH": None})


def a_year_later(text: str) -> str:
    """Every year 2023–2026 written in a text, one year on (dates, plan years, the round, the notice)."""
    return re.sub(r"(?<!\d)(202[3-6])(?!\d)", lambda m: str(int(m.group(1)) + 1), text)


@pytest.fixture(scope="module")
def rules_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rules folder holding the 2023 round and its copy as 2024."""
    root = tmp_path_factory.mktemp("rules")
    shutil.copytree(ROOT / "rules" / "2023", root / "2023")
    (root / "2024").mkdir()
    for source in (ROOT / "rules" / "2023").glob("*.yaml"):
        (root / "2024" / source.name).write_text(a_year_later(source.read_text(encoding="utf-8")), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def applicant_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The work-base example, applying in 2024."""
    folder = tmp_path_factory.mktemp("applicant") / "work-base"
    shutil.copytree(EXAMPLES / "work-base", folder)
    path = folder / "applicant.yaml"
    path.write_text(a_year_later(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def run(*args: str | Path) -> tuple[int, str]:
    done = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in done.output, done.output
    return done.exit_code, done.output


def test_the_copy_is_a_real_new_round(rules_2024: Path) -> None:
    facts = (rules_2024 / "2024" / "facts.yaml").read_text(encoding="utf-8")
    assert "round: 2024" in facts and "deadline: 2024-09-15" in facts and "[2025, 2026, 2027]" in facts


def test_check_reads_the_round_the_file_names(rules_2024: Path, applicant_2024: Path) -> None:
    code, out = run("check", "--rules", rules_2024, "--as-of", "2024-09-01", "--format", "json", applicant_2024)
    report = json.loads(out)
    assert (code, report["round"], report["eligible"], report["complete"]) == (0, 2024, True, True)
    deadline = next(f for f in report["findings"] if f["rule"] == "common.provincial_submission")
    assert deadline["required"] == "<= 2024-09-15"


def test_the_2023_deadline_no_longer_applies(rules_2024: Path, applicant_2024: Path) -> None:
    code, out = run("check", "--rules", rules_2024, "--as-of", "2024-09-16", "--format", "json", applicant_2024)
    statuses = {f["rule"]: f["status"] for f in json.loads(out)["findings"]}
    assert (code, statuses["common.round_open"]) == (0, "warn")  # a closed round warns, it does not fail


def test_rules_and_explain_default_to_the_latest_round(rules_2024: Path) -> None:
    _, listed = run("rules", "--rules", rules_2024)
    assert "<= 2024-09-15" in listed and "2023-09-15" not in listed
    _, explained = run("explain", "--rules", rules_2024, "common.provincial_submission")
    assert "2024-09-15" in explained and "2023-09-15" not in explained
    _, older = run("explain", "--rules", rules_2024, "--round", "2023", "common.provincial_submission")
    assert "2023-09-15" in older


def test_schema_and_init_follow_the_latest_round(rules_2024: Path, tmp_path: Path) -> None:
    code, schema = run("schema", "--rules", rules_2024)
    assert code == 0 and "2024-09-15" in schema
    code, _ = run("init", "--rules", rules_2024, "--type", "rd_community", "-o", tmp_path / "applicant.yaml")
    skeleton = (tmp_path / "applicant.yaml").read_text(encoding="utf-8")
    assert code == 0 and re.search(r"^round: 2024$", skeleton, re.MULTILINE), skeleton[:400]


def test_the_summary_is_dated_by_the_new_deadline(rules_2024: Path, applicant_2024: Path, tmp_path: Path) -> None:
    summary = tmp_path / "汇总.xlsx"
    run("check", "--rules", rules_2024, "--as-of", "2024-09-01", "--summary", summary, applicant_2024)
    created = openpyxl.load_workbook(summary).properties.created
    assert created is not None and created.date().isoformat() == "2024-09-15"

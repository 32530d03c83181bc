"""The check pipeline: special files, alias chains, one bad file in a batch, broken rules, odd output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from haizhi_cli.checking import _pipeline as checking
from haizhi_cli.checking._pipeline import CheckOptions, check_or_error, check_paths
from haizhi_cli.cli._app import app
from haizhi_cli.engine._results import FileError, Report
from tests.conftest import CHECK_DAY, EXAMPLES, ROOT

WORK_BASE = EXAMPLES / "work-base" / "applicant.yaml"
OPTIONS = CheckOptions(as_of=CHECK_DAY)
runner = CliRunner(env={"COLUMNS": "200"})


def test_the_bundled_work_base_is_the_spec_example_unchanged() -> None:
    assert WORK_BASE.read_bytes() == (ROOT / "docs" / "example-work-base.yaml").read_bytes()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_unread() -> None:
    outcome = check_or_error(Path("/dev/zero"), OPTIONS)
    assert isinstance(outcome, FileError)
    assert "不是普通文件" in outcome.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "applicant.yaml"
    os.mkfifo(fifo)
    outcome = check_or_error(fifo, OPTIONS)
    assert isinstance(outcome, FileError)
    assert "不是普通文件" in outcome.message


def test_an_alias_chain_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x]", *(f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 440)), "z: [*a439]"]
    path = tmp_path / "chain.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = check_or_error(path, OPTIONS)
    assert isinstance(outcome, FileError)
    assert "嵌套超过" in outcome.message
    assert outcome.line == 50


def test_an_unexpected_error_in_one_file_does_not_stop_the_batch(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    real = checking.check_file

    def flaky(path: Path, options: CheckOptions) -> Report:
        if path == broken:
            raise ZeroDivisionError("boom")
        return real(path, options)

    monkeypatch.setattr(checking, "check_file", flaky)
    outcomes = check_paths([broken, WORK_BASE], OPTIONS)
    assert isinstance(outcomes[0], FileError) and "内部错误" in outcomes[0].message
    assert isinstance(outcomes[1], Report) and not outcomes[1].failed


def test_a_broken_rule_file_is_named_not_blamed_on_the_applicant(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "2023", root / "2023")
    (root / "2023" / "work_base.yaml").write_text("applies_to: [work_base]\nrules: [1, 2\n", encoding="utf-8")
    outcome = check_or_error(WORK_BASE, CheckOptions(as_of=CHECK_DAY, rules_root=root))
    assert isinstance(outcome, FileError)
    assert outcome.message.startswith("规则文件有误")
    assert "work_base.yaml:3" in outcome.message


def test_markup_in_applicant_text_and_file_names_is_printed_literally(tmp_path: Path) -> None:
    folder = tmp_path / "q[/b]"
    shutil.copytree(EXAMPLES / "work-base", folder)
    path = folder / "applicant.yaml"
    text = path.read_text(encoding="utf-8").replace("（苏州工业园区）", "（苏州[/]工业园区[red]）")
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["check", "--format", "text", "--as-of", "2023-09-01", str(path)])
    assert res.exit_code == 0, res.output
    assert "（苏州[/]工业园区[red]）" in res.output
    assert "q[/b]" in res.output


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_output_is_utf8_whatever_the_console_encoding(encoding: str) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "HAIZHI_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "check", "--format", "json", "--as-of", "2023-09-01",
                           str(WORK_BASE)], capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["base_name"] == "中国科协海智工作基地（苏州工业园区）"
    assert any("m²" in f["message"] for f in report["findings"])


def test_a_one_megabyte_narrative_is_refused_with_the_limit(tmp_path: Path) -> None:
    folder = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", folder)
    path = folder / "applicant.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["narratives"]["goals"] = "字" * 350_000  # about 1 MB of UTF-8
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    outcome = check_or_error(path, OPTIONS)
    assert isinstance(outcome, FileError)
    assert outcome.message.startswith("narratives.goals")
    assert "100,000 个字符的上限" in outcome.message

"""End-to-end runs of `haizhi check`, asserting on output and exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haizhi_cli import __version__
from haizhi_cli.cli._app import app
from tests.conftest import EXAMPLES

runner = CliRunner(env={"COLUMNS": "200"})
WORK_BASE = EXAMPLES / "work-base" / "applicant.yaml"
SPEC_KEYS = {"file", "round", "base_type", "eligible", "complete", "findings"}
FINDING_KEYS = {"rule", "clause", "category", "status", "message", "actual", "required"}


def check(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, ["check", "--as-of", "2023-09-01", *args])
    assert "Traceback" not in res.output
    return res.exit_code, res.output


@pytest.fixture
def failing_copy(tmp_path: Path) -> Path:
    """The work-base example with a service area of 99 m² (100 required)."""
    folder = tmp_path / "small"
    shutil.copytree(EXAMPLES / "work-base", folder)
    path = folder / "applicant.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("service_area_m2: 350", "service_area_m2: 99"), encoding="utf-8")
    return path


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == f"haizhi {__version__}"


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_help_is_in_chinese() -> None:
    res = runner.invoke(app, ["check", "--help"])
    assert res.exit_code == 0, res.output
    assert "申报文件" in res.output


def test_the_spec_example_passes_with_a_chinese_table() -> None:
    code, output = check("--format", "text", str(WORK_BASE))
    assert code == 0, output
    assert "符合申报条件；材料齐全" in output
    assert "一（一）2（2）" in output
    assert "服务场地 350 平方米，要求 100 平方米以上" in output
    assert "待审核" in output


def test_english_report() -> None:
    code, output = check("--format", "text", "--lang", "en", str(WORK_BASE))
    assert code == 0, output
    assert "eligible; complete" in output
    assert "service area 350 m², at least 100 m² required" in output


def test_json_report_follows_the_contract() -> None:
    code, output = check("--format", "json", str(WORK_BASE))
    assert code == 0, output
    report = json.loads(output)
    assert set(report) >= SPEC_KEYS
    assert report["round"] == 2023 and report["base_type"] == "work_base"
    assert report["eligible"] is True and report["complete"] is True
    assert all(set(f) >= FINDING_KEYS for f in report["findings"])
    area = next(f for f in report["findings"] if f["rule"] == "work_base.service_area")
    assert area == {
        "rule": "work_base.service_area", "clause": "一（一）2（2）", "category": "eligibility", "status": "pass",
        "message": "服务场地 350 平方米，要求 100 平方米以上", "actual": 350, "required": ">= 100",
        "field": "base.service_area_m2", "line": 23,
    }


def test_a_failing_applicant_exits_1_and_says_why(failing_copy: Path) -> None:
    code, output = check(str(failing_copy))
    assert code == 1, output
    assert "不符合申报条件；材料齐全" in output
    assert "服务场地 99 平方米，不足要求的 100 平方米" in output


def test_a_failing_applicant_in_json(failing_copy: Path) -> None:
    code, output = check("--format", "json", str(failing_copy))
    assert code == 1, output
    report = json.loads(output)
    assert report["eligible"] is False and report["complete"] is True
    assert [f["rule"] for f in report["findings"] if f["status"] == "fail"] == ["work_base.service_area"]


def test_several_files_give_an_array_and_a_summary(failing_copy: Path) -> None:
    code, output = check("--format", "json", str(WORK_BASE), str(failing_copy))
    assert code == 1, output
    reports = json.loads(output)
    assert [r["eligible"] for r in reports] == [True, False]
    code, output = check("--format", "text", str(WORK_BASE), str(failing_copy))
    assert code == 1, output
    assert "汇总" in output


def test_a_closed_round_only_warns() -> None:
    res = runner.invoke(app, ["check", "--format", "json", "--as-of", "2026-11-28", str(WORK_BASE)])
    assert res.exit_code == 0, res.output
    closed = next(f for f in json.loads(res.output)["findings"] if f["rule"] == "common.round_open")
    assert closed["status"] == "warn"
    assert "2023-09-15" in closed["message"]


def test_a_bad_as_of_date_is_a_usage_error() -> None:
    res = runner.invoke(app, ["check", "--as-of", "15/09/2023", str(WORK_BASE)])
    assert res.exit_code == 2, res.output


def test_the_console_script_module_loads_no_command_module_before_main_runs() -> None:
    """`haizhi` runs `from haizhi_cli.cli import main` before main() turns the collector off: that import must
    load neither the command line nor the stages (else they are all imported with the collector on)."""
    probe = ("import sys; from haizhi_cli.cli import main; "
             "print(sorted(name for name in sys.modules if name.startswith(('haizhi_cli.', 'typer', 'pydantic'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['haizhi_cli._lazy', 'haizhi_cli.cli', 'haizhi_cli.cli._console']"


@pytest.mark.parametrize(("preset", "seen"), [(None, "__all__"), ("", ""), ("logfire", "logfire")])
def test_the_console_script_loads_no_pydantic_plugin_unless_told_to(preset: str | None, seen: str) -> None:
    probe = ("import atexit, os, sys; from haizhi_cli.cli import main; sys.argv = ['haizhi', '--version']; "
             "atexit.register(lambda: print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')))); main()")
    env = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    if preset is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = preset
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == repr(seen)


@pytest.mark.parametrize("command", [["schema"], ["check", "--format", "json", "--as-of", "2023-09-01",
                                                  str(EXAMPLES / "work-base" / "applicant.yaml")]])
def test_the_console_script_collects_no_garbage_while_importing(monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 command: list[str]) -> None:
    """main() turns the collector off for start-up; the command turns it back on once its modules are in."""
    import gc

    from haizhi_cli.cli import _app as cli
    from haizhi_cli.cli import main

    states: list[bool] = []
    real = cli._imports_done

    def watched() -> None:
        states.append(gc.isenabled())
        real()
        states.append(gc.isenabled())

    monkeypatch.setattr(cli, "_imports_done", watched)
    monkeypatch.setattr(sys, "argv", ["haizhi", *command])
    try:
        with pytest.raises(SystemExit) as exit_:
            main()
    finally:
        gc.unfreeze()
        gc.enable()
    assert exit_.value.code == 0, capsys.readouterr()
    assert states == [False, True]


def test_a_command_run_in_process_leaves_the_collector_alone() -> None:
    """Outside the console script (tests, other programs) nothing is frozen and the collector stays on."""
    import gc

    frozen = gc.get_freeze_count()
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0, res.output
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(tmp_path: Path) -> None:
    """A name made on another system (GBK bytes, say) reaches Python with lone surrogates; JSON still comes out."""
    folder = tmp_path / "申报"
    shutil.copytree(EXAMPLES / "work-base", folder)
    try:
        (folder / "applicant.yaml").rename(os.fsdecode(bytes(folder) + b"/\xc9\xea\xb1\xa8.yaml"))
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "check", "--format", "json", "--as-of", "2023-09-01",
                           str(folder)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["eligible"] is True
    assert report["file"].startswith(str(folder)) and "?" in report["file"]  # the byte that is not UTF-8, replaced

"""End to end, a day, a language and a rule folder for a whole run: HAIZHI_AS_OF and the settings file
(`[tool.haizhi]` in a pyproject.toml, or a haizhi.toml, found upward from the checked files), with the
precedence option > environment variable > settings file > default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from haizhi_cli.cli._app import app
from haizhi_cli.engine._rules import packaged_rules_root
from tests.conftest import EXAMPLES

CLEAN = {"COLUMNS": "120", "HAIZHI_LANG": None, "HAIZHI_AS_OF": None, "HAIZHI_RULES": None}
CLOSED = "警告 common.round_open"
"""What a run judged after the 2023 round closed says (a run inside the round does not)."""


def run(*args: str | Path, **env: str) -> Result:
    res = CliRunner(env={**CLEAN, **env}).invoke(app, [str(a) for a in args])
    assert "Traceback" not in res.output, res.output
    return res


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A submissions repository: one applicant two folders down."""
    shutil.copytree(EXAMPLES / "work-base", tmp_path / "submissions" / "苏州")
    return tmp_path


def applicant(repo: Path) -> Path:
    return repo / "submissions" / "苏州" / "applicant.yaml"


def test_the_default_is_today(repo: Path) -> None:
    assert CLOSED in run("check", applicant(repo)).stdout


def test_pyproject_settings_are_found_upward(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.haizhi]\nas_of = 2023-09-01\n',
                                         encoding="utf-8")
    res = run("check", applicant(repo))
    assert res.exit_code == 0 and CLOSED not in res.stdout
    assert CLOSED not in run("check", repo / "submissions").stdout  # from a folder given, too


def test_precedence_option_then_environment_then_file(repo: Path) -> None:
    (repo / "haizhi.toml").write_text('as_of = "2023-09-01"\n', encoding="utf-8")
    assert CLOSED not in run("check", applicant(repo)).stdout  # the file
    assert CLOSED in run("check", applicant(repo), HAIZHI_AS_OF="2023-12-01").stdout  # environment over file
    over = run("check", "--as-of", "2023-09-01", applicant(repo), HAIZHI_AS_OF="2023-12-01")
    assert CLOSED not in over.stdout  # the option over the environment


def test_language_from_the_file_below_the_environment(repo: Path) -> None:
    (repo / "haizhi.toml").write_text('lang = "en"\nas_of = 2023-09-01\n', encoding="utf-8")
    english = run("check", applicant(repo))
    assert "eligible; complete" in english.stdout
    assert "符合申报条件；材料齐全" in run("check", applicant(repo), HAIZHI_LANG="zh").stdout
    assert "符合申报条件；材料齐全" in run("check", "--lang", "zh", applicant(repo)).stdout


def test_rules_from_the_file_are_relative_to_it(repo: Path) -> None:
    shutil.copytree(packaged_rules_root() / "2023", repo / "my-rules" / "2023")
    text = (repo / "my-rules" / "2023" / "work_base.yaml").read_text(encoding="utf-8")
    assert "value: 100" in text
    (repo / "my-rules" / "2023" / "work_base.yaml").write_text(text.replace("value: 100", "value: 500", 1),
                                                                encoding="utf-8")
    (repo / "haizhi.toml").write_text('rules = "my-rules"\nas_of = 2023-09-01\n', encoding="utf-8")
    res = run("check", applicant(repo))
    assert res.exit_code == 1 and "不通过 work_base.service_area" in res.stdout
    packaged = run("check", "--rules", packaged_rules_root(), applicant(repo))
    assert packaged.exit_code == 0, packaged.output


def test_haizhi_toml_comes_before_pyproject_and_a_pyproject_without_a_table_is_passed_over(repo: Path) -> None:
    folder = applicant(repo).parent
    (folder / "pyproject.toml").write_text('[project]\nname = "unit"\n', encoding="utf-8")  # no [tool.haizhi]
    (repo / "pyproject.toml").write_text("[tool.haizhi]\nas_of = 2023-12-01\n", encoding="utf-8")
    (repo / "haizhi.toml").write_text("as_of = 2023-09-01\n", encoding="utf-8")
    assert CLOSED not in run("check", applicant(repo)).stdout


@pytest.mark.parametrize("table", [
    "[tool.haizhi]\nas_of = 2023-09-01\n",
    '[ tool . "haizhi" ]\nas_of = 2023-09-01\n',
    "[tool]\nother = 1\nhaizhi = { as_of = 2023-09-01 }\n",
    "[tool]\nhaizhi.as_of = 2023-09-01\n",
    "tool.haizhi.as_of = 2023-09-01\n[project]\nname = \"x\"\n",
    "tool = { haizhi = { as_of = 2023-09-01 } }\n",
])
def test_every_way_toml_writes_the_table_is_read(repo: Path, table: str) -> None:
    (repo / "pyproject.toml").write_text(f'# haizhi settings\n{table}', encoding="utf-8")
    assert CLOSED not in run("check", applicant(repo)).stdout


@pytest.mark.parametrize("text", [
    '[project]\nname = "unit"\ndependencies = ["haizhi"]\n',
    '[project.scripts]\nhaizhi = "haizhi_cli.cli:main"\n[tool.ruff]\nline-length = 120\n',
    '# [tool.haizhi] as_of = 2023-09-01\n[project]\nname = "haizhi-submissions"\n',
])
def test_a_pyproject_that_names_haizhi_without_its_table_is_not_parsed(repo: Path, text: str) -> None:
    """Not parsed at all: a file that is not even valid TOML (here cut short) is no error, as with any other
    project's pyproject.toml; a file that holds the table is parsed, and read or refused."""
    (repo / "pyproject.toml").write_text(text + "broken = [\n", encoding="utf-8")
    res = run("check", applicant(repo))
    assert res.exit_code == 0 and CLOSED in res.stdout, res.output
    (repo / "pyproject.toml").write_text(text + "[tool.haizhi]\nas_of = [\n", encoding="utf-8")
    refused = run("check", applicant(repo))
    assert refused.exit_code == 2 and "无法读取设置文件" in refused.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("as_off = 2023-09-01\n", "不认识的键：as_off"),
    ('as_of = "2023/09/01"\n', "as_of 的值“2023/09/01”不是日期"),
    ('lang = "fr"\n', "lang 的值“fr”不可用"),
    ("as_of = [\n", "无法读取设置文件"),
])
def test_a_bad_settings_file_is_an_error_naming_it(repo: Path, text: str, message: str) -> None:
    (repo / "haizhi.toml").write_text(text, encoding="utf-8")
    res = run("check", applicant(repo))
    assert res.exit_code == 2 and res.stdout == ""
    assert message in res.stderr and str(repo / "haizhi.toml") in res.stderr


def test_build_packet_takes_the_day_from_the_settings(repo: Path, tmp_path: Path) -> None:
    (repo / "haizhi.toml").write_text("as_of = 2023-09-01\n", encoding="utf-8")
    res = run("build-packet", applicant(repo), "-o", tmp_path / "out", SOURCE_DATE_EPOCH="1693526400")
    assert res.exit_code == 0, res.output
    manifest = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    assert "2023-09-01" in manifest


def test_a_bad_haizhi_as_of_names_the_variable(repo: Path) -> None:
    res = run("check", applicant(repo), HAIZHI_AS_OF="2023/09/01")
    assert res.exit_code == 2
    assert "'--as-of'（环境变量 HAIZHI_AS_OF） 的值无效：“2023/09/01”的格式不对" in res.stderr

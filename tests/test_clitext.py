"""Help and usage errors in the user's language: Chinese by default, English with --lang en / HAIZHI_LANG=en."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haizhi_cli.cli._app import app
from haizhi_cli.cli._clitext import translated

runner = CliRunner(env={"COLUMNS": "120"})
COMMANDS = ["check", "build-packet", "import", "init", "schema", "rules", "explain"]
HAN = re.compile(r"[\u4e00-\u9fff]")


def haizhi(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """A whole process, so the language chosen before the commands are defined is the one asked for."""
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("HAIZHI_LANG", None)
    if lang is not None:
        env["HAIZHI_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "haizhi_cli", *args], capture_output=True, text=True,
                          env=env, check=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help_with_examples(command: str) -> None:
    res = runner.invoke(app, [command, "--help"])
    assert res.exit_code == 0, res.output
    assert "用法：" in res.output and "选项：" in res.output
    assert "示例：" in res.output and f"haizhi {command}" in res.output
    assert "显示此帮助并退出" in res.output
    assert "Show this message" not in res.output and "[default:" not in res.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_switches_to_english_with_the_environment(command: str) -> None:
    done = haizhi(command, "--help", lang="en")
    assert done.returncode == 0, done.stderr
    assert "Examples:" in done.stdout and "Usage:" in done.stdout
    assert not HAN.search(done.stdout), done.stdout


def test_help_switches_to_english_with_the_option_anywhere() -> None:
    for args in (["--lang", "en", "check", "--help"], ["check", "--help", "--lang=en"]):
        done = haizhi(*args)
        assert done.returncode == 0, done.stderr
        assert not HAN.search(done.stdout), done.stdout


def test_the_top_level_help_lists_every_command_in_chinese() -> None:
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0, res.output
    for command in COMMANDS:
        assert command in res.output
    assert "命令：" in res.output


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "--format", "xml", "a.yaml"], "“xml”不是可选值"),
    (["check", "--as-of", "2023/09/01", "a.yaml"], "格式不对，应为 YYYY-MM-DD"),
    (["check", "--jobs", "0", "a.yaml"], "应不小于 1"),
    (["check", "--jobs", "x", "a.yaml"], "应为整数"),
    (["explain"], "缺少参数"),
    (["chek"], "没有命令“chek”"),
    (["check", "--nope", "a.yaml"], "没有选项 --nope"),
    (["check", "a.yaml", "--format"], "选项 --format 后面需要一个值"),
    (["schema", "a", "b"], "多余的参数：a b"),
])
def test_usage_errors_are_in_chinese_with_exit_2(args: list[str], expected: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert expected in res.stderr
    assert "Error:" not in res.output and "Traceback" not in res.output


def test_usage_errors_stay_in_english_in_english() -> None:
    done = haizhi("check", "--format", "xml", "a.yaml", lang="en")
    assert done.returncode == 2
    assert "Invalid value for '--format'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_english_message_is_kept_rather_than_guessed() -> None:
    assert translated("Something new from Typer") == "Something new from Typer"


def test_install_completion_writes_the_shell_hook(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "--install-completion", "bash"],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "haizhi" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    assert "_HAIZHI_COMPLETE" in (tmp_path / ".bash_completions" / "haizhi.sh").read_text(encoding="utf-8")


def test_show_completion_prints_a_script() -> None:
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "--show-completion", "bash"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout


def test_completion_completes_commands_and_options() -> None:
    def complete(words: str, cword: int) -> list[str]:
        env = {**os.environ, "_HAIZHI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        done = subprocess.run([sys.executable, "-m", "haizhi_cli"], capture_output=True, text=True, env=env,
                              check=False)
        return done.stdout.split()

    assert complete("haizhi ch", 1) == ["check"]
    assert "--format" in complete("haizhi check --fo", 2)

"""The pre-commit hook manifest and the sample CI workflow name commands that exist."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import typer
import yaml

from haizhi_cli.cli._app import app
from tests.conftest import ROOT

MANIFEST_KEYS = {"id", "name", "entry", "language", "files", "exclude", "types", "types_or", "exclude_types",
                 "always_run", "fail_fast", "verbose", "pass_filenames", "require_serial", "description",
                 "language_version", "minimum_pre_commit_version", "args", "stages"}
"""The keys pre-commit documents for a hook in .pre-commit-hooks.yaml (https://pre-commit.com/#new-hooks)."""


def hooks() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    return loaded


def command_names() -> set[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return set(group.commands)


def test_the_manifest_offers_haizhi_check() -> None:
    [hook] = hooks()
    assert set(hook) <= MANIFEST_KEYS
    assert hook["id"] == "haizhi-check" and hook["name"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is False
    assert hook["args"] == ["--quiet"]  # the commit log: fails and warnings, a line each (docs/ci.md)


def test_its_entry_is_an_installed_script_and_a_command() -> None:
    [hook] = hooks()
    script, command = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[script] == "haizhi_cli.cli:main"
    assert command in command_names()


def test_it_runs_on_applicant_files_only() -> None:
    [hook] = hooks()
    files = re.compile(hook["files"])
    for path in ("applicant.yaml", "applicant.yml", "submissions/苏州/applicant.yaml"):
        assert files.search(path), path
    for path in ("my-applicant.yaml", "applicant.yaml.bak", "expected.yaml", "applicant.json"):
        assert not files.search(path), path


def test_the_documentation_installs_from_a_commit_not_from_an_index_or_a_tag() -> None:
    for path in ("README.md", "README.en.md", "docs/ci.md", "docs/ci/github-actions.yml"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert not re.search(r"pip install haizhi\s*($|#|\n)", text, re.MULTILINE), path
        assert "rev: v0.1.0" not in text, path
        assert "@<commit>" in text, path
    assert "dist:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_sample_workflow_runs_the_ci_formats() -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert any("haizhi check --format github" in run for run in runs)
    assert any("haizhi check --format junit" in run and "> haizhi-report.xml" in run for run in runs)
    uploads = [step for step in workflow["jobs"]["check"]["steps"] if "upload-artifact" in step.get("uses", "")]
    assert uploads and uploads[0]["with"]["path"] == "haizhi-report.xml"

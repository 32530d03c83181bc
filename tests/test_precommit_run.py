"""The CI maintainer's day as docs/ci.md writes it: pre-commit, with the documented .pre-commit-config.yaml, runs
the haizhi-check hook of a clone of this repository (at a commit: haizhi has no tags) on a submissions repository.

The clone holds the working tree as it is (committed there), so the test runs the code under test. pre-commit
installs the hook's environment with pip from that commit, its dependencies from the package index pip is set
up to use; nothing else is fetched. Skipped only when git is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "haizhi tests", "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "haizhi tests", "GIT_COMMITTER_EMAIL": "tests@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=folder,
                          env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def documented_config() -> str:
    """The .pre-commit-config.yaml block of docs/ci.md's pre-commit section, as a maintainer copies it."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("## pre-commit"):]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found, "docs/ci.md has no .pre-commit-config.yaml in its pre-commit section"
    return found.group(1)


def clone_of_this_repository(target: Path) -> str:
    """A git repository holding this working tree's files (tracked and new, not ignored), committed; its commit."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    target.mkdir()
    git(target, "init", "-q")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "haizhi under test")
    return git(target, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A submissions repository: one applicant that passes, one whose service area is too small, a settings file
    with the day to judge as of, and the documented configuration pointing at a clone of haizhi."""
    base = tmp_path_factory.mktemp("precommit")
    commit = clone_of_this_repository(base / "haizhi")
    repo = base / "submissions"
    repo.mkdir()
    expected = shutil.ignore_patterns("expected.yaml")
    shutil.copytree(EXAMPLES / "work-base", repo / "苏州", ignore=expected)
    shutil.copytree(EXAMPLES / "fail-work-base-small-area", repo / "small", ignore=expected)
    (repo / "haizhi.toml").write_text('as_of = "2023-09-01"\n', encoding="utf-8")
    config = documented_config()
    assert "rev: <commit>" in config and "id: haizhi-check" in config
    config = re.sub(r"repo: \S+", f"repo: {base / 'haizhi'}", config).replace("<commit>", commit)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("HAIZHI_AS_OF", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_the_documented_hook_fails_a_failing_applicant_with_a_line_per_finding(submissions: Path) -> None:
    done = pre_commit(submissions, "--all-files")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "small/applicant.yaml:24:1: 不通过 work_base.service_area 一（一）2（2） 服务场地 99 平方米" in output
    assert "苏州/applicant.yaml：符合申报条件；材料齐全" in output
    assert "待审核 work_base" not in output  # --quiet, the hook's default argument: reviews only counted
    assert "截止" not in output  # judged as of haizhi.toml's as_of, inside the round


def test_the_hook_passes_once_the_failing_applicant_is_fixed(submissions: Path) -> None:
    path = submissions / "small" / "applicant.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("service_area_m2: 99", "service_area_m2: 120"),
                    encoding="utf-8")
    done = pre_commit(submissions, "--files", "small/applicant.yaml", "苏州/applicant.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

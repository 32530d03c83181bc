"""What `haizhi check` loads: the machine-readable formats never import the text, document or spreadsheet
libraries, the rule models are never built when the rules come from the cache, and YAML is read with
libyaml's C loader when it is installed. Structure, not timing: docs/performance.md has the timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from haizhi_cli.applicant import _loading as loading
from tests.conftest import EXAMPLES, ROOT

WORK_BASE = EXAMPLES / "work-base" / "applicant.yaml"

HEAVY = ("rich", "jinja2", "docx", "fpdf", "xlsxwriter", "openpyxl", "starlette", "uvicorn", "multipart",
         "python_multipart", "haizhi_cli.serve")
"""Libraries for the text report, the packet's documents, the Excel summary and `haizhi serve` (its stage and
its web server): none is needed to check."""

RUN_AND_LIST_MODULES = """
import json, sys
out = sys.argv.pop(1)
from haizhi_cli.cli._app import app
try:
    app(prog_name="haizhi")
except SystemExit as exc:
    status = exc.code
else:
    status = 0
from haizhi_cli.engine import _operators as operators
from haizhi_cli.engine import _rules as rules
built = sorted({cls.__name__ for cls in (rules.Messages, rules.RuleExamples, rules.RuleDef, rules.RuleFile,
                                        rules.RoundFacts, *(s.params for s in operators.OPERATORS.values()))
               if cls.__pydantic_complete__})
with open(out, "w", encoding="utf-8") as handle:
    json.dump({"status": status, "modules": sorted(sys.modules), "built": built}, handle)
"""


def run_check(tmp_path: Path, output_format: str, env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Run `haizhi check --format FORMAT` on the work-base example in a fresh interpreter; what it imported,
    which rule models it built, and its output."""
    listing = tmp_path / f"modules-{output_format}.json"
    args = [str(listing), "check", "--format", output_format, "--as-of", "2023-09-01", str(WORK_BASE)]
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST_MODULES, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=False, encoding="utf-8")
    assert "Traceback" not in done.stderr, done.stderr
    state = json.loads(listing.read_text(encoding="utf-8"))
    assert state["status"] == 0, done.stdout + done.stderr
    return state, done.stdout


@pytest.fixture
def cache_env(tmp_path: Path) -> dict[str, str]:
    """The environment with a cache folder of the test's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("HAIZHI_NO_CACHE", "HAIZHI_RULES", "HAIZHI_LANG")}
    env["XDG_CACHE_HOME"] = env["LOCALAPPDATA"] = str(tmp_path / "cache")
    return env


def heavy_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(name + ".") for name in HEAVY)]


@pytest.mark.parametrize("output_format", ["json", "github", "junit"])
def test_machine_formats_import_no_text_document_or_spreadsheet_library(
        tmp_path: Path, cache_env: dict[str, str], output_format: str) -> None:
    state, output = run_check(tmp_path, output_format, cache_env)
    assert heavy_modules(state["modules"]) == []
    assert "haizhi_cli.cli._app" in state["modules"]  # the command line (which has `serve`) was loaded
    if output_format == "json":
        assert json.loads(output)["eligible"] is True
    elif output_format == "junit":
        assert ET.fromstring(output).tag == "testsuites"
    else:
        assert "::error" not in output


def test_without_the_cache_the_path_stays_as_light(tmp_path: Path, cache_env: dict[str, str]) -> None:
    state, output = run_check(tmp_path, "json", {**cache_env, "HAIZHI_NO_CACHE": "1"})
    assert heavy_modules(state["modules"]) == []
    assert json.loads(output)["eligible"] is True
    assert not (tmp_path / "cache").exists()


def test_a_cached_round_builds_no_rule_or_parameter_model(tmp_path: Path, cache_env: dict[str, str]) -> None:
    """The rule models validate rule files; from the cache the rules are rebuilt without them."""
    first, cold = run_check(tmp_path, "json", cache_env)
    assert {"RuleFile", "RoundFacts"} <= set(first["built"])  # the rule files were read and validated
    second, warm = run_check(tmp_path, "json", cache_env)
    assert second["built"] == []
    assert "concurrent.futures.process" not in second["modules"]  # one file: no worker processes
    assert warm == cold


def test_yaml_is_read_with_the_c_loader_when_libyaml_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml")
    loaders: list[Any] = []
    real_compose = yaml.compose

    def compose(stream: str, Loader: Any) -> Any:
        loaders.append(Loader)
        return real_compose(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", compose)
    loading.read_yaml(WORK_BASE)
    assert len(loaders) == 1 and issubclass(loaders[0], yaml.CSafeLoader)

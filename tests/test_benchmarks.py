"""The batch benchmark's applicant generator (benchmarks/generate.py); no timing here: `make bench` times.

A few generated files must be what the benchmark claims to check: valid format-1 files of all three open
types, eligible and failing ones, each naming attachment PDFs that exist beside it, and `haizhi check` must
fail exactly the rules each was made to fail, with no file it cannot read.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from typer.testing import CliRunner

from haizhi_cli.cli._app import app
from tests.conftest import ROOT, load_script

N = 12


generate = load_script("benchmarks/generate.py")


def _as_json(value: Any) -> Any:
    """YAML data as a JSON document holds it: dates as ISO text, every key as text."""
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _attachment_files(data: dict[str, Any]) -> list[str]:
    files = []
    for value in data["attachments"].values():
        for item in value if isinstance(value, list) else [value]:
            files.append(item if isinstance(item, str) else item["file"])
    return files


def test_the_generator_writes_valid_files_of_every_open_type_passing_and_failing(tmp_path: Path) -> None:
    files = generate.generate(tmp_path, N)
    assert len(files) == N == len(list(tmp_path.glob("*/applicant-*.yaml")))
    assert {f.base_type for f in files} == {"work_base", "offshore_base", "rd_community"}
    for base_type in generate.TYPES:
        of_type = [f for f in files if f.base_type == base_type]
        assert any(not f.expected_fail for f in of_type) and any(f.expected_fail for f in of_type)
    schema = json.loads((ROOT / "schema" / "applicant-format-1.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for f in files:
        data = yaml.safe_load(f.path.read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(_as_json(data))] == [], f.path
        attachments = _attachment_files(data)
        assert attachments and all(name.startswith("attachments/") for name in attachments)
        assert all((f.path.parent / name).is_file() for name in attachments), f.path


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    first = generate.generate(tmp_path / "a", N, seed=7)
    second = generate.generate(tmp_path / "b", N, seed=7)
    assert [f.path.read_bytes() for f in first] == [f.path.read_bytes() for f in second]
    other = generate.generate(tmp_path / "c", N, seed=8)
    assert [f.path.read_bytes() for f in first] != [f.path.read_bytes() for f in other]


def test_haizhi_check_fails_exactly_what_each_file_was_made_to_fail(tmp_path: Path) -> None:
    files = generate.generate(tmp_path, N)
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json", "--as-of", generate.AS_OF])
    assert result.exit_code == 1, result.output
    reports = json.loads(result.stdout)
    assert [r for r in reports if "error" in r] == []
    assert generate.outcome_problems(files, reports) == []

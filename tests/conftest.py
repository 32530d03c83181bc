"""Shared helpers: the bundled examples, a way to run one rule on changed applicant data, the CLI run in
Chinese, and the repository's scripts imported by path."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from haizhi_cli.applicant._loading import LoadedApplicant, YamlDocument, read_yaml
from haizhi_cli.applicant._models import Applicant, BaseType
from haizhi_cli.checking._pipeline import build_context
from haizhi_cli.engine._evaluation import run_rule
from haizhi_cli.engine._results import Finding
from haizhi_cli.engine._rules import Rule
from haizhi_cli.i18n import speaking

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_FOR_TYPE = {
    BaseType.work_base: EXAMPLES / "work-base",
    BaseType.offshore_base: EXAMPLES / "offshore-base",
    BaseType.rd_community: EXAMPLES / "rd-community",
}
CHECK_DAY = dt.date(2023, 9, 1)
OPEN_EXAMPLES = ["work-base", "offshore-base", "rd-community"]
"""The eligible examples, one of each open base type."""
EPOCH = "1694736000"
"""The SOURCE_DATE_EPOCH of reproducible builds in the tests (2023-09-15)."""


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests' own user cache folder (the rule rounds and parsed fonts haizhi keeps), for every test and
    the commands they run: the tests neither read nor fill the cache of the user who runs them."""
    folder = str(tmp_path_factory.mktemp("user-cache"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", folder)
        patch.setenv("LOCALAPPDATA", folder)
        yield


@pytest.fixture(scope="module")
def reproducible() -> Iterator[None]:
    """Every build in the module is dated by SOURCE_DATE_EPOCH, so that two builds can give the same bytes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def open_packets(reproducible: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The packet of each eligible example, built once per module."""
    from haizhi_cli.packet import BuildOptions, build_packet

    root = tmp_path_factory.mktemp("packets")
    return {name: build_packet(EXAMPLES / name / "applicant.yaml", BuildOptions(out=root / name, as_of=CHECK_DAY)).out
            for name in OPEN_EXAMPLES}


runner = CliRunner(env={"COLUMNS": "200", "HAIZHI_LANG": None, "HAIZHI_RULES": None, "HAIZHI_DEBUG": None,
                        "HAIZHI_AS_OF": None, "NO_COLOR": None})
"""The CLI in-process, wide, and free of the settings a developer's shell may hold."""


@pytest.fixture
def chinese() -> Iterator[None]:
    """The test speaks Chinese, whatever language an earlier one spoke."""
    with speaking("zh"):
        yield


def run(*args: str | Path) -> Result:
    """`haizhi` with these arguments, which must not end in a traceback or an internal error."""
    from haizhi_cli.cli._app import app

    res = runner.invoke(app, [str(arg) for arg in args])
    assert "Traceback" not in res.output and "内部错误" not in res.output, res.output
    return res


def load_script(relative_path: str) -> ModuleType:
    """Import a file of the repository that is not part of the package (a script, a benchmark) by its path
    from the root. It is registered in sys.modules under its stem: dataclasses look their module up there."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def example_data(base_type: BaseType) -> dict[str, Any]:
    """The raw data of the bundled eligible example of a base type."""
    data = read_yaml(EXAMPLE_FOR_TYPE[base_type] / "applicant.yaml").data
    assert isinstance(data, dict)
    return data


def run_on(rule: Rule, data: dict[str, Any], folder: Path) -> list[Finding]:
    """The findings of one rule on applicant data whose attachments live in `folder`."""
    applicant = Applicant.model_validate(data)
    loaded = LoadedApplicant(YamlDocument(folder / "applicant.yaml", data), applicant)
    return run_rule(rule, applicant.base_type, build_context(loaded, CHECK_DAY))


# Hypothesis profiles. `default` keeps `pytest` quick (tests/test_fuzz.py renders far fewer cases than it
# checks); `long` is for a deliberate fuzzing run: `pytest --hypothesis-profile=long tests/test_fuzz.py`, or
# HYPOTHESIS_PROFILE=long. The command-line option is applied after this file, so it wins.
from hypothesis import settings  # noqa: E402

settings.register_profile("default", max_examples=100)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

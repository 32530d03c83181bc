"""The package's shape, as the README describes it: one subpackage per stage, each saying what it does and
may import, with a public `__all__` and its internals in `_` modules that no other stage imports.
The direction of imports between stages is import-linter's contract in pyproject.toml (run by `make test`)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import haizhi_cli
from tests.conftest import ROOT

PACKAGE = Path(haizhi_cli.__file__).resolve().parent
STAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
MAX_MODULES = 12


def test_the_top_level_is_the_designed_one() -> None:
    for name in ("haizhi_cli", "rules", "templates", "examples", "tests", "pyproject.toml", "README.md"):
        assert (ROOT / name).exists(), name
    assert not (ROOT / "src").exists()
    assert not (PACKAGE / "rules").exists() and not (PACKAGE / "templates").exists()


def test_the_stages_are_the_layers_of_the_contract() -> None:
    assert STAGES == ["applicant", "authoring", "checking", "cli", "documents", "engine", "errors", "i18n",
                      "outputs", "packet", "reports", "serve"]


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_does_and_exports_a_public_all(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree) or ""
    assert "import" in docstring, f"{stage}: the docstring says what it may import"
    module = __import__(f"haizhi_cli.{stage}", fromlist=["__all__"])
    assert module.__all__ and all(hasattr(module, name) for name in module.__all__)
    assert not [name for name in module.__all__ if name.startswith("_")]


@pytest.mark.parametrize("folder", [PACKAGE, *(PACKAGE / stage for stage in STAGES)])
def test_no_folder_holds_more_than_twelve_modules(folder: Path) -> None:
    modules = list(folder.glob("*.py"))
    assert len(modules) <= MAX_MODULES, f"{folder.name}: {len(modules)} modules"


@pytest.mark.parametrize("stage", STAGES)
def test_only_the_stage_itself_imports_its_internal_modules(stage: str) -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        inside = path.parent.name == stage
        for imported in _imported_modules(path):
            parts = imported.split(".")
            if len(parts) >= 3 and parts[1] == stage and parts[2].startswith("_") and not inside:
                pytest.fail(f"{path.relative_to(PACKAGE)} imports {imported}, internal to {stage}")


def _imported_modules(path: Path) -> list[str]:
    """Every module a file imports, inside functions and under TYPE_CHECKING too; `from P import _m` counts as
    importing P._m."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return found


def test_the_guard_sees_an_internal_module_imported_from_another_stage(tmp_path: Path) -> None:
    scratch = tmp_path / "x.py"
    scratch.write_text("def f():\n    from haizhi_cli.engine import _rules\n", encoding="utf-8")
    assert "haizhi_cli.engine._rules" in _imported_modules(scratch)


def test_the_layers_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout

"""The bundled examples: each checks out as its expected.yaml says, and its PDFs are current.

Every ``examples/<name>/`` with an ``expected.yaml`` is checked through the CLI; the placeholder
PDF attachments must be exactly what ``scripts/make_example_pdfs.py`` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = "2023-09-01"
A4 = (595.28, 841.89)

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "expected.yaml").is_file())
COMMITTED_PDFS = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*.pdf"))


def load_pdf_script() -> ModuleType:
    """Import scripts/make_example_pdfs.py, which is not part of the package."""
    return load_script("scripts/make_example_pdfs.py")


def check_json(applicant_file: Path) -> tuple[int, dict[str, Any], str]:
    """Run ``haizhi check --format json`` in-process; return exit code, parsed report, all output."""
    from typer.testing import CliRunner

    from haizhi_cli.cli._app import app

    runner = CliRunner()
    res = runner.invoke(app, ["check", "--format", "json", "--as-of", AS_OF, str(applicant_file)])
    assert res.stdout.strip(), res.output
    report: dict[str, Any] = json.loads(res.stdout)
    return res.exit_code, report, res.output


def test_examples_exist() -> None:
    assert {"work-base", "offshore-base", "rd-community"} <= set(EXAMPLE_NAMES)


@pytest.mark.parametrize("name", EXAMPLE_NAMES, ids=EXAMPLE_NAMES)
def test_example_checks_as_expected(name: str) -> None:
    expected = yaml.safe_load((EXAMPLES / name / "expected.yaml").read_text(encoding="utf-8"))
    exit_code, report, output = check_json(EXAMPLES / name / "applicant.yaml")
    failed = sorted({f["rule"] for f in report["findings"] if f["status"] == "fail"})
    assert failed == sorted(expected["fail"]), output
    assert exit_code == expected["exit_code"], output
    assert report["eligible"] is expected["eligible"], output
    assert report["complete"] is expected["complete"], output


def test_committed_pdfs_are_what_the_script_writes(tmp_path: Path) -> None:
    written = load_pdf_script().generate(EXAMPLES, tmp_path, force=True)
    generated = sorted(p.relative_to(tmp_path) for p in written)
    assert generated == COMMITTED_PDFS, "run: python scripts/make_example_pdfs.py --force"
    for relative in generated:
        assert (tmp_path / relative).read_bytes() == (EXAMPLES / relative).read_bytes(), relative


def test_pdf_script_is_deterministic() -> None:
    script = load_pdf_script()
    assert script.render_pdf("same title") == script.render_pdf("same title")


@pytest.mark.parametrize("relative", COMMITTED_PDFS, ids=[str(p) for p in COMMITTED_PDFS])
def test_pdf_is_one_a4_page(relative: Path) -> None:
    reader = PdfReader(EXAMPLES / relative)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4)
    assert "haizhi example" in reader.pages[0].extract_text()

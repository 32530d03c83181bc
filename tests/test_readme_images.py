"""The README's page images come from the current build (scripts/render_readme_images.py records their sources)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from haizhi_cli.packet import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SOURCES = json.loads((IMAGES / "sources.json").read_text(encoding="utf-8"))
EPOCH = "1694736000"


def test_every_recorded_image_exists_and_the_readme_shows_each() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\(docs/images/([^)]+\.png)\)", readme))
    assert shown == set(SOURCES)
    assert all((IMAGES / image).stat().st_size > 10_000 for image in SOURCES)


def test_the_images_were_rendered_from_the_pdfs_the_current_code_builds(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "packet"
    build_packet(EXAMPLES / "work-base" / "applicant.yaml", BuildOptions(out=out, as_of=CHECK_DAY, force=True))
    stale = sorted(image for image, source in SOURCES.items()
                   if hashlib.sha256((out / source["pdf"]).read_bytes()).hexdigest() != source["sha256"])
    assert not stale, f"run scripts/render_readme_images.py: {stale} show an older build"

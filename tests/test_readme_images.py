"""The README's page images come from the current build (scripts/render_readme_images.py records their sources)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SOURCES = json.loads((IMAGES / "sources.json").read_text(encoding="utf-8"))


def renderer() -> ModuleType:
    """scripts/render_readme_images.py, whose build the images were rendered from."""
    spec = importlib.util.spec_from_file_location("render_readme_images", ROOT / "scripts" / "render_readme_images.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("readme", ["README.md", "README.en.md"])
def test_every_recorded_image_exists_and_the_readme_shows_each(readme: str) -> None:
    text = (ROOT / readme).read_text(encoding="utf-8")
    shown = set(re.findall(r"\(docs/images/([^)]+\.png)\)", text))
    assert shown == set(SOURCES) == set(renderer().PAGES)
    assert all((IMAGES / image).stat().st_size > 10_000 for image in SOURCES)


def test_the_images_were_rendered_from_the_pdfs_the_current_code_builds(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    script = renderer()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", script.EPOCH)
    script.build(tmp_path)
    script.support_letter_pdf(tmp_path)
    stale = sorted(image for image, source in SOURCES.items()
                   if hashlib.sha256((tmp_path / source["pdf"]).read_bytes()).hexdigest() != source["sha256"])
    assert not stale, f"run scripts/render_readme_images.py: {stale} show an older build"

"""The README's page images come from the current build (scripts/render_readme_images.py records their sources);
the screenshots of `haizhi serve` come from the browser test that names them (sources.json records which)."""

from __future__ import annotations

import hashlib
import json
import re
import struct
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SOURCES = json.loads((IMAGES / "sources.json").read_text(encoding="utf-8"))
RENDERED = {image: source for image, source in SOURCES.items() if "pdf" in source}
"""Pages of the build, rendered by scripts/render_readme_images.py."""
SCREENSHOTS = {image: source for image, source in SOURCES.items() if "test" in source}
"""Screenshots a test writes (HAIZHI_SCREENSHOTS=docs/images), recorded with the test and their size."""


def renderer() -> ModuleType:
    """scripts/render_readme_images.py, whose build the images were rendered from."""
    return load_script("scripts/render_readme_images.py")


@pytest.mark.parametrize("readme", ["README.md", "README.en.md"])
def test_every_recorded_image_exists_and_the_readme_shows_each(readme: str) -> None:
    text = (ROOT / readme).read_text(encoding="utf-8")
    shown = set(re.findall(r"\(docs/images/([^)]+\.png)\)", text))
    assert shown == set(SOURCES) and set(RENDERED) == set(renderer().PAGES)
    assert all((IMAGES / image).stat().st_size > 10_000 for image in SOURCES)


def test_every_image_is_recorded_with_what_made_it() -> None:
    assert {path.name for path in IMAGES.glob("*.png")} == set(SOURCES)
    assert set(RENDERED) | set(SCREENSHOTS) == set(SOURCES)
    assert not set(RENDERED) & set(SCREENSHOTS)


@pytest.mark.parametrize("image", sorted(SCREENSHOTS))
def test_a_screenshot_is_one_its_test_writes_at_its_recorded_size(image: str) -> None:
    source = SCREENSHOTS[image]
    module = load_script(source["test"])
    assert image in module.SCREENSHOTS
    assert set(module.SCREENSHOTS) == {name for name, other in SCREENSHOTS.items() if other["test"] == source["test"]}
    data = (IMAGES / image).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (source["width"], source["height"])
    assert (source["width"], source["height"]) == (module.VIEWPORT["width"], module.VIEWPORT["height"])
    assert len(data) > 10_000


def test_the_images_were_rendered_from_the_pdfs_the_current_code_builds(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    script = renderer()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", script.EPOCH)
    script.build(tmp_path)
    script.support_letter_pdf(tmp_path)
    stale = sorted(image for image, source in RENDERED.items()
                   if hashlib.sha256((tmp_path / source["pdf"]).read_bytes()).hexdigest() != source["sha256"])
    assert not stale, f"run scripts/render_readme_images.py: {stale} show an older build"

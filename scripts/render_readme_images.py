"""Render the README's page images from a real build of the bundled 工作基地 example.

Usage: .venv/bin/python scripts/render_readme_images.py   (needs pdftoppm; Debian: apt-get install poppler-utils)

Builds examples/work-base with a fixed SOURCE_DATE_EPOCH, renders the pages the README shows at 70 dpi into
docs/images/, and records in docs/images/sources.json the SHA-256 of each PDF the images come from (keeping the
entries of the screenshots a test makes, which name that test).
tests/test_readme_images.py rebuilds the packet and fails when those PDFs have changed since the images were
made, so the README never shows pages of an older build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SOURCES = IMAGES / "sources.json"
EXAMPLE = ROOT / "examples" / "work-base" / "applicant.yaml"
EPOCH = "1694736000"
PAGES = {
    "application-form-1.png": ("申报表.pdf", 1),
    "application-form-3.png": ("申报表.pdf", 3),
    "application-form-5.png": ("申报表.pdf", 5),
    "construction-plan-1.png": ("建设方案.pdf", 1),
    "support-letter-draft-1.png": ("支持函代拟稿.pdf", 1),
}
"""Image → (PDF, page). The packet holds the 支持函代拟稿 as Word only; its PDF is written here by the same
writer (`support_letter_pdf`)."""


def build(out: Path) -> None:
    """Build the example's packet into `out` (replaced) with the fixed timestamp."""
    haizhi = shutil.which("haizhi", path=str(Path(sys.executable).parent)) or "haizhi"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HAIZHI_LANG": "zh"}
    subprocess.run([haizhi, "build-packet", str(EXAMPLE), "-o", str(out), "--force", "--as-of", "2023-09-01"],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def support_letter_pdf(out: Path) -> None:
    """The 支持函代拟稿 as the PDF writer sets it, beside the packet's files."""
    from haizhi_cli.applicant import load_applicant
    from haizhi_cli.documents import composing, resolve_fonts, write_pdf
    from haizhi_cli.engine import available_rounds, load_round
    from haizhi_cli.outputs import reproducible_timestamp

    applicant = load_applicant(EXAMPLE, available_rounds()).applicant
    facts = load_round(applicant.round).facts
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    write_pdf(composing.support_letter_draft(applicant, facts), out / "支持函代拟稿.pdf", resolve_fonts(),
              reproducible_timestamp(facts.deadline))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render(pdf: Path, page: int, target: Path) -> None:
    """One page at 70 dpi, written to `target` (pdftoppm adds the .png itself)."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                    str(stem)], check=True)


def screenshots() -> dict[str, dict[str, object]]:
    """The images sources.json records as made by a test (the page of `haizhi serve`): kept as they are."""
    if not SOURCES.is_file():
        return {}
    recorded: dict[str, dict[str, object]] = json.loads(SOURCES.read_text(encoding="utf-8"))
    return {image: source for image, source in recorded.items() if "test" in source}


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    sources = screenshots()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "packet"
        build(out)
        support_letter_pdf(out)
        for image, (pdf, page) in PAGES.items():
            render(out / pdf, page, IMAGES / image)
            sources[image] = {"pdf": pdf, "page": page, "sha256": digest(out / pdf)}
    SOURCES.write_text(json.dumps(sources, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(PAGES)} images and {SOURCES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

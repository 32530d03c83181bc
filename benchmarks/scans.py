"""Generated "scanned" applicants: work-base with its attachments replaced by scans of random-noise pages.

    python benchmarks/scans.py OUT [--mb 178]

Each page is an A4 page holding one grey JPEG of random noise, about `PAGE_BYTES` (noise does not compress, so
the bytes are what a 150–300 dpi scan weighs), each page different. A file holds at most `PAGES_PER_FILE`
pages (some 44 MB, under haizhi's 50 MB limit for one attachment), so the larger cases name more files: the
work-base example's four, then more 证明材料 entries. The PDFs are written by hand here (no PDF library),
one page at a time, so that generating 400 MB stays quick and small. The files are made in OUT, which should
be a cache or temporary folder: they are never committed.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "work-base"
A4_PT = (595.28, 841.89)
PAGE_BYTES = 494_000
"""One scanned page's JPEG: 90 of them make a 44 MB file."""
PAGES_PER_FILE = 90
JPEG_QUALITY = 75
BYTES_PER_PIXEL = 0.56
"""About what a grey random-noise JPEG at JPEG_QUALITY weighs per pixel (measured), to size a page."""
EXAMPLE_FILES = ("support-letter.pdf", "proofs.pdf", "overseas-contacts.pdf", "policies.pdf")


@dataclass(frozen=True)
class ScannedCase:
    applicant: Path
    attachments: list[Path]

    @property
    def megabytes(self) -> float:
        return sum(path.stat().st_size for path in self.attachments) / 1e6


def noise_jpeg(rng: random.Random, page_bytes: int = PAGE_BYTES) -> tuple[bytes, int, int]:
    """A grey JPEG of random noise in A4 proportions, about `page_bytes` long: (data, width, height)."""
    pixels = page_bytes / BYTES_PER_PIXEL
    width = max(8, round(math.sqrt(pixels * A4_PT[0] / A4_PT[1])))
    height = max(8, round(width * A4_PT[1] / A4_PT[0]))
    image = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue(), width, height


def scan_pdf(path: Path, pages: int, seed: int, page_bytes: int = PAGE_BYTES) -> None:
    """Write a PDF of `pages` A4 pages, each one full-page noise JPEG (DCTDecode, as a scanner writes it)."""
    rng = random.Random(seed)
    with path.open("wb") as out:
        offsets: list[int] = []

        def obj(body: bytes, stream: bytes | None = None) -> None:
            offsets.append(out.tell())
            out.write(f"{len(offsets)} 0 obj\n".encode() + body)
            if stream is not None:
                out.write(b"\nstream\n" + stream + b"\nendstream")
            out.write(b"\nendobj\n")

        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(f"<< /Type /Pages /Count {pages} /Kids [{kids}] >>".encode())
        for i in range(pages):
            data, width, height = noise_jpeg(rng, page_bytes)
            drawing = f"q {A4_PT[0]} 0 0 {A4_PT[1]} 0 0 cm /Scan Do Q".encode()
            obj(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4_PT[0]} {A4_PT[1]}] /Contents {5 + 3 * i} 0 R "
                f"/Resources << /XObject << /Scan {4 + 3 * i} 0 R >> >> >>".encode())
            obj(f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
                f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>".encode(), data)
            obj(f"<< /Length {len(drawing)} >>".encode(), drawing)
        xref = out.tell()
        out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
        out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())


def page_split(total_pages: int, files: int) -> list[int]:
    """`total_pages` shared out over `files` as evenly as possible."""
    return [total_pages // files + (1 if i < total_pages % files else 0) for i in range(files)]


def scanned_case(out: Path, megabytes: float, per_file: int = PAGES_PER_FILE, page_bytes: int = PAGE_BYTES,
                 minimum_files: int = 4) -> ScannedCase:
    """work-base in `out` with attachments of scans totalling about `megabytes` MB (made once: a case whose
    files are all there is taken as it is)."""
    total_pages = max(minimum_files, round(megabytes * 1e6 / page_bytes))
    files = max(minimum_files, math.ceil(total_pages / per_file))
    names = [*EXAMPLE_FILES, *(f"proofs-{n}.pdf" for n in range(2, files - len(EXAMPLE_FILES) + 2))][:files]
    case = ScannedCase(out / "applicant.yaml", [out / "attachments" / name for name in names])
    if case.applicant.exists() and all(path.exists() for path in case.attachments):
        return case
    shutil.rmtree(out, ignore_errors=True)
    (out / "attachments").mkdir(parents=True)
    for index, (path, pages) in enumerate(zip(case.attachments, page_split(total_pages, files), strict=True)):
        scan_pdf(path, pages, seed=index, page_bytes=page_bytes)
    _write_applicant(case.applicant, names[len(EXAMPLE_FILES):])
    return case


def _write_applicant(path: Path, more_proofs: list[str]) -> None:
    """The example's applicant file, its 证明材料 list lengthened by `more_proofs`."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLE / "applicant.yaml").read_text(encoding="utf-8"))
    proofs = data["attachments"]["proofs"]
    for number, name in enumerate(more_proofs, start=2):
        proofs.append({"title": f"{proofs[0]['title']}（{number}）", "file": f"attachments/{name}"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the case into (made if missing)")
    parser.add_argument("--mb", type=float, default=178, help="attachment megabytes in all (default 178)")
    args = parser.parse_args()
    case = scanned_case(args.out, args.mb)
    print(f"{case.applicant}: {len(case.attachments)} attachments, {case.megabytes:.0f} MB")


if __name__ == "__main__":
    main()

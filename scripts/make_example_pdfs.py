#!/usr/bin/env python3
"""Write the placeholder PDF attachments of the example applicants under ``examples/``.

For every ``examples/*/applicant.yaml`` this reads the attachment paths the file names
(``attachments.support_letter.file`` and every item of ``proofs``, ``overseas_contacts``,
``partner_agreements`` and ``policy_documents``) and writes each one that is missing as a
small, valid, one-page A4 PDF with a short ASCII title. The title is set in a Type 3 font made
of the outlines of haizhi's bundled serif (so the font is inside the file, as in every PDF a
packet binds) with standard glyph names (so the text extracts). ``--force`` rewrites them
all. The output is deterministic: the same bytes on every run, so the committed files can be
compared with a fresh run.

Usage: ``python scripts/make_example_pdfs.py [--force] [--examples DIR]``
"""

from __future__ import annotations

import argparse
import functools
import io
import sys
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from fontTools.agl import UV2AGL
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

A4_WIDTH = 595.28
A4_HEIGHT = 841.89
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
LIST_KEYS = ("proofs", "overseas_contacts", "partner_agreements", "policy_documents")
NOTE = "Placeholder attachment of a haizhi example applicant. Not a real document."
FONT_FILE = Path(__file__).resolve().parent.parent / "haizhi_cli" / "fonts" / "NotoSerifCJKsc-haizhi.ttf"
FIRST, LAST = 0x20, 0x7E


def item_file(item: Any) -> str | None:
    """The path of one attachment list item: a path string, or a map with ``file``."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("file"), str):
        return str(item["file"])
    return None


def attachment_files(applicant_file: Path) -> list[str]:
    """The attachment paths an applicant file names, in file order, without repeats."""
    data = yaml.safe_load(applicant_file.read_text(encoding="utf-8-sig"))
    attachments = data.get("attachments") if isinstance(data, dict) else None
    if not isinstance(attachments, dict):
        return []
    items: list[Any] = [attachments.get("support_letter")]
    for key in LIST_KEYS:
        value = attachments.get(key)
        items.extend(value if isinstance(value, list) else [])
    paths = [path for path in map(item_file, items) if path]
    return list(dict.fromkeys(paths))


def safe_relative(path: str, applicant_file: Path) -> PurePosixPath:
    """Check that an attachment path is relative and stays inside the applicant's folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"{applicant_file}: attachment path {path!r} must stay inside its folder")
    return relative


def pdf_string(text: str) -> str:
    """A PDF literal string of printable ASCII: other characters become ``?``."""
    ascii_text = "".join(ch if " " <= ch <= "~" else "?" for ch in text)
    escaped = ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def content_stream(title: str) -> bytes:
    """The page's drawing operators: the title in 18 pt and a note in 10 pt, both in the font /F1."""
    lines = [
        "BT",
        "/F1 18 Tf",
        "72 760 Td",
        f"{pdf_string(title)} Tj",
        "/F1 10 Tf",
        "0 -28 Td",
        f"{pdf_string(NOTE)} Tj",
        "ET",
    ]
    return ("\n".join(lines) + "\n").encode("ascii")


class _PathPen(BasePen):
    """Collects a glyph's outlines as PDF path operators (font units)."""

    def __init__(self, glyph_set: Any) -> None:
        super().__init__(glyph_set)
        self.operators: list[str] = []

    def _moveTo(self, point: tuple[float, float]) -> None:
        self.operators.append(f"{point[0]:.0f} {point[1]:.0f} m")

    def _lineTo(self, point: tuple[float, float]) -> None:
        self.operators.append(f"{point[0]:.0f} {point[1]:.0f} l")

    def _curveToOne(self, *points: tuple[float, float]) -> None:
        self.operators.append(" ".join(f"{x:.0f} {y:.0f}" for x, y in points) + " c")

    def _closePath(self) -> None:
        self.operators.append("h")


@functools.cache
def glyph_programs() -> tuple[int, dict[int, tuple[str, int, bytes]]]:
    """The font's units per em, and for each printable ASCII code its glyph name, width and drawing."""
    font = TTFont(str(FONT_FILE))
    glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()
    programs = {}
    for code in range(FIRST, LAST + 1):
        glyph = glyph_set[cmap[code]]
        pen = _PathPen(glyph_set)
        glyph.draw(pen)
        drawing = f"{glyph.width} 0 d0\n" + " ".join(pen.operators) + (" f" if pen.operators else "")
        programs[code] = (UV2AGL[code], glyph.width, drawing.encode("ascii"))
    return font["head"].unitsPerEm, programs


def compressed(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(zlib.compress(data, 9))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return stream


def type3_resources(writer: PdfWriter, text: str) -> DictionaryObject:
    """A /Resources dictionary whose /F1 is a Type 3 font of the bundled serif's outlines of the ASCII
    characters of `text`."""
    units, programs = glyph_programs()
    used = sorted({ord(char) for char in text if FIRST <= ord(char) <= LAST})
    procs = DictionaryObject({NameObject(f"/{programs[code][0]}"): writer._add_object(compressed(programs[code][2]))
                              for code in used})
    differences = ArrayObject()
    for code in used:
        differences.extend([NumberObject(code), NameObject(f"/{programs[code][0]}")])
    scale = FloatObject(1 / units)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type3"),
        NameObject("/FontBBox"): ArrayObject([NumberObject(0), NumberObject(-300), NumberObject(units),
                                              NumberObject(units)]),
        NameObject("/FontMatrix"): ArrayObject([scale, NumberObject(0), NumberObject(0), scale, NumberObject(0),
                                                NumberObject(0)]),
        NameObject("/CharProcs"): procs,
        NameObject("/Encoding"): DictionaryObject({NameObject("/Type"): NameObject("/Encoding"),
                                                   NameObject("/Differences"): differences}),
        NameObject("/FirstChar"): NumberObject(FIRST),
        NameObject("/LastChar"): NumberObject(LAST),
        NameObject("/Widths"): ArrayObject([NumberObject(programs[code][1] if code in used else 0)
                                            for code in range(FIRST, LAST + 1)]),
        NameObject("/Resources"): DictionaryObject(),
    })
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})


def render_pdf(title: str) -> bytes:
    """A one-page A4 PDF showing ``title``; no dates and no /ID, so the bytes never vary."""
    writer = PdfWriter()
    page = writer.add_blank_page(A4_WIDTH, A4_HEIGHT)
    page[NameObject("/Resources")] = type3_resources(writer, title + NOTE)
    stream = ContentStream(None, writer)
    stream.set_data(content_stream(title))
    page.replace_contents(stream)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def planned_files(examples_dir: Path) -> dict[PurePosixPath, str]:
    """Every attachment of every example, relative to ``examples_dir``, with its PDF title."""
    planned: dict[PurePosixPath, str] = {}
    for applicant_file in sorted(examples_dir.glob("*/applicant.yaml")):
        folder = applicant_file.parent.name
        for path in attachment_files(applicant_file):
            relative = PurePosixPath(folder) / safe_relative(path, applicant_file)
            planned[relative] = f"haizhi example {relative}"
    return planned


def generate(examples_dir: Path, out_dir: Path | None = None, *, force: bool = False) -> list[Path]:
    """Write the example attachments under ``out_dir`` (default: in place); return the files written.

    A file that already exists is kept unless ``force`` is set.
    """
    target_root = examples_dir if out_dir is None else out_dir
    written: list[Path] = []
    for relative, title in planned_files(examples_dir).items():
        target = target_root.joinpath(*relative.parts)
        if target.exists() and not force:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_pdf(title))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints each file written."""
    parser = argparse.ArgumentParser(description="Write the example applicants' placeholder PDF attachments.")
    parser.add_argument("--force", action="store_true", help="rewrite every attachment, not only missing ones")
    parser.add_argument("--examples", type=Path, default=EXAMPLES_DIR, help="the examples folder")
    args = parser.parse_args(argv)
    try:
        written = generate(args.examples, force=args.force)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    print(f"{len(written)} file(s) written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Write the placeholder PDF attachments of the example applicants under ``examples/``.

For every ``examples/*/applicant.yaml`` this reads the attachment paths the file names
(``attachments.support_letter.file`` and every item of ``proofs``, ``overseas_contacts``,
``partner_agreements`` and ``policy_documents``) and writes each one that is missing as a
small, valid, one-page A4 PDF with a short ASCII title in Helvetica. ``--force`` rewrites
them all. The output is deterministic: the same bytes on every run, so the committed
files can be compared with a fresh run.

Usage: ``python scripts/make_example_pdfs.py [--force] [--examples DIR]``
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

A4_WIDTH = 595.28
A4_HEIGHT = 841.89
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
LIST_KEYS = ("proofs", "overseas_contacts", "partner_agreements", "policy_documents")
NOTE = "Placeholder attachment of a haizhi example applicant. Not a real document."


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
    """The page's drawing operators: the title in 18 pt and a note in 10 pt, both Helvetica."""
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


def helvetica_resources() -> DictionaryObject:
    """A /Resources dictionary naming the standard Type1 font Helvetica as /F1."""
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})


def render_pdf(title: str) -> bytes:
    """A one-page A4 PDF showing ``title``; no dates and no /ID, so the bytes never vary."""
    writer = PdfWriter()
    page = writer.add_blank_page(A4_WIDTH, A4_HEIGHT)
    page[NameObject("/Resources")] = helvetica_resources()
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

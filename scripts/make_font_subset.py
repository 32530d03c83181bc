"""Regenerate the fonts bundled in haizhi_cli/fonts/ from Noto CJK SC (SIL OFL 1.1): serif, bold serif, sans.

Usage: python scripts/make_font_subset.py [--source-dir /usr/share/fonts/opentype/noto] [NAME ...]
(run it with haizhi installed, e.g. `.venv/bin/python scripts/make_font_subset.py` after `make test`)

The source is Debian's fonts-noto-cjk (`apt-get install fonts-noto-cjk`). The SC face of each .ttc is
picked by its family name, never by index. The subset covers GB 2312 (all 6,763 Han characters and its
symbols), ASCII, CJK punctuation, full-width forms and the punctuation Chinese text uses, so a machine
with no Chinese font still renders every character a 申报表 normally holds; other characters are filled
from system fonts at run time.

The faces carry no OpenType layout tables (GSUB, GPOS, GDEF, BASE) and so none of the glyphs only those
tables reach (vertical forms, alternates): haizhi never shapes text, and fpdf2 drops those tables from every
font it embeds. Without them a face has some 8,000 glyphs instead of 14,000, half the bytes, and every PDF
parses and subsets it in about half the time.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from haizhi_cli.documents._fontset import to_truetype_outlines

FACES = {
    "NotoSerifCJKsc-haizhi.ttf": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "NotoSerifCJKsc-Bold-haizhi.ttf": ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    "NotoSansCJKsc-haizhi.ttf": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
}
"""Body text (宋体), titles (标宋: the bold serif) and headings (黑体: the sans), each cut to the same characters."""
TARGET = Path(__file__).resolve().parent.parent / "haizhi_cli" / "fonts"


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_characters() -> set[str]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x205E), (0x2100, 0x215F), (0x2190, 0x21FF),
              (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F),
              (0xFE30, 0xFE4F), (0xFF01, 0xFF65)]
    chars = {chr(c) for start, end in ranges for c in range(start, end + 1)}
    return chars | gb2312_characters()


def sc_face(collection: Path, family: str) -> TTFont:
    """The face of a .ttc whose family name is `family` (the SC face is not always index 0)."""
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{collection}: no face named {family!r}")


def write_subset(source: TTFont, characters: set[str], target: Path) -> None:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(source)
    to_truetype_outlines(source)
    source.recalcTimestamp = False
    target.write_bytes(with_glyph_names(source))


def with_glyph_names(font: TTFont) -> bytes:
    """The font with its glyph names stored in `post` (format 2), the names fontTools gives a font without
    them (`uni4E2D`, from `cmap`): otherwise fontTools derives all 8,000 names each time a process parses the
    face (about a quarter of the parse). The PDFs' subsets drop the names again. Of `cmap` only the Windows
    Unicode subtable is kept: the Unicode-platform one maps the same characters (all of them in the BMP) and
    was parsed and subset a second time for nothing."""
    unnamed = io.BytesIO()
    font.save(unnamed)
    named = TTFont(io.BytesIO(unnamed.getvalue()), recalcTimestamp=False, recalcBBoxes=False)
    named.getGlyphOrder()  # derived from cmap, as before
    post = named["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    cmap = named["cmap"]
    cmap.tables = [table for table in cmap.tables if (table.platformID, table.platEncID) == (3, 1)]
    result = io.BytesIO()
    named.save(result)
    return result.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-dir", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    parser.add_argument("names", nargs="*", metavar="NAME", help="faces to make (default: all of FACES)")
    args = parser.parse_args()
    unknown = set(args.names) - set(FACES)
    if unknown:
        parser.error(f"no such face: {', '.join(sorted(unknown))} (known: {', '.join(FACES)})")
    TARGET.mkdir(parents=True, exist_ok=True)
    characters = wanted_characters()
    for name, (collection, family) in FACES.items():
        if args.names and name not in args.names:
            continue
        write_subset(sc_face(args.source_dir / collection, family), characters, TARGET / name)
        print(f"{name}: {(TARGET / name).stat().st_size:,} bytes, {len(characters):,} characters asked for")


if __name__ == "__main__":
    main()

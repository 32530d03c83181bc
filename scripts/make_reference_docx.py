"""Regenerate templates/reference.docx, the clean package the Word writer starts every .docx from.

Usage: python scripts/make_reference_docx.py [--output templates/reference.docx]
(run it with haizhi installed, e.g. `.venv/bin/python scripts/make_reference_docx.py` after `make test`)

python-docx's own default template is a Word 2011 for Mac file: its app.xml names "Microsoft Macintosh Word",
its font table lists ＭＳ 明朝, ＭＳ ゴシック and Calibri, its styles.xml holds 357 KB of styles no haizhi
document uses, and its settings.xml is not valid ECMA-376 (`w:zoom` without `w:percent`). This one holds
only what a haizhi document needs:

- styles.xml: the document defaults in Chinese (宋体, zh-CN, 5号) and the four default styles Word expects
  (Normal, Default Paragraph Font, Normal Table, No List); the writer adds its named paragraph styles;
- fontTable.xml: every face the writer names, each with the `w:altName` a stock Windows Word or WPS finds
  when the face itself is missing (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体), its panose, GB 2312 charset
  (0x86) and pitch, so that a substitute has the right shape;
- settings.xml: 100 % zoom, Chinese theme languages, no compression of full-width punctuation (the official
  layout counts 28 characters a line);
- document.xml: an empty A4 body; app.xml naming haizhi; no theme, numbering, thumbnail or custom XML.

The same script always writes the same bytes.
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from haizhi_cli.documents._docx_writer import FANGSONG, HEI, LATIN, SONG, XIAOBIAOSONG

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

FONTS: dict[str, tuple[str, str, str, str, str]] = {
    # name: (altName, panose1, charset, family, pitch)
    LATIN: ("Times New Roman", "02020603050405020304", "00", "roman", "variable"),
    SONG: ("SimSun", "02010600030101010101", "86", "auto", "variable"),
    HEI: ("SimHei", "02010609060101010101", "86", "modern", "fixed"),
    FANGSONG: ("仿宋", "02010609030101010101", "86", "modern", "fixed"),
    "仿宋": ("FangSong", "02010609060101010101", "86", "modern", "fixed"),
    XIAOBIAOSONG: (SONG, "02000000000000000000", "86", "auto", "variable"),
}
"""The faces the writer names. A font's `w:altName` is the one name Word and WPS try when the face is
missing: 仿宋_GB2312 (GB/T 9704 documents on government machines) falls back to the 仿宋 of a stock
Windows, 方正小标宋简体 to 宋体; 仿宋 itself is listed so that Word knows its metrics."""

CONTENT_TYPES = {
    "/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "/word/settings.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "/word/fontTable.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}


def content_types() -> str:
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in CONTENT_TYPES.items())
    return (f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')


def relationships(targets: dict[str, str]) -> str:
    """A .rels part: relationship type (the last segment of its URI) → target."""
    rows = "".join(f'<Relationship Id="rId{index}" Type="{kind}" Target="{target}"/>'
                   for index, (kind, target) in enumerate(targets.items(), start=1))
    return f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">{rows}</Relationships>'


def package_relationships() -> str:
    return relationships({
        f"{R}/officeDocument": "word/document.xml",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties": "docProps/core.xml",
        f"{R}/extended-properties": "docProps/app.xml",
    })


def document_relationships() -> str:
    return relationships({f"{R}/styles": "styles.xml", f"{R}/settings": "settings.xml",
                          f"{R}/fontTable": "fontTable.xml"})


def document() -> str:
    """An empty A4 body with 2.5 cm margins; the writer sets each document's own margins."""
    return (f'{HEAD}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:sectPr>'
            '<w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="851" w:footer="992"'
            ' w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:linePitch="360"/></w:sectPr></w:body></w:document>')


CHINESE_RUN = (f'<w:rFonts w:ascii="{LATIN}" w:eastAsia="{SONG}" w:hAnsi="{LATIN}" w:cs="{LATIN}"/>'
               '<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
               '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>')


def styles() -> str:
    """Document defaults in Chinese and the default paragraph, character, table and numbering styles."""
    defaults = (f'<w:docDefaults><w:rPrDefault><w:rPr>{CHINESE_RUN}</w:rPr></w:rPrDefault>'
                '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                '</w:pPrDefault></w:docDefaults>')
    normal = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
              '<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>')
    character = ('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
                 '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
                 '<w:unhideWhenUsed/></w:style>')
    table = ('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
             '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
             '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
             '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    numbering = ('<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
                 '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    return f'{HEAD}<w:styles xmlns:w="{W}">{defaults}{normal}{character}{table}{numbering}</w:styles>'


def font_table() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (alternative, panose, charset, family, pitch) in FONTS.items())
    return f'{HEAD}<w:fonts xmlns:w="{W}">{fonts}</w:fonts>'


def settings() -> str:
    """In the order of CT_Settings: zoom, tab stop, punctuation, compatibility, theme languages, separators."""
    return (f'{HEAD}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
            '<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:useFELayout/>'
            '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
            ' w:val="14"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
            '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')


def core_properties() -> str:
    return (f'{HEAD}<cp:coreProperties'
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>haizhi</dc:creator>'
            '</cp:coreProperties>')


def app_properties() -> str:
    return (f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Application>haizhi</Application><DocSecurity>0</DocSecurity></Properties>')


def parts() -> dict[str, str]:
    """Every part of the package, in the order they are stored."""
    return {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": package_relationships(),
        "docProps/app.xml": app_properties(),
        "docProps/core.xml": core_properties(),
        "word/_rels/document.xml.rels": document_relationships(),
        "word/document.xml": document(),
        "word/fontTable.xml": font_table(),
        "word/settings.xml": settings(),
        "word/styles.xml": styles(),
    }


def write(target: Path) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in parts().items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TARGET)
    write(parser.parse_args().output)


if __name__ == "__main__":
    main()

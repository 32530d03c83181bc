"""Every .docx haizhi writes, as a package: valid ECMA-376 in every WordprocessingML part, and none of
python-docx's default template left in it.

No Word runs here, and Word is stricter than LibreOffice about element order and required attributes; the
transitional schemas of ECMA-376 (tests/fixtures/ecma376, from python-docx's repository) stand in for it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import docx
import pytest
from lxml import etree

from haizhi_cli.documents._blank_form import write_blank_form
from haizhi_cli.documents._docx_writer import FANGSONG, HEI, LATIN, SONG, XIAOBIAOSONG, reference_template
from haizhi_cli.packet._building import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "ecma376"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OPEN_EXAMPLES = ("work-base", "offshore-base", "rd-community")
DRAFT_EXAMPLE = "fail-work-base-small-area"
TEMPLATE_NAMES = ("ＭＳ 明朝", "ＭＳ ゴシック", "MS Mincho", "MS Gothic", "Calibri", "Cambria", "Macintosh",
                  "Microsoft", "Normal.dotm")
STYLES_LIMIT = 60 * 1024
EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
SCHEMA_ENTRY_POINTS = {
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    W: "wml.xsd",
    "urn:schemas-microsoft-com:vml": "vml-main.xsd",
    EXTENDED_PROPERTIES: "shared-documentPropertiesExtended.xsd",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every .docx of the three examples' packets, of a draft packet and the blank form, by a readable name."""
    root = tmp_path_factory.mktemp("docx")
    outs = {name: build_packet(EXAMPLES / name / "applicant.yaml", BuildOptions(out=root / name, as_of=CHECK_DAY)).out
            for name in OPEN_EXAMPLES}
    draft = BuildOptions(out=root / "draft", as_of=CHECK_DAY, draft=True)
    outs["draft"] = build_packet(EXAMPLES / DRAFT_EXAMPLE / "applicant.yaml", draft).out
    write_blank_form(root / "blank", force=False)
    outs["blank"] = root / "blank"
    files = {f"{name}/{path.name}": path for name, out in outs.items() for path in sorted(out.glob("*.docx"))}
    assert len(files) == 3 * 4 + 4 + 1
    return files


@cache
def schema() -> etree.XMLSchema:
    """The transitional WordprocessingML, VML and extended-properties schemas, loaded from the local copy only."""
    imports = "".join(f'<xsd:import namespace="{namespace}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>'
                      for namespace, name in SCHEMA_ENTRY_POINTS.items())
    driver = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.XML(driver, parser))


def compatible(root: etree._Element) -> etree._Element:
    """`root` as a consumer of the transitional schemas reads it (ECMA-376 part 3, markup compatibility):
    each `mc:AlternateContent` replaced by the content of its `mc:Fallback`, then every element and attribute
    of a namespace some `mc:Ignorable` names dropped, and the `mc:` attributes themselves."""
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        assert parent is not None
        index = parent.index(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
        parent.remove(alternate)
    ignorable = _ignorable_namespaces(root)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable and element is not root:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for name in [name for name in element.attrib if etree.QName(name).namespace in {*ignorable, MC}]:
            del element.attrib[name]
    return root


def _ignorable_namespaces(root: etree._Element) -> set[str]:
    namespaces: set[str] = set()
    for element in root.iter():
        prefixes = element.get(f"{{{MC}}}Ignorable") if isinstance(element.tag, str) else None
        namespaces.update(element.nsmap[prefix] for prefix in (prefixes or "").split() if prefix in element.nsmap)
    return namespaces


def schema_errors(data: bytes) -> list[str]:
    """What the schemas find wrong with one part, after markup-compatibility processing; [] when valid."""
    root = compatible(etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False)))
    validator = schema()
    if validator.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log][:5]


def checked_parts(path: Path) -> dict[str, bytes]:
    """The WordprocessingML parts of a package (every XML part under word/) and its extended properties."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if (name.startswith("word/") and name.endswith(".xml")) or name == "docProps/app.xml"}


# The schemas and the check itself


def test_the_markup_compatibility_step_takes_the_fallback_and_drops_ignorable_markup() -> None:
    source = (f'<w:p xmlns:w="{W}" xmlns:mc="{MC}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
              ' mc:Ignorable="w14" w14:paraId="1"><mc:AlternateContent><mc:Choice Requires="w14"><w14:x/></mc:Choice>'
              '<mc:Fallback><w:r><w:t>fallback</w:t></w:r></mc:Fallback></mc:AlternateContent><w14:y/></w:p>')
    result = etree.tostring(compatible(etree.fromstring(source))).decode()
    assert "fallback" in result and "w14:x" not in result and "w14:y" not in result and "paraId" not in result
    assert "Ignorable" not in result and "AlternateContent" not in result


def test_the_schemas_reject_what_word_refuses() -> None:
    """A check that cannot fail is no check: misplaced children and missing required attributes are errors."""
    out_of_order = f'<w:p xmlns:w="{W}"><w:pPr><w:jc w:val="center"/><w:pStyle w:val="Normal"/></w:pPr></w:p>'
    no_percent = f'<w:settings xmlns:w="{W}"><w:zoom w:val="bestFit"/></w:settings>'
    unknown = f'<w:p xmlns:w="{W}"><w:r><w:bold/></w:r></w:p>'
    for part in (out_of_order, no_percent, unknown):
        assert schema_errors(part.encode()), part
    assert schema_errors(f'<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/></w:settings>'.encode()) == []


def test_python_docx_default_settings_are_invalid_and_ours_are_valid() -> None:
    """The measurement this check was made for: the default template's settings.xml lacks `w:percent`."""
    default = Path(docx.__file__ or "").parent / "templates" / "default.docx"
    with zipfile.ZipFile(default) as archive:
        assert any("zoom" in error for error in schema_errors(archive.read("word/settings.xml")))
    for name, data in checked_parts(reference_template()).items():
        assert schema_errors(data) == [], name


def test_the_schema_copy_carries_its_licence_and_source() -> None:
    notice = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    assert "python-openxml/python-docx" in notice and "ECMA-376" in notice
    assert "MIT" in (SCHEMAS / "LICENSE-python-docx").read_text(encoding="utf-8")


# Every .docx haizhi writes


def test_every_wordprocessingml_part_of_every_docx_is_valid(written: dict[str, Path]) -> None:
    results = {f"{name}:{part}": schema_errors(data)
               for name, path in written.items() for part, data in checked_parts(path).items()}
    parts = {key.split(":")[1] for key in results}
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
            "word/footer1.xml", "word/header1.xml", "docProps/app.xml"} <= parts
    assert {key: errors for key, errors in results.items() if errors} == {}
    assert len(results) >= 6 * len(written)


def test_no_docx_carries_the_default_template(written: dict[str, Path]) -> None:
    for name, path in written.items():
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            texts = {part: archive.read(part).decode("utf-8") for part in ("docProps/app.xml", "word/fontTable.xml")}
            styles_size = archive.getinfo("word/styles.xml").file_size
        assert not any(re.search(r"thumbnail|stylesWithEffects|customXml|theme|numbering|webSettings", part)
                       for part in names), (name, sorted(names))
        for part, text in texts.items():
            assert not [word for word in TEMPLATE_NAMES if word in text], (name, part)
        assert "<Application>haizhi</Application>" in texts["docProps/app.xml"], name
        assert styles_size < STYLES_LIMIT, (name, styles_size)


def test_the_font_table_lists_every_face_used_with_a_fallback(written: dict[str, Path]) -> None:
    for name, path in written.items():
        with zipfile.ZipFile(path) as archive:
            listed = _font_table(archive.read("word/fontTable.xml"))
            used = {face for part in archive.namelist() if part.startswith("word/") and part.endswith(".xml")
                    for face in _faces_named(archive.read(part))}
        assert used - set(listed) == set(), name
        assert LATIN in used and used & {SONG, FANGSONG}, name
    assert listed[FANGSONG] == "仿宋" and listed[XIAOBIAOSONG] == "宋体"
    assert listed[SONG] == "SimSun" and listed[HEI] == "SimHei"


def _font_table(data: bytes) -> dict[str, str | None]:
    """Face → its `w:altName`."""
    table: dict[str, str | None] = {}
    for font in etree.fromstring(data).iter(f"{{{W}}}font"):
        alternative = font.find(f"{{{W}}}altName")
        table[font.get(f"{{{W}}}name", "")] = None if alternative is None else alternative.get(f"{{{W}}}val")
    return table


def _faces_named(data: bytes) -> set[str]:
    slots = ("ascii", "hAnsi", "eastAsia", "cs")
    return {face for element in etree.fromstring(data).iter(f"{{{W}}}rFonts")
            for face in (element.get(f"{{{W}}}{slot}") for slot in slots) if face}


# The reference template


def test_the_reference_template_holds_only_what_a_document_needs() -> None:
    with zipfile.ZipFile(reference_template()) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        page = etree.fromstring(archive.read("word/document.xml")).find(f".//{{{W}}}pgSz")
    defined = [style.get(f"{{{W}}}styleId") for style in styles.iter(f"{{{W}}}style")]
    assert defined == ["Normal", "DefaultParagraphFont", "TableNormal", "NoList"]
    assert all(style.get(f"{{{W}}}default") == "1" for style in styles.iter(f"{{{W}}}style"))
    language = styles.find(f".//{{{W}}}rPrDefault//{{{W}}}lang")
    assert language is not None and language.get(f"{{{W}}}eastAsia") == "zh-CN"
    assert page is not None and (page.get(f"{{{W}}}w"), page.get(f"{{{W}}}h")) == ("11906", "16838"), "A4"


def test_the_reference_template_is_what_the_script_makes(tmp_path: Path) -> None:
    """templates/reference.docx is rebuilt by scripts/make_reference_docx.py, byte for byte."""
    target = tmp_path / "reference.docx"
    script = ROOT / "scripts" / "make_reference_docx.py"
    subprocess.run([sys.executable, str(script), "--output", str(target)], check=True, cwd=ROOT)
    assert target.read_bytes() == reference_template().read_bytes()


def test_the_reference_template_ships_in_the_wheel() -> None:
    assert reference_template().parent.name == "templates"
    assert '"templates" = "haizhi_cli/templates"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_every_style_a_paragraph_names_is_defined(written: dict[str, Path]) -> None:
    """The template's Header and Footer styles are gone: the writer styles each header and footer paragraph."""
    for name, path in written.items():
        with zipfile.ZipFile(path) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
            parts = [etree.fromstring(archive.read(part)) for part in archive.namelist()
                     if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", part)]
        defined = {style.get(f"{{{W}}}styleId") for style in styles.iter(f"{{{W}}}style")}
        named = {element.get(f"{{{W}}}val") for part in parts for tag in ("pStyle", "rStyle", "tblStyle")
                 for element in part.iter(f"{{{W}}}{tag}")}
        assert named - defined == set(), name

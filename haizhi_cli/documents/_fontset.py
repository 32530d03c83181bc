"""The fonts a PDF is drawn with: one primary font, the faces of titles and headings, and the fallbacks that
fill the characters they lack.

The primary font (宋体, body text) is `--font`, else the environment variable HAIZHI_FONT, else the bundled
subset of Noto Serif CJK SC (GB 2312 + ASCII, see scripts/make_font_subset.py). Titles are set in the bundled
bold Noto Serif CJK SC (for 标宋), headings in the bundled Noto Sans CJK SC (for 黑体), cut to the same
characters. The body of the GB/T 9704 documents is 仿宋 where the system has it (Windows simfang.ttf, a
font fontconfig knows as FangSong or 仿宋), else the primary font. Characters outside these (a rare name
character, an Ext-B ideograph) are drawn from the Chinese fonts of the system, found through fontconfig
and the usual font folders of Windows, macOS and Linux. A character no font has is an error that names
it, because a PDF with an empty box where a name should be must not reach the reviewers.

Font files are read with fontTools, which fpdf2 requires, so it is there wherever fpdf2 is.

A face with CFF outlines (an .otf, the Noto CJK .ttc of Linux) is not embedded as it is: fpdf2 writes
such a font so that pypdf extracts a NUL before each of its characters and wrong widths (/W). It is cut
down to the characters a document needs and given TrueType outlines first, as scripts/make_font_subset.py
does for the bundled font; the text then extracts exactly.
"""

from __future__ import annotations

import atexit
import contextlib
import fnmatch
import functools
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection, TTFont, newTable  # type: ignore[import-untyped]

from haizhi_cli.errors import Location, UserInputError
from haizhi_cli.i18n import tr

BUNDLED_FONT = "NotoSerifCJKsc-haizhi.ttf"
BUNDLED_TITLE_FONT = "NotoSerifCJKsc-Bold-haizhi.ttf"
BUNDLED_HEADING_FONT = "NotoSansCJKsc-haizhi.ttf"
FANGSONG_NAME = re.compile(r"FangSong|Fangsong|仿宋", re.IGNORECASE)
WINDOWS_FANGSONG = "simfang.ttf"
ENV_FONT = "HAIZHI_FONT"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
COLLECTION_SUFFIXES = (".ttc", ".otc")
SAMPLE = "中国科协海智计划基地申报表"
"""Characters a face must have to count as Chinese when its names do not say so."""

SC_NAME = re.compile(r"\b(SC|CN|GB|Simplified)\b|简", re.IGNORECASE)
SERIF_NAME = re.compile(r"Serif|Song|Sun|Ming|宋|明", re.IGNORECASE)
ZH_CN = 0x0804
"""Windows language id of Chinese (PRC): a face with a family name in it is a Simplified Chinese face."""

WINDOWS_FONTS = ("simsun.ttc", "simhei.ttf", "msyh.ttc", "simfang.ttf")
MAC_FONTS = ("/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Light.ttc",
             "/System/Library/Fonts/Supplemental/Songti.ttc")
MAC_FONT_DIR = Path("/Library/Fonts")
MAC_FONT_NAME = re.compile(r"Songti|STSong|STHeiti|STFangsong|Hiragino Sans GB|PingFang|CJK|SourceHan|Arial Unicode",
                           re.IGNORECASE)
LINUX_FONT_DIR = Path("/usr/share/fonts")
LINUX_FONT_GLOBS = ("Noto*CJK*", "wqy*", "*ukai*", "*uming*")
FC_LIST_TIMEOUT = 3.0


@dataclass(frozen=True)
class FontFace:
    """One face of a font file; `index` is the face number inside a .ttc/.otc collection."""

    path: Path
    index: int = 0

    def codepoints(self) -> frozenset[int]:
        """The characters the face maps; none when the file cannot be read (a broken system font)."""
        try:
            return _codepoints(self.path, self.index)
        except Exception:  # fontTools raises many kinds of error on a broken file
            return frozenset()

    def covers(self, text: str) -> bool:
        """Whether the face has every character of `text`; whitespace never counts."""
        return drawn_characters(text) <= self.codepoints()


def drawn_characters(text: str) -> set[int]:
    """The characters of `text` a font must have: all but whitespace."""
    return {ord(char) for char in text if not char.isspace()}


@dataclass(frozen=True)
class FontSet:
    """The primary face and, in order, the faces that fill characters it lacks."""

    primary: FontFace
    fallbacks: tuple[FontFace, ...] = ()
    title: FontFace | None = None
    """Titles' face (bold serif, for 标宋); None draws them with the primary font."""
    heading: FontFace | None = None
    """Headings' face (sans, for 黑体); None draws them with the primary font."""
    fangsong: FontFace | None = None
    """The system's 仿宋, for the body of the GB/T 9704 documents; None sets them in the primary font."""

    @property
    def faces(self) -> tuple[FontFace, ...]:
        return (self.primary, *self.fallbacks)

    def missing(self, text: str) -> set[str]:
        """The characters of `text` that no face of the set has; whitespace never counts."""
        wanted = drawn_characters(text)
        for face in self.faces:
            if not wanted:
                break
            wanted -= face.codepoints()
        return {chr(code) for code in wanted}

    def needed_fallbacks(self, text: str) -> tuple[FontFace, ...]:
        """The fallbacks that draw at least one character of `text`, in order; a PDF embeds only these."""
        wanted = drawn_characters(text) - self.primary.codepoints()
        needed: list[FontFace] = []
        for face in self.fallbacks:
            if not wanted:
                break
            if wanted & face.codepoints():
                needed.append(face)
                wanted -= face.codepoints()
        return tuple(needed)


class MissingGlyphError(UserInputError):
    """A character of the applicant's text that no available font can draw."""

    def __init__(self, char: str, source: str | None, location: Location | None = None) -> None:
        self.char, self.source = char, source
        where = tr("字段 {source} 中", source=source) if source else tr("文档的固定文字中")
        message = tr("{where}的字符“{char}”（U+{code:04X}）没有任何可用字体能显示，无法生成 PDF。"
                     "请安装含有该字符的字体（生僻字可装 Noto Serif CJK SC 或思源宋体等完整中文字体），"
                     "或用 --font（或环境变量 {env}）指定含有该字符的字体文件；"
                     "若该字符是误输入，请在申报文件中改正。", where=where, char=char, code=ord(char), env=ENV_FONT)
        super().__init__(message, location)


def resolve_fonts(font: Path | None = None) -> FontSet:
    """The font set for a PDF: `font`, else HAIZHI_FONT, else the bundled font; then the fallbacks."""
    env = os.environ.get(ENV_FONT, "").strip()
    if font is not None:
        primary = user_face(font, "--font")
    elif env:
        primary = user_face(Path(env), tr("环境变量 {name}", name=ENV_FONT))
    else:
        primary = bundled_face()
    fallbacks = [face for face in (bundled_face(), *system_faces()) if face.path != primary.path]
    return FontSet(primary, tuple(dict.fromkeys(fallbacks)), bundled_face(BUNDLED_TITLE_FONT),
                   bundled_face(BUNDLED_HEADING_FONT), fangsong_face())


_resource_files = contextlib.ExitStack()
atexit.register(_resource_files.close)


@functools.cache
def bundled_face(name: str = BUNDLED_FONT) -> FontFace:
    """A bundled font, as a real file even when the package is imported from a zip."""
    resource = resources.files("haizhi_cli").joinpath("fonts", name)
    return FontFace(_resource_files.enter_context(resources.as_file(resource)))


@functools.cache
def fangsong_face() -> FontFace | None:
    """The system's 仿宋: Windows' simfang.ttf, else the first face fontconfig names FangSong or 仿宋; None when
    there is none (or it lacks the characters every document prints)."""
    candidates = [*_windows_fangsong(), *_fontconfig_fangsong()]
    for path in candidates:
        face = _system_face(path)
        if face is not None and set(map(ord, CHINESE_PROBE)) <= face.codepoints():
            return face
    return None


def _windows_fangsong() -> list[Path]:
    if os.name != "nt":
        return []
    path = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / WINDOWS_FANGSONG
    return [path] if path.is_file() else []


def _fontconfig_fangsong() -> list[Path]:
    """The files of the Chinese fonts fontconfig knows whose family is FangSong, 仿宋, FangSong_GB2312 …"""
    return sorted(file for family, file in _fontconfig_chinese() if FANGSONG_NAME.search(family) and file.is_file())


@functools.cache
def _fontconfig_chinese() -> tuple[tuple[str, Path], ...]:
    """(family, file) of each Chinese font fontconfig knows, asked once per process; nothing when fc-list is
    not installed, fails or times out."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return ()
    try:
        result = subprocess.run([fc_list, ":lang=zh-cn", "--format=%{family}\t%{file}\n"], capture_output=True,
                                text=True, timeout=FC_LIST_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    found = (line.rpartition("\t") for line in result.stdout.splitlines() if line.strip())
    return tuple((family, Path(file)) for family, _, file in found)


def user_face(path: Path, origin: str) -> FontFace:
    """The face of a font file a user named; a file that is missing or not a font is a UserInputError."""
    path = path.expanduser()
    if not path.is_file():
        raise UserInputError(tr("{origin} 指定的字体文件不存在（或不是文件）：{path}", origin=origin, path=path),
                             Location(path))
    if path.suffix.lower() not in FONT_SUFFIXES:
        raise UserInputError(tr("{origin} 指定的文件 {path} 不是可用的字体：请使用 .ttf、.otf、.ttc 或 .otc 字体文件",
                                origin=origin, path=path), Location(path))
    try:
        index = face_index(path)
        _codepoints(path, 0 if index is None else index)
    except Exception as error:  # fontTools raises many kinds of error on a broken file
        raise UserInputError(tr("{origin} 指定的字体文件无法读取：{path}（{error}）；请换用完好的 .ttf 或 .otf 字体",
                                origin=origin, path=path, error=error), Location(path)) from error
    face = FontFace(path, 0 if index is None else index)
    if not set(map(ord, CHINESE_PROBE)) <= face.codepoints():
        raise UserInputError(tr("{origin} 指定的字体 {name} 不含常用汉字，不能作为申报材料的主字体；"
                                "请换用中文字体（如 simsun.ttc、Noto Serif CJK SC）", origin=origin, name=path.name),
                             Location(path))
    return face


CHINESE_PROBE = "中国科协海智计划基地申报表年月日"
"""Characters every generated document prints: a primary font must have them all."""


@functools.cache
def face_index(path: Path) -> int | None:
    """The Simplified Chinese face of a font file: by its names, else by having Chinese characters.

    A single-face file is face 0. In a collection the face is chosen by its family name (SC, CN, GB,
    Simplified, 简, or a name in Chinese (PRC)), never by position: Noto CJK puts the JP face first.
    None when no face of a collection is Chinese.
    """
    if path.suffix.lower() not in COLLECTION_SUFFIXES:
        return 0
    fonts = TTCollection(str(path), lazy=True).fonts
    scores = [_name_score(font) for font in fonts]
    if max(scores) > 0:
        return scores.index(max(scores))
    with_sample = [i for i in range(len(fonts)) if {ord(c) for c in SAMPLE} <= _codepoints(path, i)]
    return with_sample[0] if with_sample else None


def _name_score(font: TTFont) -> int:
    """2 for a family name marking Simplified Chinese, 1 for a family name in Chinese (PRC), else 0."""
    names = [record for record in font["name"].names if record.nameID in (1, 16)]
    if any(SC_NAME.search(record.toUnicode()) for record in names):
        return 2
    return 1 if any(record.platformID == 3 and record.langID == ZH_CN for record in names) else 0


@functools.cache
def _codepoints(path: Path, index: int) -> frozenset[int]:
    font = TTFont(str(path), fontNumber=index, lazy=True)
    # Only the character codes are wanted: numbered glyph names spare fontTools naming every glyph (from the
    # cmap itself, or the post table) before it reads the cmap, most of the time this took.
    font.setGlyphOrder([f"glyph{number:05d}" for number in range(font["maxp"].numGlyphs)])
    cmap = font.getBestCmap()
    if cmap is None:
        raise ValueError(tr("字体没有 Unicode 字符映射表（cmap）"))
    return frozenset(cmap)


@functools.cache
def system_faces() -> tuple[FontFace, ...]:
    """Chinese faces of the system, regular weights and serif faces first; then symbol and emoji fonts."""
    faces = [face for path in dict.fromkeys(_candidate_files()) if (face := _system_face(path))]
    return (*sorted(faces, key=_preference), *symbol_faces())


SYMBOL_FONTS = (
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",  # Debian fonts-symbola
    "/usr/share/fonts/truetype/noto/NotoEmoji-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
WINDOWS_SYMBOL_FONTS = ("seguisym.ttf", "seguiemj.ttf")


def symbol_faces() -> tuple[FontFace, ...]:
    """Fonts with outline emoji and symbols (no Chinese), for the characters Chinese fonts lack."""
    paths = [Path(name) for name in SYMBOL_FONTS]
    if os.name == "nt":
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        paths = [folder / name for name in WINDOWS_SYMBOL_FONTS]
    # their characters are read only when a text needs them, as the Chinese faces' are: a broken file then
    # has none (FontFace.codepoints), and no build reads Symbola's large cmap for a text that needs no symbol
    return tuple(FontFace(path) for path in paths if path.is_file())


def _system_face(path: Path) -> FontFace | None:
    """The Chinese face of a system font file; its characters are read only when a text needs them."""
    try:
        index = face_index(path)
    except Exception:  # a broken system font is not the user's problem: use the others
        return None
    return None if index is None else FontFace(path, index)


def _preference(face: FontFace) -> tuple[bool, bool, str]:
    stem = face.path.stem
    bold = bool(re.search(r"Bold|Black|Heavy|Light|Thin|Medium", stem, re.IGNORECASE))
    return bold, not SERIF_NAME.search(stem), str(face.path)


def _candidate_files() -> list[Path]:
    files = [*_fontconfig_files(), *_windows_files(), *_mac_files(), *_linux_files()]
    return [path for path in files if path.suffix.lower() in FONT_SUFFIXES and path.is_file()]


def _fontconfig_files() -> list[Path]:
    """Chinese fonts fontconfig knows, when fc-list is installed; nothing on any failure or timeout."""
    return [file for _, file in _fontconfig_chinese()]


def _windows_files() -> list[Path]:
    if os.name != "nt":
        return []
    folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [folder / name for name in WINDOWS_FONTS]


def _mac_files() -> list[Path]:
    listed = [Path(name) for name in MAC_FONTS]
    found = sorted(path for path in _listdir(MAC_FONT_DIR) if MAC_FONT_NAME.search(path.name))
    return listed + found


def _linux_files() -> list[Path]:
    if not LINUX_FONT_DIR.is_dir():
        return []
    return sorted(path for path in LINUX_FONT_DIR.rglob("*")
                  if any(fnmatch.fnmatch(path.name, pattern) for pattern in LINUX_FONT_GLOBS))


def _listdir(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def embeddable(face: FontFace, text: str, folder: Path) -> FontFace:
    """`face` as fpdf2 should embed it: a TrueType face as it is, a CFF face as a TrueType subset in `folder`."""
    if not has_cff_outlines(face.path, face.index):
        return face
    target = folder / f"{face.path.stem}-{face.index}.ttf"
    target.write_bytes(truetype_subset(face, frozenset(text)))
    return FontFace(target)


@functools.cache
def has_cff_outlines(path: Path, index: int) -> bool:
    font = TTFont(str(path), fontNumber=index, lazy=True)
    return "CFF " in font or "CFF2" in font


@functools.lru_cache(maxsize=16)
def truetype_subset(face: FontFace, characters: frozenset[str]) -> bytes:
    """The face cut down to `characters`, with TrueType outlines; cached, as a packet renders alike twice."""
    font = TTFont(str(face.path), fontNumber=face.index, recalcTimestamp=False)
    options = subset.Options()
    options.notdef_outline = True
    options.layout_features = []
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in characters])
    subsetter.subset(font)
    to_truetype_outlines(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def to_truetype_outlines(font: TTFont) -> None:
    """Replace CFF outlines by TrueType ones (cubic curves approximated within 1 font unit)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    for table in ("CFF ", "CFF2", "VORG", "fvar", "avar", "HVAR", "MVAR", "STAT"):
        if table in font:
            del font[table]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    font["head"].glyphDataFormat = 0
    font["maxp"] = _maxp(len(order))
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def _maxp(glyphs: int) -> object:
    """A version 1.0 maxp table (TrueType outlines need one); its maxima are recomputed on saving."""
    maxp = newTable("maxp")
    maxp.tableVersion, maxp.numGlyphs, maxp.maxZones = 0x00010000, glyphs, 1
    for name in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, name, 0)
    return maxp

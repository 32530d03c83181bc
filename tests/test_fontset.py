"""Font resolution: the bundled font, --font and HAIZHI_FONT, .ttc faces chosen by name, missing characters."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

import haizhi_cli
from haizhi_cli.documents import _fontset as fontset
from haizhi_cli.documents._fontset import (
    CHINESE_PROBE,
    FontFace,
    FontSet,
    MissingGlyphError,
    bundled_face,
    face_index,
    resolve_fonts,
)
from haizhi_cli.errors._errors import UserInputError

NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
EMOJI, EXT_B = "😀", "𠀀"


@pytest.fixture(autouse=True)
def _fontconfig_asked_again() -> Iterator[None]:
    """fc-list is asked once per process, and the FangSong face found once: each test, with its own stand-in
    for fc-list, asks anew."""
    fontset._fontconfig_chinese.cache_clear()
    fontset.fangsong_face.cache_clear()
    yield
    fontset._fontconfig_chinese.cache_clear()
    fontset.fangsong_face.cache_clear()


@pytest.fixture(autouse=True)
def _no_env_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAIZHI_FONT", raising=False)


def tiny_font(family: str, chars: str, chinese_name: str | None = None) -> TTFont:
    """A TrueType face with one square glyph for each of `chars`, named `family`."""
    names = [".notdef", *(f"g{ord(c):X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"g{ord(c):X}" for c in chars})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 500))
    pen.closePath()
    builder.setupGlyf({name: pen.glyph() for name in names})
    builder.setupHorizontalMetrics({name: (1000, 0) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    if chinese_name:
        builder.font["name"].setName(chinese_name, 1, 3, 1, 0x0804)
    builder.setupOS2()
    builder.setupPost()
    return builder.font


def collection(path: Path, *faces: TTFont) -> Path:
    ttc = TTCollection()
    ttc.fonts = list(faces)
    ttc.save(str(path))
    return path


def test_bundled_font_comes_from_the_package() -> None:
    fonts = resolve_fonts()
    packaged = Path(str(resources.files("haizhi_cli").joinpath("fonts", "NotoSerifCJKsc-haizhi.ttf")))
    assert fonts.primary == FontFace(packaged, 0)
    assert fonts.primary.path.is_file()
    assert fonts.primary.path.is_relative_to(Path(haizhi_cli.__file__).parent)
    assert fonts.primary not in fonts.fallbacks


def test_font_option_is_primary_and_bundled_font_is_first_fallback(tmp_path: Path) -> None:
    font = tmp_path / "mine.ttf"
    tiny_font("Mine", "abc" + CHINESE_PROBE).save(str(font))
    fonts = resolve_fonts(font)
    assert fonts.primary == FontFace(font, 0)
    assert fonts.fallbacks[0] == bundled_face()


def test_environment_variable_names_the_primary_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "env.ttf"
    tiny_font("Env", "abc" + CHINESE_PROBE).save(str(font))
    monkeypatch.setenv("HAIZHI_FONT", str(font))
    assert resolve_fonts().primary.path == font
    assert resolve_fonts(bundled_face().path).primary == bundled_face()


def test_a_font_without_chinese_is_refused_as_the_primary_font(tmp_path: Path) -> None:
    font = tmp_path / "latin.ttf"
    tiny_font("Latin", "abcdefghijklmnopqrstuvwxyz0123456789").save(str(font))
    with pytest.raises(UserInputError, match="不含常用汉字"):
        resolve_fonts(font)


def test_nonexistent_font_is_a_user_input_error(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="--font 指定的字体文件不存在"):
        resolve_fonts(tmp_path / "nowhere.ttf")


def test_nonexistent_environment_font_is_a_user_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIZHI_FONT", str(tmp_path / "nowhere.otf"))
    with pytest.raises(UserInputError, match="环境变量 HAIZHI_FONT"):
        resolve_fonts()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.ttf", b"not a font at all", "无法读取"),
    ("empty.otf", b"", "无法读取"),
    ("font.txt", b"text", "不是可用的字体"),
])
def test_unreadable_font_is_a_user_input_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserInputError, match=message) as caught:
        resolve_fonts(path)
    assert caught.value.location.file == path


def test_missing_finds_characters_the_bundled_font_lacks() -> None:
    fonts = FontSet(bundled_face())
    text = f"中国科协海智计划基地（苏州）：ABC abc 123，。“”—— {EMOJI}{EXT_B}\n\u3000鱻"
    assert fonts.missing(text) == {EMOJI, EXT_B, "鱻"}
    assert fonts.missing("中国科协海智计划基地申报表，联系人：张明远；电子信箱 haizhi@example.cn") == set()


def test_spaces_and_line_breaks_never_count_as_missing(tmp_path: Path) -> None:
    font = tmp_path / "latin.ttf"
    tiny_font("Latin", "ab").save(str(font))
    fonts = FontSet(FontFace(font))
    assert fonts.missing("a b\n\tb\r\n ") == set()
    assert fonts.missing("abc中") == {"c", "中"}


def test_fallbacks_fill_what_the_primary_lacks(tmp_path: Path) -> None:
    first, second = tmp_path / "first.ttf", tmp_path / "second.ttf"
    tiny_font("First", "ab").save(str(first))
    tiny_font("Second", "bcd").save(str(second))
    fonts = FontSet(FontFace(first), (FontFace(second), bundled_face()))
    assert fonts.missing("abcd中") == set()
    assert fonts.missing(f"abcd中{EMOJI}") == {EMOJI}
    assert fonts.needed_fallbacks("ab") == ()
    assert fonts.needed_fallbacks("abc") == (FontFace(second),)
    assert fonts.needed_fallbacks("a中") == (bundled_face(),)


def test_collection_face_is_chosen_by_name_not_position(tmp_path: Path) -> None:
    path = collection(tmp_path / "cjk.ttc", tiny_font("Test Serif JP", CHINESE_PROBE),
                      tiny_font("Test Serif KR", CHINESE_PROBE), tiny_font("Test Serif SC", CHINESE_PROBE))
    assert face_index(path) == 2
    assert resolve_fonts(path).primary == FontFace(path, 2)


def test_collection_face_with_a_chinese_name_is_chosen(tmp_path: Path) -> None:
    path = collection(tmp_path / "song.ttc", tiny_font("Other", "中"), tiny_font("Song", "中", "宋体"))
    assert face_index(path) == 1


def test_collection_face_without_telling_names_is_chosen_by_its_characters(tmp_path: Path) -> None:
    path = collection(tmp_path / "plain.ttc", tiny_font("Alpha", "ab"), tiny_font("Beta", fontset.SAMPLE))
    assert face_index(path) == 1


def test_collection_without_chinese_faces_is_not_a_fallback(tmp_path: Path) -> None:
    path = collection(tmp_path / "latin.ttc", tiny_font("Latin A", "ab"), tiny_font("Latin B", "ab"))
    assert face_index(path) is None
    assert fontset._system_face(path) is None
    with pytest.raises(UserInputError, match="不含常用汉字"):
        resolve_fonts(path)


@pytest.mark.skipif(not NOTO_TTC.is_file(), reason="Noto Serif CJK (fonts-noto-cjk) is not installed")
def test_noto_cjk_collection_picks_the_sc_face() -> None:
    index = face_index(NOTO_TTC)
    assert index is not None and index != 0
    font = TTFont(str(NOTO_TTC), fontNumber=index, lazy=True)
    assert font["name"].getDebugName(1) == "Noto Serif CJK SC"
    assert resolve_fonts(NOTO_TTC).primary == FontFace(NOTO_TTC, index)


def test_system_fonts_are_found_without_fc_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("haizhi_cli.documents._fontset.shutil.which", lambda _: None)
    assert fontset._fontconfig_files() == []


def test_a_hanging_fc_list_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired("fc-list", fontset.FC_LIST_TIMEOUT)

    monkeypatch.setattr("haizhi_cli.documents._fontset.shutil.which", lambda _: "/usr/bin/fc-list")
    monkeypatch.setattr("haizhi_cli.documents._fontset.subprocess.run", hang)
    assert fontset._fontconfig_files() == []


def test_system_faces_are_chinese_and_regular_first() -> None:
    symbols = fontset.symbol_faces()
    faces = fontset.system_faces()
    chinese = faces[:len(faces) - len(symbols)]
    assert faces[len(chinese):] == symbols
    assert bundled_face() not in faces
    assert all(face_index(face.path) == face.index for face in chinese)
    weights = [fontset._preference(face)[0] for face in chinese]
    assert weights == sorted(weights)


def test_a_broken_fallback_counts_as_having_no_characters(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"junk")
    fonts = FontSet(bundled_face(), (FontFace(broken),))
    assert fonts.missing(f"中{EMOJI}") == {EMOJI}


def test_missing_glyph_error_names_character_field_and_remedy() -> None:
    error = MissingGlyphError(EXT_B, "narratives.foundation")
    assert "“𠀀”（U+20000）" in error.message
    assert "narratives.foundation" in error.message
    assert "--font" in error.message and "安装" in error.message
    assert isinstance(error, UserInputError)
    assert "固定文字" in MissingGlyphError("—", None).message


def test_symbol_fonts_fill_emoji_after_the_chinese_ones(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    emoji_font = tmp_path / "Symbola_hint.ttf"
    tiny_font("Symbola", EMOJI + "☺").save(str(emoji_font))
    monkeypatch.setattr(fontset, "SYMBOL_FONTS", (str(emoji_font), str(tmp_path / "absent.ttf")))
    assert fontset.symbol_faces() == (FontFace(emoji_font, 0),)
    fontset.system_faces.cache_clear()
    try:
        fonts = resolve_fonts()
        assert fonts.fallbacks[-1] == FontFace(emoji_font, 0)
        assert fonts.missing("中" + EMOJI) == set()
    finally:
        fontset.system_faces.cache_clear()


def every_face() -> list[FontFace]:
    return [bundled_face(), *fontset.system_faces()]


@pytest.mark.parametrize("face", every_face(), ids=lambda face: f"{face.path.name}-{face.index}")
def test_a_face_has_the_characters_of_its_best_character_map(face: FontFace) -> None:
    """Characters are read without naming the glyphs: the same characters as fontTools' best cmap gives."""
    expected = TTFont(str(face.path), fontNumber=face.index, lazy=True).getBestCmap()
    assert face.codepoints() == frozenset(expected)


def test_a_tiny_face_and_a_collection_have_their_characters(tmp_path: Path) -> None:
    single = tmp_path / "tiny.ttf"
    tiny_font("Tiny", "中国a").save(single)
    assert FontFace(single).codepoints() == {ord("中"), ord("国"), ord("a")}
    ttc = collection(tmp_path / "pair.ttc", tiny_font("One", "一"), tiny_font("Two", "二三"))
    assert FontFace(ttc, 1).codepoints() == {ord("二"), ord("三")}


# --- the faces of titles, headings and the official body -------------------------------------------------------


def test_titles_and_headings_have_bundled_faces_of_their_own() -> None:
    fonts = resolve_fonts()
    assert fonts.title is not None and fonts.heading is not None
    assert fonts.title.path.name == fontset.BUNDLED_TITLE_FONT
    assert fonts.heading.path.name == fontset.BUNDLED_HEADING_FONT
    names = {face.path.name: TTFont(str(face.path), lazy=True)["name"] for face in (fonts.primary, fonts.title,
                                                                                    fonts.heading)}
    assert names[fontset.BUNDLED_TITLE_FONT].getDebugName(4) == "Noto Serif CJK SC Bold"
    assert names[fontset.BUNDLED_HEADING_FONT].getDebugName(4) == "Noto Sans CJK SC"
    # the same characters in each: GB 2312, ASCII and the punctuation of Chinese text
    assert fonts.title.codepoints() == fonts.primary.codepoints() == fonts.heading.codepoints()
    assert len(fonts.primary.codepoints()) > 7000


def test_a_font_fontconfig_calls_fangsong_sets_the_official_body(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    fangsong = tmp_path / "fang.ttf"
    tiny_font("FangSong", CHINESE_PROBE).save(str(fangsong))
    other = tmp_path / "kai.ttf"
    tiny_font("KaiTi", CHINESE_PROBE).save(str(other))
    listing = f"KaiTi,楷体\t{other}\nFangSong,仿宋\t{fangsong}\n"
    monkeypatch.setattr("haizhi_cli.documents._fontset.shutil.which", lambda _: "/usr/bin/fc-list")
    monkeypatch.setattr("haizhi_cli.documents._fontset.subprocess.run",
                        lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, listing, ""))
    assert fontset.fangsong_face() == FontFace(fangsong)


def test_no_fangsong_means_the_serif(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("haizhi_cli.documents._fontset.shutil.which", lambda _: None)
    assert fontset.fangsong_face() is None
    assert resolve_fonts().fangsong is None

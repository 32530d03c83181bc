"""Line breaking shared by both writers: titles between words in balanced lines, cells, widows, addresses."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from haizhi_cli.applicant._loading import load_applicant
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blocks import Document, Paragraph, Table
from haizhi_cli.documents._docx_writer import write_docx
from haizhi_cli.documents._fontset import resolve_fonts
from haizhi_cli.documents._linebreaking import (
    GROUP_BREAK,
    PHRASE_BREAK,
    ZONE_PLACE,
    ZONE_SUFFIXES,
    Vocabulary,
    break_lines,
    em_width,
    short_place,
    title_lines,
    units,
    vocabulary,
)
from haizhi_cli.documents._pdf_writer import write_pdf
from haizhi_cli.engine._rules import load_round
from tests.conftest import EXAMPLES

EXAMPLE_NAMES = ("work-base", "offshore-base", "rd-community")
MM_PER_PT = 25.4 / 72
TITLE_WIDTHS = {"form": 160 / (22 * MM_PER_PT), "plan": 156 / (22 * MM_PER_PT), "official": 156 / (22 * MM_PER_PT)}
"""Each layout's text width in em of a 22 pt title (二号): about 20 characters."""
COVER_WIDTH = (110 - 3) / (16 * MM_PER_PT)
"""The cover's name cell, 110 mm less its padding, in em of 16 pt (三号)."""

LONG_NAMES = (
    "国家海外人才离岸创新创业基地（中国（浙江）自由贸易试验区杭州片区）",
    "中国（上海）自由贸易试验区临港新片区管理委员会",
    "杭州市余杭区科学技术协会",
    "成都高新技术产业开发区管理委员会",
    "武汉东湖新技术开发区管理委员会",
    "海智国际研发社区（广州市黄埔区）",
    "中国科协海智工作基地（南京江北新区）",
    "北京中关村科技园区管理委员会",
    "青岛西海岸新区海洋科技创新发展中心",
    "宁波杭州湾新区开发建设管理委员会",
    "重庆两江新区科技创新促进中心",
    "广东省粤港澳大湾区国际科技创新中心服务有限公司",
    "深圳市南山区科技创新服务中心有限公司",
    "苏州工业园区管理委员会",
)
"""Long names of the kind units and bases carry, most with brackets, zones and divisions."""

WORDS_NEVER_CUT = ("创新创业", "申报", "单位", "高新区", "基地", "管理委员会", "科学技术协会", "有限公司",
                   "自由贸易试验区", "片区", "新片区", "杭州湾", "开发区", "公示")
"""Words a reader would see cut, among them the four cut in the issue: 创新创/业, 申/报, 单/位, 高新/区."""


def places() -> list[str]:
    divisions = load_round(2023).facts.divisions
    assert divisions is not None
    return [*divisions.provinces.values(), *divisions.prefectures.values(), *divisions.counties.values()]


def words_for(*names: str) -> Vocabulary:
    """The vocabulary composition gives a document whose applicant bears `names`."""
    text = "".join(names)
    return vocabulary([p for p in places() if p in text or (short_place(p) or p) in text], names)


def example_titles() -> Iterator[tuple[str, float, Vocabulary]]:
    """Every title, subtitle, centred heading and cover name of the three examples' documents, with its width."""
    facts = load_round(2023).facts
    for name in EXAMPLE_NAMES:
        applicant = load_applicant(EXAMPLES / name / "applicant.yaml", [2023]).applicant
        for compose in (composing.application_form, composing.construction_plan, composing.support_letter_draft,
                        composing.public_notice_draft):
            document = compose(applicant, facts)
            yield from _titles_of(document)


def _titles_of(document: Document) -> Iterator[tuple[str, float, Vocabulary]]:
    words = vocabulary(document.words, document.phrases)
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.style in ("title", "official-title"):
            yield block.text, TITLE_WIDTHS[document.layout.name], words
        elif isinstance(block, Table) and not block.border:
            for cell in (cell for row in block.rows for cell in row):
                for paragraph in cell.paragraphs:
                    if paragraph.style == "underline":
                        yield paragraph.text, COVER_WIDTH, words


def real_style_titles() -> Iterator[tuple[str, float, Vocabulary]]:
    for name in LONG_NAMES:
        words = words_for(name)
        yield name, TITLE_WIDTHS["plan"], words
        yield name, COVER_WIDTH, words
        yield f"关于支持{name}申报国家海外人才离岸创新创业基地的函", TITLE_WIDTHS["official"], words


ALL_TITLES = [*example_titles(), *real_style_titles()]


def boundaries(tokens: list[str]) -> set[int]:
    return set(itertools.accumulate(len(token) for token in tokens))


def cost(lines: list[str], text: str, words: Vocabulary) -> float:
    """The balance measure: longest line − shortest line (em), plus the price of breaks inside brackets,
    phrases or a zone's name, as title_lines documents it; recomputed here from the text and its tokens."""
    lengths = [em_width(line) for line in lines]
    breaks = list(itertools.accumulate(len(line) for line in lines))[:-1]
    price = 0.0
    tokens = words.tokens(text)
    ends = list(itertools.accumulate(len(token) for token in tokens))
    for position in breaks:
        before, after = tokens[ends.index(position)], tokens[ends.index(position) + 1]
        place = before.lstrip("（(")
        if after.rstrip("）)") in ZONE_SUFFIXES and 0 < len(place) <= ZONE_PLACE and em_width(place) == len(place):
            price += PHRASE_BREAK  # a zone's name: 杭州|片区
        depth = sum(char in "（(" for char in text[:position]) - sum(char in "）)" for char in text[:position])
        price += GROUP_BREAK * (depth > 0)
        price += PHRASE_BREAK * sum(1 for phrase in words.phrases for start in _occurrences(text, phrase)
                                    if start < position < start + len(phrase))
    return max(lengths) - min(lengths) + price


def _occurrences(text: str, phrase: str) -> Iterator[int]:
    start = text.find(phrase)
    while start >= 0:
        yield start
        start = text.find(phrase, start + 1)


def every_breaking(tokens: list[str], count: int) -> Iterator[list[str]]:
    for breaks in itertools.combinations(range(1, len(tokens)), count - 1):
        bounds = (0, *breaks, len(tokens))
        yield ["".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]


def test_there_are_enough_titles_to_judge() -> None:
    long_ones = [text for text, width, _ in ALL_TITLES if em_width(text) > width]
    assert len(ALL_TITLES) >= 40 and len(long_ones) >= 25


@pytest.mark.parametrize(("text", "width", "words"), ALL_TITLES)
def test_a_title_breaks_only_between_words_into_the_fewest_balanced_lines(text: str, width: float,
                                                                          words: Vocabulary) -> None:
    lines = title_lines(text, width, words)
    tokens = words.tokens(text)
    assert "".join(lines) == text
    assert all(em_width(line) <= width + 0.01 for line in lines)
    breaks = set(itertools.accumulate(len(line) for line in lines[:-1]))
    assert breaks <= boundaries(tokens), (lines, tokens)
    for word in WORDS_NEVER_CUT:
        for start in _occurrences(text, word):
            assert not breaks & set(range(start + 1, start + len(word))), (word, lines)
    fitting = [candidate for candidate in every_breaking(tokens, len(lines) - 1)
               if all(em_width(line) <= width + 0.01 for line in candidate)] if len(lines) > 1 else []
    assert not fitting, f"{text} fits in fewer lines: {fitting[0]}"
    best = min(cost(candidate, text, words) for candidate in every_breaking(tokens, len(lines))
               if all(em_width(line) <= width + 0.01 for line in candidate))
    assert cost(lines, text, words) == pytest.approx(best)


def test_the_issue_titles_break_as_a_typesetter_would() -> None:
    words = words_for("国家海外人才离岸创新创业基地（杭州高新区）", "杭州市某某科技发展中心")
    assert title_lines("关于2023年中国科协海智计划基地拟推荐单位的公示", TITLE_WIDTHS["official"], words) == [
        "关于2023年中国科协海智计划基地", "拟推荐单位的公示"]
    assert title_lines("国家海外人才离岸创新创业基地（杭州高新区）", COVER_WIDTH, words) == [
        "国家海外人才离岸创新创业基地", "（杭州高新区）"]
    assert title_lines("关于支持杭州市某某科技发展中心申报国家海外人才离岸创新创业基地的函", TITLE_WIDTHS["official"],
                       words) == ["关于支持杭州市某某科技发展中心申报", "国家海外人才离岸创新创业基地的函"]
    words = words_for(LONG_NAMES[0])
    assert title_lines(LONG_NAMES[0], TITLE_WIDTHS["plan"], words) == [
        "国家海外人才离岸创新创业基地", "（中国（浙江）自由贸易试验区杭州片区）"]


def test_a_title_that_fits_stays_one_line() -> None:
    assert title_lines("中国科协海智计划基地申报表", 20, vocabulary()) == ["中国科协海智计划基地申报表"]


def test_a_word_wider_than_the_line_is_cut_only_then() -> None:
    lines = title_lines("某某某某某某某某某某某某", 5, vocabulary())
    assert "".join(lines) == "某某某某某某某某某某某某" and all(em_width(line) <= 5 for line in lines)


def test_unknown_runs_stay_whole_and_a_lone_character_joins_its_neighbour() -> None:
    words = words_for("宁波杭州湾新区")
    assert words.tokens("杭州云栖梦溪科技发展有限公司") == ["杭州", "云栖梦溪", "科技", "发展", "有限公司"]
    assert "杭州湾" in words.tokens("宁波杭州湾新区开发建设管理委员会")


def test_division_names_are_known_with_and_without_their_suffix() -> None:
    words = words_for("中国（浙江）自由贸易试验区杭州片区", "浙江省", "杭州市")
    assert {"浙江", "浙江省", "杭州", "杭州市"} <= words.words
    assert short_place("浙江省") == "浙江" and short_place("广西壮族自治区") == "广西" and short_place("城区") is None


# --- cells, paragraphs, addresses ---------------------------------------------------------------------------


def test_a_cell_keeps_units_in_brackets_and_words_together() -> None:
    words = vocabulary()
    for text in ("年度专项工作经费（万元）", "服务场所面积（平方米）", "所在地市科协意见", "中国科协海智工作基地"):
        for width in range(2, 12):
            lines = break_lines(text, width, em_width, vocabulary=words)
            assert "".join(lines) == text
            joined = "|".join(lines)
            for kept in ("（万元）", "（平方米）", "意见", "基地", "经费", "面积"):
                if kept in text and em_width(kept) <= width:
                    assert kept in joined, (text, width, lines)


def test_units_in_a_cell_are_words_and_short_bracket_groups() -> None:
    assert units("基地面积（平方米）", vocabulary()) == ["基地", "面积", "（平方米）"]
    assert units("（中国（浙江）自由贸易试验区）", vocabulary())[0] == "（"  # a long or nested group is not one unit


@pytest.mark.parametrize("address", ["zhang.san@hz-example.com.cn", "li_si-2023@mail.example.org",
                                     "https://www.example-base.org.cn/apply_2023/index.html"])
@pytest.mark.parametrize("width", [6, 8, 10, 13])
def test_addresses_break_only_after_at_dot_hyphen_underscore_slash(address: str, width: int) -> None:
    lines = break_lines(f"邮箱：{address}", width, em_width, vocabulary=vocabulary())
    assert "".join(lines) == f"邮箱：{address}"
    for line, following in itertools.pairwise(lines):
        if line[-1].isascii() and following[:1].isascii():
            assert line[-1] in "@.-_/", lines


def test_a_paragraph_does_not_end_on_one_character() -> None:
    text = "一二三四五六七八九十" * 3 + "程。"
    assert break_lines(text, 10, em_width)[-1] == "程。"
    lines = break_lines(text, 10, em_width, avoid_widow=True)
    assert lines[-1] == "十程。" and "".join(lines) == text and all(em_width(line) <= 10 for line in lines)


def test_a_widow_stays_when_the_line_before_cannot_give() -> None:
    assert break_lines("一二程。", 2, em_width, avoid_widow=True) == ["一二", "程。"]


# --- both writers draw the same title lines ------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_word_file_and_the_pdf_break_a_title_into_the_same_lines(name: str, tmp_path: Path) -> None:
    facts = load_round(2023).facts
    applicant = load_applicant(EXAMPLES / name / "applicant.yaml", [2023]).applicant
    timestamp = dt.datetime(2023, 9, 1, tzinfo=dt.UTC)
    checked = 0
    for compose in (composing.support_letter_draft, composing.construction_plan, composing.public_notice_draft):
        document = compose(applicant, facts)
        words = vocabulary(document.words, document.phrases)
        width = TITLE_WIDTHS[document.layout.name]
        write_docx(document, tmp_path / "out.docx", timestamp)
        word = docx.Document(str(tmp_path / "out.docx"))
        write_pdf(document, tmp_path / "out.pdf", resolve_fonts(), timestamp)
        lines = PdfReader(tmp_path / "out.pdf").pages[0].extract_text().splitlines()
        for title in (b for b in document.blocks if isinstance(b, Paragraph) and b.style in ("title", "official-title")
                      and em_width(b.text) > width):
            expected = title_lines(title.text, width, words)
            assert any(p.text.split("\n") == expected for p in word.paragraphs), [p.text for p in word.paragraphs]
            start = lines.index(expected[0])
            assert lines[start:start + len(expected)] == expected
            checked += 1
    assert checked >= 2

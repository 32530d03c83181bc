"""Where a line may break, for both writers: paragraphs, table cells and titles.

Paragraphs (`break_lines`): Chinese breaks between any two characters, but a line must not start with
closing punctuation or end with opening punctuation (禁则, GB/T 15834 usage). When a break would do that,
the last characters of the line move down with it; when that cannot help, one mark hangs and the line is
squeezed. A paragraph does not end on a line of one character ("程。") when the line before can give one
more (`avoid_widow`).

Table cells pass a `Vocabulary`: a known word ("意见", "基地"), a short group in brackets ("（万元）") and
a division name stay on one line; an e-mail address or a URL too long for its line breaks only after
`@ . - _ /`.

Titles (`title_lines`, GB/T 9704-2012 7.3.1: 词意完整，排列对称) break only between words, into as few
lines as the width allows and of lengths as even as the words allow. The words come from a vocabulary,
not a statistical segmenter: the words of the notice's titles and forms and of the names of units,
places and development zones (`BASE_WORDS`), the names of administrative divisions and the applicant's
own names that the composition hands over (`Document.words`), brackets and numbers. A run of characters
no word covers stays whole in a title (it is most likely a name: "云栖"); it is split only when it is wider
than a line. This makes the result the same on every machine and explainable word by word.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from haizhi_cli.i18n import BASE_TYPE_NAMES

Measure = Callable[[str], float]

EPSILON = 0.01
"""Widths within 0.01 (mm, or em) count as fitting: 28 characters fill the 156 mm official line exactly."""

NO_START = frozenset("，。、：；！？）》」』”’…—%．,.:;!?)]}】〕〗〉］｝·")
"""Characters a line must not start with (closing and pause punctuation)."""
NO_END = frozenset("（《「『“‘【〔〖〈［｛([{")
"""Characters a line must not end with (opening punctuation)."""
HANGING = frozenset("，。、：；！？）》」』”’")
"""Single marks that may hang past the line end when moving characters down cannot avoid the break."""
DOUBLED = frozenset("—…")
"""Marks written twice in Chinese (破折号, 省略号) that stay together on one line."""
MAX_PULL = 4
"""At most this many units move down to the next line to avoid a bad break."""
OPENING, CLOSING = "（(［[【〔", "）)］]】〕"
SHORT_GROUP = 6
"""A group in brackets of at most this many characters inside ("（平方米）", "（万元）") is one unit in a cell."""
ADDRESS_BREAKS = "@.-_/"
"""An e-mail address, URL or path (any Latin word too long for its line) breaks after one of these when it can."""
AFTER_ADDRESS_BREAK = re.compile(f"(?<=[{re.escape(ADDRESS_BREAKS)}])")

BASE_WORDS = """
中国科协 中国 科协 海智计划 海智 计划 基地 申报表 申报 材料 清单 申报材料 国家 海外人才 海外 人才
离岸 创新创业 创新 创业 工作基地 工作 国际研发社区 国际 研发 社区 关于 支持 函 拟推荐 推荐 单位 公示
建设方案 建设 方案 检查报告 检查 报告 代拟稿 认定 通知 国际合作部 合作部 合作 部 年度 年制 填表说明
说明 承诺 意见 所在地 所在 地市 地市级 省级 市级 审核 名称 负责人 联系人 姓名 职务 职称 电话 手机
办公电话 邮箱 电子邮箱 地址 通讯地址 邮编 邮政编码 面积 平方米 万元 经费 专项 奖励 资金 人数 数量
类型 成立 时间 日期 签字 公章 盖章 运营 管理 机构 主体 性质 人员 团队 项目 企业 引进 服务 平台
工作经费 有限公司 有限责任公司 股份有限公司 集团 公司 管理委员会 委员会 管委会 科学技术协会 科学技术
协会 人民政府 政府 办公室 办公厅 高新技术产业开发区 新技术产业开发区 新技术开发区 新技术
经济技术开发区 高新技术 产业开发区 高新区 开发区 经开区 新区 园区 片区 自由贸易试验区 自由贸易
试验区 自贸区 科技园 产业园 科技城 创新中心 发展中心 服务中心 研究院 研究所 研究中心 大学 学院 科技
技术 产业 投资 发展 中心 孵化器 加速器 科学城 人才港 生态 智能 数字 信息 生物 医药 制造 新材料 能源
交流 促进会 联合会 商会 事务所 外国专家 留学人员 创业园 新片区 湾区 大湾区 港区 保税区 综合保税区
示范区 先行区 集聚区 合作区 新城 小镇 促进中心 孵化中心 国际科技 科技创新
电子 信箱 场所 办公 总数 专职 或 现有 长期 联系 伙伴 设立 站点 入驻 新型 序号 指标
"""
"""Words of titles, labels and the names of units, places and development zones; split at spaces."""

BASE_PHRASES = ("中国科协海智计划基地", *(name.zh for name in BASE_TYPE_NAMES.values()), "中国科协国际合作部")
"""Names a title would rather not break inside, though it may between their words."""

ZONE_SUFFIXES = frozenset({"片区", "新片区", "新区", "高新区", "开发区", "经开区", "园区", "自贸区", "科技园", "产业园",
                           "科技城", "科学城", "小镇"})
"""A zone's name is one phrase with the place before it (杭州片区, 江北新区, 工业园区): a title breaks there only to
save a line."""
ZONE_PLACE = 4
"""The place before a zone suffix is at most this many characters long."""

OPENING_GLUE = frozenset(OPENING) | frozenset("《“‘")
DIGITS_WITH_UNIT = re.compile(r"[0-9]+[年月日号]")


# Paragraphs and cells


def break_lines(text: str, width: float, measure: Measure, indent: float = 0.0, *,
                vocabulary: Vocabulary | None = None, avoid_widow: bool = False, hang: bool = True) -> list[str]:
    """Break `text` into lines at most `width` wide (the first `indent` narrower), observing 禁则.

    Chinese may break between any two characters; a run of Latin letters, digits and ASCII
    punctuation is a word, broken only at spaces, or when it is longer than a line (an e-mail address or
    URL or path only after `@ . - _ /`). With a `vocabulary` (table cells) its words and short bracket groups are
    kept whole too. `avoid_widow` spares the paragraph a last line of one character where it can. Without
    `hang` (a terminal, which cannot squeeze a line), no mark hangs past the width: the word before it gives
    its last character to the next line instead.
    """
    parts = units(text, vocabulary)
    spans = _spans(parts, width, measure, indent, hang=hang)
    if avoid_widow and _widowed(parts, spans):
        spans = _without_widow(parts, spans, width, measure, indent)
    return ["".join(parts[start:end]).strip(" ") for start, end in spans] or [""]


def _spans(parts: list[str], width: float, measure: Measure, indent: float,
           first: int = 0, lines_before: int = 0, hang: bool = True) -> list[tuple[int, int]]:
    """Each line as (first unit, end unit); `parts` may be split where a unit is wider than a line."""
    spans: list[tuple[int, int]] = []
    start = first
    while start < len(parts):
        available = width - (0.0 if spans or lines_before else indent)
        end = _fill(parts, start, available, measure)
        end = _avoid_bad_break(parts, start, end, hang)
        spans.append((start, end))
        start = _skip_spaces(parts, end)
    return spans


def _widowed(parts: list[str], spans: list[tuple[int, int]]) -> bool:
    """Whether the last line holds one character, besides the punctuation that follows it ("程。")."""
    if len(spans) < 2:
        return False
    start, end = spans[-1]
    text = "".join(parts[start:end]).strip(" ")
    return len(text.rstrip("".join(NO_START))) <= 1 and _wide(text[:1])


def _without_widow(parts: list[str], spans: list[tuple[int, int]], width: float, measure: Measure,
                   indent: float) -> list[tuple[int, int]]:
    """The spans with the next-to-last line giving its last unit (or two) to the last line, when the last line
    can take them and the break stays good; else the spans as they were."""
    start, end = spans[-2]
    for candidate in (end - 1, end - 2):
        if candidate - start < 2 or _bad_break(parts, start, candidate):
            continue
        rest = _spans(parts, width, measure, indent, _skip_spaces(parts, candidate), len(spans) - 1)
        if len(rest) == 1:
            return [*spans[:-2], (start, candidate), *rest]
    return spans


def _wide(text: str) -> bool:
    return bool(text) and unicodedata.east_asian_width(text[0]) in "WF"


def units(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """Text as the pieces a line may break between: words, single wide characters, single spaces.

    A run of dashes or ellipses (——, ……) is one piece too: GB/T 15834 does not let it be split. With a
    vocabulary, each of its words and each short bracket group is one piece.
    """
    parts: list[str] = []
    for char in text:
        if parts and _joins(parts[-1][-1], char):
            parts[-1] += char
        else:
            parts.append(char)
    if vocabulary is None:
        return parts
    return _kept_together(parts, vocabulary.loose_tokens("".join(parts)))


def _kept_together(parts: list[str], tokens: list[str]) -> list[str]:
    """`parts` joined wherever a token spans several of them (a token never cuts a part: both respect words)."""
    result: list[str] = []
    ends = set(itertools.accumulate(len(token) for token in tokens))
    position, piece = 0, ""
    for part in parts:
        piece += part
        position += len(part)
        if position in ends:
            result.append(piece)
            piece = ""
    return [*result, piece] if piece else result


def _joins(previous: str, char: str) -> bool:
    """Whether `char` continues the piece that ends with `previous`."""
    if char in DOUBLED:
        return previous == char
    return _in_word(previous) and _in_word(char)


@functools.lru_cache(maxsize=8192)  # asked of every character of every piece tried: look each one up once
def _in_word(char: str) -> bool:
    """Narrow characters that stick together: ASCII except the space, and Latin/Greek/Cyrillic letters."""
    if char.isspace():
        return False
    if char.isascii():
        return True
    return unicodedata.category(char).startswith("L") and unicodedata.east_asian_width(char) not in "WF"


def _fill(parts: list[str], start: int, available: float, measure: Measure) -> int:
    """The end of the longest run of units from `start` that fits; a unit wider than a line is split."""
    total, end = 0.0, start
    while end < len(parts) and total + measure(parts[end]) <= available + EPSILON:
        total += measure(parts[end])
        end += 1
    if end > start:
        return end
    pieces = _word_pieces(parts[start])
    if len(pieces) > 1:
        parts[start:start + 1] = pieces
        return _fill(parts, start, available, measure)
    _split(parts, start, available, measure)
    return start + 1


def _word_pieces(word: str) -> list[str]:
    """A word too wide for a line (an e-mail address, a URL, a key such as `process.public_notice`) cut after
    each `@ . - _ /`, so that it breaks there rather than anywhere."""
    if not word.isascii():
        return [word]
    return [piece for piece in AFTER_ADDRESS_BREAK.split(word) if piece]


def _split(parts: list[str], index: int, available: float, measure: Measure) -> None:
    """Split a unit wider than the line into the longest head that fits (at least one character) and the rest."""
    word = parts[index]
    cut = 1
    while cut < len(word) and measure(word[:cut + 1]) <= available + EPSILON:
        cut += 1
    if cut < len(word):
        parts[index:index + 1] = [word[:cut], word[cut:]]


def _avoid_bad_break(parts: list[str], start: int, end: int, hang: bool = True) -> int:
    """Move the break back so no line starts with NO_START or ends with NO_END; else let one mark hang, or
    (not `hang`) move the last character of the line's last word down with it."""
    if end >= len(parts) or not _bad_break(parts, start, end):
        return end
    for candidate in range(end - 1, max(start, end - MAX_PULL - 1), -1):
        if not _bad_break(parts, start, candidate):
            return candidate
    if hang and parts[end] in HANGING:
        return end + 1
    if not hang and len(parts[end - 1]) > 1:
        word = parts[end - 1]
        parts[end - 1:end] = [word[:-1], word[-1]]
    return end


def _bad_break(parts: list[str], start: int, end: int) -> bool:
    """Whether breaking before parts[end] leaves a forbidden character at a line's end or start."""
    following = _skip_spaces(parts, end)
    previous = end - 1
    while previous >= start and parts[previous] == " ":
        previous -= 1
    if previous < start:
        return True
    if following >= len(parts):
        return False
    return parts[following][0] in NO_START or parts[previous][-1] in NO_END


def _skip_spaces(parts: list[str], index: int) -> int:
    while index < len(parts) and parts[index] == " ":
        index += 1
    return index


# Words


@dataclass(frozen=True)
class Vocabulary:
    """The words a line must not break inside, and the phrases (names) a title would rather not break inside."""

    words: frozenset[str]
    phrases: tuple[str, ...] = ()

    @functools.cached_property
    def longest(self) -> int:
        return max(map(len, self.words), default=1)

    def loose_tokens(self, text: str) -> list[str]:
        """`text` cut into its words, short bracket groups and single characters (what cells keep together)."""
        return _cached_tokens(self, text, strict=False)

    def tokens(self, text: str) -> list[str]:
        """`text` cut into the pieces a title may break between: its words, a run of characters no word covers
        as one piece, brackets and pause marks attached to the word they belong to."""
        return _cached_tokens(self, text, strict=True)


def vocabulary(words: Iterable[str] = (), phrases: Iterable[str] = ()) -> Vocabulary:
    """BASE_WORDS and `words` (division names: a name with a place suffix is also known without it, 杭州市 →
    杭州); BASE_PHRASES and `phrases` (the applicant's names), whose ends are break points in a title."""
    known = frozenset(word for word in words if word)
    return _vocabulary(known, tuple(sorted({*BASE_PHRASES, *(phrase for phrase in phrases if phrase)})))


@functools.lru_cache(maxsize=32)
def _vocabulary(extra: frozenset[str], phrases: tuple[str, ...]) -> Vocabulary:
    known = set(BASE_WORDS.split()) | extra | {short for word in extra if (short := short_place(word))}
    return Vocabulary(frozenset(known), phrases)


PLACE_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|[省市区县盟旗])$")


def short_place(name: str) -> str | None:
    """A division's name without its suffix when at least two characters remain (浙江省 → 浙江)."""
    short = PLACE_SUFFIX.sub("", name)
    return short if short != name and len(short) >= 2 else None


@functools.lru_cache(maxsize=4096)
def _cached_tokens(vocabulary: Vocabulary, text: str, strict: bool) -> list[str]:
    if not strict:
        return _short_groups(_segments(vocabulary, text, frozenset(), finest=True))
    cuts = _phrase_ends(vocabulary, text)
    return _glued(_segments(vocabulary, text, cuts), cuts)


def _phrase_ends(vocabulary: Vocabulary, text: str) -> frozenset[int]:
    """Where a phrase of the vocabulary starts or ends in `text`."""
    ends: set[int] = set()
    for phrase in vocabulary.phrases:
        for match in re.finditer(re.escape(phrase), text):
            ends.update((match.start(), match.end()))
    return frozenset(ends)


def _segments(vocabulary: Vocabulary, text: str, cuts: frozenset[int], finest: bool = False) -> list[tuple[str, bool]]:
    """`text` as (piece, known) pairs: vocabulary words covering as much as possible with as few words as
    possible (as many, when `finest`: a cell may break a compound between its words, 工作|经费), Latin runs and
    numbers with their 年/月/日, and single characters; no piece crosses a cut."""
    best: list[tuple[int, int, int]] = [(0, 0, 0)] + [(len(text) + 1, 0, 0)] * len(text)
    """For each end position: (characters not in a word, pieces, start of the last piece)."""
    for end in range(1, len(text) + 1):
        for start, known in _starts(vocabulary, text, end, cuts):
            uncovered, count, _ = best[start]
            candidate = (uncovered + (0 if known else end - start), count + (-1 if finest else 1), start)
            if candidate[:2] < best[end][:2]:
                best[end] = candidate
    pieces: list[tuple[str, bool]] = []
    end = len(text)
    while end > 0:
        start = best[end][2]
        pieces.append((text[start:end], _known(vocabulary, text[start:end])))
        end = start
    return pieces[::-1]


def _starts(vocabulary: Vocabulary, text: str, end: int, cuts: frozenset[int]) -> list[tuple[int, bool]]:
    """Where a piece ending at `end` may start, and whether that piece is known: one character back, or the
    length of a word or Latin run (known, as found)."""
    starts = [(end - 1, _known(vocabulary, text[end - 1:end]))]
    for length in range(2, min(vocabulary.longest, end) + 1):
        if end - length + 1 in cuts:
            break
        if _known(vocabulary, text[end - length:end]):
            starts.append((end - length, True))
    return starts


def _known(vocabulary: Vocabulary, piece: str) -> bool:
    if piece in vocabulary.words or DIGITS_WITH_UNIT.fullmatch(piece):
        return True
    return len(piece) > 1 and all(map(_in_word, piece))


def _glued(pieces: list[tuple[str, bool]], cuts: frozenset[int]) -> list[str]:
    """Title tokens: runs of unknown characters joined (not across a cut), opening marks joined to what follows
    them and closing or pause marks (and 的) to what precedes them."""
    tokens: list[str] = []
    glue_next = previous_unknown = False
    position = 0
    for piece, known in _lone_characters_attached(pieces, cuts):
        unknown = not known and _wide(piece) and piece not in OPENING_GLUE and piece[0] not in NO_START
        run = unknown and previous_unknown and position not in cuts
        if tokens and (glue_next or piece[0] in NO_START or piece == "的" or run):
            tokens[-1] += piece
        else:
            tokens.append(piece)
        glue_next, previous_unknown = piece[-1] in OPENING_GLUE, unknown
        position += len(piece)
    return tokens


def _lone_characters_attached(pieces: list[tuple[str, bool]], cuts: frozenset[int]) -> list[tuple[str, bool]]:
    """The pieces with a single unknown character between known words attached to the word before it (杭州|湾 →
    杭州湾), or after it at the start: a character alone is most likely part of a name the vocabulary lacks."""
    result: list[tuple[str, bool]] = []
    position = 0
    for index, (piece, known) in enumerate(pieces):
        after_lone_start = len(result) == 1 and _lone(pieces, index - 1)
        lone = _lone(pieces, index) and bool(result) and result[-1][0][-1] not in OPENING_GLUE
        if (lone or after_lone_start) and position not in cuts:
            result[-1] = (result[-1][0] + piece, True)
        else:
            result.append((piece, known))
        position += len(piece)
    return result


def _lone(pieces: list[tuple[str, bool]], index: int) -> bool:
    """Whether pieces[index] is one unknown Chinese character between pieces that are not."""
    if not 0 <= index < len(pieces):
        return False
    piece, known = pieces[index]
    if known or not _wide(piece) or piece in OPENING_GLUE or piece in NO_START or piece == "的":
        return False
    return all(not (0 <= other < len(pieces)) or pieces[other][1] or not _wide(pieces[other][0])
               or pieces[other][0] in OPENING_GLUE or pieces[other][0] in NO_START
               for other in (index - 1, index + 1))


def _short_groups(pieces: list[tuple[str, bool]]) -> list[str]:
    """Cell tokens: words and single characters, a short bracket group ("（万元）") as one token."""
    tokens = [piece for piece, _ in pieces]
    result: list[str] = []
    index = 0
    while index < len(tokens):
        end = _group_end(tokens, index)
        result.append("".join(tokens[index:end]))
        index = end
    return result


def _group_end(tokens: list[str], index: int) -> int:
    """The end of a short group in brackets opening at `index`; `index + 1` when none opens there."""
    if tokens[index] not in OPENING:
        return index + 1
    length = 0
    for end in range(index + 1, min(len(tokens), index + SHORT_GROUP + 2)):
        if tokens[end] in OPENING:
            break
        if tokens[end] in CLOSING:
            return end + 1
        length += len(tokens[end])
        if length > SHORT_GROUP:
            break
    return index + 1


# Titles

GROUP_BREAK = 6.0
"""What a break inside brackets costs, in units of the line-length spread (em in titles)."""
PHRASE_BREAK = 5.0
"""What a break inside one of the vocabulary's phrases (the applicant's names, a base type) costs, for each
phrase it is inside."""
MAX_TITLE_LINES = 4
MAX_TITLE_TOKENS = 60
"""A longer text is not a title: it is broken as a paragraph."""


def em_width(text: str) -> float:
    """The width of `text` in em, as a Chinese font sets it: wide characters 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)


def title_lines(text: str, width: float, vocabulary: Vocabulary, measure: Measure = em_width) -> list[str]:
    """A title in the fewest lines of at most `width`, broken only between words, lines as even as possible.

    Among the breakings into the fewest lines, the one chosen has the least cost: the difference between its
    longest and shortest line, plus GROUP_BREAK for each break inside brackets and PHRASE_BREAK for each
    break inside a phrase of the vocabulary. Only a piece wider than a line is cut inside (by characters).
    """
    if measure(text) <= width + EPSILON or not text:
        return [text]
    tokens = _fitting(vocabulary.tokens(text), width, measure)
    if len(tokens) > MAX_TITLE_TOKENS:
        return break_lines(text, width, measure)
    widths = [measure(token) for token in tokens]
    penalties = _break_penalties(tokens, vocabulary)
    for count in range(2, MAX_TITLE_LINES + 1):
        best = _best_breaks(widths, penalties, count, width)
        if best is not None:
            return ["".join(tokens[start:end]) for start, end in itertools.pairwise((0, *best, len(tokens)))]
    return break_lines(text, width, measure)


def _fitting(tokens: list[str], width: float, measure: Measure) -> list[str]:
    """The tokens, any one wider than a line cut into the units a paragraph breaks between."""
    result: list[str] = []
    for token in tokens:
        result.extend(units(token) if measure(token) > width + EPSILON else [token])
    return result


def _break_penalties(tokens: list[str], vocabulary: Vocabulary) -> list[float]:
    """What breaking before each token costs: inside brackets, inside a phrase (0 before the first token)."""
    text = "".join(tokens)
    starts = list(itertools.accumulate((len(token) for token in tokens), initial=0))[:-1]
    inside_phrases = [0] * (len(text) + 1)
    for phrase in vocabulary.phrases:
        for match in re.finditer(re.escape(phrase), text):
            for position in range(match.start() + 1, match.end()):
                inside_phrases[position] += 1
    depth = [0] * (len(text) + 1)
    for position, char in enumerate(text):
        depth[position + 1] = depth[position] + (char in OPENING) - (char in CLOSING)
    zones = [index > 0 and _zone_joint(tokens[index - 1], token) for index, token in enumerate(tokens)]
    return [GROUP_BREAK * (depth[start] > 0) + PHRASE_BREAK * (inside_phrases[start] + zone)
            for start, zone in zip(starts, zones, strict=True)]


def _zone_joint(place: str, zone: str) -> bool:
    """Whether `zone` (a token) is a zone suffix that names a zone with the `place` token before it."""
    place = place.lstrip(OPENING)
    return zone.rstrip(CLOSING) in ZONE_SUFFIXES and 0 < len(place) <= ZONE_PLACE and all(map(_wide, place))


def _best_breaks(widths: list[float], penalties: list[float], count: int, width: float) -> tuple[int, ...] | None:
    """The breaks (token indices) into `count` lines of at most `width` with the least cost; None if none fit."""
    best: tuple[float, tuple[int, ...]] | None = None
    sums = list(itertools.accumulate(widths, initial=0.0))
    for breaks in itertools.combinations(range(1, len(widths)), count - 1):
        bounds = (0, *breaks, len(widths))
        lengths = [sums[end] - sums[start] for start, end in itertools.pairwise(bounds)]
        if max(lengths) > width + EPSILON:
            continue
        cost = max(lengths) - min(lengths) + sum(penalties[index] for index in breaks)
        if best is None or cost < best[0] - EPSILON:
            best = (cost, breaks)
    return None if best is None else best[1]

"""Safe YAML loading with positions, and validation errors turned into `path.to.key (第 N 行): message`.

YAML is composed into nodes first (never constructed by PyYAML's object constructors), so that:
duplicate keys are refused instead of the second silently winning, every key keeps its line and
column, tags that would build Python objects are refused, and alias expansion is counted before
anything is expanded (a "billion laughs" file is refused in milliseconds).
"""

from __future__ import annotations

import difflib
import re
import stat
import typing
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from haizhi_cli.applicant._models import FORM_CELL_VALIDATORS, Applicant
from haizhi_cli.errors import ApplicantFileError, Location, UserInputError
from haizhi_cli.i18n import current_lang, tr, visible

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Applicant and rule files larger than this are refused before parsing."""

MAX_EXPANDED_NODES = 100_000
"""A document whose aliases would expand to more nodes than this is refused unexpanded."""

MAX_DEPTH = 50
"""The format nests six levels at most; anything far deeper is refused before it is walked."""

MAX_NODES = 100_000
"""The most nodes (scalars, lists, mappings and aliases) a file may hold, counted while it is parsed and
before anything is built. A full applicant file has a few hundred (its long texts are one node each), and a
batch's largest a few thousand; 100,000 nodes take some 50 MB to build, so a file under the size limit made
of millions of tiny nodes (`[1,1,1,…]`) is refused before it can take a gigabyte."""

_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)

KeyPath = tuple[str | int, ...]

_PLAIN_NUMBER = {
    "tag:yaml.org,2002:int": re.compile(r"[-+]?(0|[1-9][0-9]*)"),
    "tag:yaml.org,2002:float": re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)"),
}
"""How an integer or a decimal number is written in an applicant file: plain decimals, as SECURITY.md says.
Other YAML 1.1 forms (`5:50`, `010`, `0x15E`, `1.0e+3`, `.inf`) are refused rather than read as a number the
form never shows."""

_STR_TAG = "tag:yaml.org,2002:str"
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_plain_tags: dict[str, str] = {}


class _SafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader (libyaml's when present), remembering the tag of each short plain scalar.

    PyYAML resolves every plain scalar, keys included, by running its regular expressions in Python; in a
    batch the keys and many values repeat from file to file. For a plain scalar the tag depends on its text
    alone, so a text seen before is not matched again.
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or len(value) > 64:
            return str(super().resolve(kind, value, implicit))
        tag = _plain_tags.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_plain_tags) < 20_000:
                _plain_tags[value] = tag
        return tag


_STANDARD_TAGS: frozenset[str] = frozenset({
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
})
_KNOWN_TAGS = _STANDARD_TAGS | {"tag:yaml.org,2002:merge"}


@dataclass(frozen=True)
class YamlDocument:
    """Plain data from a YAML file, with the (line, column) of every key and list item."""

    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def location(self, key_path: KeyPath) -> Location:
        """The location of a key, or of its nearest enclosing key that exists in the file."""
        pos = self.position(key_path)
        return Location(self.path, pos[0], pos[1]) if pos else Location(self.path, 1, 1)

    def position(self, key_path: KeyPath) -> tuple[int, int] | None:
        """(line, column) of a key or of its nearest enclosing key; None when the file holds neither. The key
        itself is looked up first: it is there for nearly every finding."""
        exact = self.positions.get(key_path)
        if exact is not None:
            return exact
        return next((self.positions[key_path[:end]] for end in range(len(key_path) - 1, 0, -1)
                     if key_path[:end] in self.positions), None)


@dataclass(frozen=True)
class LoadedApplicant:
    document: YamlDocument
    applicant: Applicant

    @property
    def path(self) -> Path:
        return self.document.path


def dotted(key_path: KeyPath) -> str:
    """`base.leader.phone`, `plan.targets[0].values`: how a key is named in messages (a key's acting
    characters, such as ESC, shown escaped)."""
    text = ""
    for part in key_path:
        name = visible(part, keep="") if isinstance(part, str) else ""
        text += f"[{part}]" if isinstance(part, int) else (f".{name}" if text else name)
    return text or tr("（顶层）")


def read_text(path: Path, error: type[UserInputError] = ApplicantFileError) -> str:
    """Read a UTF-8 file (BOM tolerated); only regular files, and never more than the size limit."""
    try:
        if path.is_dir():
            raise error(tr("这是一个文件夹，不是文件"), Location(path))
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise error(tr("不是普通文件（设备、管道等），未读取"), Location(path))
        if status.st_size > MAX_FILE_BYTES:
            raise error(tr("文件过大（{size:,} 字节，上限 {limit:,} 字节），未读取",
                           size=status.st_size, limit=MAX_FILE_BYTES), Location(path))
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise error(tr("文件不存在，请检查路径"), Location(path)) from None
    except OSError as exc:
        raise error(tr("无法读取文件：{reason}", reason=exc.strerror or exc), Location(path)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise error(tr("文件过大（超过 {limit:,} 字节的上限），未读取", limit=MAX_FILE_BYTES), Location(path))
    return _decode(raw, path, error)


def _decode(raw: bytes, path: Path, error: type[UserInputError]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            tr("文件不是 UTF-8 编码（第 {position} 字节 0x{value:02X} 无法解码）；"
               "请在编辑器中以 UTF-8 编码另存（WPS/记事本：另存为 → 编码选 UTF-8）",
               position=exc.start + 1, value=raw[exc.start]),
            Location(path, line, column),
        ) from None


def read_yaml(path: Path, error: type[UserInputError] = ApplicantFileError) -> YamlDocument:
    """Read one YAML document into plain data with positions; every problem is an `error`."""
    text = read_text(path, error)
    try:
        _refuse_too_many_nodes(text, path, error)
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise error(_reader_problem(char), _offset_location(path, text, text.find(char))) from None
    except yaml.MarkedYAMLError as exc:
        raise error(_yaml_problem(exc, text), _mark_location(path, exc.problem_mark)) from None
    except yaml.YAMLError as exc:
        raise error(tr("YAML 语法错误：{problem}", problem=exc), Location(path)) from None
    if root is None:
        raise error(tr("文件为空：没有任何内容"), Location(path, 1, 1))
    if "*" in text:  # an alias may hide depth and size behind a short text: measure the node graph first
        _refuse_deep_nesting(root, path, error)
        _refuse_alias_bombs(root, path, error)
    return _Builder(path, error).document(root)


def _refuse_too_many_nodes(text: str, path: Path, error: type[UserInputError]) -> None:
    """Count the nodes as the parser reports them, one event at a time, and stop at MAX_NODES + 1: memory
    stays flat whatever the file holds. A node takes at least one character, so a shorter text is not read
    twice."""
    if len(text) <= MAX_NODES:
        return
    count = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        count += isinstance(event, _NODE_EVENTS)
        if count > MAX_NODES:
            raise error(tr("项数超过 {limit:,} 个（列表、映射与值合计），申报文件不需要这么多项，未读取",
                           limit=MAX_NODES), _mark_location(path, event.start_mark))


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem, context = exc.problem or "", str(exc.context or "")
    if "expected a single document" in context:
        return tr("文件只能包含一个 YAML 文档（不要用 --- 分隔多个文档）")
    if "duplicate anchor" in context:
        return tr("YAML 锚点 {anchor} 重复定义；每个锚点只能定义一次", anchor=_anchor_at(text, exc.problem_mark))
    if "\t" in problem or "tab" in problem.lower():
        return tr("YAML 不允许用 Tab 缩进，请改用空格")
    return tr("YAML 语法错误：{problem}；请检查缩进、冒号后的空格和引号是否成对",
              problem=_problem_words(problem) if problem else tr("无法解析"))


YAML_PROBLEMS = {
    "did not find expected node content": "此处缺少值（常见于没有闭合的 [ 或 {）",
    "mapping values are not allowed in this context": "此处不能再有“键: 值”（一行中有两个“: ”，或缩进不对）",
    "found unexpected end of stream": "文件在没有闭合的引号或括号中结束",
    "found undefined alias": "用到了没有定义的锚点（*名称 之前没有 &名称）",
    "did not find expected key": "此处应为一个键（检查缩进，或映射中是否混入了以 - 开头的列表项）",
    "did not find expected '-' indicator": "此处应为以 - 开头的列表项（检查缩进）",
    "could not find expected ':'": "缺少冒号（键的后面应为“: ”）",
    "found character that cannot start any token": "此处的字符不能作为值的开头（如 @ 或 `），请给值加引号",
    "did not find expected ',' or ']'": "列表 [...] 中缺少逗号或右方括号 ]",
    "did not find expected ',' or '}'": "映射 {...} 中缺少逗号或右花括号 }",
    "found unknown escape character": "双引号中有无法识别的转义（\\ 后的字符）；请改用单引号",
    "did not find expected comment or line break": "值的后面多了内容（# 注释前应有空格，或给值加引号）",
    "did not find expected digit or '.' character": "YAML 指令（%YAML）的版本号写法有误",
    "found unexpected ':'": "此处不能有冒号；含冒号的值请加引号",
    "found incompatible YAML document": "不支持的 YAML 版本（%YAML 指令）",
}
"""Chinese for the problems libyaml and PyYAML name in English (the English kept in an English run)."""


def _problem_words(problem: str) -> str:
    """The problem in the current language; one not listed here is kept as PyYAML words it."""
    if current_lang() != "zh":
        return problem
    return next((chinese for english, chinese in YAML_PROBLEMS.items() if problem.startswith(english)), problem)


def _anchor_at(text: str, mark: Any) -> str:
    """The `&name` written at a mark (libyaml's message does not name it)."""
    line = text.splitlines()[mark.line] if mark is not None else ""
    found = re.match(r"&[^\s,\[\]{}]+", line[mark.column:] if mark is not None else "")
    return found.group(0) if found else ""


def _reader_problem(char: str) -> str:
    return tr("文件含有不允许的控制字符 U+{code:04X}，请删除它（常见于从其他软件复制的文字）", code=ord(char))


def _offset_location(path: Path, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _mark_location(path: Path, mark: Any) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def _refuse_deep_nesting(root: yaml.Node, path: Path, error: type[UserInputError]) -> None:
    """Refuse nesting deeper than MAX_DEPTH, aliases expanded, without recursing.

    Depths are computed bottom-up over the node graph (each node once), so an alias chain cannot hide
    depth from the check, and the recursive walks that follow are bounded.
    """
    depth: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in depth or (not children_done and id(node) in entered):
            continue  # done already, or a cycle (refused by the alias check that follows)
        entered.add(id(node))
        children = list(_children(node))
        if children_done:
            depth[id(node)] = 1 + max((depth.get(id(c), 0) for c in children), default=0)
            if depth[id(node)] > MAX_DEPTH:
                raise error(_too_deep(), _mark_location(path, node.start_mark))
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in depth)


def _too_deep() -> str:
    return tr("嵌套超过 {depth} 层（含别名展开），申报文件不需要这么深的结构", depth=MAX_DEPTH)


def _refuse_alias_bombs(root: yaml.Node, path: Path, error: type[UserInputError]) -> None:
    """Count the nodes the document would expand to, without expanding it."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise error(tr("YAML 别名（*）引用了自身，无法展开"), _mark_location(path, node.start_mark))
        in_progress.add(key)
        total = 1 + sum(size(child) for child in _children(node))
        in_progress.discard(key)
        sizes[key] = min(total, MAX_EXPANDED_NODES + 1)
        return sizes[key]

    if size(root) > MAX_EXPANDED_NODES:
        raise error(
            tr("YAML 锚点与别名（& 与 *）展开后超过 {limit:,} 个节点，已拒绝；申报文件无需如此使用别名",
               limit=MAX_EXPANDED_NODES),
            _mark_location(path, root.start_mark),
        )


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


class _Builder:
    """Turns composed nodes into plain Python data, recording where every key stands."""

    def __init__(self, path: Path, error: type[UserInputError]) -> None:
        self.path = path
        self.error = error
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.scalars = yaml.SafeLoader("")

    def document(self, root: yaml.Node) -> YamlDocument:
        return YamlDocument(self.path, self.build(root, ()), self.positions)

    def build(self, node: yaml.Node, key_path: KeyPath) -> Any:
        """Plain data for `node`; without aliases the tree is no larger than the text, only its depth is checked."""
        self._check_tag(node)
        if len(key_path) >= MAX_DEPTH:
            raise self.error(_too_deep(), self._at(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            return [self._item(child, (*key_path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _item(self, node: yaml.Node, key_path: KeyPath) -> Any:
        self.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        return self.build(node, key_path)

    def _mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            line = key_node.start_mark.line + 1
            column = key_node.start_mark.column + 1
            if key in result:
                raise self.error(
                    tr("键 {key} 重复出现（{places}）；只保留一个，删除另一个", key=dotted((*key_path, key)),
                       places=_two_places(first_seen[key], (line, column))),
                    _mark_location(self.path, key_node.start_mark),
                )
            first_seen[key] = (line, column)
            child = (*key_path, key)
            self.positions[child] = (line, column)
            result[key] = self.build(value_node, child)
        return result

    def _key(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(tr("键必须是简单文本，不能是列表或映射"), self._at(node))
        if node.tag == "tag:yaml.org,2002:merge":
            raise self.error(tr("不支持 YAML 合并键（<<）；请直接写出每个键"), self._at(node))
        key = self._scalar(node)
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise self.error(tr("键 {key!r} 应为文本（年份等整数也可），请改写或加引号", key=node.value),
                             self._at(node))
        return key

    def _at(self, node: yaml.Node) -> Location:
        return _mark_location(self.path, node.start_mark)

    def _scalar(self, node: yaml.Node) -> Any:
        """Construct a scalar with PyYAML's safe rules; a value it cannot read is an error at its line."""
        if node.tag == _STR_TAG:
            return node.value  # what PyYAML's str constructor returns, without its per-node bookkeeping
        self._refuse_unusual_numbers(node)
        try:
            return self.scalars.construct_object(node, deep=True)
        except Exception:  # PyYAML raises ValueError, KeyError, AttributeError ... for bad typed scalars
            where = _mark_location(self.path, node.start_mark)
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise self.error(tr("日期 {value} 不存在，请检查年、月、日", value=node.value), where) from None
            kind = node.tag.rsplit(":", 1)[-1]
            raise self.error(tr("无法按 {kind} 读取值 {value!r}", kind=kind, value=node.value), where) from None

    def _refuse_unusual_numbers(self, node: yaml.Node) -> None:
        """YAML 1.1 reads `5:50` as 350, `010` as 8 and `0x15E` as 350: refuse them rather than guess."""
        plain = _PLAIN_NUMBER.get(node.tag)
        if plain is not None and not plain.fullmatch(str(node.value)):
            raise self.error(
                tr("数字 {value} 的写法无法确定含义（YAML 会把它读成别的数）；请写普通十进制数字，"
                   "如 350 或 12.5；如确是文字，请加引号", value=node.value),
                _mark_location(self.path, node.start_mark),
            )

    def _check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _KNOWN_TAGS:
            raise self.error(
                tr("不支持的 YAML 标签 {tag}；申报文件只能包含文本、数字、日期、列表和映射", tag=node.tag),
                _mark_location(self.path, node.start_mark),
            )


def _two_places(first: tuple[int, int], second: tuple[int, int]) -> str:
    if first[0] == second[0]:
        return tr("第 {line} 行第 {first} 列与第 {second} 列", line=first[0], first=first[1], second=second[1])
    return tr("第 {first} 行与第 {second} 行", first=first[0], second=second[0])


def load_applicant(path: Path, known_rounds: Collection[int]) -> LoadedApplicant:
    """Read and validate an applicant file; every problem is an ApplicantFileError with its line."""
    document = read_yaml(path)
    if not isinstance(document.data, dict):
        raise ApplicantFileError(
            tr("文件顶层应为映射（键: 值），实际是{kind}", kind=_kind_of(document.data)), Location(path, 1, 1)
        )
    _check_header(document, known_rounds)
    try:
        applicant = Applicant.model_validate(document.data)
    except ValidationError as exc:
        raise validation_error(exc, document, Applicant, ApplicantFileError) from None
    return LoadedApplicant(document, applicant)


def _check_header(document: YamlDocument, known_rounds: Collection[int]) -> None:
    """`format` and `round` decide how everything else is read, so they are checked first."""
    data = document.data
    fmt = data.get("format")
    if type(fmt) is not int or fmt != 1:
        shown = tr("缺少 format 键") if "format" not in data else tr("format: {value!r} 不受支持", value=fmt)
        raise ApplicantFileError(tr("{problem}；本版 haizhi 读取 format: 1 的申报文件", problem=shown),
                                 document.location(("format",)))
    round_ = data.get("round")
    if type(round_) is not int or round_ not in known_rounds:
        rounds = tr("、").join(str(r) for r in sorted(known_rounds))
        raise ApplicantFileError(tr("{problem}；可用的申报年度：{rounds}", problem=_round_problem(data), rounds=rounds),
                                 document.location(("round",)))


def _round_problem(data: dict[str, Any]) -> str:
    if "round" not in data:
        return tr("缺少 round 键")
    if type(data["round"]) is not int:
        return tr("round 应为整数年份，如 2023（现为 {value!r}）", value=data["round"])
    return tr("round: {value} 没有对应的规则", value=data["round"])


def _kind_of(value: Any) -> str:
    names = {list: tr("列表"), str: tr("文本"), int: tr("数字"), float: tr("数字"), bool: tr("布尔值"),
             type(None): tr("空值")}
    return names.get(type(value), type(value).__name__)


def validation_error(exc: ValidationError, document: YamlDocument, model: type[BaseModel],
                     error: type[UserInputError]) -> UserInputError:
    """One error carrying every problem, each as `path.to.key (第 N 行): message`."""
    details: list[tuple[str, Location]] = []
    errors = exc.errors(include_url=False)
    explained = _missing_keys_explained_by_typos(errors, model)
    for item in errors:
        key_path = tuple(part for part in item["loc"] if part != "[key]")
        if item["type"] == "missing" and key_path in explained:
            continue
        location = document.location(key_path)
        message = _message(item, model)
        details.append((tr("{key}（第 {line} 行）：{message}", key=dotted(key_path), line=location.line,
                           message=message), location))
    details.sort(key=lambda d: (d[1].line or 0, d[1].column or 0))
    first = details[0][0]
    if len(details) > 1:
        first = tr("共 {count} 处问题；{first}", count=len(details), first=first)
    return error(first, details[0][1], tuple(details))


def _missing_keys_explained_by_typos(errors: list[ErrorDetails], model: type[BaseModel]) -> set[KeyPath]:
    """Missing keys that an unknown key beside them is a misspelling of: reported once, as the typo."""
    explained: set[KeyPath] = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            loc = tuple(item["loc"])
            guess = _nearest_key(loc, model)
            if guess:
                explained.add((*loc[:-1], guess))
    return explained


def _nearest_key(key_path: KeyPath, model: type[BaseModel]) -> str | None:
    guesses = difflib.get_close_matches(str(key_path[-1]), known_keys(model, key_path[:-1]), n=1, cutoff=0.6)
    return guesses[0] if guesses else None


def _message(item: ErrorDetails, model: type[BaseModel]) -> str:
    kind = item["type"]
    ctx = item.get("ctx", {})
    if kind == "missing":
        return tr("缺少必填键；确实没有请填“无”") if _accepts_none_mark(model, tuple(item["loc"])) else tr("缺少必填键")
    if kind == "extra_forbidden":
        return _unknown_key_message(tuple(item["loc"]), model)
    if kind == "enum" or kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")
        return tr("取值 {value!r} 无效，可选：{choices}", value=item["input"], choices=tr("、").join(choices))
    return _type_messages().get(kind, item["msg"])


def _type_messages() -> dict[str, str]:
    """Pydantic's error types in the words of the current language (built per call: the language may change)."""
    date = tr("应为日期，格式 YYYY-MM-DD（如 2023-09-01）")
    mapping = tr("应为映射（键: 值）")
    integer = tr("应为整数")
    return {
        "bool_type": tr("应为 true 或 false"),
        "int_type": integer, "int_parsing": integer, "int_from_float": integer,
        "date_type": date, "date_parsing": date, "date_from_datetime_parsing": date,
        "date_from_datetime_inexact": tr("应为日期，不要带时间"),
        "model_type": mapping, "model_attributes_type": mapping, "dict_type": mapping,
        "list_type": tr("应为列表（每项以“- ”开头）"),
        "string_type": tr("应为文本"),
        "invalid_key": tr("键应为文本"),
    }


def _accepts_none_mark(model: type[BaseModel], key_path: KeyPath) -> bool:
    """Whether the key at `key_path` is a cell of the form, which may be written 无."""
    parent: Any = model
    for part in key_path[:-1]:
        parent = _step(parent, part)
    found = _submodel(parent)
    info = found.model_fields.get(str(key_path[-1])) if found else None
    validators = [getattr(m, "func", None) for m in (info.metadata if info else [])]
    return any(v in FORM_CELL_VALIDATORS for v in validators)


def _unknown_key_message(key_path: KeyPath, model: type[BaseModel]) -> str:
    guess = _nearest_key(key_path, model)
    if guess:
        return tr("未知的键 {key}，是否应为 {guess}？", key=visible(str(key_path[-1]), keep=""), guess=guess)
    keys = tr("、").join(known_keys(model, key_path[:-1]))
    return tr("未知的键 {key}；此处可用的键：{keys}", key=visible(str(key_path[-1]), keep=""), keys=keys)


def known_keys(model: type[BaseModel], key_path: KeyPath) -> list[str]:
    """The keys the model accepts at a place in the file; [] where that place is not a model."""
    current: Any = model
    for part in key_path:
        current = _step(current, part)
        if current is None:
            return []
    found = _submodel(current)
    return list(found.model_fields) if found else []


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation one key or index further in: into a model's field, a list or a dict."""
    origin = typing.get_origin(annotation)
    if origin in (list, dict):
        return typing.get_args(annotation)[-1]
    model = _submodel(annotation)
    if model is None or not isinstance(part, str) or part not in model.model_fields:
        return None
    return model.model_fields[part].annotation


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside `X` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, dict):
        return None
    for arg in typing.get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None

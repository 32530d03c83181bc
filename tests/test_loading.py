"""Bad input to the loader: every fixture in tests/fixtures/bad/ is refused with its line and a Chinese message.

Each fixture is the work-base example with one change (or a tiny file for the modes that concern the whole
file), so that only its own mode can fail. `BAD_CASES` is the one table of what each fixture must produce;
test_cli_errors.py runs the same table end to end.

"""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from haizhi_cli.applicant._loading import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    MAX_FILE_BYTES,
    YamlDocument,
    dotted,
    known_keys,
    load_applicant,
    read_yaml,
)
from haizhi_cli.applicant._models import Applicant, BaseType
from haizhi_cli.errors._errors import ApplicantFileError, Location
from tests.conftest import EXAMPLES

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
EXAMPLE = EXAMPLES / "work-base" / "applicant.yaml"
ROUNDS = frozenset({2023})

UNTRANSLATED = ("should be", "<unicode string>", "datetime.date(", "Traceback")
"""Pydantic and PyYAML internals that must never reach a user's message."""


@dataclass(frozen=True)
class BadCase:
    """What one fixture must produce."""

    name: str
    """The fixture's file name in tests/fixtures/bad/."""
    line: int
    column: int | None
    """None where the column is left to the implementation."""
    needles: tuple[str, ...]
    """Text the (Chinese) message must contain: the key where there is one."""

    @property
    def path(self) -> Path:
        return BAD / self.name


BAD_CASES: tuple[BadCase, ...] = (
    BadCase("yaml-syntax.yaml", 24, 18, ("YAML 语法错误",)),
    BadCase("duplicate-key.yaml", 8, 1, ("base_name", "第 7 行", "第 8 行")),
    BadCase("duplicate-nested-key.yaml", 26, 3, ("base.staff_total", "第 25 行", "第 26 行")),
    BadCase("unknown-key.yaml", 24, 3, ("ofice_area_m2", "是否应为 office_area_m2")),
    BadCase("wrong-type.yaml", 23, 3, ("base.service_area_m2", "应为非负数")),
    BadCase("negative-number.yaml", 25, 3, ("base.staff_total", "不能为负数")),
    BadCase("unknown-format.yaml", 4, 1, ("format: 2", "format: 1")),
    BadCase("unknown-round.yaml", 5, 1, ("round: 2019", "2023")),
    BadCase("unknown-base-type.yaml", 6, 1, ("base_type", "'work_station'", "'work_base'")),
    BadCase("empty.yaml", 1, 1, ("文件为空",)),
    BadCase("whitespace-only.yaml", 1, 1, ("文件为空",)),
    BadCase("comment-only.yaml", 1, 1, ("文件为空",)),
    BadCase("top-level-list.yaml", 1, 1, ("顶层应为映射", "列表")),
    BadCase("top-level-scalar.yaml", 1, 1, ("顶层应为映射", "文本")),
    BadCase("not-utf8.yaml", 7, 12, ("UTF-8", "0xD6")),
    BadCase("billion-laughs.yaml", 3, 1, (f"{MAX_EXPANDED_NODES:,}", "节点")),
    BadCase("recursive-alias.yaml", 45, 13, ("别名", "引用了自身")),
    BadCase("python-tag.yaml", 7, 12, ("python/object/apply:os.system", "不支持的 YAML 标签")),
    BadCase("custom-tag.yaml", 23, 20, ("!area", "不支持的 YAML 标签")),
    BadCase("multiple-documents.yaml", 89, 1, ("只能包含一个 YAML 文档",)),
    BadCase("missing-required-key.yaml", 18, 1, ("base.address", "缺少必填键")),
    BadCase("bool-as-number.yaml", 32, 3, ("base.overseas_stations", "应为非负整数")),
    BadCase("number-as-text.yaml", 22, 46, ("base.contact.mobile", "应为文本", "加引号")),
    BadCase("bad-date.yaml", 20, 3, ("base.established", "YYYY-MM-DD")),
    BadCase("enum-typo.yaml", 11, 3, ("applicant.kind", "'parkk'", "'park'")),
    BadCase("merge-key.yaml", 22, 13, ("合并键", "<<")),
    # Modes beyond the brief, found while probing the loader.
    BadCase("impossible-date.yaml", 20, 16, ("2016-02-30", "不存在")),
    BadCase("explicit-int-tag.yaml", 25, 16, ("twelve", "十进制")),
    BadCase("duplicate-anchor.yaml", 22, 12, ("person", "锚点")),
    BadCase("control-character.yaml", 25, None, ("控制字符", "U+0007")),
    BadCase("number-key.yaml", 26, 3, ("2023", "键应为文本")),
    BadCase("date-key.yaml", 8, 1, ("2016-05-18", "应为文本")),
    BadCase("round-as-list.yaml", 5, 1, ("round",)),
    BadCase("deeply-nested.yaml", 2, None, ("嵌套超过",)),
    BadCase("sexagesimal-number.yaml", 23, 20, ("5:50", "十进制")),
    BadCase("octal-number.yaml", 25, 16, ("012", "十进制")),
    BadCase("hex-number.yaml", 23, 20, ("0x15E", "十进制")),
    BadCase("date-as-number.yaml", 20, 3, ("base.established", "YYYY-MM-DD")),
    BadCase("year-as-text.yaml", 65, 26, ("plan.targets[0].values.2024", "年份应写为数字")),
    BadCase("full-width-digits.yaml", 23, 3, ("base.service_area_m2", "全角数字", "350")),
    BadCase("xml-forbidden-character.yaml", 19, 3, ("base.address", "U+000B")),
    BadCase("invisible-character.yaml", 19, 3, ("base.address", "U+200B", "看不见")),
)


def bad_params() -> list[pytest.ParameterSet]:
    """The cases as test parameters, named for their fixture."""
    return [pytest.param(case, id=case.name.removesuffix(".yaml")) for case in BAD_CASES]


def refusal(path: Path) -> ApplicantFileError:
    with pytest.raises(ApplicantFileError) as info:
        load_applicant(path, ROUNDS)
    return info.value


def test_every_fixture_has_a_case_and_every_case_a_fixture() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(case.name for case in BAD_CASES)


@pytest.mark.parametrize("case", bad_params())
def test_bad_file_is_refused_at_its_line(case: BadCase) -> None:
    error = refusal(case.path)
    assert error.location.file == case.path
    assert error.location.line == case.line, error.message
    if case.column is not None:
        assert error.location.column == case.column, error.message
    for needle in case.needles:
        assert needle in error.message
    for internal in UNTRANSLATED:
        assert internal not in str(error)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message), error.message
    # str(error) is what a caller prints: every problem as `file:line:column: message`.
    assert str(error).startswith(f"{case.path}:{case.line}:")


def test_the_fixtures_differ_from_the_example_in_one_place_only() -> None:
    """The copies of the example keep everything else, so only their own mode can fail."""
    example = EXAMPLE.read_text(encoding="utf-8").splitlines()[3:]
    copies = 0
    for case in BAD_CASES:
        raw = case.path.read_bytes()
        if len(raw) < 1000:
            continue
        encoding = "gbk" if case.name == "not-utf8.yaml" else "utf-8"
        lines = raw.decode(encoding).splitlines()[3:]
        matcher = difflib.SequenceMatcher(a=example, b=lines, autojunk=False)
        changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
        copies += 1
        if case.name == "not-utf8.yaml":
            assert changes == [], "only the encoding differs"
            continue
        assert len(changes) == 1, (case.name, changes)
        _, a_start, a_end, b_start, b_end = changes[0]
        assert max(a_end - a_start, b_end - b_start) <= 3, (case.name, changes)
    assert copies >= 25


# --- single modes in more detail ------------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    error = refusal(BAD / "duplicate-key.yaml")
    assert error.message == "键 base_name 重复出现（第 7 行与第 8 行）；只保留一个，删除另一个"


def test_duplicate_nested_key_names_the_full_key_and_both_lines() -> None:
    error = refusal(BAD / "duplicate-nested-key.yaml")
    assert error.message == "键 base.staff_total 重复出现（第 25 行与第 26 行）；只保留一个，删除另一个"
    assert (error.location.line, error.location.column) == (26, 3)


def test_unknown_key_suggests_the_nearest_key_at_its_own_line() -> None:
    """Among the problems listed, the misspelt key is named at line 24 with the key it should be."""
    error = refusal(BAD / "unknown-key.yaml")
    at_24 = [(message, loc) for message, loc in error.details if loc.line == 24]
    assert len(at_24) == 1, error.details
    message, location = at_24[0]
    assert message == "base.ofice_area_m2（第 24 行）：未知的键 ofice_area_m2，是否应为 office_area_m2？"
    assert location == Location(BAD / "unknown-key.yaml", 24, 3)


def test_unknown_key_without_a_near_match_lists_the_keys_of_its_place(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("  leader: {name: 张明远,", "  leader: {xyz: 1, name: 张明远,"), encoding="utf-8")
    error = refusal(path)
    assert error.message == "base.leader.xyz（第 21 行）：未知的键 xyz；此处可用的键：name、phone"
    assert (error.location.line, error.location.column) == (21, 12)


def test_billion_laughs_is_refused_unexpanded_at_the_node_limit() -> None:
    """Structure, not timing: the refusal names the node limit, which only the pre-expansion count knows."""
    path = BAD / "billion-laughs.yaml"
    assert path.stat().st_size < 1024
    error = refusal(path)
    assert error.message == (
        f"YAML 锚点与别名（& 与 *）展开后超过 {MAX_EXPANDED_NODES:,} 个节点，已拒绝；申报文件无需如此使用别名"
    )


def test_python_tag_is_refused_without_running_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def record(command: str) -> int:
        calls.append(command)
        return 0

    monkeypatch.setattr(os, "system", record)
    error = refusal(BAD / "python-tag.yaml")
    assert calls == []
    assert error.message.startswith("不支持的 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system；")


def test_not_utf8_says_how_to_resave() -> None:
    error = refusal(BAD / "not-utf8.yaml")
    assert "另存" in error.message
    assert "UTF-8" in error.message


def test_not_utf8_counts_bytes_from_one(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_bytes("基地名称: 苏州".encode("gbk"))
    error = refusal(path)
    assert "第 1 字节" in error.message


def test_multiple_documents_points_at_the_second_document() -> None:
    error = refusal(BAD / "multiple-documents.yaml")
    assert (error.location.line, error.location.column) == (89, 1)
    assert BAD.joinpath("multiple-documents.yaml").read_text(encoding="utf-8").splitlines()[88] == "---"


def test_missing_required_key_says_to_write_wu() -> None:
    error = refusal(BAD / "missing-required-key.yaml")
    assert error.message == "base.address（第 18 行）：缺少必填键；确实没有请填“无”"


def test_number_as_text_keeps_the_leading_zero_advice() -> None:
    error = refusal(BAD / "number-as-text.yaml")
    assert error.message == (
        'base.contact.mobile（第 22 行）：应为文本；纯数字请加引号（如 "13812345678"），以免前导 0 丢失'
    )


def test_enum_typo_lists_the_valid_kinds() -> None:
    error = refusal(BAD / "enum-typo.yaml")
    assert error.message.startswith("applicant.kind（第 11 行）：取值 'parkk' 无效，可选：")
    for kind in ("'park'", "'science_park'", "'other'"):
        assert kind in error.message


def test_several_problems_are_all_reported_in_line_order(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("  staff_total: 12\n", "  staff_total: -1\n").replace("  kind: park\n", "  kind: parkk\n")
    path.write_text(text, encoding="utf-8")
    error = refusal(path)
    assert error.message.startswith("共 2 处问题；applicant.kind（第 11 行）")
    assert [loc.line for _, loc in error.details] == [11, 25]
    assert error.details[1][0] == "base.staff_total（第 25 行）：不能为负数"


# --- files that cannot be read ----------------------------------------------------------------------------


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    error = refusal(path)
    assert error.message == f"文件过大（{MAX_FILE_BYTES + 1:,} 字节，上限 {MAX_FILE_BYTES:,} 字节），未读取"
    assert error.location == Location(path)


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_bytes(b"#" * MAX_FILE_BYTES)
    error = refusal(path)
    assert error.message == "文件为空：没有任何内容"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    error = refusal(path)
    assert error.message == "文件不存在，请检查路径"
    assert error.location == Location(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    error = refusal(tmp_path)
    assert error.message == "这是一个文件夹，不是文件"
    assert error.location == Location(tmp_path)


# --- good input -------------------------------------------------------------------------------------------


def test_the_spec_example_loads_with_positions() -> None:
    loaded = load_applicant(EXAMPLE, ROUNDS)
    assert loaded.path == EXAMPLE
    assert loaded.applicant.base_type is BaseType.work_base
    assert loaded.applicant.base.service_area_m2 == 350
    positions = loaded.document.positions
    assert positions[("format",)] == (4, 1)
    assert positions[("base",)] == (18, 1)
    assert positions[("base", "service_area_m2")] == (23, 3)
    assert positions[("base", "contact", "mobile")] == (22, 46)
    assert positions[("activities", 2)] == (45, 56)
    assert positions[("plan", "targets", 1)] == (66, 7)
    assert positions[("plan", "targets", 0, "values", 2024)] == (65, 16)
    assert positions[("attachments", "proofs", 0, "file")] == (79, 29)


def test_location_falls_back_to_the_nearest_enclosing_key() -> None:
    document = read_yaml(EXAMPLE)
    assert document.location(("base", "contact", "mobile")) == Location(EXAMPLE, 22, 46)
    assert document.location(("base", "contact", "fax")) == Location(EXAMPLE, 22, 3)
    assert document.location(("eligibility", "returnee_entrepreneurs")) == Location(EXAMPLE, 36, 1)
    assert document.location(("no_such_key",)) == Location(EXAMPLE, 1, 1)
    assert document.location(()) == Location(EXAMPLE, 1, 1)


def test_a_bom_prefixed_file_loads_with_the_same_positions(tmp_path: Path) -> None:
    path = tmp_path / "applicant.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    loaded = load_applicant(path, ROUNDS)
    assert loaded.applicant.base_name == "中国科协海智工作基地（苏州工业园区）"
    assert loaded.applicant.format == 1
    assert loaded.document.positions == read_yaml(EXAMPLE).positions


def test_a_copy_of_the_example_loads(tmp_path: Path) -> None:
    """The fixtures are copies of the example: the unchanged copy itself must load."""
    path = tmp_path / "applicant.yaml"
    shutil.copy(EXAMPLE, path)
    assert load_applicant(path, ROUNDS).applicant.round == 2023


def test_yaml_document_defaults() -> None:
    document = YamlDocument(Path("x.yaml"), {})
    assert document.positions == {}
    assert document.location(("a", "b")) == Location(Path("x.yaml"), 1, 1)


# --- helpers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key_path", "expected"), [
    (("base",), "base"),
    (("base", "leader", "phone"), "base.leader.phone"),
    (("plan", "targets", 0, "values"), "plan.targets[0].values"),
    (("attachments", "proofs", 2), "attachments.proofs[2]"),
    (("activities", 0), "activities[0]"),
    ((), "（顶层）"),
])
def test_dotted(key_path: tuple[str | int, ...], expected: str) -> None:
    assert dotted(key_path) == expected


SPEC_TOP_LEVEL = {
    "format", "round", "base_type", "base_name", "applicant", "base", "eligibility", "conditions",
    "activities", "narratives", "plan", "attachments", "process",
}


def test_known_keys_at_the_top_level_are_the_spec_keys() -> None:
    assert set(known_keys(Applicant, ())) == SPEC_TOP_LEVEL


@pytest.mark.parametrize(("key_path", "expected"), [
    (("base", "leader"), ["name", "phone"]),
    (("base", "contact"), ["name", "phone", "mobile", "email"]),
    (("plan", "foundation"), ["conditions", "achievements"]),
    (("plan", "targets", 0), ["indicator", "unit", "values"]),
    (("plan", "tasks", 3), ["title", "content"]),
    (("process", "city_review"), ["by", "date"]),
    (("process", "public_notice"), ["start", "end", "objections"]),
    (("attachments", "support_letter"), ["file", "issuer", "level"]),
    (("attachments", "proofs", 0), ["title", "file"]),
    (("base", "service_area_m2"), []),
    (("plan", "targets", 0, "values"), []),
    (("no_such_key",), []),
    (("base", "no_such_key"), []),
])
def test_known_keys(key_path: tuple[str | int, ...], expected: list[str]) -> None:
    assert known_keys(Applicant, key_path) == expected


def test_known_keys_of_base_include_the_misspelt_fixture_key() -> None:
    keys = known_keys(Applicant, ("base",))
    assert "office_area_m2" in keys
    assert "ofice_area_m2" not in keys
    assert len(keys) == 16


def _nested_lists(depth: int, star_in_text: bool) -> str:
    """A YAML document whose deepest leaf lies at level `depth` (the top-level mapping is level 1)."""
    note = "note: '一个星号 * 只是文字'\n" if star_in_text else ""
    return f"{note}deep: {'[' * (depth - 2)}1{']' * (depth - 2)}\n"


@pytest.mark.parametrize("star_in_text", [False, True], ids=["tree-only", "alias-checked"])
def test_the_depth_limit_is_the_same_with_and_without_the_alias_checks(tmp_path: Path, star_in_text: bool) -> None:
    """Without a `*` in the text the node graph is a tree and only the builder counts levels; both agree."""
    path = tmp_path / "nested.yaml"
    path.write_text(_nested_lists(MAX_DEPTH, star_in_text), encoding="utf-8")
    assert read_yaml(path).data["deep"] is not None
    path.write_text(_nested_lists(MAX_DEPTH + 1, star_in_text), encoding="utf-8")
    with pytest.raises(ApplicantFileError, match="嵌套超过"):
        read_yaml(path)

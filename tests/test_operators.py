"""Every check operator, called directly with small hand-written data.

Each case states the exact `Result` an operator must return. The table is checked against the
registry: every registered operator has cases, and every outcome it declares is reached by one.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import ValidationError

from haizhi_cli.applicant._models import BaseType
from haizhi_cli.engine._operators import (
    CREDIT_CODE_KINDS,
    OPERATORS,
    Context,
    FileFact,
    Localized,
    OutcomeKind,
    Result,
    as_number,
    attachment_paths,
    lookup,
    show,
    text_in,
)
from haizhi_cli.engine._rules import load_round
from tests.test_counting import COUNTING_CASES

D = dt.date
DEFAULT_DAY = D(2023, 1, 1)
NOT_CHECKED = Localized("未检查", "not checked")
NOT_FOUND = Localized("文件不存在，请检查路径和文件名", "file not found; check the path and name")


@dataclass(frozen=True)
class Case:
    """One call of one operator and the exact result it must give."""

    id: str
    op: str
    params: dict[str, Any]
    data: dict[str, Any]
    expected: Result | list[Result]
    files: dict[str, FileFact] = field(default_factory=dict)
    as_of: dt.date = DEFAULT_DAY

    def outcomes(self) -> set[str]:
        results = self.expected if isinstance(self.expected, list) else [self.expected]
        return {r.outcome for r in results}


def run(op: str, params: Mapping[str, Any], data: Mapping[str, Any], files: Mapping[str, FileFact] | None = None,
        as_of: dt.date = DEFAULT_DAY) -> Result | list[Result]:
    spec = OPERATORS[op]
    return spec.func(Context(data=data, files=files or {}, as_of=as_of), spec.params.model_validate(params))


AREA = {"field": "base.area", "value": 100}
SUM = {"fields": ["a.x", "a.y"], "value": 50}
POS = {"field": "a.n"}
STAFF = {"field": "s.full", "other": "s.total"}
FLAG = {"field": "u.china"}
STMT = {"field": "c.text"}
KIND = {"field": "u.kind", "named": ["a_zone", "b_zone"], "possible": ["park", "other"],
        "excluded": ["enterprise"], "note_field": "u.kind_note", "needs_note": ["other"]}
KIND_NO_NOTE = {"field": "u.kind", "named": ["a_zone"], "excluded": ["enterprise"]}
CLOSED = {"field": "base_type", "values": ["overseas_base"]}
LEVEL = {"field": "l.level", "value": "city", "labels": {"city": "地市级", "province": "省级"}}
ITEMS = {"field": "a.proofs", "value": 2}
CHARS = {"field": "n.goals", "value": 10}
MOBILE = {"field": "c.mobile", "pattern": r"1[3-9]\d{9}", "example": "13812345678"}
PHONE = {"field": "c.phone", "pattern": r"0\d{2,3}-\d{7,8}|1[3-9]\d{9}", "example": "0512-66681234"}
CODE = {"field": "a.code"}
YEARS = {"field": "plan.targets", "years": [2024, 2025, 2026]}
SPAN = {"start": "p.n.start", "end": "p.n.end", "days": 3}
DEADLINE = {"field": "p.sub", "value": "2023-09-15"}
TODAY = {"value": "2023-09-15"}
PRESENT = {"field": "p.review"}
FILES = {"fields": ["att.letter", "att.proofs"]}

GOOD_CODE = "91110000600037341L"
YRS = Localized("2024、2025、2026", "2024, 2025, 2026")
YES = Localized("是", "yes")
NOTHING_WRONG = Localized("", "")


def at_least_cases() -> list[Case]:
    r = ">= 100"
    return [
        Case("exactly_n_passes", "at_least", AREA, {"base": {"area": 100}},
             Result("pass", 100, r, "base.area", {"actual": "100", "value": "100"})),
        Case("n_minus_1_fails", "at_least", AREA, {"base": {"area": 99}},
             Result("fail", 99, r, "base.area", {"actual": "99", "value": "100"})),
        Case("99.9_fails", "at_least", AREA, {"base": {"area": 99.9}},
             Result("fail", 99.9, r, "base.area", {"actual": "99.9", "value": "100"})),
        Case("100.0_passes", "at_least", AREA, {"base": {"area": 100.0}},
             Result("pass", 100.0, r, "base.area", {"actual": "100", "value": "100"})),
        Case("float_threshold", "at_least", {"field": "base.area", "value": 99.5}, {"base": {"area": 99.5}},
             Result("pass", 99.5, ">= 99.5", "base.area", {"actual": "99.5", "value": "99.5"})),
        Case("none_mark_is_0", "at_least", AREA, {"base": {"area": "无"}},
             Result("fail", "无", r, "base.area", {"actual": "“无”", "value": "100"})),
        Case("none_mark_meets_0", "at_least", {"field": "base.area", "value": 0}, {"base": {"area": "无"}},
             Result("pass", "无", ">= 0", "base.area", {"actual": "“无”", "value": "0"})),
        Case("missing_key", "at_least", AREA, {"base": {}}, Result("missing", None, r, "base.area", {"value": "100"})),
        Case("missing_parent", "at_least", AREA, {}, Result("missing", None, r, "base.area", {"value": "100"})),
        Case("text_number_is_missing", "at_least", AREA, {"base": {"area": "100"}},
             Result("missing", None, r, "base.area", {"value": "100"})),
        Case("bool_is_missing", "at_least", AREA, {"base": {"area": True}},
             Result("missing", None, r, "base.area", {"value": "100"})),
    ]


def sum_cases() -> list[Case]:
    r = ">= 50"
    return [
        Case("exact_sum_passes", "sum_at_least", SUM, {"a": {"x": 30, "y": 20}},
             Result("pass", 50, r, "a.x", {"actual": "50", "parts": "30 + 20", "value": "50"})),
        Case("sum_49.5_fails", "sum_at_least", SUM, {"a": {"x": 30, "y": 19.5}},
             Result("fail", 49.5, r, "a.x", {"actual": "49.5", "parts": "30 + 19.5", "value": "50"})),
        Case("none_mark_adds_0", "sum_at_least", SUM, {"a": {"x": "无", "y": 50}},
             Result("pass", 50, r, "a.x", {"actual": "50", "parts": "0 + 50", "value": "50"})),
        Case("missing_second", "sum_at_least", SUM, {"a": {"x": 30}},
             Result("missing", None, r, "a.y", {"value": "50", "missing": "a.y"})),
        Case("missing_both_names_first", "sum_at_least", SUM, {},
             Result("missing", None, r, "a.x", {"value": "50", "missing": "a.x"})),
    ]


def positive_cases() -> list[Case]:
    return [
        Case("one_passes", "positive", POS, {"a": {"n": 1}}, Result("pass", 1, "> 0", "a.n", {"actual": "1"})),
        Case("half_passes", "positive", POS, {"a": {"n": 0.5}}, Result("pass", 0.5, "> 0", "a.n", {"actual": "0.5"})),
        Case("zero_fails", "positive", POS, {"a": {"n": 0}}, Result("fail", 0, "> 0", "a.n", {"actual": "0"})),
        Case("none_mark_fails", "positive", POS, {"a": {"n": "无"}},
             Result("fail", "无", "> 0", "a.n", {"actual": "“无”"})),
        Case("missing", "positive", POS, {"a": {}}, Result("missing", None, "> 0", "a.n")),
    ]


def not_greater_cases() -> list[Case]:
    r = "<= s.total"
    at = {"at": Localized("s.full", "s.full"), "other_at": Localized("s.total", "s.total")}
    items = {**STAFF, "distinct": "file"}
    return [
        Case("equal_passes", "not_greater_than_field", STAFF, {"s": {"full": 10, "total": 10}},
             Result("pass", 10, r, "s.full", {"actual": "10", "other": "10", **at})),
        Case("one_more_fails", "not_greater_than_field", STAFF, {"s": {"full": 11, "total": 10}},
             Result("fail", 11, r, "s.full", {"actual": "11", "other": "10", **at})),
        Case("none_mark_is_0", "not_greater_than_field", STAFF, {"s": {"full": "无", "total": 10}},
             Result("pass", 0, r, "s.full", {"actual": "0", "other": "10", **at})),
        Case("missing_other", "not_greater_than_field", STAFF, {"s": {"full": 3}},
             Result("missing", None, r, "s.full", at)),
        Case("missing_field", "not_greater_than_field", STAFF, {"s": {"total": 3}},
             Result("missing", None, r, "s.full", at)),
        Case("list_counts_distinct_items", "not_greater_than_field", items,
             {"s": {"full": [{"file": "a.pdf"}, {"file": "a.pdf"}, {"file": "b.pdf"}], "total": 2}},
             Result("pass", 2, r, "s.full", {"actual": "2", "other": "2", **at})),
        Case("list_one_more_fails", "not_greater_than_field", items,
             {"s": {"full": [{"file": "a.pdf"}, {"file": "b.pdf"}, {"file": "c.pdf"}], "total": 2}},
             Result("fail", 3, r, "s.full", {"actual": "3", "other": "2", **at})),
        Case("list_without_distinct_counts_every_item", "not_greater_than_field", STAFF,
             {"s": {"full": [{"file": "a.pdf"}, {"file": "a.pdf"}], "total": 1}},
             Result("fail", 2, r, "s.full", {"actual": "2", "other": "1", **at})),
    ]


def is_true_cases() -> list[Case]:
    return [
        Case("true_passes", "is_true", FLAG, {"u": {"china": True}}, Result("pass", True, YES, "u.china")),
        Case("false_fails", "is_true", FLAG, {"u": {"china": False}}, Result("fail", False, YES, "u.china")),
        Case("yes_fails", "is_true", FLAG, {"u": {"china": "yes"}}, Result("fail", "yes", YES, "u.china")),
        Case("one_fails", "is_true", FLAG, {"u": {"china": 1}}, Result("fail", 1, YES, "u.china")),
        Case("missing_fails", "is_true", FLAG, {"u": {}}, Result("fail", None, YES, "u.china")),
    ]


def statement_cases() -> list[Case]:
    r = Localized("书面说明", "a written statement")
    return [
        Case("empty", "statement", STMT, {"c": {"text": ""}}, Result("missing", None, r, "c.text")),
        Case("whitespace", "statement", STMT, {"c": {"text": " \n\t "}}, Result("missing", " \n\t ", r, "c.text")),
        Case("none_mark", "statement", STMT, {"c": {"text": "无"}}, Result("missing", "无", r, "c.text")),
        Case("none_mark_padded", "statement", STMT, {"c": {"text": " 无\n"}}, Result("missing", " 无\n", r, "c.text")),
        Case("none", "statement", STMT, {"c": {"text": None}}, Result("missing", None, r, "c.text")),
        Case("absent", "statement", STMT, {}, Result("missing", None, r, "c.text")),
        Case("chinese_text", "statement", STMT, {"c": {"text": "本基地设有管理办公室。"}},
             Result("review", Localized("11 字", "11 characters"), r, "c.text", {"chars": 11})),
        Case("english_words", "statement", STMT, {"c": {"text": "We have 3 staff"}},
             Result("review", Localized("4 字", "4 characters"), r, "c.text", {"chars": 4})),
    ]


def classify_cases() -> list[Case]:
    r = Localized("通知所列申报对象", "a kind of applicant the notice lists")
    return [
        Case("named_passes", "classify", KIND, {"u": {"kind": "a_zone"}},
             Result("pass", "a_zone", r, "u.kind", {"actual": "a_zone", "note": ""})),
        Case("named_with_note", "classify", KIND, {"u": {"kind": "b_zone", "kind_note": "新区"}},
             Result("pass", "b_zone", r, "u.kind", {"actual": "b_zone", "note": Localized("（新区）", "(新区)")})),
        Case("excluded_fails", "classify", KIND, {"u": {"kind": "enterprise"}},
             Result("fail", "enterprise", r, "u.kind", {"actual": "enterprise", "note": ""})),
        Case("possible_with_note_review", "classify", KIND, {"u": {"kind": "other", "kind_note": "孵化器"}},
             Result("review", "other", r, "u.kind", {"actual": "other", "note": Localized("（孵化器）", "(孵化器)")})),
        Case("note_absent_missing", "classify", KIND, {"u": {"kind": "other"}},
             Result("missing", "other", r, "u.kind_note", {"actual": "other", "note": ""})),
        Case("note_none_mark_missing", "classify", KIND, {"u": {"kind": "other", "kind_note": "无"}},
             Result("missing", "other", r, "u.kind_note", {"actual": "other", "note": Localized("（无）", "(无)")})),
        Case("note_blank_missing", "classify", KIND, {"u": {"kind": "other", "kind_note": "  "}},
             Result("missing", "other", r, "u.kind_note", {"actual": "other", "note": Localized("（  ）", "(  )")})),
        Case("possible_without_note_review", "classify", KIND, {"u": {"kind": "park"}},
             Result("review", "park", r, "u.kind", {"actual": "park", "note": ""})),
        Case("unknown_with_note_review", "classify", KIND, {"u": {"kind": "spaceport", "kind_note": "航天港"}},
             Result("review", "spaceport", r, "u.kind",
                    {"actual": "spaceport", "note": Localized("（航天港）", "(航天港)")})),
        Case("unknown_without_note_field_review", "classify", KIND_NO_NOTE, {"u": {"kind": "spaceport"}},
             Result("review", "spaceport", r, "u.kind", {"actual": "spaceport", "note": ""})),
    ]


NOT_OVERSEAS = Localized("不为 overseas_base", "not overseas_base")


def not_in_cases() -> list[Case]:
    return [
        Case("other_value_passes", "not_in", CLOSED, {"base_type": "work_base"},
             Result("pass", "work_base", NOT_OVERSEAS, "base_type", {"actual": "work_base"})),
        Case("listed_value_fails", "not_in", CLOSED, {"base_type": "overseas_base"},
             Result("fail", "overseas_base", NOT_OVERSEAS, "base_type", {"actual": "overseas_base"})),
        Case("two_values", "not_in", {"field": "t", "values": ["a", "b"]}, {"t": "b"},
             Result("fail", "b", Localized("不为 a、b", "not a, b"), "t", {"actual": "b"})),
    ]


def equals_cases() -> list[Case]:
    return [
        Case("equal_passes_with_labels", "equals", LEVEL, {"l": {"level": "city"}},
             Result("pass", "city", "city", "l.level", {"actual": "地市级", "value": "地市级"})),
        Case("labelled_other_fails", "equals", LEVEL, {"l": {"level": "province"}},
             Result("fail", "province", "city", "l.level", {"actual": "省级", "value": "地市级"})),
        Case("unlabelled_fails", "equals", LEVEL, {"l": {"level": "county"}},
             Result("fail", "county", "city", "l.level", {"actual": "county", "value": "地市级"})),
        Case("no_labels", "equals", {"field": "l.level", "value": "city"}, {"l": {"level": "city"}},
             Result("pass", "city", "city", "l.level", {"actual": "city", "value": "city"})),
        Case("missing_uses_label", "equals", LEVEL, {"l": {}},
             Result("missing", None, "city", "l.level", {"value": "地市级"})),
    ]


def min_items_cases() -> list[Case]:
    return [
        Case("n_items_pass", "min_items", ITEMS, {"a": {"proofs": ["p1", "p2"]}},
             Result("pass", 2, ">= 2", "a.proofs", {"actual": 2, "value": 2})),
        Case("n_minus_1_fails", "min_items", ITEMS, {"a": {"proofs": ["p1"]}},
             Result("fail", 1, ">= 2", "a.proofs", {"actual": 1, "value": 2})),
        Case("empty_fails", "min_items", ITEMS, {"a": {"proofs": []}},
             Result("fail", 0, ">= 2", "a.proofs", {"actual": 0, "value": 2})),
        Case("absent_fails", "min_items", ITEMS, {},
             Result("fail", 0, ">= 2", "a.proofs", {"actual": 0, "value": 2})),
        Case("distinct_counts_a_file_once", "min_items", {**ITEMS, "distinct": "file"},
             {"a": {"proofs": [{"file": "x.pdf"}, {"file": "x.pdf"}]}},
             Result("fail", 1, ">= 2", "a.proofs", {"actual": 1, "value": 2})),
        Case("distinct_files_pass", "min_items", {**ITEMS, "distinct": "file"},
             {"a": {"proofs": [{"file": "x.pdf"}, {"file": "y.pdf"}]}},
             Result("pass", 2, ">= 2", "a.proofs", {"actual": 2, "value": 2})),
    ]


ORDER = {"fields": ["p.a", "p.b", "p.c"], "labels": ["审核", "公示", "报送"]}


def dates_in_order_cases() -> list[Case]:
    r = "审核 ≤ 公示 ≤ 报送"
    a, b, c = D(2023, 8, 28), D(2023, 9, 1), D(2023, 9, 12)
    shown = "审核 2023-08-28 → 公示 2023-09-01 → 报送 2023-09-12"
    late = "审核 2023-08-28 → 公示 2023-09-12 → 报送 2023-09-01"
    return [
        Case("in_order_passes", "dates_in_order", ORDER, {"p": {"a": a, "b": b, "c": c}},
             Result("pass", shown, r, "p.a", {"actual": shown, "problem": NOTHING_WRONG})),
        Case("same_day_passes", "dates_in_order", ORDER, {"p": {"a": a, "b": a, "c": a}},
             Result("pass", "审核 2023-08-28 → 公示 2023-08-28 → 报送 2023-08-28", r, "p.a",
                    {"actual": "审核 2023-08-28 → 公示 2023-08-28 → 报送 2023-08-28", "problem": NOTHING_WRONG})),
        Case("out_of_order_fails", "dates_in_order", ORDER, {"p": {"a": a, "b": c, "c": b}},
             Result("fail", late, r, "p.a", {"actual": late, "problem": Localized(
                 "公示 2023-09-12 晚于 报送 2023-09-01", "公示 2023-09-12 is later than 报送 2023-09-01")})),
        Case("a_missing_date", "dates_in_order", ORDER, {"p": {"a": a, "c": c}},
             Result("missing", None, r, "p.a", {"missing": Localized("公示", "公示")})),
    ]


def max_chars_cases() -> list[Case]:
    r = Localized("<= 10 字", "<= 10 characters")
    return [
        Case("at_limit_passes", "max_chars", CHARS, {"n": {"goals": "字" * 10}},
             Result("pass", 10, r, "n.goals", {"actual": 10, "value": 10, "over": 0})),
        Case("limit_plus_1_fails", "max_chars", CHARS, {"n": {"goals": "字" * 11}},
             Result("fail", 11, r, "n.goals", {"actual": 11, "value": 10, "over": 1})),
        Case("word_style_at_limit", "max_chars", CHARS, {"n": {"goals": "字" * 7 + " hello-world 2024，\n"}},
             Result("pass", 10, r, "n.goals", {"actual": 10, "value": 10, "over": 0})),
        Case("word_style_over", "max_chars", CHARS, {"n": {"goals": "字" * 7 + " hello-world 2024 3.5%，"}},
             Result("fail", 11, r, "n.goals", {"actual": 11, "value": 10, "over": 1})),
        Case("missing", "max_chars", CHARS, {"n": {}}, Result("missing", None, r, "n.goals", {"value": 10})),
    ]


PHONE_LIKE = Localized("格式如 0512-66681234", "written like 0512-66681234")


def matches_cases() -> list[Case]:
    ex = {"example": "13812345678"}
    r = Localized("格式如 13812345678", "written like 13812345678")
    return [
        Case("whole_match_passes", "matches", MOBILE, {"c": {"mobile": "13812345678"}},
             Result("pass", "13812345678", r, "c.mobile", {"actual": "13812345678", **ex})),
        Case("otherwise_review", "matches", {**MOBILE, "otherwise": "review"}, {"c": {"mobile": "12"}},
             Result("review", "12", r, "c.mobile", {"actual": "12", "example": "13812345678"})),
        Case("surrounding_spaces_stripped", "matches", MOBILE, {"c": {"mobile": " 13812345678\n"}},
             Result("pass", " 13812345678\n", r, "c.mobile", {"actual": " 13812345678\n", **ex})),
        Case("longer_fails_fullmatch", "matches", MOBILE, {"c": {"mobile": "138123456789"}},
             Result("fail", "138123456789", r, "c.mobile", {"actual": "138123456789", **ex})),
        Case("prefix_fails_fullmatch", "matches", MOBILE, {"c": {"mobile": "x13812345678"}},
             Result("fail", "x13812345678", r, "c.mobile", {"actual": "x13812345678", **ex})),
        Case("inner_space_fails", "matches", MOBILE, {"c": {"mobile": "138 1234 5678"}},
             Result("fail", "138 1234 5678", r, "c.mobile", {"actual": "138 1234 5678", **ex})),
        Case("alternation_first_branch", "matches", PHONE, {"c": {"phone": "0512-66681234"}},
             Result("pass", "0512-66681234", PHONE_LIKE, "c.phone",
                    {"actual": "0512-66681234", "example": "0512-66681234"})),
        Case("alternation_tail_fails", "matches", PHONE, {"c": {"phone": "0512-66681234x"}},
             Result("fail", "0512-66681234x", PHONE_LIKE, "c.phone",
                    {"actual": "0512-66681234x", "example": "0512-66681234"})),
        Case("number_is_missing", "matches", MOBILE, {"c": {"mobile": 13812345678}},
             Result("missing", None, r, "c.mobile", ex)),
        Case("absent_is_missing", "matches", MOBILE, {}, Result("missing", None, r, "c.mobile", ex)),
    ]


def credit_code_cases() -> list[Case]:
    r = "GB 32100-2015"
    bad = GOOD_CODE[:-1] + "M"
    return [
        Case("valid_passes", "credit_code", CODE, {"a": {"code": GOOD_CODE}},
             Result("pass", GOOD_CODE, r, "a.code", {"actual": GOOD_CODE, "problem": Localized("", ""), "kind": ""})),
        Case("spaces_stripped", "credit_code", CODE, {"a": {"code": f" {GOOD_CODE} "}},
             Result("pass", f" {GOOD_CODE} ", r, "a.code", {"actual": f" {GOOD_CODE} ", "problem": Localized("", ""),
                                                            "kind": ""})),
        Case("check_char_fails", "credit_code", CODE, {"a": {"code": bad}},
             Result("fail", bad, r, "a.code", {"actual": bad, "problem": Localized(
                 "第 18 位（校验码）应为 L，实际为 M", "character 18 (check character) should be L, is M"),
                 "kind": CREDIT_CODE_KINDS["check"]})),
        Case("short_fails", "credit_code", CODE, {"a": {"code": "9111"}},
             Result("fail", "9111", r, "a.code", {"actual": "9111", "problem": Localized(
                 "应为 18 位，实际 4 位", "should have 18 characters, has 4"), "kind": CREDIT_CODE_KINDS["format"]})),
        Case("missing", "credit_code", CODE, {"a": {}}, Result("missing", None, r, "a.code")),
        Case("number_missing", "credit_code", CODE, {"a": {"code": 911}}, Result("missing", None, r, "a.code")),
    ]


def covers_years_cases() -> list[Case]:
    full = {"indicator": "引进人才", "values": {2024: 10, 2025: 20, 2026: 30}}
    no_2026 = {"indicator": "引进人才", "values": {2024: 10, 2025: 20}}
    only_2024 = {"indicator": "合作机构", "values": {2024: 1}}
    two_gaps = Localized("引进人才（缺 2026）；合作机构（缺 2025、2026）",
                         "引进人才 (missing 2026); 合作机构 (missing 2025, 2026)")
    every_gap = Localized("孵化企业（缺 2024、2025、2026）", "孵化企业 (missing 2024, 2025, 2026)")
    return [
        Case("all_years_pass", "covers_years", YEARS, {"plan": {"targets": [full, {**full, "indicator": "合作机构"}]}},
             Result("pass", 2, YRS, "plan.targets", {"actual": 2, "gaps": NOTHING_WRONG, "years": YRS})),
        Case("gaps_named", "covers_years", YEARS, {"plan": {"targets": [no_2026, only_2024, full]}},
             Result("fail", 3, YRS, "plan.targets",
                    {"actual": 3, "gaps": two_gaps, "years": YRS})),
        Case("no_values_key", "covers_years", YEARS, {"plan": {"targets": [{"indicator": "孵化企业"}]}},
             Result("fail", 1, YRS, "plan.targets",
                    {"actual": 1, "gaps": every_gap, "years": YRS})),
        Case("empty_list_fails", "covers_years", YEARS, {"plan": {"targets": []}},
             Result("fail", 0, YRS, "plan.targets", {"actual": 0, "gaps": NOTHING_WRONG, "years": YRS})),
        Case("absent_fails", "covers_years", YEARS, {},
             Result("fail", 0, YRS, "plan.targets", {"actual": 0, "gaps": NOTHING_WRONG, "years": YRS})),
    ]


def span(start: dt.date, end: dt.date) -> dict[str, Any]:
    return {"p": {"n": {"start": start, "end": end}}}


def span_vars(n: int, start: str, end: str) -> dict[str, Any]:
    return {"actual": n, "start": start, "end": end, "days": 3}


def span_cases() -> list[Case]:
    r = Localized(">= 3 天", ">= 3 days")
    return [
        Case("both_ends_counted", "span_at_least", SPAN, span(D(2023, 9, 1), D(2023, 9, 3)),
             Result("pass", 3, r, "p.n.start", span_vars(3, "2023-09-01", "2023-09-03"))),
        Case("two_days_fail", "span_at_least", SPAN, span(D(2023, 9, 1), D(2023, 9, 2)),
             Result("fail", 2, r, "p.n.start", span_vars(2, "2023-09-01", "2023-09-02"))),
        Case("same_day_is_1", "span_at_least", SPAN, span(D(2023, 9, 1), D(2023, 9, 1)),
             Result("fail", 1, r, "p.n.start", span_vars(1, "2023-09-01", "2023-09-01"))),
        Case("across_month", "span_at_least", SPAN, span(D(2023, 8, 31), D(2023, 9, 2)),
             Result("pass", 3, r, "p.n.start", span_vars(3, "2023-08-31", "2023-09-02"))),
        Case("end_before_start", "span_at_least", SPAN, span(D(2023, 9, 3), D(2023, 9, 1)),
             Result("fail", -1, r, "p.n.start", span_vars(-1, "2023-09-03", "2023-09-01"))),
        Case("missing_end", "span_at_least", SPAN, {"p": {"n": {"start": D(2023, 9, 1)}}},
             Result("missing", None, r, "p.n.start", {"days": 3})),
        Case("text_dates_missing", "span_at_least", SPAN, {"p": {"n": {"start": "2023-09-01", "end": "2023-09-03"}}},
             Result("missing", None, r, "p.n.start", {"days": 3})),
    ]


def date_cases() -> list[Case]:
    r = "<= 2023-09-15"
    return [
        Case("on_deadline_passes", "date_not_after", DEADLINE, {"p": {"sub": D(2023, 9, 15)}},
             Result("pass", "2023-09-15", r, "p.sub", {"actual": "2023-09-15", "value": "2023-09-15"})),
        Case("day_after_fails", "date_not_after", DEADLINE, {"p": {"sub": D(2023, 9, 16)}},
             Result("fail", "2023-09-16", r, "p.sub", {"actual": "2023-09-16", "value": "2023-09-15"})),
        Case("missing", "date_not_after", DEADLINE, {"p": {}},
             Result("missing", None, r, "p.sub", {"value": "2023-09-15"})),
        Case("on_deadline_as_of", "today_not_after", TODAY, {},
             Result("pass", "2023-09-15", r, None, {"actual": "2023-09-15", "value": "2023-09-15"}),
             as_of=D(2023, 9, 15)),
        Case("day_after_as_of", "today_not_after", TODAY, {},
             Result("fail", "2023-09-16", r, None, {"actual": "2023-09-16", "value": "2023-09-15"}),
             as_of=D(2023, 9, 16)),
        Case("default_as_of", "today_not_after", TODAY, {},
             Result("pass", "2023-01-01", r, None, {"actual": "2023-01-01", "value": "2023-09-15"})),
    ]


def present_cases() -> list[Case]:
    return [
        Case("mapping_passes", "present", PRESENT, {"p": {"review": {"by": "市科协", "date": D(2023, 8, 28)}}},
             Result("pass", None, None, "p.review")),
        Case("none_missing", "present", PRESENT, {"p": {"review": None}}, Result("missing", None, None, "p.review")),
        Case("empty_mapping_missing", "present", PRESENT, {"p": {"review": {}}},
             Result("missing", None, None, "p.review")),
        Case("empty_list_missing", "present", PRESENT, {"p": {"review": []}},
             Result("missing", None, None, "p.review")),
        Case("absent_missing", "present", PRESENT, {}, Result("missing", None, None, "p.review")),
    ]


def file_result(outcome: OutcomeKind, path: str, where: str, problem: Localized | str, pages: int) -> Result:
    return Result(outcome, path, "PDF", where, {"file": path, "problem": problem, "pages": pages})


def files_ok_cases() -> list[Case]:
    data = {"att": {"letter": {"file": "letter.pdf", "issuer": "苏州市人民政府"},
                    "proofs": [{"file": "p1.pdf"}, {"title": "场地", "file": "p2.pdf"}]}}
    facts = {"letter.pdf": FileFact("letter.pdf", None, 2), "p1.pdf": FileFact("p1.pdf", None, 1),
             "p2.pdf": FileFact("p2.pdf", NOT_FOUND)}
    return [
        Case("each_file_reported", "files_ok", FILES, data, [
            file_result("pass", "letter.pdf", "att.letter", "", 2),
            file_result("pass", "p1.pdf", "att.proofs[0]", "", 1),
            file_result("fail", "p2.pdf", "att.proofs[1]", NOT_FOUND, 0),
        ], files=facts),
        Case("no_fact_never_passes", "files_ok", FILES, {"att": {"proofs": [{"file": "p9.pdf"}]}},
             [file_result("fail", "p9.pdf", "att.proofs[0]", NOT_CHECKED, 0)], files=facts),
        Case("no_files_no_results", "files_ok", FILES, {"att": {"proofs": []}}, []),
    ]


def files_page_size_cases() -> list[Case]:
    odd = Localized("第 1 页不是 A4 纸张大小", "page(s) 1 are not A4")
    data = {"att": {"letter": {"file": "letter.pdf", "issuer": "苏州市人民政府"},
                    "proofs": [{"file": "p1.pdf"}, {"file": "p2.pdf"}, {"file": "p3.pdf"}]}}
    facts = {"letter.pdf": FileFact("letter.pdf", None, 2), "p1.pdf": FileFact("p1.pdf", None, 1, odd),
             "p2.pdf": FileFact("p2.pdf", NOT_FOUND)}
    return [
        Case("a4_passes_odd_fails_unreadable_skipped", "files_page_size", FILES, data, [
            Result("pass", "letter.pdf", "A4", "att.letter", {"file": "letter.pdf", "problem": "", "pages": 2}),
            Result("fail", "p1.pdf", "A4", "att.proofs[0]", {"file": "p1.pdf", "problem": odd, "pages": 1}),
        ], files=facts),
    ]


NO_MARKER_LEFT = Localized("不含“待填写”", "no “待填写” left")


def no_placeholder_cases() -> list[Case]:
    marks = {"marker": "待填写", "day": "1900-01-01"}
    filled = {"name": "苏州", "base": {"established": D(2016, 5, 18)}, "plan": {"tasks": [{"title": "任务"}]}}
    left = {"name": "待填写：名称", "base": {"established": D(1900, 1, 1)}, "plan": {"tasks": [{"title": "待填写"}]}}
    return [
        Case("none_left", "no_placeholder", marks, filled, Result(
            "pass", 0, NO_MARKER_LEFT, None, {"fields": "", "count": 0, "marker": "待填写", "day": "1900-01-01"})),
        Case("every_key_path_listed", "no_placeholder", marks, left, Result(
            "fail", 3, NO_MARKER_LEFT, "name", {"fields": "name、base.established、plan.tasks[0].title", "count": 3,
                                             "marker": "待填写", "day": "1900-01-01"})),
    ]


DIVISIONS = load_round(2023).facts.divisions
HOME = ["a.city", "a.province"]
ISSUER_CITY = {"field": "l.issuer", "fields": HOME, "level": "city", "divisions": DIVISIONS}
REVIEWER = {"field": "r.by", "fields": HOME, "divisions": DIVISIONS}
IN_SUZHOU = {"city": "苏州市", "province": "江苏省"}
CITY_GOVERNMENT = Localized("申报单位所在地市的人民政府", "the government of the applicant's city")
CITY_ASSOCIATION = Localized("申报单位所在地的地市级科协或副省级城市科协",
                             "the science association of the applicant's city (prefecture-level or sub-provincial)")


def division_case(case_id: str, op: str, params: dict[str, Any], name: str | None, outcome: str,
                  required: Localized, reason: Localized | None) -> Case:
    field = params["field"]
    head, key = field.split(".")
    data = {"a": IN_SUZHOU, head: {key: name}}
    variables = {} if reason is None else {"actual": name, "reason": reason}
    return Case(case_id, op, params, data, Result(outcome, name if reason else None, required, field, variables))


def division_cases() -> list[Case]:
    return [
        division_case("own_city", "letter_issuer", ISSUER_CITY, "苏州市人民政府", "pass", CITY_GOVERNMENT, Localized(
            "：是申报单位所在地市苏州市的政府", ": the government of 苏州市, the applicant's city")),
        division_case("county_level_city", "letter_issuer", ISSUER_CITY, "昆山市人民政府", "fail", CITY_GOVERNMENT,
                      Localized("：昆山市是县级行政区（区、县、县级市、旗），其政府不是地市政府",
                                ": 昆山市 is county-level (a district, county or county-level city); its government "
                                "is not a city government")),
        division_case("not_a_government", "letter_issuer", ISSUER_CITY, "苏州工业园区管理委员会", "review",
                      CITY_GOVERNMENT, Localized(
                          "：不是人民政府（或其办公厅、办公室）的名称，是否代表所需层级的政府出具须审核确认",
                          ": not the name of a people's government (or its general office); whether it speaks for "
                          "the government of the level required is for a reviewer to confirm")),
        division_case("no_issuer", "letter_issuer", ISSUER_CITY, None, "missing", CITY_GOVERNMENT, None),
        division_case("own_city", "city_association", REVIEWER, "苏州市科协", "pass", CITY_ASSOCIATION, Localized(
            "：是申报单位所在地市苏州市的地市级科协", ": the association of 苏州市, the applicant's city")),
        division_case("provincial", "city_association", REVIEWER, "江苏省科协", "fail", CITY_ASSOCIATION, Localized(
            "：江苏省科协是省级科协，不是地市级科协或副省级城市科协",
            ": the association of 江苏省 is provincial, not a city's")),
        division_case("unknown_place", "city_association", REVIEWER, "某某科协", "review", CITY_ASSOCIATION, Localized(
            "：行政区划数据（divisions.yaml）中找不到“某某”，无法判断层级，须审核确认",
            ": the division data (divisions.yaml) has no “某某”; its level cannot be told, a reviewer must confirm")),
        division_case("no_body", "city_association", REVIEWER, None, "missing", CITY_ASSOCIATION, None),
    ]


CASES: list[Case] = [
    *division_cases(),
    *at_least_cases(), *sum_cases(), *positive_cases(), *not_greater_cases(), *is_true_cases(),
    *statement_cases(), *classify_cases(), *not_in_cases(), *equals_cases(), *min_items_cases(),
    *max_chars_cases(), *matches_cases(), *credit_code_cases(), *covers_years_cases(), *span_cases(),
    *date_cases(), *present_cases(), *files_ok_cases(), *dates_in_order_cases(), *files_page_size_cases(),
    *no_placeholder_cases(), *(Case(*case) for case in COUNTING_CASES),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.op}-{c.id}")
def test_operator_case(case: Case) -> None:
    assert run(case.op, case.params, case.data, case.files, case.as_of) == case.expected


def test_every_registered_operator_is_tested() -> None:
    assert {c.op for c in CASES} == set(OPERATORS)


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_every_declared_outcome_is_reached(name: str) -> None:
    reached: set[str] = set().union(*(c.outcomes() for c in CASES if c.op == name))
    assert reached == set(OPERATORS[name].outcomes | OPERATORS[name].optional)


def test_case_ids_are_unique() -> None:
    keys = [(c.op, c.id) for c in CASES]
    assert len(keys) == len(set(keys))


# --- what operators say of themselves -----------------------------------------------------

def _named(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_every_operator_describes_itself_in_both_languages(name: str) -> None:
    spec = OPERATORS[name]
    assert spec.description, f"operator {name} says nothing of what it checks"
    params = set(spec.params.model_fields)
    for part in spec.description:
        assert part.zh.strip() and part.en.strip(), (name, part)
        assert _named(part.zh) == _named(part.en), (name, part)
        assert _named(part.zh) <= params, f"{name}: {part.zh!r} names {_named(part.zh) - params}"
    assert callable(spec.requirement), f"operator {name} has no requirement function"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.op}-{c.id}")
def test_the_requirement_an_operator_states_is_the_one_its_results_carry(case: Case) -> None:
    """`requirement` words from the parameters alone what each finding of the operator says it requires
    (a rule over files states none of its own: each file's finding says PDF or A4)."""
    spec = OPERATORS[case.op]
    stated = spec.requirement(spec.params.model_validate(case.params))
    results = case.expected if isinstance(case.expected, list) else [case.expected]
    if case.op in ("files_ok", "files_page_size"):
        assert stated is None and {r.required for r in results} <= {"PDF", "A4"}, case.id
    else:
        assert all(r.required == stated for r in results), case.id


@pytest.mark.parametrize(("op", "params", "zh", "en"), [
    ("at_least", AREA, ">= 100", ">= 100"),
    ("max_chars", CHARS, "<= 10 字", "<= 10 characters"),
    ("covers_years", YEARS, "2024、2025、2026", "2024, 2025, 2026"),
    ("today_not_after", TODAY, "<= 2023-09-15", "<= 2023-09-15"),
    ("present", PRESENT, None, None),
    ("files_ok", FILES, None, None),
    ("files_page_size", FILES, None, None),
])
def test_a_requirement_in_each_language(op: str, params: dict[str, Any], zh: str | None, en: str | None) -> None:
    """A rule over files demands something of each file (PDF, A4): the rule itself states no threshold."""
    spec = OPERATORS[op]
    stated = spec.requirement(spec.params.model_validate(params))
    assert (text_in(stated, "zh"), text_in(stated, "en")) == (zh, en)


def test_whole_float_actual_keeps_its_value() -> None:
    result = run("at_least", AREA, {"base": {"area": 100.0}})
    assert isinstance(result, Result)
    assert result.actual == 100.0
    assert isinstance(result.actual, float)


# --- parameter validation ------------------------------------------------------------------


def test_classify_refuses_a_value_listed_twice() -> None:
    params = OPERATORS["classify"].params
    with pytest.raises(ValidationError, match="values listed twice: enterprise, park"):
        params.model_validate({"field": "k", "named": ["park", "a"], "possible": ["enterprise"],
                               "excluded": ["park", "enterprise"]})


def test_classify_refuses_a_value_repeated_within_one_list() -> None:
    with pytest.raises(ValidationError, match="values listed twice: a"):
        OPERATORS["classify"].params.model_validate({"field": "k", "named": ["a", "a"], "excluded": []})


@pytest.mark.parametrize("lists", [
    {"named": ["a"], "possible": ["a"]},
    {"named": ["a", "a"]},
], ids=["named_and_possible", "within_named"])
def test_classify_refuses_a_value_listed_twice_without_excluded(lists: dict[str, list[str]]) -> None:
    with pytest.raises(ValidationError, match="values listed twice: a"):
        OPERATORS["classify"].params.model_validate({"field": "k", **lists})


def test_classify_accepts_disjoint_lists() -> None:
    params = OPERATORS["classify"].params.model_validate(KIND)
    assert params.model_dump() == {**KIND}


def test_matches_refuses_an_invalid_regex() -> None:
    with pytest.raises(ValidationError):
        OPERATORS["matches"].params.model_validate({"field": "f", "pattern": "(", "example": "x"})


def test_matches_refuses_an_invalid_regex_somehow() -> None:
    """Whatever the exception, an invalid pattern is refused when parameters are validated."""
    with pytest.raises((re.error, ValidationError), match="unterminated subpattern"):
        OPERATORS["matches"].params.model_validate({"field": "f", "pattern": "(", "example": "x"})


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_parameters_refuse_unknown_keys(name: str) -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        OPERATORS[name].params.model_validate({"unknown_key": 1})


def test_at_least_refuses_a_text_threshold() -> None:
    with pytest.raises(ValidationError):
        OPERATORS["at_least"].params.model_validate({"field": "f", "value": "many"})


# --- classify on the real rules ------------------------------------------------------------

RULESET = load_round(2023)


def test_classify_possible_kind_other_without_note_is_missing_on_real_rule() -> None:
    rule = RULESET.get("rd_community.applicant_kind")
    assert rule is not None
    params = rule.params[BaseType.rd_community]
    result = OPERATORS["classify"].func(Context(data={"applicant": {"kind": "other", "kind_note": None}}), params)
    assert isinstance(result, Result)
    assert (result.outcome, result.field) == ("missing", "applicant.kind_note")


@pytest.mark.parametrize(("rule_id", "base_type", "kind"), [
    ("rd_community.applicant_kind", BaseType.rd_community, "university"),
    ("offshore_base.applicant_kind", BaseType.offshore_base, "park"),
])
def test_classify_possible_kind_without_note_is_review(rule_id: str, base_type: BaseType, kind: str) -> None:
    rule = RULESET.get(rule_id)
    assert rule is not None
    result = OPERATORS["classify"].func(Context(data={"applicant": {"kind": kind, "kind_note": None}}),
                                        rule.params[base_type])
    assert isinstance(result, Result)
    assert (result.outcome, result.field) == ("review", "applicant.kind")


# --- helpers -------------------------------------------------------------------------------

NESTED = {"a": {"b": {"c": 5, "n": None}, "list": [1, 2], "text": "xyz"}, "top": 0}


@pytest.mark.parametrize(("path", "expected"), [
    ("a.b.c", 5),
    ("top", 0),
    ("a.b", {"c": 5, "n": None}),
    ("a.b.n", None),
    ("a.b.x", None),
    ("a.x.c", None),
    ("a.list.0", None),
    ("a.text.x", None),
    ("top.x", None),
    ("nothing", None),
])
def test_lookup(path: str, expected: Any) -> None:
    assert lookup(NESTED, path) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (5, 5), (0, 0), (2.5, 2.5), ("无", 0), (True, None), (False, None), ("5", None), (None, None), ([], None),
    ("无 ", None),
])
def test_as_number(value: Any, expected: float | None) -> None:
    assert as_number(value) == expected
    assert (as_number(value) is None) == (expected is None)


@pytest.mark.parametrize(("value", "expected"), [
    (350.0, "350"), (350, "350"), (350.5, "350.5"), (0.0, "0"), ("无", "“无”"), (D(2023, 9, 15), "2023-09-15"),
    ("text", "text"), (None, "None"), (-2.0, "-2"),
])
def test_show(value: Any, expected: str) -> None:
    assert show(value) == expected


def test_attachment_paths() -> None:
    data = {"att": {
        "letter": {"file": "letter.pdf", "issuer": "x"},
        "proofs": [{"file": "a.pdf"}, {"title": "no file"}, {"file": ""}, {"file": "b.pdf", "title": "B"}],
        "none": None,
        "empty": [],
    }}
    fields = ["att.letter", "att.proofs", "att.none", "att.empty", "att.absent"]
    assert attachment_paths(data, fields) == [
        ("att.letter", "letter.pdf"), ("att.proofs[0]", "a.pdf"), ("att.proofs[3]", "b.pdf"),
    ]


def test_attachment_paths_keeps_repeats_and_order_of_fields() -> None:
    data = {"x": [{"file": "same.pdf"}], "y": {"file": "same.pdf"}}
    assert attachment_paths(data, ["y", "x"]) == [("y", "same.pdf"), ("x[0]", "same.pdf")]

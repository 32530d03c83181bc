"""统一社会信用代码 (GB 32100-2015) and the organisation code inside it (GB 11714-1997)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haizhi_cli.applicant._identifiers import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    credit_code_problem,
    org_code_check_char,
)

SPEC_EXAMPLE = "12320500MB1234562C"
VALID_CODES = [SPEC_EXAMPLE, "91110000600037341L", "91350100M000100Y43"]


def test_charset_is_31_characters_without_i_o_s_v_z() -> None:
    assert len(CREDIT_CODE_CHARSET) == 31
    assert len(set(CREDIT_CODE_CHARSET)) == 31
    assert set(CREDIT_CODE_CHARSET) == set(string.digits + string.ascii_uppercase) - set("IOSVZ")


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_codes(code: str) -> None:
    assert credit_code_problem(code) is None
    assert credit_code_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", VALID_CODES)
def test_every_other_last_character_is_invalid(code: str) -> None:
    for char in CREDIT_CODE_CHARSET.replace(code[17], ""):
        assert credit_code_problem(code[:17] + char) == f"第 18 位（校验码）应为 {code[17]}，实际为 {char}"


@pytest.mark.parametrize("code", VALID_CODES)
def test_a_last_character_outside_the_charset_is_invalid(code: str) -> None:
    for char in "IOSVZal-*":
        problem = credit_code_problem(code[:17] + char)
        assert problem == f"含有不允许的字符 {char}（代码不使用 I、O、S、V、Z 和小写字母）"


@pytest.mark.parametrize(("code", "problem"), [
    ("", "应为 18 位，实际 0 位"),
    ("91110000600037341", "应为 18 位，实际 17 位"),
    ("91110000600037341L1", "应为 18 位，实际 19 位"),
    (" 91110000600037341L", "应为 18 位，实际 19 位"),
    ("91110000600037341l", "含有不允许的字符 l（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("91110000m00037341L", "含有不允许的字符 m（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("9111000060003734IL", "含有不允许的字符 I（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("O1110000600037341L", "含有不允许的字符 O（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("91110000S00037341L", "含有不允许的字符 S（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("9V110000600037341L", "含有不允许的字符 V（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("911100006000373Z1L", "含有不允许的字符 Z（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("9Z1100006000373V1L", "含有不允许的字符 V、Z（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("911100006000-7341L", "含有不允许的字符 -（代码不使用 I、O、S、V、Z 和小写字母）"),
    ("91A10000600037341L", "第 3–8 位应为行政区划码（数字）"),
    ("9111000X600037341L", "第 3–8 位应为行政区划码（数字）"),
    ("91110000600037342L", "第 17 位（组织机构代码校验码）应为 1，实际为 2"),
    ("91110000600037340L", "第 17 位（组织机构代码校验码）应为 1，实际为 0"),
    ("12320500MB123456XC", "第 17 位（组织机构代码校验码）应为 2，实际为 X"),
    ("91350100M000100Y03", "第 17 位（组织机构代码校验码）应为 4，实际为 0"),
    ("91110000600037341K", "第 18 位（校验码）应为 L，实际为 K"),
])
def test_invalid_codes_say_what_is_wrong(code: str, problem: str) -> None:
    assert credit_code_problem(code) == problem


def test_a_changed_body_character_is_caught() -> None:
    """Changing the organisation code's body changes its check character; position 17 no longer fits."""
    assert credit_code_problem("91110000700037341L") == "第 17 位（组织机构代码校验码）应为 9，实际为 1"


def _first_with_check(char: str) -> str:
    return next(body for n in range(10_000) if org_code_check_char(body := f"{n:08d}") == char)


def test_org_code_check_is_x_for_10_and_0_for_11() -> None:
    """11 - (sum mod 11) is 10 when the sum is 1 mod 11 (written X) and 11 when it is 0 mod 11 (written 0)."""
    assert _first_with_check("X") == "00000006"  # 6 × 2 = 12 ≡ 1 (mod 11) → 10 → X
    assert _first_with_check("0") == "00000000"  # 0 ≡ 0 (mod 11) → 11 → 0
    assert org_code_check_char("00000006") == "X"
    assert org_code_check_char("00000000") == "0"
    assert org_code_check_char("00000011") == "5"  # 1 × 4 + 1 × 2 = 6 → 11 - 6 = 5
    assert org_code_check_char("00000001") == "9"  # 1 × 2 = 2 → 11 - 2 = 9


@pytest.mark.parametrize(("body", "check"), [
    ("MB123456", "2"), ("60003734", "1"), ("M000100Y", "4"),
    ("D2143569", "X"),  # the usual published example of GB 11714, D2143569-X
])
def test_org_code_check_with_letters(body: str, check: str) -> None:
    assert org_code_check_char(body) == check


def test_codes_with_x_and_0_org_check_are_valid() -> None:
    for body, check in (("00000006", "X"), ("00000000", "0")):
        first17 = "913205" + "00" + body + check
        code = first17 + credit_code_check_char(first17)
        assert credit_code_problem(code) is None


DIGITS = st.sampled_from(string.digits)
CHARS = st.sampled_from(CREDIT_CODE_CHARSET)


@st.composite
def valid_first17(draw: st.DrawFn) -> str:
    head = draw(st.text(CHARS, min_size=2, max_size=2))
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(CHARS, min_size=8, max_size=8))
    return head + region + body + org_code_check_char(body)


@given(valid_first17())
def test_appending_the_check_character_gives_a_valid_code(first17: str) -> None:
    check = credit_code_check_char(first17)
    assert check in CREDIT_CODE_CHARSET
    assert credit_code_problem(first17 + check) is None


@given(valid_first17(), CHARS)
def test_any_other_check_character_is_invalid(first17: str, char: str) -> None:
    check = credit_code_check_char(first17)
    problem = credit_code_problem(first17 + char)
    assert (problem is None) == (char == check)

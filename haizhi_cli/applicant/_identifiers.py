"""The 统一社会信用代码 (GB 32100-2015) and the organisation code inside it (GB 11714-1997)."""

from __future__ import annotations

from typing import Literal

CreditCodeProblemKind = Literal["format", "check"]
"""What is wrong with a credit code: its `format` (not 18 characters of the alphabet, no region digits), or only a
`check` character (the code is well-formed: most likely a typo in one character)."""

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015 (no I, O, S, V, Z)."""

_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a credit code, from its first 17 (GB 32100-2015 §4.3)."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The 9th character of an organisation code, from its first 8 (GB 11714-1997)."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_problem(code: str, lang: str = "zh") -> str | None:
    """Why a credit code is not valid, in Chinese or English; None when it is valid."""
    problem = _credit_code_problem(code)
    if problem is None:
        return None
    return problem[0] if lang == "zh" else problem[1]


def credit_code_problem_kind(code: str) -> CreditCodeProblemKind | None:
    """Whether a credit code breaks the format of GB 32100-2015 or only a check character; None when valid."""
    if _format_problem(code) is not None:
        return "format"
    return "check" if _credit_code_problem(code) is not None else None


def _credit_code_problem(code: str) -> tuple[str, str] | None:
    return _format_problem(code) or _check_problem(code)


def _format_problem(code: str) -> tuple[str, str] | None:
    """What keeps a code from being 18 characters of the alphabet with a region code in characters 3–8."""
    if len(code) != 18:
        return f"应为 18 位，实际 {len(code)} 位", f"should have 18 characters, has {len(code)}"
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARSET})
    if bad:
        return (f"含有不允许的字符 {'、'.join(bad)}（代码不使用 I、O、S、V、Z 和小写字母）",
                f"has characters not allowed: {', '.join(bad)} (no I, O, S, V, Z or lower case)")
    if not code[2:8].isdigit():
        return "第 3–8 位应为行政区划码（数字）", "characters 3–8 should be a region code (digits)"
    return None


def _check_problem(code: str) -> tuple[str, str] | None:
    """A wrong check character of a well-formed code (the organisation code's, then the whole code's)."""
    expected = org_code_check_char(code[8:16])
    if code[16] != expected:
        return (f"第 17 位（组织机构代码校验码）应为 {expected}，实际为 {code[16]}",
                f"character 17 (organisation code check) should be {expected}, is {code[16]}")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return (f"第 18 位（校验码）应为 {expected}，实际为 {code[17]}",
                f"character 18 (check character) should be {expected}, is {code[17]}")
    return None

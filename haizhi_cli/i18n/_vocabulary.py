"""The one vocabulary of labels: categories, statuses, severities, base types and the verdict.

Every reporter and document names these things through the tables here, in the language it was given, so
a label is defined once (tests/test_i18n.py fails on a second Chinese copy anywhere in the package). The
keys are the codes of the public JSON report (`eligibility`, `fail`, `work_base`, …).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from haizhi_cli.i18n._language import Localized, current_lang

CATEGORY_LABELS: Mapping[str, Localized] = {
    "eligibility": Localized("申报条件", "eligibility"),
    "materials": Localized("申报材料", "materials"),
    "form": Localized("填表规范", "form"),
    "process": Localized("程序与时限", "process"),
}
"""The four categories of findings, named as the applicant format names them."""

STATUS_LABELS: Mapping[str, Localized] = {
    "pass": Localized("通过", "pass"),
    "fail": Localized("不通过", "fail"),
    "warn": Localized("警告", "warn"),
    "review": Localized("待审核", "review"),
}

SEVERITY_LABELS: Mapping[str, Localized] = {
    "error": Localized("错误", "error"),
    "warning": Localized("警告", "warning"),
}

BASE_TYPE_LABELS: Mapping[str, Localized] = {
    "work_base": Localized("工作基地", "work base"),
    "offshore_base": Localized("离岸基地", "offshore base"),
    "rd_community": Localized("研发社区", "R&D community"),
    "overseas_base": Localized("海外基地", "overseas base"),
}
"""The short names the notice itself gives the four base types (（简称“工作基地”）…)."""

BASE_TYPE_NAMES: Mapping[str, Localized] = {
    "work_base": Localized("中国科协海智工作基地", "CAST HAIZHI Work Base"),
    "offshore_base": Localized("国家海外人才离岸创新创业基地",
                               "National Offshore Innovation and Entrepreneurship Base for Overseas Talents"),
    "rd_community": Localized("海智国际研发社区", "HAIZHI International R&D Community"),
    "overseas_base": Localized("中国科协海外创新创业基地", "CAST Overseas Innovation and Entrepreneurship Base"),
}
"""The full names of the four base types, as the notice writes them."""

ALL_BASE_TYPES = Localized("全部类型", "all types")

ELIGIBLE = Localized("符合申报条件", "eligible")
NOT_ELIGIBLE = Localized("不符合申报条件", "NOT eligible")
COMPLETE = Localized("材料齐全", "complete")
INCOMPLETE = Localized("材料不齐", "INCOMPLETE")

_LIST_SEPARATOR = Localized("、", ", ")
_CLAUSE_SEPARATOR = Localized("；", "; ")


def label(table: Mapping[str, Localized], code: str, lang: str) -> str:
    """The name of a code in `lang`; the code itself where the table does not know it."""
    found = table.get(code)
    return found.text(lang) if found is not None else str(code)


def joined(items: Iterable[str], lang: str | None = None) -> str:
    """Items as a list reads in `lang` (by default the command's language): 甲、乙、丙 or a, b, c."""
    return _LIST_SEPARATOR.text(lang or current_lang()).join(items)


def verdict(eligible: bool, complete: bool, lang: str) -> str:
    """The verdict of one applicant: 符合申报条件；材料齐全 (or what it lacks)."""
    first = (ELIGIBLE if eligible else NOT_ELIGIBLE).text(lang)
    second = (COMPLETE if complete else INCOMPLETE).text(lang)
    return _CLAUSE_SEPARATOR.text(lang).join((first, second))


def status_counts(counts: Mapping[str, int], lang: str) -> str:
    """通过 n · 不通过 n · 警告 n · 待审核 n, in the order of STATUS_LABELS."""
    return " · ".join(f"{name.text(lang)} {counts.get(code, 0)}" for code, name in STATUS_LABELS.items())

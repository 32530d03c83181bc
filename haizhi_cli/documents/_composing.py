"""What goes into each generated document: template variables made from the applicant. No I/O.

Rendering reads the models and lays out text; it never decides eligibility (the report says that).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from haizhi_cli.applicant import (
    BASIC_INFO,
    BASIC_INFO_HEADING,
    OPINIONS,
    OPINIONS_HEADING,
    OTHER_MATERIALS,
    OTHER_MATERIALS_HEADING,
    PROMISE_HEADING,
    SECTIONS,
    Applicant,
    cell_text,
)
from haizhi_cli.documents._blocks import Document, render
from haizhi_cli.documents._linebreaking import short_place
from haizhi_cli.engine import Report, RoundFacts, Status, lookup
from haizhi_cli.i18n import BASE_TYPE_NAMES, STATUS_LABELS, status_counts, verdict

DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (the numbering of （一）（二）… headings)."""
    if number < 10:
        return DIGITS[number]
    tens, ones = divmod(number, 10)
    if tens >= 10:
        return str(number)
    return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[ones] if ones else ''}"


@dataclass(frozen=True)
class ChecklistItem:
    number: str
    title: str
    pages: str
    status: str
    source: str = ""


def deadline_text(facts: RoundFacts) -> str:
    """The round's deadline as 填表说明五 prints it: 2023年9月15日."""
    return cell_text(facts.deadline)


def form_layout() -> dict[str, Any]:
    """The parts of the 申报表 that read the same filled in or blank: the headings, 七's items and 八's rows
    (applicant._form)."""
    headings = {"basic_info": BASIC_INFO_HEADING, "promise": PROMISE_HEADING,
                "other_materials": OTHER_MATERIALS_HEADING, "opinions": OPINIONS_HEADING}
    return {"other_materials": [item.printed for item in OTHER_MATERIALS], "opinions": OPINIONS, "headings": headings}


def common_variables(applicant: Applicant, facts: RoundFacts) -> dict[str, Any]:
    return {
        "round": facts.round,
        "base_name": applicant.base_name,
        "base_type_label": BASE_TYPE_NAMES[applicant.base_type].zh,
        "applicant": applicant.applicant.model_dump(),
        "deadline_text": deadline_text(facts),
        "plan_years": facts.plan_years,
        "plan_years_text": f"{facts.plan_years[0]}-{facts.plan_years[-1]}",
    }


def _named(document: Document, applicant: Applicant, facts: RoundFacts, *others: str) -> Document:
    """`document` with the applicant's names (and `others`), and the division names in them, for line breaking."""
    unit = applicant.applicant
    phrases = tuple(dict.fromkeys(name for name in (applicant.base_name, unit.name, *others) if name))
    names = "".join((*phrases, unit.province, unit.city, applicant.base.address))
    divisions = facts.divisions
    places = () if divisions is None else (*divisions.provinces.values(), *divisions.prefectures.values(),
                                            *divisions.counties.values())
    words = tuple(sorted({place for place in places if place in names or (short_place(place) or place) in names}))
    return dataclasses.replace(document, words=words, phrases=phrases)


def application_form(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """申报表: cover, 填表说明, 一–八 as in the notice's 附件."""
    data = applicant.model_dump(mode="python")
    data["base_type"] = BASE_TYPE_NAMES[applicant.base_type].zh
    rows = [tuple({"label": label, "value": cell_text(lookup(data, key)), "source": key} for label, key in pair)
            for pair in BASIC_INFO]
    sections = [{"heading": heading, "instruction": instruction, "source": f"narratives.{key}",
                 "text": getattr(applicant.narratives, key)} for heading, instruction, key in SECTIONS]
    return _named(render("application_form.xml.j2", draft, **common_variables(applicant, facts), basic_info=rows,
                         sections=sections, **form_layout()), applicant, facts)


def construction_plan(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """建设方案（2024-2026年）, following the notice's outline, with the targets as a table."""
    years = facts.plan_years
    targets = [{"indicator": t.indicator, "unit": t.unit, "row": [cell_text(t.values.get(y)) for y in years]}
               for t in applicant.plan.targets]
    widths = ",".join(str(w) for w in [16, 156 - 16 - 20 - 22 * len(years), 20, *[22] * len(years)])
    return _named(render("construction_plan.xml.j2", draft, **common_variables(applicant, facts),
                         plan=applicant.plan.model_dump(), targets=targets, target_widths=widths,
                         numerals=[chinese_numeral(n) for n in range(1, len(applicant.plan.tasks) + 1)]),
                  applicant, facts)


def checklist(applicant: Applicant, facts: RoundFacts, items: list[ChecklistItem], missing: list[str],
              draft: bool = False) -> Document:
    """The packet's cover and 材料清单. The cover is the unit's: it carries no verdict of haizhi's."""
    return _named(render("checklist.xml.j2", draft, **common_variables(applicant, facts), items=items,
                         missing=missing), applicant, facts)


def check_report(applicant: Applicant, facts: RoundFacts, report: Report, checked_on: dt.date,
                 draft: bool = False) -> Document:
    """haizhi's check report, in Chinese like the packet: the verdict, the counts and every finding, the
    failures first. A file of its own beside the packet, never bound into it."""
    order = {Status.failed: 0, Status.warn: 1, Status.review: 2, Status.passed: 3}
    findings = [{"status": STATUS_LABELS[f.status].zh, "clause": f.clause, "message": f.message,
                 "required": f.required or ""} for f in sorted(report.findings, key=lambda f: order[f.status])]
    counts = status_counts({s.value: report.count(s) for s in Status}, "zh")
    return _named(render("check_report.xml.j2", draft, **common_variables(applicant, facts), findings=findings,
                         checked_on=cell_text(checked_on), verdict=verdict(report.eligible, report.complete, "zh"),
                         counts=counts), applicant, facts)


def support_letter_draft(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """支持函代拟稿 from the issuing government to 中国科协国际合作部 (GB/T 9704-2012 layout)."""
    level = facts.support_letter_level.get(applicant.base_type, "city")
    letter = applicant.attachments.support_letter
    if letter is not None and letter.level == level:
        issuer = letter.issuer
    else:
        place = applicant.applicant.province if level == "province" else applicant.applicant.city
        issuer = f"{place}人民政府"
    return _named(render("support_letter_draft.xml.j2", draft, **common_variables(applicant, facts), issuer=issuer),
                  applicant, facts, issuer)


def public_notice_draft(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """公示 draft for the provincial 科协, with the dates of `process.public_notice` when given."""
    notice = applicant.process.public_notice if applicant.process else None
    period = (f"{cell_text(notice.start)}至{cell_text(notice.end)}" if notice
              else "____年__月__日至____年__月__日（不少于3天）")
    return _named(render("public_notice_draft.xml.j2", draft, **common_variables(applicant, facts),
                         notice_period=period), applicant, facts)

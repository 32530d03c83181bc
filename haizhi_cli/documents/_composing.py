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
    OPINION_LINES,
    OPINION_UNIT_NAME,
    OPINIONS,
    OPINIONS_HEADING,
    OTHER_MATERIALS,
    OTHER_MATERIALS_HEADING,
    PROMISE,
    PROMISE_HEADING,
    PROMISE_SIGNATURE,
    SECTIONS,
    SIGNED_DATE,
    Applicant,
    cell_text,
)
from haizhi_cli.documents._blocks import TABLE_PT, WORD_CELL_MARGINS_MM, Document, render
from haizhi_cli.documents._linebreaking import em_width, short_place, vocabulary
from haizhi_cli.engine import Report, RoundFacts, Status, lookup
from haizhi_cli.i18n import BASE_TYPE_NAMES, STATUS_LABELS, status_counts, verdict

DIGITS = "零一二三四五六七八九"

LABEL_MAX_LINES = 3
"""A label of 一、基本信息 takes at most three lines, as in the notice's own table (年度人才或项目/支持奖励经费/
（万元）)."""
CHAR_MM = TABLE_PT * 25.4 / 72
"""One character of the tables' 12 pt type, in mm."""
CELL_MARGINS_MM = WORD_CELL_MARGINS_MM + 1.0
"""Word's default cell margins (0.19 cm a side; the PDF pads 1.5 mm) and 1 mm to spare."""
FORM_WIDTH_MM = 160
"""The 申报表's text width: A4 less 25 mm a side."""
OPINION_ROW_MM = 72
"""Each row of 八: two or three written lines, a signature and a 40 mm 公章 beside it (N = 7 cm)."""


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (the numbering of （一）（二）… headings)."""
    if number < 10:
        return DIGITS[number]
    tens, ones = divmod(number, 10)
    if tens >= 10:
        return str(number)
    return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[ones] if ones else ''}"


def label_words(label: str) -> list[str]:
    """A label as the pieces a cell keeps together: its words (the line-breaking vocabulary), a unit in
    brackets （平方米）, an unknown character alone."""
    return vocabulary().loose_tokens(label)


def label_lines(label: str, chars: int) -> list[str]:
    """A label broken into lines of at most `chars` characters between its words (a longer word alone)."""
    lines: list[str] = []
    for word in label_words(label):
        if lines and len(lines[-1]) + len(word) <= chars:
            lines[-1] += word
        else:
            lines.append(word)
    return lines or [""]


def label_chars(labels: list[str], max_lines: int) -> int:
    """The fewest characters a line that set every label in at most `max_lines` lines, no word broken."""
    chars = max((len(word) for label in labels for word in label_words(label)), default=1)
    while any(len(label_lines(label, chars)) > max_lines for label in labels):
        chars += 1
    return chars


def label_width_mm(chars: float) -> float:
    """The width of a label column that holds `chars` characters of 12 pt type a line."""
    return round(chars * CHAR_MM + CELL_MARGINS_MM, 1)


def basic_info_layout() -> tuple[list[list[dict[str, Any]]], str]:
    """The rows of 一、基本信息 with each label broken between words, and the four columns' widths: the label
    columns as wide as their longest line, the value columns sharing the rest."""
    labels = [label for pair in BASIC_INFO for label, _ in pair]
    chars = label_chars(labels, LABEL_MAX_LINES)
    label_mm = label_width_mm(chars)
    value_mm = round((FORM_WIDTH_MM - 2 * label_mm) / 2, 1)
    rows = [[{"label": "\n".join(label_lines(label, chars)), "source": key} for label, key in pair]
            for pair in BASIC_INFO]
    return rows, ",".join(str(width) for width in (label_mm, value_mm, label_mm, value_mm))


DATE_RIGHT_CHARS = 4
"""GB/T 9704-2012 §7.3.5.1: the 成文日期 is set right with four characters of space (右空四字)."""


def official_signature(issuer: str, round_: int) -> dict[str, Any]:
    """The 署名 and 成文日期 of an official letter (§7.3.5.1): the date 右空四字, the issuer centred over it,
    as right indents in characters; an issuer longer than the date keeps at least no space."""
    date = f"{round_}年　　月　　日"
    offset = (em_width(date) - em_width(issuer)) / 2
    return {"date": date, "date_right": DATE_RIGHT_CHARS, "issuer_right": max(0.0, DATE_RIGHT_CHARS + offset)}


PLAN_WIDTH_MM = 156
"""The 建设方案's text width: A4 less 28 and 26 mm."""
NARROW_MAX_CHARS = 6
"""The 单位 and year columns of the targets hold at most this many characters a line; the 指标 gets the rest."""


def target_widths(year_labels: list[str], targets: list[dict[str, Any]]) -> list[float]:
    """The columns of the 建设方案's targets (序号, 指标, 单位, one a year): each narrow column as wide as its
    label or its longest value, up to NARROW_MAX_CHARS characters, and the 指标 the rest of the line."""
    def column(texts: list[str]) -> float:
        return label_width_mm(min(NARROW_MAX_CHARS, max(em_width(text) for text in texts)))

    number = column(["序号", str(len(targets))])
    unit = column(["单位", *(target["unit"] for target in targets)])
    years = [column([label, *(target["row"][index] for target in targets)]) for index, label in enumerate(year_labels)]
    return [number, round(PLAN_WIDTH_MM - number - unit - sum(years), 1), unit, *years]


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
    opinion_mm = label_width_mm(max(len(opinion.label) for opinion in OPINIONS))
    rows, widths = basic_info_layout()
    return {"other_materials": [item.printed for item in OTHER_MATERIALS], "opinions": OPINIONS, "headings": headings,
            "opinion_widths": f"{opinion_mm},{round(FORM_WIDTH_MM - opinion_mm, 1)}", "opinion_row_mm": OPINION_ROW_MM,
            "basic_info_labels": rows, "basic_info_widths": widths, "promise": PROMISE,
            "promise_signature": PROMISE_SIGNATURE, "signed_date": SIGNED_DATE, "opinion_lines": OPINION_LINES,
            "opinion_unit_name": OPINION_UNIT_NAME}


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
    widths = ",".join(str(width) for width in target_widths([f"{year}年" for year in years], targets))
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
    return _named(render("support_letter_draft.xml.j2", draft, **common_variables(applicant, facts), issuer=issuer,
                         signature=official_signature(issuer, facts.round)), applicant, facts, issuer)


def public_notice_draft(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """公示 draft for the provincial 科协, with the dates of `process.public_notice` when given."""
    notice = applicant.process.public_notice if applicant.process else None
    period = (f"{cell_text(notice.start)}至{cell_text(notice.end)}" if notice
              else "____年__月__日至____年__月__日（不少于3天）")
    return _named(render("public_notice_draft.xml.j2", draft, **common_variables(applicant, facts),
                         notice_period=period, signature=official_signature("（省级科协名称）", facts.round)),
                  applicant, facts)

"""What goes into each generated document: template variables made from the applicant. No I/O.

Rendering reads the models and lays out text; it never decides eligibility (the report says that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from haizhi_cli.documents import Document, render
from haizhi_cli.models import BASE_TYPE_LABELS, NONE_MARK, Applicant
from haizhi_cli.operators import lookup
from haizhi_cli.rules import RoundFacts

DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (the numbering of （一）（二）… headings)."""
    if number < 10:
        return DIGITS[number]
    tens, ones = divmod(number, 10)
    if tens >= 10:
        return str(number)
    return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[ones] if ones else ''}"


BASIC_INFO: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("基地名称", "base_name"), ("基地类型", "base_type")),
    (("基地地址", "base.address"), ("成立时间", "base.established")),
    (("负责人姓名", "base.leader.name"), ("负责人电话", "base.leader.phone")),
    (("联系人姓名", "base.contact.name"), ("联系人电话", "base.contact.phone")),
    (("联系人手机", "base.contact.mobile"), ("电子信箱", "base.contact.email")),
    (("服务场所面积（平方米）", "base.service_area_m2"),
     ("办公场所面积（平方米）", "base.office_area_m2")),
    (("工作人员总数（人）", "base.staff_total"),
     ("专职工作人员数量（人）", "base.staff_full_time")),
    (("年度专项工作经费（万元）", "base.annual_work_funds_wan"),
     ("年度人才或项目支持奖励经费（万元）", "base.annual_award_funds_wan")),
    (("现有海外科技人才数量（人）", "base.overseas_talents"),
     ("长期联系海外人才数量（人）", "base.overseas_talents_long_term")),
    (("海外合作机构或合作伙伴数量（个）", "base.overseas_partners"),
     ("设立海外工作站点数量（个）", "base.overseas_stations")),
    (("入驻企业数量（家）", "base.resident_enterprises"),
     ("入驻新型研发机构数量（家）", "base.resident_rd_institutions")),
)
"""The form's table 一、基本信息: two label/value pairs a row, as in the notice."""

SECTIONS = (
    ("二、工作基础",
     "（请简述基地区位条件、人才状况、经济基础、重点产业、市场主体情况，创新资源汇聚、工作机制建设等，1000字以内。）",
     "foundation"),
    ("三、设立目的及具备的优势",
     "（请简述基地设立的目的，能够对地方产生的潜在影响及所具备的优势条件，600字以内。）",
     "purpose"),
    ("四、预期目标",
     "（请简述基地未来3年建设的预期目标，包括定性目标和定量目标。400字以内。）",
     "goals"),
    ("五、支持政策与条件保障",
     "（请简述基地所在地地方政府出台的相关支持政策及条件保障情况，1000字以内。）",
     "policies"),
)
"""Sections 二–五 of the form: heading, the instruction line as printed, and the narrative key."""

OTHER_MATERIALS = (
    "1. 地方政府支持函；",
    "2. 海智计划基地建设方案（提纲见附件）；",
    "3. 人员、经费、办公条件、预算等相关证明材料；",
    "4. 联系的海外团体、专家情况简介；",
    "5. 离岸基地提供不少于10家与境外的海智合作机构合作的证明材料；",
    "6. 地方党委、政府专项支持或配套政策文件。",
)


@dataclass(frozen=True)
class ChecklistItem:
    number: str
    title: str
    pages: str
    status: str
    source: str = ""


def cell_text(value: Any) -> str:
    """A value as the form shows it: 350 not 350.0, dates as 2016年5月18日, 无 as 无."""
    if value is None or value == "":
        return NONE_MARK
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def common_variables(applicant: Applicant, facts: RoundFacts) -> dict[str, Any]:
    deadline = facts.deadline
    return {
        "round": facts.round,
        "base_name": applicant.base_name,
        "base_type_label": BASE_TYPE_LABELS[applicant.base_type.value],
        "applicant": applicant.applicant.model_dump(),
        "deadline_text": f"{deadline.year}年{deadline.month}月{deadline.day}日",
        "plan_years": facts.plan_years,
        "plan_years_text": f"{facts.plan_years[0]}-{facts.plan_years[-1]}",
    }


def application_form(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """申报表: cover, 填表说明, 一–八 as in the notice's 附件."""
    data = applicant.model_dump(mode="python")
    data["base_type"] = BASE_TYPE_LABELS[applicant.base_type.value]
    rows = [tuple({"label": label, "value": cell_text(lookup(data, key)), "source": key} for label, key in pair)
            for pair in BASIC_INFO]
    sections = [{"heading": heading, "instruction": instruction, "source": f"narratives.{key}",
                 "text": getattr(applicant.narratives, key)} for heading, instruction, key in SECTIONS]
    opinions = [{"label": "申报单位意见", "with_name": True}, {"label": "所在地市科协意见", "with_name": False},
                {"label": "省级科协意见", "with_name": False}]
    return render("application_form.xml.j2", draft, **common_variables(applicant, facts), basic_info=rows,
                  sections=sections, other_materials=OTHER_MATERIALS, opinions=opinions)


def construction_plan(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """建设方案（2024-2026年）, following the notice's outline, with the targets as a table."""
    years = facts.plan_years
    targets = [{"indicator": t.indicator, "unit": t.unit, "row": [cell_text(t.values.get(y)) for y in years]}
               for t in applicant.plan.targets]
    widths = ",".join(str(w) for w in [16, 156 - 16 - 20 - 22 * len(years), 20, *[22] * len(years)])
    return render("construction_plan.xml.j2", draft, **common_variables(applicant, facts),
                  plan=applicant.plan.model_dump(), targets=targets, target_widths=widths,
                  numerals=[chinese_numeral(n) for n in range(1, len(applicant.plan.tasks) + 1)])


def checklist(applicant: Applicant, facts: RoundFacts, verdict: str, items: list[ChecklistItem],
              missing: list[str], draft: bool = False) -> Document:
    """The packet's cover and 材料清单."""
    return render("checklist.xml.j2", draft, **common_variables(applicant, facts), verdict=verdict,
                  items=items, missing=missing)


def support_letter_draft(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """支持函代拟稿 from the issuing government to 中国科协国际合作部 (GB/T 9704-2012 layout)."""
    level = facts.support_letter_level.get(applicant.base_type, "city")
    letter = applicant.attachments.support_letter
    if letter is not None and letter.level == level:
        issuer = letter.issuer
    else:
        place = applicant.applicant.province if level == "province" else applicant.applicant.city
        issuer = f"{place}人民政府"
    return render("support_letter_draft.xml.j2", draft, **common_variables(applicant, facts), issuer=issuer)


def public_notice_draft(applicant: Applicant, facts: RoundFacts, draft: bool = False) -> Document:
    """公示 draft for the provincial 科协, with the dates of `process.public_notice` when given."""
    notice = applicant.process.public_notice if applicant.process else None
    period = (f"{cell_text(notice.start)}至{cell_text(notice.end)}" if notice
              else "____年__月__日至____年__月__日（不少于3天）")
    return render("public_notice_draft.xml.j2", draft, **common_variables(applicant, facts), notice_period=period)

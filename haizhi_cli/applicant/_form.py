"""The 申报表 as the notice prints it: the cells of 一、基本信息, the sections 二–五, the items of 七 and the
rows of 八.

One description of the form, read by the documents that print it, by `import` that reads it back, by the
blank form, by the packet that binds 七's files and by the check that reads them alike. No I/O.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from pydantic import BaseModel

from haizhi_cli.applicant._models import NONE_MARK, Applicant, Attachments, BaseType

BASIC_INFO_HEADING = "一、基本信息"
PROMISE_HEADING = "六、申报单位负责人承诺"
OTHER_MATERIALS_HEADING = "七、其他材料"
OPINIONS_HEADING = "八、单位意见"
PROMISE = "本人已认真填写、检查申报材料，保证内容真实、准确、有效。不违反国家安全和保密的相关规定，知识产权清晰。"
PROMISE_SIGNATURE = "基地负责人（签字）："
"""Section 六 as it prints: the pledge, and the line its signer signs on (the date line follows)."""
SIGNED_DATE = "年　　月　　日"
"""The date line under a signature, filled in by hand."""
OPINION_LINES = ("负责人（签字）：", "（单位公章）", SIGNED_DATE)
"""What each row of 八 prints for its signer, under the unit's name where the row asks for it."""
OPINION_UNIT_NAME = "单位名称："
LATER_HEADINGS = (PROMISE_HEADING, OTHER_MATERIALS_HEADING, OPINIONS_HEADING)
"""The headings of the form after 二–五, in order: the template prints them, `import` finds 五's end by them."""

BASIC_INFO_KEYS: tuple[tuple[str, str], ...] = (
    ("base_name", "base_type"),
    ("base.address", "base.established"),
    ("base.leader.name", "base.leader.phone"),
    ("base.contact.name", "base.contact.phone"),
    ("base.contact.mobile", "base.contact.email"),
    ("base.service_area_m2", "base.office_area_m2"),
    ("base.staff_total", "base.staff_full_time"),
    ("base.annual_work_funds_wan", "base.annual_award_funds_wan"),
    ("base.overseas_talents", "base.overseas_talents_long_term"),
    ("base.overseas_partners", "base.overseas_stations"),
    ("base.resident_enterprises", "base.resident_rd_institutions"),
)
"""The cells of the form's table 一、基本信息, two a row, as in the notice: the applicant file's keys."""


def field_title(dotted: str) -> str:
    """The title the applicant model gives a key (`base.service_area_m2` → 服务场所面积（平方米）): the label
    the form prints beside its value, the schema's title and the skeleton's comment alike."""
    model: type[BaseModel] = Applicant
    *parents, leaf = dotted.split(".")
    for part in parents:
        model = cast(type[BaseModel], model.model_fields[part].annotation)
    return model.model_fields[leaf].title or leaf


BASIC_INFO: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = tuple(
    ((field_title(left), left), (field_title(right), right)) for left, right in BASIC_INFO_KEYS)
"""The table 一、基本信息 as label/key pairs, two a row."""

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

@dataclass(frozen=True)
class OtherMaterial:
    """One item of 七、其他材料: its number, its text as printed, and the applicant file's keys that hold it."""

    number: int
    text: str
    """What the form prints after `N. `, its closing punctuation included."""
    keys: tuple[str, ...] = ()
    """The keys under `attachments` whose PDFs are this item, in order; none for the 建设方案, which haizhi
    writes from `plan`."""
    name: str | None = None
    """What the packet calls an item that no key names (the 建设方案)."""
    only_for: BaseType | None = None
    """The one base type the item is asked of, when the form says so (5: 离岸基地)."""

    @property
    def printed(self) -> str:
        """The line as the form prints it: `1. 地方政府支持函；`."""
        return f"{self.number}. {self.text}"

    @property
    def clause(self) -> str:
        """How a finding or the 材料清单 cites it: 申报表七1."""
        return f"申报表七{self.number}"

    @property
    def title(self) -> str:
        """Its name in the packet's 材料清单 and bookmarks: the title the applicant file gives its key(s)."""
        return self.name or "、".join(Attachments.model_fields[key].title or key for key in self.keys)

    @property
    def fields(self) -> tuple[str, ...]:
        """Its keys as dotted fields of the applicant file: `attachments.proofs`."""
        return tuple(f"attachments.{key}" for key in self.keys)

    def asked_of(self, base_type: BaseType) -> bool:
        return self.only_for is None or self.only_for is base_type

    def files(self, applicant: Applicant) -> list[str]:
        """The files the applicant gives for it, as written, in the order written."""
        return [item.file for key in self.keys for item in _as_list(getattr(applicant.attachments, key))]


def _as_list(value: Any) -> list[Any]:
    """A key's value as a list of items: a list as it is, the one support letter alone, nothing as none."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


OTHER_MATERIALS = (
    OtherMaterial(1, "地方政府支持函；", ("support_letter",)),
    OtherMaterial(2, "海智计划基地建设方案（提纲见附件）；", name="海智计划基地建设方案"),
    OtherMaterial(3, "人员、经费、办公条件、预算等相关证明材料；", ("proofs",)),
    OtherMaterial(4, "联系的海外团体、专家情况简介；", ("overseas_contacts",)),
    OtherMaterial(5, "离岸基地提供不少于10家与境外的海智合作机构合作的证明材料；", ("partner_agreements",),
                  only_for=BaseType.offshore_base),
    OtherMaterial(6, "地方党委、政府专项支持或配套政策文件。", ("policy_documents",)),
)
"""Section 七、其他材料, in the form's order; item 2 is generated, the others are the applicant's PDFs."""

ATTACHMENT_KEYS = tuple(key for item in OTHER_MATERIALS for key in item.keys)
"""Every key under `attachments` that names files, in 七's order."""


@dataclass(frozen=True)
class Opinion:
    """One row of 八、单位意见: the unit whose opinion it holds, and whether it asks for the unit's name."""

    label: str
    with_name: bool = False


OPINIONS = (Opinion("申报单位意见", with_name=True), Opinion("所在地市科协意见"), Opinion("省级科协意见"))
"""Section 八's rows, in the form's order."""


def plain_decimal(value: float) -> str:
    """A number as the form and an applicant file write it: plain decimal digits, never an exponent
    (`0.00001`, not `1e-05`), with the shortest digits that read back as the same number."""
    if not math.isfinite(value):  # the models refuse these; shown as Python would, not as a number
        return repr(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else f"{text}.0"


def cell_text(value: Any) -> str:
    """A value as the form shows it: 350 not 350.0, dates as 2016年5月18日, 无 as 无."""
    if value is None or value == "":
        return NONE_MARK
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else plain_decimal(value)
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)

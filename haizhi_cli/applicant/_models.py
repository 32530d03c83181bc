"""Pydantic models of the applicant file, format 1 (see docs/applicant-format.md). No I/O here."""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from haizhi_cli.i18n import BASE_TYPE_NAMES, tr

NONE_MARK = "无"
"""What the form says where the applicant really has nothing (填表说明四)."""

MAX_NUMBER = 10**12
"""No figure of the form comes near this; a larger one is a typing error (and would overflow a float)."""

MAX_TEXT_CHARS = 100_000
"""A hard limit per text field; far above any 字数 limit, it only stops runaway input."""


class BaseType(StrEnum):
    work_base = "work_base"
    offshore_base = "offshore_base"
    rd_community = "rd_community"
    overseas_base = "overseas_base"




class ApplicantKind(StrEnum):
    free_trade_zone = "free_trade_zone"
    national_new_area = "national_new_area"
    high_tech_zone = "high_tech_zone"
    economic_development_zone = "economic_development_zone"
    innovation_demo_base = "innovation_demo_base"
    park = "park"
    science_park = "science_park"
    science_org = "science_org"
    international_science_org = "international_science_org"
    enterprise = "enterprise"
    university = "university"
    research_institute = "research_institute"
    new_rd_institution = "new_rd_institution"
    other = "other"


KIND_LABELS: dict[str, str] = {
    "free_trade_zone": "国家级自由贸易区",
    "national_new_area": "国家级新区",
    "high_tech_zone": "国家级高新技术产业开发区",
    "economic_development_zone": "国家级经济技术开发区",
    "innovation_demo_base": "区域类双创示范基地",
    "park": "其他园区",
    "science_park": "科技园区",
    "science_org": "科技组织",
    "international_science_org": "国际科技组织",
    "enterprise": "企业",
    "university": "高校",
    "research_institute": "科研机构",
    "new_rd_institution": "新型研发机构",
    "other": "其他",
}


class Activity(StrEnum):
    talent_recommendation = "talent_recommendation"
    academic_exchange = "academic_exchange"
    rd_cooperation = "rd_cooperation"
    incubation = "incubation"
    achievement_promotion = "achievement_promotion"
    venture_investment = "venture_investment"


ACTIVITY_LABELS: dict[str, str] = {
    "talent_recommendation": "人才举荐",
    "academic_exchange": "学术交流",
    "rd_cooperation": "研发合作",
    "incubation": "企业孵化",
    "achievement_promotion": "成果推介",
    "venture_investment": "创业投资",
}


_FULL_WIDTH_NUMBER = frozenset("０１２３４５６７８９．")
_TO_HALF_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _number_or_none(value: Any, *, integer: bool) -> Any:
    """Accept a non-negative number, or 无; bools and numeric strings are refused, not guessed."""
    if isinstance(value, str) and value == NONE_MARK:
        return NONE_MARK
    wrong_kind = isinstance(value, float) if integer else False
    if isinstance(value, str) and value.strip() and all(c in _FULL_WIDTH_NUMBER for c in value.strip()):
        half = value.strip().translate(_TO_HALF_WIDTH)
        raise PydanticCustomError("haizhi_full_width",
                                  tr("“{value}”是全角数字，请改用半角数字 {half}", value=value, half=half))
    not_finite = isinstance(value, float) and not math.isfinite(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or wrong_kind or not_finite:
        raise PydanticCustomError("haizhi_number", tr("应为非负整数或“无”，不要加引号或单位") if integer
                                  else tr("应为非负数或“无”，不要加引号或单位"))
    if abs(value) > MAX_NUMBER:
        raise PydanticCustomError(
            "haizhi_huge", tr("数值过大（超过 {limit:,}），请检查单位（面积为平方米，经费为万元）", limit=MAX_NUMBER))
    if value < 0:
        raise PydanticCustomError("haizhi_negative", tr("不能为负数"))
    return value


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters Word documents (XML 1.0) cannot hold; text with one is refused, never silently changed."""

INVISIBLE_CHARACTERS = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
"""Zero-width and direction marks pasted from web pages: invisible on paper, refused rather than dropped."""


def _text(value: Any) -> str:
    """Non-empty text; an empty cell is an error because the form must not go out with one."""
    if not isinstance(value, str):
        raise PydanticCustomError("haizhi_text", tr("应为文本；纯数字请加引号（如 \"13812345678\"），以免前导 0 丢失"))
    if not value.strip():
        raise PydanticCustomError("haizhi_empty", tr("不能为空；确实没有请填“无”"))
    return _checked_text(value)


def _optional_text(value: Any) -> str:
    """Text that may be empty: a statement whose emptiness a rule reports as a finding."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PydanticCustomError("haizhi_text", tr("应为文本"))
    return _checked_text(value)


def _checked_text(value: str) -> str:
    if len(value) > MAX_TEXT_CHARS:
        raise PydanticCustomError("haizhi_too_long", tr("超过 {limit:,} 个字符的上限，请精简", limit=MAX_TEXT_CHARS))
    invisible = INVISIBLE_CHARACTERS.search(value)
    if invisible:
        raise PydanticCustomError(
            "haizhi_invisible_character",
            tr("第 {position} 个字符是看不见的格式字符 U+{code:04X}（如零宽空格），"
               "打印时不显示、字体也无法绘制；请删除它（常见于从网页或 Word 复制的文字）",
               position=invisible.start() + 1, code=ord(invisible.group())),
        )
    bad = _XML_FORBIDDEN.search(value)
    if bad:
        raise PydanticCustomError(
            "haizhi_control_character",
            tr("第 {position} 个字符是控制字符 U+{code:04X}，Word 文档无法容纳；请删除它（常见于从其他软件复制的文字）",
               position=bad.start() + 1, code=ord(bad.group())),
        )
    return value


def _day(value: Any) -> dt.date:
    """A calendar day, written 2023-09-01; a number or a time of day is refused, not converted."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("haizhi_datetime", tr("应为日期，不要带时间（如 2023-09-01）"))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("haizhi_no_such_day",
                                      tr("日期 {value} 不存在，请检查年、月、日", value=value)) from None
    raise PydanticCustomError("haizhi_date", tr("应为日期，格式 YYYY-MM-DD（如 2023-09-01）"))


def _year(value: Any) -> int:
    """A plan year written as a number (2024); `"2024"` beside 2024 would otherwise collapse into one."""
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise PydanticCustomError("haizhi_year", tr("年份应写为数字，如 2024"))
    return value


def _count(value: Any) -> Any:
    return _number_or_none(value, integer=True)


def _amount(value: Any) -> Any:
    return _number_or_none(value, integer=False)


FORM_CELL_VALIDATORS = (_text, _count, _amount)
"""Validators of the form's cells: where a key of these is missing, the advice is to write 无."""

_NONE_SCHEMA = {"const": NONE_MARK}
Count = Annotated[
    int | str,
    PlainValidator(_count),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, _NONE_SCHEMA]}),
]
Amount = Annotated[
    int | float | str,
    PlainValidator(_amount),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, _NONE_SCHEMA]}),
]
Day = Annotated[dt.date, PlainValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]
Year = Annotated[int, PlainValidator(_year), WithJsonSchema({"type": "integer", "minimum": 2000, "maximum": 2100})]
Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]


def _file_path(value: Any) -> str:
    """An attachment's path; one written on Windows (`attachments\\proofs.pdf`) is read with `/` between its
    parts, as it is meant (a backslash is no part of a file name a unit sends)."""
    return _text(value).replace("\\", "/")


FilePath = Annotated[str, PlainValidator(_file_path), WithJsonSchema({"type": "string", "minLength": 1})]
Statement = Annotated[str, PlainValidator(_optional_text), WithJsonSchema({"type": "string"})]


def _empty() -> list[Any]:
    """The default of a list the file may leave out. Not `list` itself: pydantic reads a builtin's signature
    with the tokenizer, whose first use costs every check milliseconds."""
    return []


class Strict(BaseModel):
    """Every model refuses unknown keys, so a misspelt key is reported, not ignored.

    Validators are built on first use (`defer_build`): a check builds `Applicant`'s alone, with the models
    nested in it inlined, rather than one for every model at import.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ApplicantUnit(Strict):
    name: Text = Field(title="申报单位")
    kind: ApplicantKind = Field(title="申报对象类别")
    kind_note: Text | None = Field(default=None, title="其他类别说明")
    registered_in_china: StrictBool = Field(title="在中华人民共和国境内注册或设立")
    independent_legal_person: StrictBool = Field(title="具有独立法人资格")
    credit_code: Text = Field(title="统一社会信用代码")
    province: Text = Field(title="所在省份")
    city: Text = Field(title="所在城市")


class Leader(Strict):
    name: Text = Field(title="负责人姓名")
    phone: Text = Field(title="负责人电话")


class Contact(Strict):
    name: Text = Field(title="联系人姓名")
    phone: Text = Field(title="联系人电话")
    mobile: Text = Field(title="联系人手机")
    email: Text = Field(title="电子信箱")


class BasicInfo(Strict):
    """The form's table 一、基本信息."""

    address: Text = Field(title="基地地址")
    established: Day = Field(title="成立时间")
    leader: Leader = Field(title="负责人")
    contact: Contact = Field(title="联系人")
    service_area_m2: Amount = Field(title="服务场所面积（平方米）")
    office_area_m2: Amount = Field(title="办公场所面积（平方米）")
    staff_total: Count = Field(title="工作人员总数（人）")
    staff_full_time: Count = Field(title="专职工作人员数量（人）")
    annual_work_funds_wan: Amount = Field(title="年度专项工作经费（万元）")
    annual_award_funds_wan: Amount = Field(title="年度人才或项目支持奖励经费（万元）")
    overseas_talents: Count = Field(title="现有海外科技人才数量（人）")
    overseas_talents_long_term: Count = Field(title="长期联系海外人才数量（人）")
    overseas_partners: Count = Field(title="海外合作机构或合作伙伴数量（个）")
    overseas_stations: Count = Field(title="设立海外工作站点数量（个）")
    resident_enterprises: Count = Field(title="入驻企业数量（家）")
    resident_rd_institutions: Count = Field(title="入驻新型研发机构数量（家）")


class Eligibility(Strict):
    returnee_talents_long_term: Count | None = Field(default=None, title="长期联系服务的来华（回国）海外科技人才（人）")
    returnee_entrepreneurs: Count | None = Field(default=None, title="吸引来华（回国）创新创业海外科技人才（人）")
    famous_overseas_institutions: Count | None = Field(default=None, title="建立合作机制的知名海外机构（家）")
    intl_org_offices: Count | None = Field(default=None, title="入驻国际科技组织办事机构（家）")
    intl_org_partnerships: Count | None = Field(default=None, title="建立合作的国际科技组织（家）")


class Conditions(Strict):
    management_body: Statement | None = Field(default=None, title="管理机构、场地、人员、经费与保障体系")
    channels: Statement | None = Field(default=None, title="联系海外科技人才和海外机构的渠道")
    local_policy: Statement | None = Field(default=None, title="所在城市或园区的政策保障")
    returnee_funds: Statement | None = Field(default=None, title="服务来华（回国）海外科技人才专项经费")
    provincial_policy: Statement | None = Field(default=None, title="省级政府离岸创新创业支持政策")
    cast_organization: Statement | None = Field(default=None, title="园区科协组织")
    platforms: Statement | None = Field(default=None, title="载体平台与研发、转化、融资及国际服务能力")
    talent_funds: Statement | None = Field(default=None, title="服务海外科技人才专项经费")
    rd_conditions: Statement | None = Field(default=None, title="国际水平的研发设施等条件")
    industry_and_living: Statement | None = Field(default=None, title="产业链供应链与生活配套")
    international_capabilities: Statement | None = Field(default=None, title="国际标准、技术转移与国际融资能力")


class Narratives(Strict):
    """The form's sections 二–五."""

    foundation: Text = Field(title="工作基础")
    purpose: Text = Field(title="设立目的及具备的优势")
    goals: Text = Field(title="预期目标")
    policies: Text = Field(title="支持政策与条件保障")


class PlanFoundation(Strict):
    conditions: Text = Field(title="基础条件")
    achievements: Text = Field(title="目前已有的成效")


class Target(Strict):
    indicator: Text = Field(title="指标")
    unit: Text = Field(title="单位")
    values: dict[Year, Amount] = Field(title="各年度目标值")


class Task(Strict):
    title: Text = Field(title="任务名称")
    content: Text = Field(title="任务内容")


class Plan(Strict):
    """海智计划基地建设方案, following the outline in the notice's last attachment."""

    foundation: PlanFoundation = Field(title="工作基础")
    approach: Text = Field(title="建设思路和目标")
    targets: list[Target] = Field(title="建设目标")
    tasks: list[Task] = Field(title="主要建设任务")
    safeguards: Text = Field(title="保障措施")


class SupportLetter(Strict):
    file: FilePath = Field(title="文件")
    issuer: Text = Field(title="出具单位")
    level: Literal["city", "province"] = Field(title="政府层级")


class AttachmentRef(Strict):
    title: Text | None = Field(default=None, title="标题")
    file: FilePath = Field(title="文件")


def _path_to_ref(value: Any) -> Any:
    """An item may be written as a bare path; it is read as ``{file: path}``."""
    return {"file": value} if isinstance(value, str) else value


AttachmentItem = Annotated[AttachmentRef, BeforeValidator(_path_to_ref, json_schema_input_type=Text | AttachmentRef)]


class Attachments(Strict):
    """The form's section 七、其他材料; the 建设方案 is generated from ``plan``."""

    support_letter: SupportLetter | None = Field(default=None, title="地方政府支持函")
    proofs: list[AttachmentItem] = Field(default_factory=_empty, title="人员、经费、办公条件、预算等相关证明材料")
    overseas_contacts: list[AttachmentItem] = Field(default_factory=_empty, title="联系的海外团体、专家情况简介")
    partner_agreements: list[AttachmentItem] = Field(default_factory=_empty, title="与境外海智合作机构合作的证明材料")
    policy_documents: list[AttachmentItem] = Field(default_factory=_empty, title="地方党委、政府专项支持或配套政策文件")


class CityReview(Strict):
    by: Text = Field(title="审核单位")
    date: Day = Field(title="审核日期")


class PublicNotice(Strict):
    start: Day = Field(title="公示开始日期")
    end: Day = Field(title="公示结束日期")
    objections: Literal["none", "resolved", "pending"] | None = Field(default=None, title="公示结果（异议情况）")
    """Optional, added to format 1: what the 公示 brought, on which 公示无异议后签署意见 depends (二（二）（3））."""


class Process(Strict):
    city_review: CityReview | None = Field(default=None, title="地市级科协审核")
    public_notice: PublicNotice | None = Field(default=None, title="公示")
    provincial_submission: Day | None = Field(default=None, title="省级科协报送日期")


class Applicant(Strict):
    """One applicant file, format 1."""

    format: Literal[1] = Field(title="文件格式版本")
    round: int = Field(title="申报年度")
    base_type: BaseType = Field(title="基地类型")
    base_name: Text = Field(title="基地名称")
    applicant: ApplicantUnit = Field(title="申报单位")
    base: BasicInfo = Field(title="基本信息")
    eligibility: Eligibility = Field(default_factory=Eligibility, title="申报条件数据")
    conditions: Conditions = Field(default_factory=Conditions, title="定性申报条件说明")
    activities: list[Activity] = Field(default_factory=_empty, title="开展的活动")
    narratives: Narratives = Field(title="申报表第二至五部分")
    plan: Plan = Field(title="建设方案")
    attachments: Attachments = Field(default_factory=Attachments, title="其他材料")
    process: Process | None = Field(default=None, title="申报进程")


OBJECTION_LABELS: dict[str, str] = {
    "none": "公示无异议",
    "resolved": "公示有异议，已处理完毕",
    "pending": "公示有异议，尚未处理",
}
"""The outcomes of the 公示 (`process.public_notice.objections`)."""

CODE_LABELS: dict[str, str] = {
    **{code: name.zh for code, name in BASE_TYPE_NAMES.items()}, **KIND_LABELS, **ACTIVITY_LABELS,
    **OBJECTION_LABELS, "city": "地市政府", "province": "省政府",
}
"""The Chinese name of every code a report may quote; Chinese reports print the name, English ones the code."""

"""Administrative divisions as data, and the operators that judge a government's or a 科协's level by them.

The round's `divisions.yaml` (named by `divisions:` in facts.yaml, written by scripts/make_divisions.py) lists
the provincial-, prefecture- and county-level divisions with their GB/T 2260 codes. A name such as
`上海市浦东新区人民政府` is read as a chain of division names (province, then prefecture, then county, each
optional) that must use up the place part of the name; a name the data cannot read that way is for review.

Why the verdicts are what they are (二（一）2, 二（二）（2））:
- a county-level government (区、县、县级市、旗) is not a 地市政府 → fail; but a 区 of a 直辖市 or of a
  副省级城市 ranks as high as a 地级市 or near it, so whether it may stand for the city is for review;
- a 直辖市's 人民政府 is provincial-level, and it is also the city government of an applicant inside it (a
  直辖市 has no 地市 between it and its districts), so it serves for a 离岸基地 and for a 工作基地 there;
- a letter or a review by the government or 科协 of another city or province → fail: the notice asks for the
  applicant's own (所在地);
- what is not a 人民政府 (or its 办公厅/办公室, or a 行政公署) — a 管委会, a 局 — is for review, as is a 直辖市's
  科协 or one of its districts' 科协 (a 直辖市 has no 地市级科协; who did the city review there is for a person).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from haizhi_cli.engine._operators import Context, OutcomeKind, Params, Result, is_blank, lookup, operator, worded
from haizhi_cli.i18n import Localized

Code = str
Level = Literal["province", "prefecture", "county"]
CODE = r"^[1-9]\d{5}$"


class DivisionFile(BaseModel):
    """divisions.yaml as written: its source, and code → name for each level."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    source: str = Field(min_length=1)
    data_date: str = Field(min_length=1)
    municipalities: list[Code] = Field(min_length=1)
    sub_provincial_cities: list[Code]
    provinces: dict[Code, str] = Field(min_length=1)
    prefectures: dict[Code, str]
    counties: dict[Code, str]

    @field_validator("provinces", "prefectures", "counties")
    @classmethod
    def _codes(cls, entries: dict[Code, str]) -> dict[Code, str]:
        wrong = [code for code in entries if not re.fullmatch(CODE, code)]
        if wrong:
            raise ValueError(f"not six-digit GB/T 2260 codes: {', '.join(wrong[:5])}")
        return entries

    @model_validator(mode="after")
    def _nested(self) -> DivisionFile:
        """Every code sits under a province of the file, at its own level, and the lists name known codes."""
        misplaced = [c for c in [*self.prefectures, *self.counties] if province_code(c) not in self.provinces]
        misplaced += [c for c in self.provinces if not c.endswith("0000")]
        misplaced += [c for c in self.prefectures if not c.endswith("00") or c.endswith("0000")]
        misplaced += [c for c in self.counties if c.endswith("00")]
        misplaced += [c for c in self.municipalities if c not in self.provinces]
        misplaced += [c for c in self.sub_provincial_cities if c not in self.prefectures]
        if misplaced:
            raise ValueError(f"codes at the wrong level or under no province: {', '.join(misplaced[:5])}")
        return self


class Divisions(DivisionFile):
    """The division data of a round, with the name of the file it was read from (for `explain`)."""

    file: str = Field(min_length=1)

    def name(self, code: Code) -> str:
        return self.provinces.get(code) or self.prefectures.get(code) or self.counties.get(code, code)

    def level(self, code: Code) -> Level:
        if code in self.provinces:
            return "province"
        return "prefecture" if code in self.prefectures else "county"

    def city_of(self, code: Code) -> Code:
        """The 地市 a division belongs to: a prefecture itself, a county's prefecture, or for a 直辖市's
        district (or a county the province governs directly) the province."""
        if self.level(code) != "county":
            return code
        prefecture = code[:4] + "00"
        return prefecture if prefecture in self.prefectures else province_code(code)

    def under_big_city(self, code: Code) -> bool:
        """A county-level division of a 直辖市 or of a 副省级城市."""
        city = self.city_of(code)
        return city in self.municipalities or city in self.sub_provincial_cities

    def readings(self, place: str) -> list[Code]:
        """Every division `place` can name as province + prefecture + county names (each optional), deepest
        code of each reading, once each."""
        remembered = _remembered_readings(self)
        known = remembered.get(place)
        if known is None:
            known = remembered[place] = tuple(dict.fromkeys(code for code, rest in self._chains(place) if rest == ""))
        return list(known)

    def _chains(self, text: str) -> Iterator[tuple[Code, str]]:
        for province, after_province in self._starts(text, self.provinces, None):
            yield province, after_province
            yield from self._below(after_province, province[:2])
        yield from self._below(text, None)

    def _below(self, text: str, within: str | None) -> Iterator[tuple[Code, str]]:
        for prefecture, rest in self._starts(text, self.prefectures, within):
            yield prefecture, rest
            yield from self._starts(rest, self.counties, prefecture[:4])
        yield from self._starts(text, self.counties, within)

    @staticmethod
    def _starts(text: str, names: dict[Code, str], within: str | None) -> Iterator[tuple[Code, str]]:
        for code, name in _by_first_character(names).get(text[:1], ()):
            if (within is None or code.startswith(within)) and text.startswith(name):
                yield code, text[len(name):]


_KEPT: dict[tuple[str, int], tuple[object, object]] = {}
"""What is made once per process for an object of a loaded round, by kind and the object's id; the object is
kept with it, so that its id is never reused. Kept outside the models, which the rule cache stores."""

T = TypeVar("T")


def _kept_for(kind: str, owner: object, make: Callable[[], T]) -> T:
    """What `make` gives for `owner`, made the first time this process asks."""
    known = _KEPT.get((kind, id(owner)))
    if known is None or known[0] is not owner:
        known = _KEPT[(kind, id(owner))] = (owner, make())
    return cast(T, known[1])


def _remembered_readings(divisions: Divisions) -> dict[str, tuple[Code, ...]]:
    """The readings of each place found so far: a batch names the same few cities and governments file after
    file."""
    return _kept_for("readings", divisions, dict)


def _by_first_character(names: dict[Code, str]) -> dict[str, list[tuple[Code, str]]]:
    """The names of a table by their first character: a place is matched against the few dozen names that can
    start it, not the country's three thousand."""
    return _kept_for("index", names, lambda: _index_by_first_character(names))


def _index_by_first_character(names: dict[Code, str]) -> dict[str, list[tuple[Code, str]]]:
    index: dict[str, list[tuple[Code, str]]] = {}
    for code, name in names.items():
        if name:
            index.setdefault(name[0], []).append((code, name))
    return index


def province_code(code: Code) -> Code:
    return code[:2] + "0000"


def data_used(params: Params) -> Divisions | None:
    """The division data a rule's parameters carry, for `explain` to name."""
    data = getattr(params, "divisions", None)
    return data if isinstance(data, Divisions) else None


# --- where the applicant is ------------------------------------------------------------------

@dataclass(frozen=True)
class Home:
    """The applicant's 地市 and province as codes of the data, None where its own keys cannot be placed."""

    city: Code | None
    province: Code | None
    city_written: str
    province_written: str


def home_of(ctx: Context, divisions: Divisions, city_key: str, province_key: str) -> Home:
    city_written, province_written = str(lookup(ctx.data, city_key) or ""), str(lookup(ctx.data, province_key) or "")
    cities = {divisions.city_of(c) for c in divisions.readings(city_written.strip())}
    city = cities.pop() if len(cities) == 1 else None
    if city is not None and divisions.level(city) == "province" and city not in divisions.municipalities:
        city = None
    provinces = [c for c in divisions.readings(province_written.strip()) if divisions.level(c) == "province"]
    province = provinces[0] if provinces else (province_code(city) if city else None)
    return Home(city, province, city_written, province_written)


# --- verdicts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    outcome: OutcomeKind
    reason: Localized


def review(zh: str, en: str, /, **values: object) -> Verdict:
    return Verdict("review", worded(zh, en, **values))


def fail(zh: str, en: str, /, **values: object) -> Verdict:
    return Verdict("fail", worded(zh, en, **values))


def passed(zh: str, en: str, /, **values: object) -> Verdict:
    return Verdict("pass", worded(zh, en, **values))


def one_verdict(verdicts: list[Verdict], place: str) -> Verdict:
    """The verdict when every reading of a name agrees; review when the readings disagree."""
    outcomes = {v.outcome for v in verdicts}
    if len(outcomes) == 1:
        return verdicts[0]
    return review("：“{place}”可指不止一处行政区，各处结论不同，须审核确认",
                  ": “{place}” names more than one division, with different conclusions; a reviewer must confirm",
                  place=place)


def unplaced(place: str, divisions: Divisions) -> Verdict:
    return review("：行政区划数据（{file}）中找不到“{place}”，无法判断层级，须审核确认",
                  ": the division data ({file}) has no “{place}”; its level cannot be told, a reviewer must confirm",
                  place=place, file=divisions.file)


def not_home(what: Localized, written: str) -> Verdict:
    return review("：申报单位的{what}“{written}”在行政区划数据中找不到，无法核对是否为所在地，须审核确认",
                  ": the applicant's {what} “{written}” is not in the division data; whether this is its own "
                  "cannot be checked, a reviewer must confirm", what=what, written=written)


CITY = Localized("所在城市", "city")
PROVINCE = Localized("所在省份", "province")


# --- 二（一）2: who issued the support letter ----------------------------------------------------

GOVERNMENT = re.compile(r"(?P<place>.+?)(?:人民政府|行政公署)(?:办公厅|办公室)?")
"""A government, or its 办公厅/办公室 writing on its behalf; a 地区 or 盟 is governed by a 行政公署."""


def issuer_verdict(divisions: Divisions, issuer: str, level: str, home: Home) -> Verdict:
    """Whether `issuer` is the government of the applicant's own 地市 (`level` city) or province."""
    match = GOVERNMENT.fullmatch(issuer)
    if match is None:
        return review("：不是人民政府（或其办公厅、办公室）的名称，是否代表所需层级的政府出具须审核确认",
                      ": not the name of a people's government (or its general office); whether it speaks for "
                      "the government of the level required is for a reviewer to confirm")
    place = match["place"]
    codes = divisions.readings(place)
    if not codes:
        return unplaced(place, divisions)
    return one_verdict([government_verdict(divisions, code, level, home) for code in codes], place)


def government_verdict(divisions: Divisions, code: Code, level: str, home: Home) -> Verdict:
    if divisions.level(code) == "county":
        return county_government(divisions, code, level)
    if level == "province":
        return provincial_letter(divisions, code, home)
    return city_letter(divisions, code, home)


def county_government(divisions: Divisions, code: Code, level: str) -> Verdict:
    name, city = divisions.name(code), divisions.name(divisions.city_of(code))
    if level == "city" and divisions.under_big_city(code):
        big = BIG_CITY[divisions.city_of(code) in divisions.municipalities]
        return review("：{name}是{big}{city}下辖的区县，不是地市政府；能否代表地市出具支持函须审核确认",
                      ": {name} is a district of the {big} {city}, not a city government; whether it may stand "
                      "for the city is for a reviewer to confirm", name=name, city=city, big=big)
    return fail("：{name}是县级行政区（区、县、县级市、旗），其政府不是{required}",
                ": {name} is county-level (a district, county or county-level city); its government is not {required}",
                name=name, required=LETTER_FROM[level])


def provincial_letter(divisions: Divisions, code: Code, home: Home) -> Verdict:
    name = divisions.name(code)
    if divisions.level(code) == "prefecture":
        return fail("：{name}是地市级，离岸基地须省政府支持函", ": {name} is a city; an offshore base needs the "
                    "provincial government's letter", name=name)
    if home.province is None:
        return not_home(PROVINCE, home.province_written)
    if code == home.province:
        return passed("：是申报单位所在省级行政区{name}的人民政府", ": the government of {name}, the applicant's "
                      "province", name=name)
    return fail("：是{name}的政府，申报单位在{home}", ": the government of {name}; the applicant is in {home}",
                name=name, home=divisions.name(home.province))


def city_letter(divisions: Divisions, code: Code, home: Home) -> Verdict:
    name = divisions.name(code)
    if divisions.level(code) == "province" and code not in divisions.municipalities:
        return fail("：{name}是省级行政区，工作基地、研发社区须地市政府支持函", ": {name} is a province; a work "
                    "base or R&D community needs the city government's letter", name=name)
    if home.city is None:
        return not_home(CITY, home.city_written)
    if code != home.city:
        return fail("：是{name}的政府，申报单位所在地市为{home}", ": the government of {name}; the applicant's city "
                    "is {home}", name=name, home=divisions.name(home.city))
    if code in divisions.municipalities:
        return passed("：{name}是直辖市，其人民政府是省级政府，也是辖区内申报单位所在地的市政府，可作地市政府支持函",
                      ": {name} is a municipality; its government is provincial-level and also the city government "
                      "of an applicant inside it, so it serves as the city's letter", name=name)
    return passed("：是申报单位所在地市{name}的政府", ": the government of {name}, the applicant's city", name=name)


BIG_CITY = {True: Localized("直辖市", "municipality"), False: Localized("副省级城市", "sub-provincial city")}
LETTER_FROM = {"city": Localized("地市政府", "a city government"),
               "province": Localized("省政府", "a provincial government")}
GOVERNMENT_OF = {"city": Localized("申报单位所在地市的人民政府", "the government of the applicant's city"),
                 "province": Localized("申报单位所在省的人民政府", "the government of the applicant's province")}


class DivisionCheck(Params):
    """A name at `field` judged against the applicant's city and province (`fields`, in that order)."""

    field: str
    fields: list[str] = Field(min_length=2, max_length=2)
    divisions: Divisions


class IssuerCheck(DivisionCheck):
    level: Literal["city", "province"]


def government_required(p: IssuerCheck) -> Localized:
    return GOVERNMENT_OF[p.level]


@operator("letter_issuer", IssuerCheck, {"pass", "fail", "review", "missing"}, requirement=government_required,
          description=Localized(
              "按行政区划数据判断 {field} 是否为申报单位所在地（{fields}）所需层级的人民政府（或其办公厅、办公室）："
              "区、县、县级市的政府及其他城市或省份的政府不通过；直辖市、副省级城市的区和数据中找不到的名称须审核；"
              "直辖市人民政府是省级政府，也是其辖区内申报单位的市政府",
              "judges by the division data whether {field} is the government (or its general office) of the "
              "applicant's own city or province ({fields}) at the level required: a district, county or county-level "
              "city, or another city or province, fails; a district of a municipality or sub-provincial city, or a "
              "name the data does not hold, is for review; a municipality's government is provincial-level and also "
              "the city government of an applicant inside it"))
def letter_issuer(ctx: Context, p: IssuerCheck) -> Result:
    """The support letter's issuer is the government of the level required, of the applicant's own place."""
    issuer = lookup(ctx.data, p.field)
    if is_blank(issuer):
        return Result("missing", None, GOVERNMENT_OF[p.level], p.field)
    home = home_of(ctx, p.divisions, p.fields[0], p.fields[1])
    verdict = issuer_verdict(p.divisions, str(issuer).strip(), p.level, home)
    return Result(verdict.outcome, issuer, GOVERNMENT_OF[p.level], p.field,
                  {"actual": issuer, "reason": verdict.reason})


# --- 二（二）（2）: who did the city review --------------------------------------------------------

ASSOCIATION = re.compile(r"(?P<place>.+?)(?:科学技术协会|科协)")
CITY_ASSOCIATION = Localized("申报单位所在地的地市级科协或副省级城市科协",
                             "the science association of the applicant's city (prefecture-level or sub-provincial)")


def association_verdict(divisions: Divisions, body: str, home: Home) -> Verdict:
    """Whether `body` is the 科协 of the applicant's own 地市 (a 副省级城市's included)."""
    match = ASSOCIATION.fullmatch(body)
    if match is None:
        return review("：不是科协（科学技术协会）的名称，是否为地市级科协或副省级城市科协须审核确认",
                      ": not the name of a science association; whether it is a city's is for a reviewer to confirm")
    place = match["place"]
    codes = divisions.readings(place)
    if not codes:
        return unplaced(place, divisions)
    return one_verdict([association_at(divisions, code, home) for code in codes], place)


def association_at(divisions: Divisions, code: Code, home: Home) -> Verdict:
    name = divisions.name(code)
    if code in divisions.municipalities or divisions.city_of(code) in divisions.municipalities:
        return municipal_association(divisions, code, home)
    if divisions.level(code) == "province":
        return fail("：{name}科协是省级科协，不是地市级科协或副省级城市科协", ": the association of {name} is "
                    "provincial, not a city's", name=name)
    if divisions.level(code) == "county":
        return fail("：{name}是县级行政区，其科协不是地市级科协或副省级城市科协", ": {name} is county-level; its "
                    "association is not a city's", name=name)
    if home.city is None:
        return not_home(CITY, home.city_written)
    if code != home.city:
        return fail("：是{name}的科协，申报单位所在地市为{home}", ": the association of {name}; the applicant's city "
                    "is {home}", name=name, home=divisions.name(home.city))
    if code in divisions.sub_provincial_cities:
        return passed("：是申报单位所在副省级城市{name}的科协", ": the association of {name}, the applicant's "
                      "sub-provincial city", name=name)
    return passed("：是申报单位所在地市{name}的地市级科协", ": the association of {name}, the applicant's city",
                  name=name)


def municipal_association(divisions: Divisions, code: Code, home: Home) -> Verdict:
    """A 直辖市 has no 地市级科协: its own (provincial) 科协 or a district's may have done the city review."""
    city = divisions.city_of(code)
    if home.city is None:
        return not_home(CITY, home.city_written)
    if city != home.city:
        return fail("：是{name}的科协，申报单位所在地市为{home}", ": the association of {name}; the applicant's city "
                    "is {home}", name=divisions.name(code), home=divisions.name(home.city))
    return review("：{city}是直辖市，没有地市级科协；由{name}科协完成地市级审核是否可行，须审核确认",
                  ": {city} is a municipality and has no city-level association; whether the association of "
                  "{name} may do the city review is for a reviewer to confirm",
                  city=divisions.name(city), name=divisions.name(code))


@operator("city_association", DivisionCheck, {"pass", "fail", "review", "missing"},
          requirement=lambda _: CITY_ASSOCIATION, description=Localized(
              "按行政区划数据判断 {field} 是否为申报单位所在地（{fields}）的地市级科协或副省级城市科协：省级科协、"
              "区县科协及其他城市的科协不通过；直辖市的科协和数据中找不到的名称须审核",
              "judges by the division data whether {field} is the science association of the applicant's own city "
              "({fields}), prefecture-level or sub-provincial: a provincial or county association, or another "
              "city's, fails; a municipality's association, or a name the data does not hold, is for review"))
def city_association(ctx: Context, p: DivisionCheck) -> Result:
    """The city review was done by the 科协 of the applicant's own 地市 or 副省级城市."""
    body = lookup(ctx.data, p.field)
    if is_blank(body):
        return Result("missing", None, CITY_ASSOCIATION, p.field)
    home = home_of(ctx, p.divisions, p.fields[0], p.fields[1])
    verdict = association_verdict(p.divisions, str(body).strip(), home)
    return Result(verdict.outcome, body, CITY_ASSOCIATION, p.field, {"actual": body, "reason": verdict.reason})

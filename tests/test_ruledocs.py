"""The rule reference pages in docs/rules/ are generated from the rule files and kept up to date."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from haizhi_cli.engine._operators import OPERATORS, Localized
from haizhi_cli.engine._rules import load_round
from haizhi_cli.reports._ruledocs import INDEX, index_page, main, md, render, rule_page, write_docs
from tests.conftest import ROOT

RULESET = load_round(2023)
DOCS = ROOT / "docs" / "rules"
PAGES = render(RULESET)


def test_the_committed_pages_are_up_to_date(tmp_path: Path) -> None:
    written, _ = write_docs(tmp_path, RULESET)
    committed = sorted(p.name for p in DOCS.glob("*.md"))
    assert committed == written, "docs/rules/ does not match the rule files: run `make docs` and commit docs/rules/"
    for name in written:
        assert (DOCS / name).read_bytes() == (tmp_path / name).read_bytes(), \
            f"docs/rules/{name} is out of date: run `make docs` and commit docs/rules/"


def test_a_page_per_rule_and_an_index() -> None:
    assert set(PAGES) == {f"{r.id}.md" for r in RULESET.rules} | {INDEX}
    for each in RULESET.rules:
        assert f"]({each.id}.md)" in PAGES[INDEX]


def test_the_same_rules_give_the_same_bytes(tmp_path: Path) -> None:
    assert render(RULESET) == PAGES
    write_docs(tmp_path, RULESET)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    write_docs(tmp_path, RULESET)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first


def test_pages_of_rules_that_no_longer_exist_are_deleted(tmp_path: Path) -> None:
    (tmp_path / "work_base.gone.md").write_text("old", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kept", encoding="utf-8")
    _, deleted = write_docs(tmp_path, RULESET)
    assert deleted == ["work_base.gone.md"]
    assert not (tmp_path / "work_base.gone.md").exists() and (tmp_path / "notes.txt").exists()


def test_a_rule_page_holds_the_clause_threshold_and_both_examples() -> None:
    page = PAGES["work_base.service_area.md"]
    for text in ("# `work_base.service_area` 服务场地面积", "*Service area*", "> 拥有服务场地100平方米以上",
                 "| 工作基地 *work base* | >= 100 |", "```yaml\nbase.service_area_m2: 100\n```",
                 "```yaml\nbase.service_area_m2: 99\n```",
                 "| 不通过 *fail* | 服务场地 99 平方米，不足要求的 100 平方米",
                 "*service area 99 m² is below the required 100 m²*", "申报条件 *eligibility*",
                 "(../../rules/2023/work_base.yaml#L"):
        assert text in page, text


def test_what_a_page_says_is_checked_and_required_comes_from_the_operator(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = OPERATORS["max_chars"]
    monkeypatch.setitem(OPERATORS, "max_chars", dataclasses.replace(
        spec, description=(Localized("{field} 最多 {value} 字", "{field} holds {value} characters or fewer"),),
        requirement=lambda p: Localized(f"最多 {p.value} 字", f"{p.value} characters or fewer")))
    goals = RULESET.get("common.narrative_goals")
    assert goals is not None and goals.op == "max_chars"
    page = rule_page(RULESET, goals)
    assert "- `narratives.goals` 最多 `400` 字<br>*`narratives.goals` holds `400` characters or fewer*" in page
    assert "| 全部类型 *all types* | 最多 400 字 *400 characters or fewer* |" in page
    assert "| 最多 400 字 |" in index_page(RULESET)


def test_the_calendar_rule_page_says_it_has_no_examples() -> None:
    assert "此规则没有示例" in PAGES["common.round_open.md"]


def test_the_index_is_grouped_by_rule_file() -> None:
    index = PAGES[INDEX]
    headings = [line for line in index.splitlines() if line.startswith("## ")]
    assert [h.split("（")[-1] for h in headings] == [
        "`work_base.yaml`）", "`offshore_base.yaml`）", "`rd_community.yaml`）", "`common.yaml`）"]


def test_markdown_in_rule_text_is_escaped() -> None:
    assert md("a|b *c* [d] <b>") == r"a\|b \*c\* \[d\] \<b>"
    assert md("base.service_area_m2 >= 100 _x_") == r"base.service_area_m2 >= 100 \_x\_"


@pytest.mark.parametrize("args", [[], ["a", "b", "c"], ["docs", "next"]])
def test_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert "python -m haizhi_cli.reports._ruledocs" in capsys.readouterr().err


def test_main_writes_the_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "rules"), "2023"]) == 0
    assert sorted(p.name for p in (tmp_path / "rules").iterdir()) == sorted(PAGES)
    assert str(len(PAGES)) in capsys.readouterr().out

"""One language per command, all the way down: with `--lang en` every label and finding of check,
build-packet, explain and the xlsx is English; without it, Chinese. Labels come from one vocabulary."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import haizhi_cli
from haizhi_cli.cli import app
from haizhi_cli.i18n import BASE_TYPE_LABELS, CATEGORY_LABELS, STATUS_LABELS, Localized
from haizhi_cli.i18n._vocabulary import BASE_TYPE_NAMES, COMPLETE, ELIGIBLE, INCOMPLETE, NOT_ELIGIBLE
from tests.conftest import EXAMPLES

runner = CliRunner(env={"COLUMNS": "400", "HAIZHI_LANG": None})
FAILING = EXAMPLES / "fail-work-base-small-area" / "applicant.yaml"
CHECK_DAY = ("--as-of", "2023-09-01")
VERDICT_LABELS: list[Localized] = [*CATEGORY_LABELS.values(), *STATUS_LABELS.values(), ELIGIBLE, NOT_ELIGIBLE,
                                   COMPLETE, INCOMPLETE]
"""The labels a report prints of its own (base types are printed as their codes in English reports: the base
names and the rules' name formats, Chinese in every language, contain the Chinese type names)."""
LABELS = [*VERDICT_LABELS, *BASE_TYPE_LABELS.values(), *BASE_TYPE_NAMES.values()]
PACKAGE = Path(haizhi_cli.__file__).resolve().parent


def run(*args: str | Path) -> tuple[int, str]:
    done = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in done.output, done.output
    return done.exit_code, done.output


def messages(lang: str) -> set[str]:
    """The finding messages of the failing example in `lang`, from the JSON report."""
    _, out = run("check", *CHECK_DAY, "--format", "json", "--lang", lang, FAILING)
    return {f["message"] for f in json.loads(out)["findings"]}


def zh_labels_in(text: str, labels: list[Localized] = VERDICT_LABELS) -> list[str]:
    return [label.zh for label in labels if label.zh in text]


@pytest.fixture(scope="module")
def both() -> dict[str, set[str]]:
    found = {lang: messages(lang) for lang in ("zh", "en")}
    assert found["zh"].isdisjoint(found["en"])
    return found


def assert_speaks(text: str, lang: str, both: dict[str, set[str]]) -> None:
    """Every finding of the failing example is in `text` in `lang`, and none in the other language."""
    other = "zh" if lang == "en" else "en"
    missing = [m for m in both[lang] if " ".join(m.split()) not in " ".join(text.split())]
    assert not missing, missing
    assert not [m for m in both[other] if m in text]


def test_check_in_english_and_in_chinese(both: dict[str, set[str]]) -> None:
    _, english = run("check", *CHECK_DAY, "--format", "text", "--lang", "en", FAILING)
    assert_speaks(english, "en", both)
    assert zh_labels_in(english) == [] and "NOT eligible" in english and "fail" in english
    _, chinese = run("check", *CHECK_DAY, "--format", "text", FAILING)
    assert_speaks(chinese, "zh", both)
    assert "不符合申报条件" in chinese and "不通过" in chinese


def test_build_packet_in_english_and_in_chinese(both: dict[str, set[str]], tmp_path: Path) -> None:
    code, english = run("build-packet", *CHECK_DAY, "--lang", "en", FAILING, "-o", tmp_path / "en")
    assert code == 1
    assert_speaks(english, "en", both)
    assert zh_labels_in(english) == []
    code, chinese = run("build-packet", *CHECK_DAY, FAILING, "-o", tmp_path / "zh")
    assert code == 1
    assert_speaks(chinese, "zh", both)


def test_a_draft_build_summary_in_english(tmp_path: Path) -> None:
    code, english = run("build-packet", *CHECK_DAY, "--lang", "en", "--draft", FAILING, "-o", tmp_path / "d")
    assert code == 0 and "Written to" in english and "NOT eligible; complete" in english
    assert zh_labels_in(english.split("Written to")[1].replace("申报表", "")) == []


def test_explain_in_english_and_in_chinese() -> None:
    _, english = run("explain", "--lang", "en", "work_base.service_area")
    assert "eligibility" in english and "work base" in english and "fail" in english
    assert zh_labels_in(english, LABELS) == []
    _, chinese = run("explain", "work_base.service_area")
    assert "申报条件" in chinese and "工作基地" in chinese and "不通过" in chinese


def test_the_xlsx_in_english_and_in_chinese(both: dict[str, set[str]], tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    shutil.copytree(FAILING.parent, folder / "unit")
    for lang in ("en", "zh"):
        summary = tmp_path / f"summary-{lang}.xlsx"
        run("check", *CHECK_DAY, "--lang", lang, "--summary", summary, folder)
        cells = [str(c) for sheet in openpyxl.load_workbook(summary) for row in sheet.iter_rows(values_only=True)
                 for c in row if c is not None]
        failing = {m for m in both[lang] if m in cells}
        assert failing and not [m for m in both["zh" if lang == "en" else "en"] if m in cells]
        if lang == "en":
            assert zh_labels_in(" ".join(c for c in cells if c not in both["zh"])) == []
        else:
            assert STATUS_LABELS["fail"].zh in cells and CATEGORY_LABELS["eligibility"].zh in cells


def test_each_label_has_one_definition() -> None:
    """No other module of the package writes a category, status, base type or verdict label as a literal."""
    zh = {label.zh for label in LABELS}
    vocabulary = PACKAGE / "i18n" / "_vocabulary.py"
    found = [f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value}"
             for path in sorted(PACKAGE.rglob("*.py")) if path != vocabulary
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in zh]
    assert found == []


def test_the_one_definition_guard_sees_a_copy() -> None:
    node = ast.parse('LABELS = {"process": "程序与时限"}')
    assert any(isinstance(n, ast.Constant) and n.value == CATEGORY_LABELS["process"].zh for n in ast.walk(node))

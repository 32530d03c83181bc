"""The routes of `haizhi serve` against docs/serve.md: the form's layout, loading and saving with a version,
the check (the same findings as `haizhi check --format json`), new, import, build and explain."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from haizhi_cli.applicant import BASIC_INFO, SECTIONS, BaseType, count_chars
from haizhi_cli.applicant._form import field_title
from haizhi_cli.authoring import skeleton_text
from haizhi_cli.authoring._skeleton import SAVED_HEADER
from haizhi_cli.cli._app import app
from haizhi_cli.i18n import speaking
from tests.serving import client, example_copy
from tests.test_importing import blank, fill_like_a_person, render


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return example_copy(tmp_path)


def cli_report(path: Path) -> dict[str, Any]:
    """What `haizhi check --format json` prints for the file."""
    result = CliRunner().invoke(app, ["check", "--format", "json", "--as-of", "2023-09-01", "--lang", "zh",
                                      str(path)])
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def without_lines(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [{key: value for key, value in finding.items() if key != "line"} for finding in report["findings"]]


def loaded(folder: Path) -> dict[str, Any]:
    body: dict[str, Any] = client(folder).get("/api/applicant").json()
    return body


# --- the layout ---------------------------------------------------------------------------------------------

def test_the_form_follows_the_application_form_then_the_parts_not_on_it(folder: Path) -> None:
    form = client(folder).get("/api/form").json()
    ids = [section["id"] for section in form["sections"]]
    assert ids == ["一", "二", "三", "四", "五", "六", "七", "八",
                   "applicant", "eligibility", "conditions", "activities", "plan", "process"]
    assert [s["on_form"] for s in form["sections"]] == [True] * 8 + [False] * 6
    assert form["base_type"] == "work_base" and form["lang"] == "zh"
    assert {t["value"] for t in form["types"]} == {"work_base", "offshore_base", "rd_community"}
    assert form["schema"]["$id"] == "urn:haizhi:applicant-format-1"


def test_the_basic_information_is_the_forms_table_with_the_models_labels(folder: Path) -> None:
    first = client(folder).get("/api/form").json()["sections"][0]
    assert first["rows"] == [[key for _, key in pair] for pair in BASIC_INFO]
    fields = {field["path"]: field for field in first["fields"]}
    area = fields["base.service_area_m2"]
    assert area["label"] + f"（{area['unit']}）" == field_title("base.service_area_m2")
    assert (area["unit"], area["kind"], area["accepts_none"]) == ("平方米", "number", True)
    assert area["clause"] == "一（一）2（2）"
    assert fields["base.established"]["kind"] == "date"
    assert {c["value"] for c in fields["base_type"]["choices"]} >= {"work_base", "offshore_base"}


def test_sections_two_to_five_carry_the_limits_of_the_rules(folder: Path) -> None:
    sections = client(folder).get("/api/form").json()["sections"][1:5]
    limits = {s["fields"][0]["path"]: s["fields"][0]["limit"] for s in sections}
    assert limits == {"narratives.foundation": 1000, "narratives.purpose": 600, "narratives.goals": 400,
                      "narratives.policies": 1000}
    assert [s["fields"][0]["instruction"] for s in sections] == [instruction for _, instruction, _ in SECTIONS]


def test_the_targets_table_has_a_column_per_plan_year(folder: Path) -> None:
    plan = next(s for s in client(folder).get("/api/form").json()["sections"] if s["id"] == "plan")
    targets = next(f for f in plan["fields"] if f["path"] == "plan.targets")
    assert targets["kind"] == "table"
    assert [c["key"] for c in targets["columns"]] == ["indicator", "unit", "values.2024", "values.2025", "values.2026"]


def test_an_attachment_list_is_a_table_of_titles_and_files(folder: Path) -> None:
    seven = next(s for s in client(folder).get("/api/form").json()["sections"] if s["id"] == "七")
    proofs = next(f for f in seven["fields"] if f["path"] == "attachments.proofs")
    assert proofs["kind"] == "table" and [(c["key"], c["label"]) for c in proofs["columns"]] == [
        ("title", "标题"), ("file", "文件")]
    assert [item["generated"] for item in seven["items"]] == [False, True, False, False, False, False]
    assert [item["asked"] for item in seven["items"]] == [True, True, True, True, False, True]


def test_the_layout_is_in_english_with_lang_en(folder: Path) -> None:
    form = client(folder, "en").get("/api/form").json()
    assert form["lang"] == "en" and form["ui"]["save"] == "Save"
    assert next(t for t in form["types"] if t["value"] == "work_base")["label"] != "工作基地"


# --- load, save, version ----------------------------------------------------------------------------------

def test_the_applicant_is_loaded_with_its_version(folder: Path) -> None:
    body = loaded(folder)
    raw = (folder / "applicant.yaml").read_bytes()
    assert body["exists"] is True and body["path"] == "applicant.yaml"
    assert body["version"] == hashlib.sha256(raw).hexdigest()
    assert body["data"]["base"]["established"] == "2016-05-18"
    assert body["data"]["plan"]["targets"][0]["values"].keys() == {"2024", "2025", "2026"}


def test_saving_what_was_loaded_keeps_every_value_and_the_verdict(folder: Path) -> None:
    before = yaml.safe_load((folder / "applicant.yaml").read_text(encoding="utf-8"))
    body = loaded(folder)
    response = client(folder).post("/api/save", json={"data": body["data"], "version": body["version"]})
    assert response.status_code == 200, response.text
    text = (folder / "applicant.yaml").read_text(encoding="utf-8")
    assert text.startswith(SAVED_HEADER)
    assert yaml.safe_load(text) == before
    assert without_lines(cli_report(folder / "applicant.yaml")) == without_lines(cli_report(
        example_copy(folder.parent / "original") / "applicant.yaml"))
    assert loaded(folder)["version"] == response.json()["version"]


def test_saving_keeps_keys_the_form_does_not_show(folder: Path) -> None:
    body = loaded(folder)
    data = copy.deepcopy(body["data"])
    data["eligibility"]["intl_org_offices"] = 3  # a key no rule of a 工作基地 reads: the form does not show it
    data["base"]["service_area_m2"] = 99
    assert client(folder).post("/api/save", json={"data": data, "version": body["version"]}).status_code == 200
    saved = yaml.safe_load((folder / "applicant.yaml").read_text(encoding="utf-8"))
    assert saved["eligibility"]["intl_org_offices"] == 3 and saved["base"]["service_area_m2"] == 99


def test_a_file_changed_on_disk_is_not_saved_over(folder: Path) -> None:
    body = loaded(folder)
    changed = (folder / "applicant.yaml").read_text(encoding="utf-8") + "# edited in another program\n"
    (folder / "applicant.yaml").write_text(changed, encoding="utf-8")
    response = client(folder).post("/api/save", json={"data": body["data"], "version": body["version"]})
    assert response.status_code == 409
    assert response.json()["error"] == "changed_on_disk" and "注释" in response.json()["message"]
    assert (folder / "applicant.yaml").read_text(encoding="utf-8") == changed


def test_a_deleted_file_is_not_saved_over_either(folder: Path) -> None:
    body = loaded(folder)
    (folder / "applicant.yaml").unlink()
    response = client(folder).post("/api/save", json={"data": body["data"], "version": body["version"]})
    assert response.status_code == 409 and not (folder / "applicant.yaml").exists()


def test_a_file_that_is_not_yaml_is_loaded_as_its_error(folder: Path) -> None:
    (folder / "applicant.yaml").write_text("format: 1\nformat: 2\n", encoding="utf-8")
    body = loaded(folder)
    assert body["exists"] is True and body["data"] is None
    assert "format" in body["error"] and len(body["version"]) == 64


@pytest.mark.parametrize("body", [{"data": {}}, {"version": "x"}, {"data": [], "version": "x"}])
def test_a_save_without_data_and_version_is_a_bad_request(folder: Path, body: dict[str, Any]) -> None:
    response = client(folder).post("/api/save", json=body)
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_a_body_that_is_not_json_is_a_bad_request_not_a_traceback(folder: Path) -> None:
    response = client(folder).post("/api/check", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"] == "bad_request"
    assert "Traceback" not in response.text


def test_a_body_larger_than_twice_an_applicant_file_is_refused_unread(folder: Path) -> None:
    from haizhi_cli.applicant import MAX_FILE_BYTES

    huge = b'{"data": {"x": "' + b"a" * (2 * MAX_FILE_BYTES) + b'"}}'
    response = client(folder).post("/api/check", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"] == "too_large"


# --- check ------------------------------------------------------------------------------------------------

def test_the_check_gives_what_check_json_gives_on_the_same_file(folder: Path) -> None:
    data = loaded(folder)["data"]
    body = client(folder).post("/api/check", json={"data": data}).json()
    expected = cli_report(folder / "applicant.yaml")
    assert without_lines(body["report"]) == without_lines(expected)
    assert {k: v for k, v in body["report"].items() if k not in ("file", "findings")} == {
        k: v for k, v in expected.items() if k not in ("file", "findings")}
    assert body["verdict"] == {"eligible": True, "complete": True, "text": "符合申报条件；材料齐全"}


def test_the_check_of_saved_data_is_the_check_of_the_saved_file_line_for_line(folder: Path) -> None:
    body = loaded(folder)
    data = body["data"]
    data["base"]["service_area_m2"] = 99
    checked = client(folder).post("/api/check", json={"data": data}).json()["report"]
    client(folder).post("/api/save", json={"data": data, "version": body["version"]})
    assert checked["findings"] == cli_report(folder / "applicant.yaml")["findings"]


def finding(report: dict[str, Any], rule: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in report["findings"] if f["rule"] == rule)
    return found


def test_a_service_area_below_100_fails_citing_its_clause(folder: Path) -> None:
    data = loaded(folder)["data"]
    data["base"]["service_area_m2"] = 99
    body = client(folder).post("/api/check", json={"data": data}).json()
    area = finding(body["report"], "work_base.service_area")
    assert (area["status"], area["clause"], area["field"]) == ("fail", "一（一）2（2）", "base.service_area_m2")
    assert body["verdict"]["eligible"] is False and body["verdict"]["text"].startswith("不符合申报条件")
    data["base"]["service_area_m2"] = 100
    again = client(folder).post("/api/check", json={"data": data}).json()
    assert finding(again["report"], "work_base.service_area")["status"] == "pass"


def test_a_round_the_rules_do_not_have_is_reported_as_check_reports_it(folder: Path) -> None:
    data = loaded(folder)["data"]
    data["round"] = 2099
    response = client(folder).post("/api/check", json={"data": data})
    assert response.status_code == 200
    body = response.json()
    assert "2099" in json.dumps(body["report"], ensure_ascii=False)
    assert body["counts"]["narratives.goals"]["limit"] == 400  # the latest round's limits meanwhile


def test_counts_are_the_checks_counts(folder: Path) -> None:
    data = loaded(folder)["data"]
    data["narratives"]["goals"] = "目标" * 200 + " plus three words"
    body = client(folder).post("/api/check", json={"data": data}).json()
    assert body["counts"]["narratives.goals"] == {"count": count_chars(data["narratives"]["goals"]), "limit": 400}
    assert body["counts"]["narratives.goals"]["count"] == 403
    goals = [f for f in body["report"]["findings"] if f.get("field") == "narratives.goals" and f["status"] == "fail"]
    assert goals and "403" in goals[0]["message"]


def test_data_that_does_not_fit_the_format_comes_back_as_errors_with_their_key(folder: Path) -> None:
    data = loaded(folder)["data"]
    data["base"]["staff_total"] = "twelve"
    response = client(folder).post("/api/check", json={"data": data})
    assert response.status_code == 200
    body = response.json()
    assert "base.staff_total" in json.dumps(body["report"]["error"], ensure_ascii=False)
    assert body["verdict"]["eligible"] is None
    assert [error["path"] for error in body["errors"]] == ["base.staff_total"]
    del data["narratives"]["goals"]
    body = client(folder, "en").post("/api/check", json={"data": data}).json()
    assert [error["path"] for error in body["errors"]] == ["base.staff_total", "narratives.goals"]


def test_a_check_after_the_first_is_fast(folder: Path) -> None:
    session = client(folder)
    data = loaded(folder)["data"]
    session.post("/api/check", json={"data": data})
    started = time.perf_counter()
    for _ in range(5):
        assert session.post("/api/check", json={"data": data}).status_code == 200
    assert (time.perf_counter() - started) / 5 < 0.3


def test_explain_gives_the_clause_its_quote_and_what_explain_prints(folder: Path) -> None:
    body = client(folder).get("/api/explain/work_base.service_area").json()
    assert body["clause"] == "一（一）2（2）" and "100平方米" in body["quote"]
    assert "通知原文" in body["text"] and "\x1b" not in body["text"]
    missing = client(folder).get("/api/explain/work_base.nope")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


# --- a folder without applicant.yaml ----------------------------------------------------------------------

def test_a_new_file_is_inits_skeleton_and_is_never_written_twice(tmp_path: Path) -> None:
    session = client(tmp_path)
    assert session.get("/api/applicant").json() == {"exists": False, "path": "applicant.yaml"}
    created = session.post("/api/new", json={"base_type": "offshore_base"})
    assert created.status_code == 200 and created.json()["exists"] is True
    text = (tmp_path / "applicant.yaml").read_text(encoding="utf-8")
    with speaking("zh"):
        assert text == skeleton_text(BaseType.offshore_base, "applicant-format-1.schema.json")
    assert created.json()["data"]["base_type"] == "offshore_base"
    again = session.post("/api/new", json={"base_type": "work_base"})
    assert again.status_code == 409 and again.json()["error"] == "exists"
    assert (tmp_path / "applicant.yaml").read_text(encoding="utf-8") == text


def test_an_unknown_type_is_refused(tmp_path: Path) -> None:
    response = client(tmp_path).post("/api/new", json={"base_type": "moon_base"})
    assert response.status_code == 400 and not (tmp_path / "applicant.yaml").exists()


# --- import, attachments, build ---------------------------------------------------------------------------

def test_a_word_form_is_read_as_import_reads_it_with_notes_by_field(folder: Path, tmp_path: Path) -> None:
    filled = fill_like_a_person(blank(tmp_path / "blank"))
    before = (folder / "applicant.yaml").read_bytes()
    response = client(folder).post("/api/import", files={"file": ("申报表.docx", filled.read_bytes(), "application/x")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["base_type"] in ("work_base", "offshore_base", "rd_community")
    assert any(note["path"] == "base.service_area_m2" for note in body["notes"]), body["notes"]
    assert (folder / "applicant.yaml").read_bytes() == before


def test_a_rendered_form_comes_back_with_its_values(folder: Path, tmp_path: Path) -> None:
    from haizhi_cli.applicant import load_applicant

    rendered = render(load_applicant(folder / "applicant.yaml", [2023]).applicant, tmp_path / "申报表.docx")
    body = client(folder).post("/api/import", files={"file": ("申报表.docx", rendered.read_bytes(), "x")}).json()
    assert body["data"]["base"]["service_area_m2"] == 350
    assert body["data"]["base_name"] == loaded(folder)["data"]["base_name"]


def test_a_word_file_that_is_not_a_form_is_refused_with_the_reason(folder: Path, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("建设方案")
    document.save(str(tmp_path / "other.docx"))
    response = client(folder).post("/api/import", files={"file": ("other.docx", (tmp_path / "other.docx").read_bytes(),
                                                                  "x")})
    assert response.status_code == 400 and response.json()["error"] == "input"
    assert "申报表" in response.json()["message"] and "Traceback" not in response.text


def test_errors_are_in_english_with_lang_en(folder: Path) -> None:
    response = client(folder, "en").post("/api/attachments", files={"file": ("x.pdf", b"not a pdf", "x")})
    assert response.status_code == 415 and "only .pdf, .docx files" in response.json()["message"]


def test_the_attachments_are_listed_with_their_pages(folder: Path) -> None:
    files = client(folder).get("/api/attachments").json()["files"]
    assert {f["name"] for f in files} == {"overseas-contacts.pdf", "policies.pdf", "proofs.pdf", "support-letter.pdf"}
    assert all(f["pages"] == 1 and f["problems"] == [] and f["path"] == f"attachments/{f['name']}" for f in files)


def test_the_packet_is_built_from_the_saved_file_and_opened(folder: Path) -> None:
    session = client(folder)
    response = session.post("/api/build", json={"replace": False})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["draft"] is False and body["verdict"]["complete"] is True
    urls = {f["name"]: f["url"] for f in body["files"]}
    assert "packet.pdf" in urls and "申报表.docx" in urls
    pdf = session.get(urls["packet.pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.content == (folder / "packet" / "packet.pdf").read_bytes()
    assert session.get(urls["申报表.docx"]).headers["content-disposition"].startswith("attachment")
    again = session.post("/api/build", json={"replace": False})
    assert again.status_code == 409 and again.json()["error"] == "exists"


def test_a_packet_of_an_applicant_not_ready_is_a_draft(folder: Path) -> None:
    text = (folder / "applicant.yaml").read_text(encoding="utf-8")
    text = text.replace("service_area_m2: 350", "service_area_m2: 99")
    (folder / "applicant.yaml").write_text(text, encoding="utf-8")
    (folder / "packet").mkdir()
    (folder / "packet" / "mine.txt").write_text("not haizhi's", encoding="utf-8")
    session = client(folder)
    body = session.post("/api/build", json={"replace": True})
    assert body.status_code == 400  # not a packet haizhi built: even replace does not touch it
    assert body.json()["error"] == "input" and "manifest.json" in body.json()["message"]
    assert [p.name for p in (folder / "packet").iterdir()] == ["mine.txt"]
    (folder / "packet" / "mine.txt").unlink()
    (folder / "packet").rmdir()
    built = session.post("/api/build", json={"replace": False}).json()
    assert built["draft"] is True and built["verdict"]["eligible"] is False


def test_unknown_addresses_and_methods_answer_json(folder: Path) -> None:
    session = client(folder)
    assert session.get("/api/nothing").json()["error"] == "not_found"
    assert session.delete("/api/applicant").status_code == 405

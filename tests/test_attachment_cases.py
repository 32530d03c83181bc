"""Bad attachments, end to end: each is a failing `materials` finding naming the file and the problem
(exit 1), a page that is not A4 only warns, and build-packet never skips an attachment silently.

One fixture file per case lives in tests/fixtures/attachments/; cases about paths are made in the test
(a symbolic link cannot be committed portably)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from haizhi_cli.checking import _attachments as attachments
from haizhi_cli.cli._app import app
from tests.conftest import EXAMPLES, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "attachments"
runner = CliRunner(env={"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1694736000"})


def applicant_with_proof(tmp_path: Path, proof: str, fixture: str | None = None) -> Path:
    """The work-base example whose only proof is `proof` (a copy of `fixture` when given)."""
    folder = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", folder)
    if fixture:
        shutil.copyfile(FIXTURES / fixture, folder / "attachments" / fixture)
    path = folder / "applicant.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["attachments"]["proofs"] = [proof]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def check(path: Path) -> tuple[int, dict[str, object]]:
    res = runner.invoke(app, ["check", "--format", "json", "--as-of", "2023-09-01", str(path)])
    assert "Traceback" not in res.output
    report = json.loads(res.stdout)
    assert isinstance(report, dict)
    return res.exit_code, report


def file_findings(report: dict[str, object], rule: str) -> list[dict[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [f for f in findings if f["rule"] == rule and f["status"] != "pass"]


@pytest.mark.parametrize(("fixture", "problem"), [
    ("empty.pdf", "文件为空（0 字节）"),
    ("not-a-pdf.pdf", "不是 PDF 文件"),
    ("truncated.pdf", "PDF 文件已损坏或不完整"),
    ("encrypted.pdf", "PDF 已加密或设有密码"),
    ("encrypted-aes256.pdf", "PDF 已加密或设有密码"),
])
def test_a_bad_attachment_fails_naming_the_file_and_the_problem(tmp_path: Path, fixture: str, problem: str) -> None:
    code, report = check(applicant_with_proof(tmp_path, f"attachments/{fixture}", fixture))
    assert code == 1
    [finding] = file_findings(report, "common.attachment_files")
    assert finding["status"] == "fail" and finding["category"] == "materials"
    assert fixture in finding["message"] and problem in finding["message"]
    assert report["complete"] is False and report["eligible"] is True


@pytest.mark.parametrize(("proof", "problem"), [
    ("attachments/no-such-file.pdf", "文件不存在"),
    ("../outside.pdf", "路径指向申报文件所在文件夹之外"),
    ("/etc/hostname", "路径指向申报文件所在文件夹之外"),
])
def test_a_missing_or_escaping_path_fails(tmp_path: Path, proof: str, problem: str) -> None:
    (tmp_path / "outside.pdf").write_bytes((FIXTURES / "letter-size.pdf").read_bytes())
    code, report = check(applicant_with_proof(tmp_path, proof))
    assert code == 1
    [finding] = file_findings(report, "common.attachment_files")
    assert problem in finding["message"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_pointing_outside_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.pdf"
    shutil.copyfile(FIXTURES / "letter-size.pdf", secret)
    path = applicant_with_proof(tmp_path, "attachments/link.pdf")
    (path.parent / "attachments" / "link.pdf").symlink_to(secret)
    opened: list[Path] = []
    real_reader = attachments._read_pdf
    monkeypatch.setattr(attachments, "_read_pdf", lambda target, written: opened.append(target)
                        or real_reader(target, written))
    code, report = check(path)
    assert code == 1
    [finding] = file_findings(report, "common.attachment_files")
    assert "路径指向申报文件所在文件夹之外" in finding["message"]
    assert secret not in opened


def test_an_attachment_over_the_size_limit_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 100)
    code, report = check(applicant_with_proof(tmp_path, "attachments/letter-size.pdf", "letter-size.pdf"))
    assert code == 1
    problems = [f["message"] for f in file_findings(report, "common.attachment_files")]
    assert any("letter-size.pdf" in m and "文件过大" in m for m in problems)


def test_a_page_that_is_not_a4_only_warns(tmp_path: Path) -> None:
    code, report = check(applicant_with_proof(tmp_path, "attachments/letter-size.pdf", "letter-size.pdf"))
    assert code == 0
    [finding] = file_findings(report, "common.attachment_page_size")
    assert finding["status"] == "warn" and "letter-size.pdf" in finding["message"] and "A4" in finding["message"]


def test_build_packet_refuses_a_bad_attachment_and_a_draft_lists_it_as_missing(tmp_path: Path) -> None:
    path = applicant_with_proof(tmp_path, "attachments/truncated.pdf", "truncated.pdf")
    refused = runner.invoke(app, ["build-packet", str(path), "-o", str(tmp_path / "out"), "--as-of", "2023-09-01"])
    assert refused.exit_code == 1, refused.output
    assert not (tmp_path / "out").exists()
    draft = runner.invoke(app, ["build-packet", str(path), "-o", str(tmp_path / "draft"), "--draft",
                                "--as-of", "2023-09-01"])
    assert draft.exit_code == 0, draft.output
    checklist = "".join(p.extract_text() for p in PdfReader(tmp_path / "draft" / "材料清单.pdf").pages)
    assert "truncated.pdf" in checklist.replace("\n", "") and "缺" in checklist
    titles = [item["/Title"] for item in PdfReader(tmp_path / "draft" / "packet.pdf").outline if isinstance(item, dict)]
    assert not any("truncated" in t for t in titles)

"""The guard of `haizhi serve`: the token, the Host header, cross-site requests, uploads that would leave
attachments/, and /files/ that would serve anything outside the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haizhi_cli.serve._security import COOKIE
from tests.serving import ORIGIN, PORT, TOKEN, client, example_copy

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return example_copy(tmp_path)


def test_the_first_address_sets_the_cookie_and_drops_the_token(folder: Path) -> None:
    response = client(folder, signed_in=False).get(f"/?token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/" in cookie


@pytest.mark.parametrize("path", ["/api/applicant", "/api/form", "/api/attachments", "/files/packet/packet.pdf",
                                  "/static/app.js"])
def test_without_the_token_every_request_is_refused(folder: Path, path: str) -> None:
    response = client(folder, signed_in=False).get(path)
    assert response.status_code == 403
    assert response.json()["error"] == "token"


def test_without_the_token_the_page_says_where_to_open_it(folder: Path) -> None:
    response = client(folder, signed_in=False).get("/")
    assert response.status_code == 403
    assert "终端" in response.text and "token" in response.text


def test_a_wrong_token_is_refused_and_sets_no_cookie(folder: Path) -> None:
    anonymous = client(folder, signed_in=False)
    response = anonymous.get("/?token=guessed", follow_redirects=False)
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert anonymous.get("/api/applicant", headers={"Cookie": f"{COOKIE}=guessed"}).status_code == 403


def test_a_post_without_the_token_changes_nothing(folder: Path) -> None:
    before = (folder / "applicant.yaml").read_bytes()
    response = client(folder, signed_in=False).post("/api/save", json={"data": {}, "version": "x"})
    assert response.status_code == 403 and response.json()["error"] == "token"
    assert (folder / "applicant.yaml").read_bytes() == before


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1:1", "127.0.0.1", ""])
def test_a_request_for_another_host_is_refused_even_with_the_token(folder: Path, host: str) -> None:
    response = client(folder).get("/api/applicant", headers={"Host": host})
    assert response.status_code == 403 and response.json()["error"] == "host"


def test_localhost_with_the_port_is_the_servers_own_address(folder: Path) -> None:
    assert client(folder).get("/api/applicant", headers={"Host": f"localhost:{PORT}"}).status_code == 200


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Origin": "null"},
                                     {"Origin": f"http://127.0.0.1:{PORT + 1}"},
                                     {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}])
def test_a_cross_site_post_is_refused(folder: Path, headers: dict[str, str]) -> None:
    before = (folder / "applicant.yaml").read_bytes()
    response = client(folder).post("/api/new", json={"base_type": "work_base"}, headers=headers)
    assert response.status_code == 403 and response.json()["error"] == "cross-site"
    assert (folder / "applicant.yaml").read_bytes() == before


@pytest.mark.parametrize("headers", [{"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"},
                                     {"Sec-Fetch-Site": "none"}, {}])
def test_a_same_origin_post_goes_through(folder: Path, headers: dict[str, str]) -> None:
    response = client(folder).post("/api/check", json={"data": {}}, headers=headers)
    assert response.status_code == 200


def test_every_response_says_not_to_be_framed_by_others_or_sniffed(folder: Path) -> None:
    for response in (client(folder).get("/api/applicant"), client(folder, signed_in=False).get("/api/form")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "no-referrer"


# --- uploads stay inside attachments/ ---------------------------------------------------------------------

def upload(folder: Path, name: str, content: bytes = PDF, **fields: str) -> tuple[int, dict[str, object]]:
    response = client(folder).post("/api/attachments", files={"file": (name, content, "application/pdf")},
                                   data=fields)
    return response.status_code, response.json()


@pytest.mark.parametrize("name", ["../escape.pdf", "sub/x.pdf", "..\\escape.pdf", "/tmp/absolute.pdf", "..",
                                  ".hidden.pdf", "a..pdf"])
def test_an_upload_named_with_a_path_is_refused(folder: Path, tmp_path: Path, name: str) -> None:
    status, body = upload(folder, name)
    assert (status, body["error"]) == (400, "name"), body
    assert not (tmp_path / "escape.pdf").exists() and not Path("/tmp/absolute.pdf").exists()
    assert sorted(p.name for p in (folder / "attachments").iterdir()) == sorted(
        p.name for p in (example_copy(tmp_path / "fresh")).joinpath("attachments").iterdir())


def test_an_attachments_folder_that_is_a_link_is_not_followed(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.rename(folder / "attachments", tmp_path / "moved")
    (folder / "attachments").symlink_to(outside, target_is_directory=True)
    status, body = upload(folder, "new.pdf")
    assert (status, body["error"]) == (400, "name")
    assert list(outside.iterdir()) == []


def test_an_existing_link_in_attachments_is_not_written_through(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.pdf"
    target.write_bytes(b"%PDF-1.4 outside\n")
    (folder / "attachments" / "linked.pdf").symlink_to(target)
    status, body = upload(folder, "linked.pdf", overwrite="1")
    assert (status, body["error"]) == (400, "name")
    assert target.read_bytes() == b"%PDF-1.4 outside\n"


def test_an_upload_larger_than_fifty_megabytes_is_refused(folder: Path) -> None:
    status, body = upload(folder, "big.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024 - 4))
    assert (status, body["error"]) == (413, "too_large")
    assert "50 MB" in str(body["message"])
    assert not (folder / "attachments" / "big.pdf").exists()


def test_an_upload_of_exactly_fifty_megabytes_is_taken(folder: Path) -> None:
    status, body = upload(folder, "limit.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024 - 5))
    assert status == 201, body
    assert (folder / "attachments" / "limit.pdf").stat().st_size == 50 * 1024 * 1024


@pytest.mark.parametrize(("name", "content"), [("fake.pdf", b"MZ\x90\x00 not a pdf"), ("fake.pdf", b"PK\x03\x04"),
                                               ("script.exe", PDF), ("notes.txt", PDF), ("fake.docx", PDF),
                                               ("zip.docx", b"PK\x03\x04 not a zip")])
def test_only_pdf_and_word_files_by_name_and_bytes_are_taken(folder: Path, name: str, content: bytes) -> None:
    status, body = upload(folder, name, content)
    assert (status, body["error"]) == (415, "type")
    assert not (folder / "attachments" / name).exists()


def test_two_files_in_one_upload_are_a_bad_request_not_a_defect(folder: Path) -> None:
    two = [("file", ("a.pdf", PDF, "x")), ("file", ("b.pdf", PDF, "x"))]
    response = client(folder).post("/api/attachments", files=two)
    assert response.status_code == 400 and response.json()["error"] == "bad_request"
    assert not (folder / "attachments" / "a.pdf").exists()


def test_an_upload_never_overwrites_without_being_asked(folder: Path) -> None:
    original = (folder / "attachments" / "proofs.pdf").read_bytes()
    status, body = upload(folder, "proofs.pdf", PDF)
    assert (status, body["error"]) == (409, "exists")
    assert (folder / "attachments" / "proofs.pdf").read_bytes() == original
    status, _ = upload(folder, "proofs.pdf", PDF, overwrite="1")
    assert status == 201
    assert (folder / "attachments" / "proofs.pdf").read_bytes() == PDF


# --- /files/ serves nothing outside the folder -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/files/../outside.pdf", "/files/%2e%2e/outside.pdf",
                                  "/files/attachments/../../outside.pdf", "/files/%2Ftmp%2Foutside.pdf",
                                  "/files//etc/passwd", "/files/attachments/.secret.pdf",
                                  "/files/applicant.yaml", "/files/attachments", "/files/link/outside.pdf",
                                  "/files/attachments/linked.pdf"])
def test_files_outside_the_folder_or_hidden_are_not_served(folder: Path, tmp_path: Path, path: str) -> None:
    (tmp_path / "outside.pdf").write_bytes(PDF)
    (folder / "attachments" / ".secret.pdf").write_bytes(PDF)
    (folder / "link").symlink_to(tmp_path, target_is_directory=True)
    (folder / "attachments" / "linked.pdf").symlink_to(tmp_path / "outside.pdf")
    response = client(folder).get(path)
    assert response.status_code == 404, path
    assert response.content != PDF


def test_an_absolute_path_is_not_served(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.pdf").write_bytes(PDF)
    for path in (f"/files/{tmp_path}/outside.pdf", f"/files/{str(tmp_path).replace('/', '%2F')}%2Foutside.pdf"):
        response = client(folder).get(path)
        assert response.status_code == 404, path


def test_a_pdf_under_the_folder_is_served_inline(folder: Path) -> None:
    response = client(folder).get("/files/attachments/proofs.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.content == (folder / "attachments" / "proofs.pdf").read_bytes()


def test_without_folder_handles_an_upload_still_never_overwrites(folder: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system has no handles on folders (Windows), names are paths under attachments/."""
    monkeypatch.setattr(os, "supports_dir_fd", set())
    original = (folder / "attachments" / "proofs.pdf").read_bytes()
    assert upload(folder, "proofs.pdf")[0] == 409
    assert (folder / "attachments" / "proofs.pdf").read_bytes() == original
    assert upload(folder, "new.pdf")[0] == 201
    assert (folder / "attachments" / "new.pdf").read_bytes() == PDF
    assert [p.name for p in (folder / "attachments").iterdir() if p.name.startswith(".")] == []

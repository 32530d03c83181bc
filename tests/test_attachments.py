"""Facts about attachment files: only regular, readable, unencrypted PDFs inside the folder pass.

Every defect is a `FileFact` with a Chinese and an English problem, never an exception.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.errors import DependencyError

from haizhi_cli.checking import _attachments as attachments
from haizhi_cli.checking._attachments import probe, probe_one
from haizhi_cli.engine._operators import FileFact, Localized

HAS_CRYPTOGRAPHY = importlib.util.find_spec("cryptography") is not None

OUTSIDE = "路径指向申报文件所在文件夹之外，已拒绝读取；请把文件放入该文件夹"
NOT_FOUND = "文件不存在，请检查路径和文件名"
NOT_REGULAR = "不是普通文件"
EMPTY = "文件为空（0 字节）"
NOT_PDF = "不是 PDF 文件（文件内容不是 PDF，可能只是改了扩展名）；请导出或扫描为 PDF"
DAMAGED = "PDF 文件已损坏或不完整，无法读取；请重新导出"
ENCRYPTED = "PDF 已加密或设有密码，请导出不加密的版本"

# A one-page PDF that pypdf 7 encrypted with AES-256 (user password "secret"), made where the
# `cryptography` package was installed; used when it is not installed here and pypdf cannot write one.
AES_256_PDF = base64.b64decode(
    "JVBERi0xLjMKJeLjz9MKMSAwIG9iago8PAovUHJvZHVjZXIgPDc5ZjE0NjY1ZmUyMmQ0MzhhNTZjZTZhMWMzNTFmMDJlMmYx"
    "OThhMzFkOTYxNWZmMjViMDRlZTI3ZjVhZmJjM2Q+Cj4+CmVuZG9iagoyIDAgb2JqCjw8Ci9UeXBlIC9QYWdlcwovQ291bnQg"
    "MQovS2lkcyBbIDQgMCBSIF0KPj4KZW5kb2JqCjMgMCBvYmoKPDwKL1R5cGUgL0NhdGFsb2cKL1BhZ2VzIDIgMCBSCj4+CmVu"
    "ZG9iago0IDAgb2JqCjw8Ci9UeXBlIC9QYWdlCi9SZXNvdXJjZXMgPDwKPj4KL01lZGlhQm94IFsgMC4wIDAuMCA1OTUgODQy"
    "IF0KL1BhcmVudCAyIDAgUgo+PgplbmRvYmoKNSAwIG9iago8PAovViA1Ci9SIDYKL0xlbmd0aCAyNTYKL1AgNDI5NDk2NzI5"
    "MgovRmlsdGVyIC9TdGFuZGFyZAovTyA8OWE2MGRmZmI0ZGJkM2M3Y2JiZmE3MDRjOTFhODk0ZDE3NTk5MjMxNzAyN2VhYWJk"
    "OTA0OTBkNTcwOTE4ZWIyYThjYmExODZlMDFlZjEwNDFmYWIzM2UyNTQ0NTcxODYyPgovVSA8NzRhMjViNmZkZWZkZGVmNjBj"
    "MjQ0MTU4MjYwYTUwM2IwNGM4MmZlNTg2NTdmYTlhZjAxNDgxYzNiMjcyZWMyY2M3MzhkODM3YWFkMmVhMWU1MGVmYWE3Yzdl"
    "NTZkMjY3PgovQ0YgPDwKL1N0ZENGIDw8Ci9BdXRoRXZlbnQgL0RvY09wZW4KL0NGTSAvQUVTVjMKL0xlbmd0aCAzMgo+Pgo+"
    "PgovU3RtRiAvU3RkQ0YKL1N0ckYgL1N0ZENGCi9PRSA8YmQyNTg2MDJmZjdhZDBiODhjMGVkZjhmMGEzZWY5NWQ0MTFlNzYy"
    "OTlhNDAzNzRkYjdiYTliNTA5NTRjOTdhND4KL1VFIDxlZGQ0MDhiNjg5NWRlNThhZWY3ZjM3YzQzMTRiZDYyNjNiNzNjOGNi"
    "ZWYwMzdmNzQ5MjhkZDViNjQ3NWNjMmFhPgovUGVybXMgPGQzMTNhZTAzYzA2OTIzMTk1OTY5YTFlMTRmYjNkZDc1Pgo+Pgpl"
    "bmRvYmoKeHJlZgowIDYKMDAwMDAwMDAwMCA2NTUzNSBmIAowMDAwMDAwMDE1IDAwMDAwIG4gCjAwMDAwMDAxMTMgMDAwMDAg"
    "biAKMDAwMDAwMDE3MiAwMDAwMCBuIAowMDAwMDAwMjIxIDAwMDAwIG4gCjAwMDAwMDAzMTUgMDAwMDAgbiAKdHJhaWxlcgo8"
    "PAovU2l6ZSA2Ci9Sb290IDMgMCBSCi9JbmZvIDEgMCBSCi9JRCBbIDw5YjUyZjM2ZmZmZWE4ZmE4ZTY3MTczOGU3MzlmODVl"
    "NT4gPDliNTJmMzZmZmZlYThmYThlNjcxNzM4ZTczOWY4NWU1PiBdCi9FbmNyeXB0IDUgMCBSCj4+CnN0YXJ0eHJlZgo4NzAK"
    "JSVFT0YK"
)


def pdf_bytes(pages: int = 1, password: str | None = None, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None:
        writer.encrypt(password, algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The applicant's folder, with a readable PDF beside it (outside) that must never be read."""
    inner = tmp_path / "applicant"
    inner.mkdir()
    (tmp_path / "outside.pdf").write_bytes(pdf_bytes())
    (tmp_path / "outside_dir").mkdir()
    (tmp_path / "outside_dir" / "x.pdf").write_bytes(pdf_bytes())
    return inner


def problem_of(fact: FileFact) -> str:
    assert fact.problem is not None, fact
    assert fact.pages is None
    return fact.problem.zh


def test_one_page_pdf_is_ok(folder: Path) -> None:
    (folder / "ok.pdf").write_bytes(pdf_bytes())
    assert probe_one(folder, "ok.pdf") == FileFact("ok.pdf", None, 1)


def test_pages_are_counted_in_a_subfolder(folder: Path) -> None:
    (folder / "attachments").mkdir()
    (folder / "attachments" / "three.pdf").write_bytes(pdf_bytes(pages=3))
    assert probe_one(folder, "attachments/three.pdf") == FileFact("attachments/three.pdf", None, 3)


def test_a_path_that_goes_out_and_back_in_is_ok(folder: Path) -> None:
    (folder / "ok.pdf").write_bytes(pdf_bytes())
    assert probe_one(folder, "../applicant/ok.pdf") == FileFact("../applicant/ok.pdf", None, 1)


def test_missing_file(folder: Path) -> None:
    fact = probe_one(folder, "no-such.pdf")
    assert fact == FileFact("no-such.pdf", Localized(NOT_FOUND, "file not found; check the path and name"))


@pytest.mark.parametrize("path", ["../outside.pdf", "sub/../../outside.pdf", "../outside_dir/x.pdf", "../missing.pdf"])
def test_a_relative_path_out_of_the_folder_is_refused(folder: Path, path: str) -> None:
    fact = probe_one(folder, path)
    assert problem_of(fact) == OUTSIDE
    assert fact.written == path
    assert fact.problem is not None
    assert fact.problem.en == "the path leaves the applicant's folder and was not read; move the file into it"


def test_an_absolute_path_is_refused_even_inside_the_folder(folder: Path) -> None:
    (folder / "ok.pdf").write_bytes(pdf_bytes())
    assert problem_of(probe_one(folder, str(folder / "ok.pdf"))) == OUTSIDE
    assert problem_of(probe_one(folder, str(folder.parent / "outside.pdf"))) == OUTSIDE


@pytest.mark.parametrize(("link", "target", "path"), [
    ("link.pdf", "../outside.pdf", "link.pdf"),
    ("abs-link.pdf", "{outside}", "abs-link.pdf"),
    ("linked_dir", "../outside_dir", "linked_dir/x.pdf"),
])
def test_a_symlink_pointing_out_is_refused_and_never_read(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                          link: str, target: str, path: str) -> None:
    os.symlink(target.format(outside=folder.parent / "outside.pdf"), folder / link)

    def never(*args: object) -> FileFact:
        raise AssertionError(f"read a file outside the folder: {args}")

    monkeypatch.setattr(attachments, "_probe_pdf", never)
    monkeypatch.setattr(attachments, "_read_pdf", never)
    assert problem_of(probe_one(folder, path)) == OUTSIDE


def test_a_symlink_inside_the_folder_is_followed(folder: Path) -> None:
    (folder / "real.pdf").write_bytes(pdf_bytes(pages=2))
    os.symlink("real.pdf", folder / "alias.pdf")
    assert probe_one(folder, "alias.pdf") == FileFact("alias.pdf", None, 2)


def test_a_directory_is_not_a_file(folder: Path) -> None:
    (folder / "scans.pdf").mkdir()
    assert problem_of(probe_one(folder, "scans.pdf")) == NOT_REGULAR
    assert problem_of(probe_one(folder, ".")) == NOT_REGULAR


def test_an_empty_file(folder: Path) -> None:
    (folder / "empty.pdf").write_bytes(b"")
    fact = probe_one(folder, "empty.pdf")
    assert fact == FileFact("empty.pdf", Localized(EMPTY, "the file is empty (0 bytes)"))


def test_a_text_file_renamed_pdf(folder: Path) -> None:
    (folder / "letter.pdf").write_text("这是一封支持函，不是 PDF。\n", encoding="utf-8")
    assert problem_of(probe_one(folder, "letter.pdf")) == NOT_PDF


def test_a_word_file_renamed_pdf(folder: Path) -> None:
    (folder / "letter.pdf").write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    assert problem_of(probe_one(folder, "letter.pdf")) == NOT_PDF


def test_a_truncated_pdf(folder: Path) -> None:
    whole = pdf_bytes()
    assert len(whole) > 200
    (folder / "cut.pdf").write_bytes(whole[:200])
    fact = probe_one(folder, "cut.pdf")
    assert fact == FileFact("cut.pdf", Localized(DAMAGED, "the PDF is damaged or truncated"))


def test_a_pdf_header_followed_by_garbage(folder: Path) -> None:
    (folder / "junk.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    assert problem_of(probe_one(folder, "junk.pdf")) == DAMAGED


def test_an_rc4_encrypted_pdf(folder: Path) -> None:
    (folder / "locked.pdf").write_bytes(pdf_bytes(password="secret", algorithm="RC4-128"))
    fact = probe_one(folder, "locked.pdf")
    assert fact == FileFact("locked.pdf", Localized(ENCRYPTED, "the PDF is encrypted; export an unencrypted copy"))


def aes_256_pdf() -> bytes:
    """An AES-256 encrypted PDF: written here when pypdf can, else the stored one."""
    try:
        return pdf_bytes(password="secret", algorithm="AES-256")
    except DependencyError:
        assert not HAS_CRYPTOGRAPHY
        return AES_256_PDF


def test_an_aes_256_encrypted_pdf_is_a_problem_not_an_exception(folder: Path) -> None:
    (folder / "locked.pdf").write_bytes(aes_256_pdf())
    assert problem_of(probe_one(folder, "locked.pdf")) in (ENCRYPTED, DAMAGED)


def test_an_aes_256_encrypted_pdf_is_reported_as_encrypted(folder: Path) -> None:
    (folder / "locked.pdf").write_bytes(aes_256_pdf())
    assert problem_of(probe_one(folder, "locked.pdf")) == ENCRYPTED


def test_the_stored_aes_256_pdf_is_what_it_claims() -> None:
    assert AES_256_PDF.startswith(b"%PDF-1.3")
    assert b"/Encrypt 5 0 R" in AES_256_PDF
    assert b"/V 5\n/R 6\n/Length 256" in AES_256_PDF
    assert b"/CFM /AESV3" in AES_256_PDF


def test_a_file_over_the_size_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    (folder / "big.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1 - 9))
    assert (folder / "big.pdf").stat().st_size == 1024 * 1024 + 1
    fact = probe_one(folder, "big.pdf")
    too_large = Localized("文件过大（超过 1 MB），请压缩后重新扫描", "larger than 1 MB; compress it")
    assert fact == FileFact("big.pdf", too_large)


def test_a_file_at_the_size_limit_is_read(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = pdf_bytes()
    (folder / "ok.pdf").write_bytes(data)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", len(data))
    assert probe_one(folder, "ok.pdf") == FileFact("ok.pdf", None, 1)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", len(data) - 1)
    assert problem_of(probe_one(folder, "ok.pdf")).startswith("文件过大")


def test_the_default_limit_is_50_mb() -> None:
    assert attachments.MAX_ATTACHMENT_BYTES == 50 * 1024 * 1024


def test_probe_gives_one_fact_per_distinct_path(folder: Path) -> None:
    (folder / "ok.pdf").write_bytes(pdf_bytes())
    facts = probe(folder, ["ok.pdf", "../outside.pdf", "ok.pdf"])
    assert list(facts) == ["ok.pdf", "../outside.pdf"]
    assert facts["ok.pdf"] == FileFact("ok.pdf", None, 1)
    assert problem_of(facts["../outside.pdf"]) == OUTSIDE


# --- paths the operating system refuses: still a problem, never an exception -----------------

def test_a_symlink_loop_is_a_problem(folder: Path) -> None:
    os.symlink("loop-b", folder / "loop-a")
    os.symlink("loop-a", folder / "loop-b")
    assert probe_one(folder, "loop-a").problem is not None


def test_a_too_long_file_name_is_a_problem(folder: Path) -> None:
    assert probe_one(folder, "x" * 300 + ".pdf").problem is not None


def test_a_path_with_a_nul_byte_is_a_problem(folder: Path) -> None:
    assert probe_one(folder, "a\x00b.pdf").problem is not None


def test_a_letter_size_page_is_a_warning_not_a_problem(folder: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595.28, 841.89)
    writer.add_blank_page(612, 792)
    writer.add_blank_page(841.89, 595.28)
    writer.write(folder / "mixed.pdf")
    fact = probe_one(folder, "mixed.pdf")
    assert fact.problem is None and fact.pages == 3
    assert fact.warning is not None and fact.warning.zh.startswith("第 2 页不是 A4")


def test_an_a4_pdf_has_no_warning(folder: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(folder / "a4.pdf")
    assert probe_one(folder, "a4.pdf").warning is None


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = attachments._probe_pdf

    def counting(target: Path, written: str) -> FileFact:
        reads.append(target)
        return real(target, written)

    monkeypatch.setattr(attachments, "_probe_pdf", counting)
    return reads


def test_within_a_batch_a_shared_unchanged_pdf_is_read_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _count_reads(monkeypatch)
    (folder / "shared.pdf").write_bytes(pdf_bytes(2))
    with attachments.reading_each_file_once():
        first = probe(folder, ["shared.pdf"])
        second = probe(folder, ["./shared.pdf"])
    assert first == {"shared.pdf": FileFact("shared.pdf", None, 2)}
    assert second == {"./shared.pdf": FileFact("./shared.pdf", None, 2)}  # named as this applicant wrote it
    assert len(reads) == 1


def test_a_pdf_rewritten_within_a_batch_is_read_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _count_reads(monkeypatch)
    pdf = folder / "letter.pdf"
    pdf.write_bytes(pdf_bytes(1))
    with attachments.reading_each_file_once():
        assert probe(folder, ["letter.pdf"])["letter.pdf"].pages == 1
        pdf.write_bytes(pdf_bytes(3))
        assert probe(folder, ["letter.pdf"])["letter.pdf"].pages == 3
    assert len(reads) == 2


def test_outside_a_batch_nothing_is_remembered(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _count_reads(monkeypatch)
    (folder / "ok.pdf").write_bytes(pdf_bytes())
    with attachments.reading_each_file_once():
        probe(folder, ["ok.pdf"])
    probe(folder, ["ok.pdf"])
    probe(folder, ["ok.pdf"])
    assert len(reads) == 3


# --- digests: taken only where a copy can be told by them --------------------------------------------------


def test_a_file_of_a_size_of_its_own_is_not_hashed_and_copies_are(folder: Path) -> None:
    import hashlib

    (folder / "one.pdf").write_bytes(pdf_bytes(1))
    (folder / "two.pdf").write_bytes(pdf_bytes(2))
    (folder / "copy.pdf").write_bytes(pdf_bytes(2))
    facts = probe(folder, ["one.pdf", "two.pdf", "copy.pdf", "./two.pdf"])
    assert facts["one.pdf"].digest is None and facts["one.pdf"].pages == 1
    digest = hashlib.sha256(pdf_bytes(2)).hexdigest()
    assert facts["two.pdf"].digest == facts["copy.pdf"].digest == facts["./two.pdf"].digest == digest


def test_the_same_size_with_other_bytes_gives_other_digests(folder: Path) -> None:
    for name in ("a", "b"):  # one letter of the title differs
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.add_metadata({"/Title": name})
        writer.write(folder / f"{name}.pdf")
    assert (folder / "a.pdf").stat().st_size == (folder / "b.pdf").stat().st_size
    facts = probe(folder, ["a.pdf", "b.pdf"])
    assert None not in (facts["a.pdf"].digest, facts["b.pdf"].digest)
    assert facts["a.pdf"].digest != facts["b.pdf"].digest


def test_each_file_is_looked_at_once_to_find_those_of_a_shared_size(folder: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"{n}.pdf" for n in range(8)]
    for number, name in enumerate(names):
        (folder / name).write_bytes(pdf_bytes(1 + number % 2))
    stats: list[str] = []
    real = Path.stat

    def counted(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        stats.append(self.name)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", counted)
    facts = probe(folder, names)
    assert all(facts[name].size == (folder / name).stat().st_size for name in names)
    assert max(stats.count(name) for name in names) <= 3  # probed once; hashed (a shared size) once


def test_the_build_can_probe_without_hashing(folder: Path) -> None:
    (folder / "one.pdf").write_bytes(pdf_bytes())
    assert probe_one(folder, "one.pdf", hashed=False).digest is None
    assert probe_one(folder, "one.pdf").digest is not None


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_the_probed_file_is_copied_whole_by_the_kernel_or_through_a_buffer(folder: Path, kernel_copy: bool,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = pdf_bytes(3) + b"%" + os.urandom(3 * 1024 * 1024)  # more than one buffer's worth
    (folder / "scan.pdf").write_bytes(data)
    fact = probe_one(folder, "scan.pdf")
    if not kernel_copy:
        def refuse(*_: object) -> int:
            raise OSError("sendfile refused")
        monkeypatch.setattr(os, "sendfile", refuse)
    attachments.copy_probed(folder, fact, folder.parent / "copy.pdf")
    assert (folder.parent / "copy.pdf").read_bytes() == data


WRITTEN_PATHS = ["a.pdf", "sub/a.pdf", "sub/./a.pdf", "sub/../a.pdf", "sub/../../a.pdf", "linked/a.pdf",
                 "linked/alias.pdf", "sub/alias.pdf", "sub/out.pdf", "loop/a.pdf", "sub/loop/a.pdf",
                 "missing/a.pdf", "sub/missing.pdf", "sub/", "sub/.", "sub/..", "outside/a.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="a batch resolves folders once on POSIX only")
@pytest.mark.parametrize("written", WRITTEN_PATHS)
def test_a_batch_resolves_paths_as_realpath_does(folder: Path, tmp_path: Path, written: str) -> None:
    """Within a batch each folder is resolved once and only the last part looked at again; what a path resolves
    to must not change for it, whatever links, loops, `..` and missing parts it holds, asked twice."""
    (folder / "sub").mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-")
    (folder / "sub" / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "elsewhere").mkdir()
    os.symlink("sub", folder / "linked")
    os.symlink("a.pdf", folder / "sub" / "alias.pdf")
    os.symlink(tmp_path / "elsewhere" / "x.pdf", folder / "sub" / "out.pdf")
    os.symlink("loop", folder / "loop")
    os.symlink("../sub/loop", folder / "sub" / "loop")
    os.symlink(tmp_path / "elsewhere", folder / "outside")
    root = folder.resolve()
    expected = attachments.inside(root, written)
    assert expected == _inside_or_none(root, os.path.realpath(os.path.join(root, written)))
    with attachments.reading_each_file_once():
        assert [attachments.inside(root, written) for _ in range(2)] == [expected, expected]


def _inside_or_none(root: Path, resolved: str) -> Path | None:
    return Path(resolved) if Path(resolved).is_relative_to(root) else None

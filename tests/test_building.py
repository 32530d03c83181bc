"""`haizhi build-packet` end to end: what is written, how it is bound, and that nothing is lost."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader
from typer.testing import CliRunner

from haizhi_cli import __version__
from haizhi_cli.cli._app import app
from haizhi_cli.errors._errors import UsageError
from haizhi_cli.packet import _building as building
from haizhi_cli.packet._building import BuildOptions, BuildRefused, build_packet
from tests.conftest import CHECK_DAY, EPOCH, EXAMPLES, OPEN_EXAMPLES

runner = CliRunner(env={"COLUMNS": "200", "SOURCE_DATE_EPOCH": EPOCH})
ROLES = {"application_form", "construction_plan", "checklist", "support_letter_draft", "public_notice_draft",
         "attachment", "packet", "check_report", "support_letter"}


def build(example: str, out: Path, **options: object) -> building.BuildResult:
    return build_packet(EXAMPLES / example / "applicant.yaml", BuildOptions(out=out, as_of=CHECK_DAY, **options))


pytestmark = pytest.mark.usefixtures("reproducible")


@pytest.fixture(scope="module")
def built(open_packets: dict[str, Path]) -> dict[str, Path]:
    return open_packets


def manifest(out: Path) -> dict[str, object]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_every_file_is_in_the_manifest_with_its_hash(built: dict[str, Path], example: str) -> None:
    out = built[example]
    data = manifest(out)
    files = data["files"]
    assert isinstance(files, list)
    listed = {f["path"] for f in files}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert listed == on_disk
    assert {f["role"] for f in files} == ROLES
    for item in files:
        assert hashlib.sha256((out / item["path"]).read_bytes()).hexdigest() == item["sha256"]
        if item["format"] == "pdf":
            assert item["pages"] == len(PdfReader(out / item["path"]).pages)
    check = data["check"]
    assert isinstance(check, dict)
    assert {k: check[k] for k in ("eligible", "complete", "failed_rules")} == {
        "eligible": True, "complete": True, "failed_rules": []}


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_packet_pages_are_the_generated_pages_plus_the_attachment_pages(built: dict[str, Path], example: str) -> None:
    out = built[example]
    files = manifest(out)["files"]
    assert isinstance(files, list)
    generated = sum(f["pages"] for f in files if f["role"] in {"checklist", "application_form", "construction_plan"}
                    and f["format"] == "pdf")
    attachments = EXAMPLES / example / "attachments"
    attached = sum(len(PdfReader(p).pages) for p in sorted(attachments.glob("*.pdf")))
    assert len(PdfReader(out / "packet.pdf").pages) == generated + attached


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_packet_has_a_bookmark_for_every_document_and_attachment(built: dict[str, Path], example: str) -> None:
    reader = PdfReader(built[example] / "packet.pdf")
    titles = [item["/Title"] for item in _flatten(reader.outline)]
    assert titles[:3] == ["封面", "材料清单", "中国科协海智计划基地申报表"]
    assert "七2 海智计划基地建设方案" in titles and "七1 地方政府支持函" in titles
    numbers = [f["number"] for f in manifest(built[example])["files"]  # type: ignore[union-attr]
               if f["role"] == "attachment"]  # type: ignore[index]
    assert len(numbers) == len(sorted((EXAMPLES / example / "attachments").glob("*.pdf")))
    assert all(sum(t.startswith(f"{number} ") for t in titles) == 1 for number in numbers)
    assert reader.metadata is not None and reader.metadata.title.startswith(("中国科协", "国家海外", "海智国际"))
    assert reader.page_labels[:3] == ["封面", "1", "2"]


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_packet_opens_with_its_bookmarks_in_chinese_by_its_unit(built: dict[str, Path], example: str) -> None:
    reader = PdfReader(built[example] / "packet.pdf")
    root = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines" and root["/Lang"] == "zh-CN"
    unit = yaml.safe_load((EXAMPLES / example / "applicant.yaml").read_text(encoding="utf-8"))["applicant"]["name"]
    assert reader.metadata is not None and reader.metadata.author == unit


def _flatten(outline: list[object]) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    for entry in outline:
        items.extend(_flatten(entry) if isinstance(entry, list) else [entry])  # type: ignore[list-item]
    return items


def test_generated_pdfs_embed_their_fonts_and_the_chinese_extracts(built: dict[str, Path]) -> None:
    out = built["work-base"]
    for name in ("申报表.pdf", "建设方案.pdf", "材料清单.pdf"):
        reader = PdfReader(out / name)
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name
    text = "".join(page.extract_text() for page in PdfReader(out / "申报表.pdf").pages)
    assert "中国科协海智计划基地申报表" in text
    assert "苏州工业园区海外人才服务中心" in text


def test_the_checklist_gives_each_item_its_page_range(built: dict[str, Path]) -> None:
    out = built["work-base"]
    text = "".join(page.extract_text() for page in PdfReader(out / "材料清单.pdf").pages)
    cover = len(PdfReader(out / "材料清单.pdf").pages)
    form = len(PdfReader(out / "申报表.pdf").pages)
    assert f"{cover}–{cover + form - 1}" in text  # the cover is not numbered: the list's pages are 1 …
    assert "地方政府支持函" in text


def test_a_checklist_of_three_pages_numbers_the_pages_after_it(built: dict[str, Path]) -> None:
    out = built["offshore-base"]
    pages = PdfReader(out / "材料清单.pdf").pages
    assert len(pages) == 3  # the guess of two pages is wrong here: laid out again, the 申报表 printed from 3
    form = len(PdfReader(out / "申报表.pdf").pages)
    assert f"3–{2 + form}" in "".join(page.extract_text() for page in pages)


def test_each_pdf_is_written_once_however_often_the_checklist_is_laid_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from haizhi_cli.documents import _pdf_writer as pdf_writer

    outputs: list[str] = []
    real = pdf_writer.HaizhiPDF.output

    def output(self: pdf_writer.HaizhiPDF, *args: object, **kwargs: object) -> object:
        outputs.append(self.document.title)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_writer.HaizhiPDF, "output", output)
    build("offshore-base", tmp_path / "out")
    titles = Counter(outputs)  # the 申报表 and 建设方案 once: packet.pdf binds them with their numbers taken out
    assert sorted(titles.values()) == [1, 1, 1, 1] and titles["申报材料清单"] == 1


def test_a_build_reads_each_attachment_pdf_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from haizhi_cli.checking import _attachments as attachments

    read: list[str] = []
    real = attachments._read_pdf_facts

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        read.append(Path(path).name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(attachments, "_read_pdf_facts", counted)
    build("offshore-base", tmp_path / "out")
    named = {Path(p).name for p in (EXAMPLES / "offshore-base" / "attachments").iterdir()}
    assert sorted(read) == sorted(set(read)) and set(read) <= named and len(read) >= 10


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    assert gc.get_freeze_count() == 0
    build("work-base", tmp_path / "one")
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.freeze()  # a caller's own frozen objects stay frozen (those freed meanwhile leave the count)
    try:
        build("work-base", tmp_path / "two")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_support_letter_is_also_written_on_its_own(built: dict[str, Path]) -> None:
    out = built["work-base"]
    original = EXAMPLES / "work-base" / "attachments" / "support-letter.pdf"
    assert (out / "支持函.pdf").read_bytes() == original.read_bytes()


def test_two_builds_are_byte_identical(tmp_path: Path, built: dict[str, Path]) -> None:
    again = build("work-base", tmp_path / "again").out
    first = built["work-base"]
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(first)).read_bytes(), path.name


def test_an_ineligible_applicant_is_refused_with_its_report(tmp_path: Path) -> None:
    with pytest.raises(BuildRefused) as refused:
        build("fail-work-base-small-area", tmp_path / "out")
    assert not refused.value.report.eligible
    assert not (tmp_path / "out").exists()


def test_draft_builds_anyway_and_says_so(tmp_path: Path) -> None:
    result = build("fail-work-base-small-area", tmp_path / "out", draft=True)
    data = manifest(result.out)
    assert data["draft"] is True
    check = data["check"]
    assert isinstance(check, dict)
    assert {k: check[k] for k in ("eligible", "complete", "failed_rules")} == {
        "eligible": False, "complete": True, "failed_rules": ["work_base.service_area"]}
    assert check["counts"]["fail"] == 1
    page = PdfReader(result.out / "申报表.pdf").pages[0]
    assert "草稿" not in page.extract_text()  # the watermark is a shape, marked as an artifact, never text
    assert b"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC" in page.get_contents().get_data()
    assert any("草稿" in p.text for p in open_docx(str(result.out / "申报表.docx")).sections[0].header.paragraphs)


def test_an_existing_out_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("我的文件", encoding="utf-8")
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o", str(out),
                              "--as-of", "2023-09-01"])
    assert res.exit_code == 2, res.output
    assert "--force" in res.output
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_a_failed_build_leaves_the_previous_out_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")  # an earlier packet, which --force may replace

    def broken(*args: object) -> None:
        raise RuntimeError("renderer failed part-way")

    monkeypatch.setattr(building._Writer, "packet", broken)
    with pytest.raises(RuntimeError):
        build("work-base", out, force=True)
    assert [p.name for p in out.iterdir()] == ["manifest.json"]
    assert (out / "manifest.json").read_text(encoding="utf-8") == "{}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def digest_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("haizhi-digest")]


def test_a_failed_build_leaves_no_digest_being_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The digests are taken on a second thread; a build that fails waits for it before the staging folder
    goes (a file still open there could not be removed on Windows) and leaves no thread behind."""
    hashed: list[Path] = []
    real = building.file_digest

    def slow(path: Path) -> str:
        time.sleep(0.05)
        hashed.append(path)
        return real(path)

    def broken(*args: object) -> None:
        raise RuntimeError("renderer failed part-way")

    monkeypatch.setattr(building, "file_digest", slow)
    monkeypatch.setattr(building._Writer, "checklist", broken)
    with pytest.raises(RuntimeError):
        build("work-base", tmp_path / "out")
    assert hashed  # some digests were under way when the build failed …
    assert not digest_threads()  # … and none is left running
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_a_digest_that_fails_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(path: Path) -> str:
        raise OSError(5, "Input/output error", str(path))

    monkeypatch.setattr(building, "file_digest", unreadable)
    with pytest.raises(UsageError, match="Input/output error；已写的内容已清除"):
        build("work-base", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not digest_threads()


def test_force_replaces_an_existing_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    (out / "old.txt").write_text("旧", encoding="utf-8")
    build("work-base", out, force=True)
    assert not (out / "old.txt").exists()
    assert (out / "packet.pdf").exists()


def test_force_never_replaces_a_folder_that_is_not_a_packet(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "mine.txt").write_text("我的文件", encoding="utf-8")
    with pytest.raises(UsageError, match="不是 haizhi 生成的材料包"):
        build("work-base", out, force=True)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize("where", [".", "attachments", "parent"])
def test_out_holding_the_inputs_is_refused_even_with_force(tmp_path: Path, where: str) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    (unit / "manifest.json").write_text("{}", encoding="utf-8")
    out = {".": unit, "attachments": unit / "attachments", "parent": tmp_path}[where]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    options = BuildOptions(out=out, as_of=CHECK_DAY, force=True)
    with pytest.raises(UsageError, match="包含申报文件或其附件"):
        build_packet(unit / "applicant.yaml", options)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_out_inside_the_applicant_folder_is_fine(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    result = build_packet(unit / "applicant.yaml", BuildOptions(out=unit / "申报材料", as_of=CHECK_DAY))
    assert (result.out / "packet.pdf").exists() and (unit / "applicant.yaml").exists()


def test_attachments_with_the_same_name_are_all_bound(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    for sub in ("s1", "s2", "s3"):
        (unit / sub).mkdir()
    shutil.copyfile(unit / "attachments" / "proofs.pdf", unit / "s1" / "p-10.pdf")
    shutil.copyfile(unit / "attachments" / "policies.pdf", unit / "s2" / "p.pdf")
    shutil.copyfile(unit / "attachments" / "overseas-contacts.pdf", unit / "s3" / "p.pdf")
    path = unit / "applicant.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["attachments"]["proofs"] = ["s1/p-10.pdf", "s2/p.pdf", "s3/p.pdf"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = build_packet(path, BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY)).out
    copies = sorted((out / "attachments").iterdir())
    sources = [unit / "s1" / "p-10.pdf", unit / "s2" / "p.pdf", unit / "s3" / "p.pdf"]
    copied = {c.read_bytes() for c in copies}
    assert all(s.read_bytes() in copied for s in sources)
    assert len(copies) == 3 + 3  # the three proofs and the letter, contacts and policies


def test_a_draft_lists_an_unreadable_attachment_as_missing_and_binds_the_others(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    (unit / "broken.pdf").write_text("不是 PDF", encoding="utf-8")
    path = unit / "applicant.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["attachments"]["proofs"] = ["broken.pdf", "attachments/proofs.pdf"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = build_packet(path, BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY, draft=True)).out
    assert sorted(p.name for p in (out / "attachments").iterdir()) == [
        "七1-support-letter.pdf", "七3-2-proofs.pdf", "七4-1-overseas-contacts.pdf", "七6-1-policies.pdf"]
    text = "".join("".join(page.extract_text() for page in PdfReader(out / "材料清单.pdf").pages).split())
    assert "缺（无法读取）" in text and "broken.pdf（申报表七3）" in text
    titles = [item["/Title"] for item in _flatten(PdfReader(out / "packet.pdf").outline)]
    assert "七3-2 proofs.pdf" in titles and not any(t.startswith("七3-1") for t in titles)  # its place in 七3


def test_more_than_ten_tasks_are_numbered_in_chinese(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", unit)
    path = unit / "applicant.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plan"]["tasks"] = [{"title": f"任务{n}", "content": "内容。"} for n in range(1, 13)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = build_packet(path, BuildOptions(out=tmp_path / "out", as_of=CHECK_DAY)).out
    text = "".join(p.text for p in open_docx(str(out / "建设方案.docx")).paragraphs)
    assert "（十一）任务11" in text and "（十二）任务12" in text


def test_the_draft_letter_comes_from_the_level_the_type_needs(tmp_path: Path) -> None:
    out = build("offshore-base", tmp_path / "out").out
    text = "".join(p.text for p in open_docx(str(out / "支持函代拟稿.docx")).paragraphs)
    assert "浙江省人民政府" in text and "杭州市人民政府" not in text


def test_cli_builds_and_lists_what_it_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "rd-community", folder)
    res = runner.invoke(app, ["build-packet", str(folder / "applicant.yaml"), "-o", str(tmp_path / "out"),
                              "--as-of", "2023-09-01"])
    assert res.exit_code == 0, res.output
    assert "packet.pdf" in res.output and "符合申报条件；材料齐全" in res.output


def test_cli_refuses_an_ineligible_applicant_with_exit_1(tmp_path: Path) -> None:
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "fail-offshore-enterprise" / "applicant.yaml"),
                              "-o", str(tmp_path / "out"), "--as-of", "2023-09-01"])
    assert res.exit_code == 1, res.output
    assert "不符合申报条件" in res.output and "--draft" in res.output
    assert not (tmp_path / "out").exists()


def test_libreoffice_engine_without_libreoffice_is_a_clear_error(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(building.shutil, "which", lambda name: None)
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "work-base" / "applicant.yaml"), "-o",
                              str(tmp_path / "out"), "--engine", "libreoffice", "--as-of", "2023-09-01"])
    assert res.exit_code == 2, res.output
    assert "LibreOffice" in res.output
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_engine_converts_the_word_files(tmp_path: Path) -> None:
    result = build("work-base", tmp_path / "out", engine="libreoffice")
    text = "".join(page.extract_text() for page in PdfReader(result.out / "申报表.pdf").pages)
    assert "中国科协海智计划基地申报表" in text.replace(" ", "")
    assert "LibreOffice" in (PdfReader(result.out / "申报表.pdf").metadata or {}).get("/Producer", "")


def test_a_draft_build_prints_why_the_applicant_is_not_ready(tmp_path: Path) -> None:
    res = runner.invoke(app, ["build-packet", str(EXAMPLES / "fail-work-base-small-area" / "applicant.yaml"),
                              "-o", str(tmp_path / "out"), "--draft", "--as-of", "2023-09-01"])
    assert res.exit_code == 0, res.output
    assert "服务场地 99 平方米，不足要求的 100 平方米" in res.output
    assert "packet.pdf" in res.output


def test_the_checklist_repeats_its_header_row_on_every_page(built: dict[str, Path]) -> None:
    """The offshore example's 材料清单 runs over two pages: the second starts with the columns' names again."""
    pages = [page.extract_text() for page in PdfReader(built["offshore-base"] / "材料清单.pdf").pages]
    assert len(pages) >= 3
    first_rows = [" ".join(text.split()).removeprefix("材 料 清 单 ") for text in pages[1:]]
    assert all(row.startswith("编号 材料 页码 状态") for row in first_rows), first_rows


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_in_word_the_header_rows_are_marked_to_repeat(built: dict[str, Path], example: str) -> None:
    plan = open_docx(str(built[example] / "建设方案.docx"))
    rows = plan.tables[0].rows
    marked = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in rows]
    assert marked[0] and not any(marked[1:])
    form = open_docx(str(built[example] / "申报表.docx"))
    assert not any(row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
                   for table in form.tables for row in table.rows)  # the form's tables have no header row


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_cover_is_the_unit_s_and_the_check_report_stands_beside_the_packet(built: dict[str, Path],
                                                                              example: str) -> None:
    out = built[example]
    cover = PdfReader(out / "材料清单.pdf").pages[0].extract_text()
    assert "检查结论" not in cover and "符合申报条件" not in cover
    report = " ".join(page.extract_text() for page in PdfReader(out / "检查报告.pdf").pages)
    assert "检查结论" in report and "符合申报条件" in report and "材料齐全" in report
    assert "本报告由 haizhi" in " ".join(report.split()) or "haizhi" in report
    titles = [item["/Title"] for item in _flatten(PdfReader(out / "packet.pdf").outline)]
    assert not any("检查报告" in title for title in titles)  # never bound
    roles = {f["path"]: f["role"] for f in manifest(out)["files"]}  # type: ignore[index, union-attr]
    assert roles["检查报告.pdf"] == "check_report"


def test_the_check_report_lists_every_finding_failures_first(tmp_path: Path) -> None:
    out = build("fail-work-base-small-area", tmp_path / "draft", draft=True)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out.out / "检查报告.pdf").pages)
    assert "不符合申报条件" in text
    table = text.index("状态 条款 检查结果 要求")
    failing = text.index("服务场地 99 平方米", table)
    assert failing < text.index("待审核", failing) < text.index("通过 一", failing)
    assert text.index("待审核", table) > failing  # no review is listed before the failure


@pytest.mark.parametrize("example", OPEN_EXAMPLES)
def test_the_manifest_says_who_built_it_as_of_when_with_the_counts_and_each_attachment_s_item(
        built: dict[str, Path], example: str) -> None:
    data = manifest(built[example])
    assert data["haizhi"] == __version__ and data["as_of"] == CHECK_DAY.isoformat()
    counts = data["check"]["counts"]  # type: ignore[index]
    assert set(counts) == {"fail", "warn", "review"} and counts["fail"] == 0 and counts["review"] > 0
    files = data["files"]
    assert isinstance(files, list)
    items = {f["path"]: f.get("item") for f in files}
    assert items["支持函.pdf"] == "申报表七1"
    assert all(item and item.startswith("申报表七") for path, item in items.items() if path.startswith("attachments/"))
    assert [f["role"] for f in files if f["path"] == "支持函.pdf"] == ["support_letter"]


def test_a_draft_packet_says_so_in_its_title(tmp_path: Path) -> None:
    out = build("fail-work-base-small-area", tmp_path / "draft", draft=True).out
    title = (PdfReader(out / "packet.pdf").metadata or {}).get("/Title", "")
    assert title.startswith("草稿 ") and "中国科协海智工作基地" in title

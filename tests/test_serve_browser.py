"""`haizhi serve` in a real browser: Debian's Chromium, driven by Playwright, on a copy of the work-base example.

The real command runs as a subprocess; the test reads the address from its first line, edits the form as a user
would and compares what the page shows with what `haizhi check` says of the saved file. With HAIZHI_SCREENSHOTS
set to a folder it also writes the screenshots docs/images/serve-*.png (1280×800) there; a normal run writes none.
"""

from __future__ import annotations

import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader, PdfWriter

from haizhi_cli.applicant import count_chars
from haizhi_cli.i18n import STATUS_LABELS
from tests.conftest import EXAMPLES

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # the dev extra installs it; without it the test says so and skips
    HAVE_PLAYWRIGHT = False
else:
    HAVE_PLAYWRIGHT = True

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
AS_OF = "2023-09-01"
"""A day inside the 2023 round, for the page and the check of the saved file alike (as the README's runs)."""
BROWSER_LANGUAGE = {"zh": "zh-CN", "en": "en-US"}
"""The browser's own language (how a date field shows its date), as a user of that language has it."""
GOALS_MORE = "三年内引进海外科技人才50名，对接国际合作项目20项。" * 16
"""What the 预期目标 gets typed onto it: past its 400 字 with any example's text."""
SCREENSHOTS = ("serve-form.png", "serve-count.png", "serve-build.png")
"""The screenshots this test writes when HAIZHI_SCREENSHOTS names a folder (docs/images/sources.json lists them)."""
STARTUP_SECONDS = 60
WAIT_MS = 20_000

if HAVE_PLAYWRIGHT:
    expect.set_options(timeout=WAIT_MS)

STATIC = Path(__file__).resolve().parent.parent / "haizhi_cli" / "serve" / "static"
STATUSES = ("fail", "warn", "review", "pass")
"""A finding's statuses (docs/applicant-format.md), in the order the page groups them."""


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not HAVE_PLAYWRIGHT:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def first_line(process: subprocess.Popen[str]) -> str:
    """The first line the server prints, or a failure naming what it printed instead."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=STARTUP_SECONDS)
    except queue.Empty:
        pytest.fail(f"haizhi serve printed no address within {STARTUP_SECONDS} s")


@pytest.fixture
def folder(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The folder the server works in: a copy of the work-base example; with the test's parameter "empty", an
    empty folder; with "not YAML", the copy with an applicant.yaml that is not YAML."""
    work = tmp_path / "work"
    if getattr(request, "param", None) == "empty":
        work.mkdir()
        return work
    shutil.copytree(EXAMPLES / "work-base", work)
    if getattr(request, "param", None) == "not YAML":
        (work / "applicant.yaml").write_text("base: [unclosed\n", encoding="utf-8")
    return work


@pytest.fixture
def lang(request: pytest.FixtureRequest) -> str:
    """The run's language: Chinese, or the test's parameter."""
    return str(getattr(request, "param", "zh"))


@pytest.fixture
def served(folder: Path, lang: str, tmp_path: Path) -> Iterator[str]:
    """The address (with its token) `haizhi serve --no-browser FOLDER --port 0` prints first; stopped by Ctrl-C.
    Skipped, saying why, where there is no browser to open it in."""
    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    command = [sys.executable, "-m", "haizhi_cli", "serve", "--no-browser", str(folder), "--port", "0", "--lang", lang,
               "--as-of", AS_OF]
    log = tmp_path / "serve-stderr.txt"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, encoding="utf-8")
        try:
            line = first_line(process)
            found = re.search(r"http://(127\.0\.0\.1|localhost):\d+/\S*token=\S+", line)
            assert found, f"the first line is not the address with its token: {line!r}"
            yield found.group(0)
        finally:
            stop(process)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def stop(process: subprocess.Popen[str]) -> None:
    """Ctrl-C, as a user stops the server; it must end by itself."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("haizhi serve did not stop on Ctrl-C")
    finally:
        assert process.stdout is not None
        process.stdout.close()


@pytest.fixture
def page(served: str, lang: str, tmp_path: Path) -> Iterator[Page]:
    """A fresh Chromium profile showing the form."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, f"--lang={BROWSER_LANGUAGE[lang]}"], headless=True,
            viewport=VIEWPORT, locale=BROWSER_LANGUAGE[lang], accept_downloads=True)
        errors: list[str] = []
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.set_default_timeout(WAIT_MS)
        tab.goto(served)
        tab.wait_for_selector("#applicant-form:not([hidden]), #create:not([hidden]), #loading.unreadable")
        yield tab
        context.close()
        assert not errors, f"the page's script failed: {errors}"


def screenshot(page: Page, name: str) -> None:
    """Write docs/images/<name> into $HAIZHI_SCREENSHOTS, when set."""
    assert name in SCREENSHOTS
    folder = os.environ.get("HAIZHI_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name))


def two_page_pdf(folder: Path) -> Path:
    """A real two-page PDF (two of the example's attachments bound together) to upload."""
    writer = PdfWriter()
    for name in ("proofs.pdf", "policies.pdf"):
        writer.append(str(EXAMPLES / "work-base" / "attachments" / name))
    path = folder / "budget.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def finding(page: Page, rule: str, status: str) -> Any:
    return page.locator(f".finding[data-rule='{rule}'][data-status='{status}']")


def set_area(page: Page, value: str) -> None:
    page.fill("#field-base-service_area_m2", value)


def fail_rules(page: Page) -> set[str]:
    return set(page.locator(".finding[data-status='fail']").evaluate_all("nodes => nodes.map(n => n.dataset.rule)"))


def check_saved(folder: Path) -> dict[str, Any]:
    """`haizhi check --format json` on the file the page saved."""
    done = subprocess.run([sys.executable, "-m", "haizhi_cli", "check", "--format", "json", "--as-of", AS_OF,
                           "applicant.yaml"],
                          cwd=folder, capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def plain(value: Any) -> Any:
    """YAML data as JSON sees it (dates as text, keys as text), to compare two files' contents."""
    return json.loads(json.dumps(value, default=str))


def test_the_area_limit_shows_and_clears_its_finding(page: Page) -> None:
    set_area(page, "99")
    failed = finding(page, "work_base.service_area", "fail")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text("一（一）2（2）")
    expect(failed).to_contain_text("不通过")
    expect(page.locator("#verdict")).to_contain_text("不符合申报条件")
    expect(page.locator("#field-base-service_area_m2")).to_have_attribute("aria-invalid", "true")
    failed.locator(".finding-main").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#field-base-service_area_m2")).to_be_focused()
    failed.locator(".quote-toggle").click()
    expect(failed.locator(".quote")).to_contain_text("100")
    assert "null" not in failed.locator(".quote").inner_text()
    screenshot(page, "serve-form.png")
    set_area(page, "100")
    expect(finding(page, "work_base.service_area", "pass")).to_have_count(1)
    expect(finding(page, "work_base.service_area", "fail")).to_have_count(0)
    expect(page.locator("#verdict")).to_have_text("符合申报条件；材料齐全")


def test_the_word_count_turns_red_past_the_limit(page: Page) -> None:
    counter = page.locator("[data-count-for='narratives.goals']")
    original = page.input_value("#field-narratives-goals")
    expect(counter).to_have_text(re.compile(r"^\d+ / 400 字$"))
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))
    long = original + GOALS_MORE + " and 3 English words, 2023。"
    page.fill("#field-narratives-goals", long)
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    expect(counter).to_have_text(f"{count_chars(long)} / 400 字")
    expect(page.locator(".finding[data-status='fail'][data-field='narratives.goals']")).to_have_count(1)
    page.locator("#field-narratives-goals").scroll_into_view_if_needed()
    screenshot(page, "serve-count.png")


def upload(page: Page, pdf: Path) -> None:
    """Upload a PDF as item 3 (证明材料); a second upload of the same name asks before replacing it."""
    page.set_input_files("#upload-field-attachments-proofs", str(pdf))
    listed = page.locator("[data-files-for='attachments.proofs'] li", has_text="budget.pdf")
    expect(listed).to_contain_text("2 页")
    page.set_input_files("#upload-field-attachments-proofs", str(pdf))
    expect(page.locator("#dialog")).to_contain_text("budget.pdf")
    page.locator("#dialog").get_by_role("button", name="替换").click()
    expect(page.locator("[data-files-for='attachments.proofs']")).to_contain_text("budget.pdf")


def test_edit_upload_save_check_and_build(page: Page, folder: Path, tmp_path: Path) -> None:
    before = yaml.safe_load((folder / "applicant.yaml").read_text(encoding="utf-8"))
    set_area(page, "100")
    goals = page.input_value("#field-narratives-goals") + GOALS_MORE
    page.fill("#field-narratives-goals", goals)
    upload(page, two_page_pdf(tmp_path))
    assert (folder / "attachments" / "budget.pdf").is_file()
    expect(page.locator("#unsaved")).to_be_visible()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#unsaved")).to_be_hidden()

    saved = yaml.safe_load((folder / "applicant.yaml").read_text(encoding="utf-8"))
    before["base"]["service_area_m2"] = 100
    before["narratives"]["goals"] = goals
    before["attachments"]["proofs"].append({"file": "attachments/budget.pdf"})
    assert plain(saved) == plain(before), "the save changed more than the page's edits"

    report = check_saved(folder)
    assert (report["eligible"], report["complete"]) == (True, False)
    expect(page.locator("#verdict")).to_have_text("符合申报条件；材料不齐")
    expect(page.locator(".finding[data-status='fail']")).to_have_count(
        sum(item["status"] == "fail" for item in report["findings"]))
    assert fail_rules(page) == {item["rule"] for item in report["findings"] if item["status"] == "fail"}

    build_and_open(page, folder)
    import_word(page, folder / "packet" / "申报表.docx")


def build_and_open(page: Page, folder: Path) -> None:
    """Build the packet (a draft: 材料不齐) and open packet.pdf as the page links it."""
    page.get_by_role("button", name="生成材料包").click()
    result = page.locator("#build-result")
    link = result.get_by_role("link", name="packet.pdf")
    expect(link).to_be_visible(timeout=120_000)
    expect(result.locator(".draft-mark")).to_contain_text("草稿")
    assert "null" not in result.inner_text()
    assert link.get_attribute("target") == "_blank"
    assert result.get_by_role("link", name="申报表.docx").get_attribute("download") is not None
    screenshot(page, "serve-build.png")

    href = link.get_attribute("href")
    assert href
    response = page.context.request.get(page.url.split("/?")[0].rstrip("/") + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    pages = len(PdfReader(io.BytesIO(response.body())).pages)
    assert pages == len(PdfReader(folder / "packet" / "packet.pdf").pages) > 1
    with page.expect_popup() as popup:
        link.click()
    assert popup.value.url.endswith(href)
    popup.value.close()

    page.fill("#field-base-office_area_m2", "121")
    page.get_by_role("button", name="生成材料包").click()
    page.locator("#dialog").get_by_role("button", name="先保存，再生成").click()
    page.locator("#dialog").get_by_role("button", name="替换").click()
    expect(result.get_by_role("link", name="packet.pdf")).to_be_visible(timeout=120_000)
    expect(page.locator("#unsaved")).to_be_hidden()
    assert yaml.safe_load((folder / "applicant.yaml").read_text(encoding="utf-8"))["base"]["office_area_m2"] == 121


def test_a_file_changed_on_disk_is_not_overwritten(page: Page, folder: Path) -> None:
    path = folder / "applicant.yaml"
    changed = path.read_text(encoding="utf-8").replace("service_area_m2: 350", "service_area_m2: 360")
    path.write_text(changed, encoding="utf-8")
    set_area(page, "99")
    page.get_by_role("button", name="保存").click()
    dialog = page.locator("#dialog")
    expect(dialog.get_by_role("button", name="重新载入（放弃本页修改）")).to_be_visible()
    assert path.read_text(encoding="utf-8") == changed
    dialog.get_by_role("button", name="重新载入（放弃本页修改）").click()
    expect(page.locator("#field-base-service_area_m2")).to_have_value("360")
    expect(page.locator("#unsaved")).to_be_hidden()


def test_a_file_removed_on_disk_is_offered_anew_on_reload(page: Page, folder: Path) -> None:
    (folder / "applicant.yaml").unlink()
    set_area(page, "99")
    page.get_by_role("button", name="保存").click()
    page.locator("#dialog").get_by_role("button", name="重新载入（放弃本页修改）").click()
    expect(page.locator("#create")).to_be_visible()
    expect(page.locator("#applicant-form")).to_be_hidden()
    assert not (folder / "applicant.yaml").exists()


def import_word(page: Page, form: Path) -> None:
    """Import the 申报表 just built: the form shows what it holds, unsaved, and nothing is written."""
    page.fill("#field-base-service_area_m2", "350")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#unsaved")).to_be_hidden()
    saved = (form.parent.parent / "applicant.yaml").read_bytes()
    page.set_input_files("#import-file", str(form))
    expect(page.locator("#field-base-service_area_m2")).to_have_value("100")
    expect(page.locator("#unsaved")).to_be_visible()
    assert (form.parent.parent / "applicant.yaml").read_bytes() == saved


def test_leaving_with_unsaved_changes_asks_first(page: Page) -> None:
    set_area(page, "120")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


@pytest.mark.parametrize("folder", ["empty"], indirect=True)
def test_an_empty_folder_asks_for_the_base_type_and_creates_the_file(page: Page, folder: Path) -> None:
    expect(page.locator("#create")).to_be_visible()
    page.locator("#type-work_base").check()
    page.get_by_role("button", name="新建").click()
    expect(page.locator("#applicant-form")).to_be_visible()
    assert yaml.safe_load((folder / "applicant.yaml").read_text(encoding="utf-8"))["base_type"] == "work_base"
    expect(page.locator("#verdict")).to_contain_text("不符合申报条件")


def test_a_refused_upload_says_why_and_writes_nothing(page: Page, folder: Path) -> None:
    before = sorted(path.name for path in (folder / "attachments").iterdir())
    page.set_input_files("#upload-field-attachments-proofs",
                         files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF at all"}])
    status = page.locator("[data-item='3'] .upload-status.error")
    expect(status).to_contain_text("scan.pdf")
    expect(status).to_contain_text(".pdf")
    assert sorted(path.name for path in (folder / "attachments").iterdir()) == before
    expect(page.locator("#unsaved")).to_be_hidden()


def test_importing_a_blank_form_shows_its_notes_beside_the_fields(page: Page, folder: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank"
    subprocess.run([sys.executable, "-m", "haizhi_cli", "build-packet", "--blank", "-o", str(blank)],
                   check=True, capture_output=True)
    saved = (folder / "applicant.yaml").read_bytes()
    page.set_input_files("#import-file", str(blank / "申报表.docx"))
    notes = page.locator("#import-notes")
    expect(notes).to_be_visible()
    expect(page.locator("[data-field='base_name'] ul.notes")).to_contain_text("未填写")
    expect(page.locator("#field-base_name")).to_have_value(re.compile("^待填写"))
    expect(page.locator("#unsaved")).to_be_visible()
    notes.get_by_role("button", name=re.compile("基地地址")).click()
    expect(page.locator("#field-base-address")).to_be_focused()
    assert (folder / "applicant.yaml").read_bytes() == saved


@pytest.mark.parametrize("lang", ["en"], indirect=True)
def test_lang_en_gives_an_english_page(page: Page) -> None:
    assert page.evaluate("document.documentElement.lang") == "en"
    set_area(page, "99")
    failed = finding(page, "work_base.service_area", "fail")
    expect(failed.locator(".badge")).to_have_text(STATUS_LABELS["fail"].en)  # as every English report names it
    expect(failed).to_contain_text("一（一）2（2）")
    expect(page.locator("[data-count-for='narratives.goals']")).to_have_text(re.compile(r"^\d+ / 400 chars$"))
    ui = page.context.request.get(page.url.split("?")[0].rstrip("/") + "/api/form").json()["ui"]
    assert ui["save"] != "保存"
    for key, selector in (("save", "#btn-save"), ("import", "#btn-import"), ("build", "#btn-build"),
                          ("findings", "#panel-title"), ("unsaved", "#unsaved")):
        expect(page.locator(selector)).to_have_text(ui[key])


@pytest.mark.parametrize("folder", ["not YAML"], indirect=True)
def test_a_file_that_is_not_yaml_is_shown_as_such_and_never_rewritten(page: Page, folder: Path) -> None:
    expect(page.locator("#loading")).to_contain_text("applicant.yaml")
    expect(page.locator("#applicant-form")).to_be_hidden()
    for button in ("#btn-save", "#btn-import", "#btn-build"):
        expect(page.locator(button)).to_be_disabled()
    page.keyboard.press("Control+s")
    page.wait_for_timeout(500)
    assert (folder / "applicant.yaml").read_text(encoding="utf-8") == "base: [unclosed\n"


def test_a_value_the_format_refuses_is_a_finding_at_its_field(page: Page) -> None:
    set_area(page, "350 平方米")
    refused = page.locator(".finding[data-status='fail'][data-field='base.service_area_m2']")
    expect(refused).to_have_count(1)
    expect(page.locator("#field-base-service_area_m2")).to_have_attribute("aria-invalid", "true")
    refused.locator(".finding-main").click()
    expect(page.locator("#field-base-service_area_m2")).to_be_focused()
    set_area(page, "350")
    expect(refused).to_have_count(0)
    expect(page.locator("#verdict")).to_have_text("符合申报条件；材料齐全")


def test_typing_sends_one_check_after_a_pause(page: Page) -> None:
    page.wait_for_timeout(1000)  # the check of the loaded file is done
    checks: list[str] = []
    page.on("request", lambda request: checks.append(request.url) if request.url.endswith("/api/check") else None)
    field = page.locator("#field-base-service_area_m2")
    field.fill("")
    field.press_sequentially("12345", delay=60)
    expect(page.locator("#findings-state")).to_have_text("")
    page.wait_for_timeout(800)
    assert len(checks) == 1
    expect(finding(page, "work_base.service_area", "pass")).to_contain_text("12345")


def test_the_page_loads_nothing_from_outside_and_no_inline_script() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == ["data:,", "/static/app.css", "/static/app.js"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script (the CSP refuses it)"
    for name in ("index.html", "app.js", "app.css"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?:|//cdn|@import|^\s*import[\s{(]|\bimport\(", text, re.MULTILINE), name


def test_every_word_the_page_uses_is_the_servers_in_both_languages() -> None:
    """The page keeps only the words it shows before the server answers; the others are /api/form's `ui`,
    translated by the project's one table, the status words as every report names them."""
    from haizhi_cli.i18n import STATUS_LABELS, speaking
    from haizhi_cli.serve._ui import ui_texts

    script = (STATIC / "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r'\bt\("([\w.]+)"\)', script)) | {f"status.{status}" for status in STATUSES}
    used |= set(re.findall(r'data-ui="(\w+)"', (STATIC / "index.html").read_text(encoding="utf-8")))
    pair = r'("(?:[^"\\]|\\.)*"|[A-Za-z_]\w*)\s*:\s*"(?:[^"\\]|\\.)*"'  # key: "text", left to right
    own = {lang: {key.strip('"') for key in re.findall(pair, block)}
           for lang, block in re.findall(r"^  (zh|en): \{(.*?)\},?$", script, re.MULTILINE)}
    assert own == {"zh": {"loading", "network"}, "en": {"loading", "network"}}
    served = {}
    for lang in ("zh", "en"):
        with speaking(lang):
            served[lang] = ui_texts()
    assert served["zh"].keys() == served["en"].keys() and not served["zh"].keys() & own["zh"]
    assert used <= served["zh"].keys() | own["zh"], used - served["zh"].keys() - own["zh"]
    assert served["en"]["status.fail"] == STATUS_LABELS["fail"].en and served["en"]["save"] != served["zh"]["save"]
    assert f"STATUS_ORDER = {json.dumps(list(STATUSES))};" in script

"""Races and leftovers: two builds to one OUT, a folder made at OUT during a build, --force over what is not
a packet, a killed batch's workers, a killed build's temporary folders, and a text too long for one cell."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from haizhi_cli.checking import _workers as workers
from haizhi_cli.checking._pipeline import CheckOptions, check_paths
from haizhi_cli.cli._app import app
from haizhi_cli.engine._results import Report
from haizhi_cli.errors._errors import UsageError
from haizhi_cli.packet import _building as building
from haizhi_cli.packet import _placing as placing
from haizhi_cli.packet._building import BuildOptions, BuildResult, build_packet
from haizhi_cli.reports._xlsx import CELL_LIMIT, fit_cell, write_summary
from tests.conftest import CHECK_DAY, EXAMPLES

runner = CliRunner(env={"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1694736000"})
FINAL = EXAMPLES / "work-base" / "applicant.yaml"
DRAFT = EXAMPLES / "fail-work-base-small-area" / "applicant.yaml"
"""Not eligible, so built only with --draft: a draft replacing a final packet is what the race did."""


@pytest.fixture(params=["renameat2", "lock file"])
def final_move(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every race test runs with the kernel's no-replace rename and with the lock-file fallback."""
    if request.param == "lock file":
        monkeypatch.setattr(placing, "_renameat2", lambda: None)
    elif placing._renameat2() is None:
        pytest.skip("this system has no renameat2")
    return str(request.param)


def build_cli(path: Path, out: Path, *options: str) -> tuple[int, str]:
    res = runner.invoke(app, ["build-packet", str(path), "-o", str(out), "--as-of", "2023-09-01", *options])
    return res.exit_code, res.output


def before_the_final_move(monkeypatch: pytest.MonkeyPatch, action: Callable[[Path], None]) -> None:
    """Run `action(OUT)` once, between the staging folder's completion and the final move."""
    real = building._move_into_place
    pending = [action]

    def paused(staging: Path, out: Path, force: bool) -> str | None:
        if pending:
            pending.pop()(out)
        return real(staging, out, force)

    monkeypatch.setattr(building, "_move_into_place", paused)


def assert_intact_packet(out: Path, draft: bool) -> None:
    """OUT holds one whole packet: the manifest's draft flag and every file it lists, byte for byte."""
    import hashlib

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draft"] is draft
    for item in manifest["files"]:
        assert hashlib.sha256((out / item["path"]).read_bytes()).hexdigest() == item["sha256"], item["path"]


def leftovers(out: Path) -> list[str]:
    """Hidden staging, lock or set-aside folders left beside OUT."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


# --- item 5: the final move never replaces what appeared at OUT ----------------------------------------------


def test_a_build_finishing_second_exits_2_and_leaves_the_winner_intact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, final_move: str) -> None:
    out = tmp_path / "out"
    before_the_final_move(monkeypatch, lambda target: build_packet(FINAL, BuildOptions(out=target, as_of=CHECK_DAY)))
    code, output = build_cli(DRAFT, out, "--draft")
    assert code == 2, output
    assert str(out) in output.replace("\n", "") and "生成期间被创建" in output
    assert_intact_packet(out, draft=False)
    assert leftovers(out) == []


def test_two_concurrent_builds_exactly_one_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, final_move: str) -> None:
    out = tmp_path / "out"
    both_staged = threading.Barrier(2, timeout=120)
    real = building._move_into_place

    def meet(staging: Path, target: Path, force: bool) -> str | None:
        both_staged.wait()  # both packets are complete before either moves
        return real(staging, target, force)

    monkeypatch.setattr(building, "_move_into_place", meet)
    results: dict[str, BuildResult | UsageError] = {}

    def run(name: str, path: Path, draft: bool) -> None:
        try:
            results[name] = build_packet(path, BuildOptions(out=out, as_of=CHECK_DAY, draft=draft))
        except UsageError as exc:
            results[name] = exc

    threads = [threading.Thread(target=run, args=("final", FINAL, False)),
               threading.Thread(target=run, args=("draft", DRAFT, True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    winners = [name for name, result in results.items() if isinstance(result, BuildResult)]
    losers = [result for result in results.values() if isinstance(result, UsageError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "生成期间被创建" in str(losers[0])
    assert_intact_packet(out, draft=winners == ["draft"])
    assert leftovers(out) == []


@pytest.mark.parametrize("force", [False, True])
def test_a_users_folder_made_at_out_during_the_build_survives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, final_move: str, force: bool) -> None:
    out = tmp_path / "out"

    def users_folder(target: Path) -> None:
        target.mkdir()
        (target / "mine.txt").write_text("我的文件", encoding="utf-8")

    before_the_final_move(monkeypatch, users_folder)
    code, output = build_cli(FINAL, out, *(["--force"] if force else []))
    assert code == 2, output
    assert ("不是 haizhi 生成的材料包" if force else "生成期间被创建") in output
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert (out / "mine.txt").read_text(encoding="utf-8") == "我的文件"
    assert leftovers(out) == []


def test_force_replaces_a_packet_that_appeared_during_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, final_move: str) -> None:
    out = tmp_path / "out"
    before_the_final_move(monkeypatch, lambda target: build_packet(
        DRAFT, BuildOptions(out=target, as_of=CHECK_DAY, draft=True)))
    code, output = build_cli(FINAL, out, "--force")
    assert code == 0, output
    assert_intact_packet(out, draft=False)
    assert leftovers(out) == []


def test_force_refuses_a_folder_whose_manifest_is_not_haizhis(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("这是我的清单，不是 JSON", encoding="utf-8")
    code, output = build_cli(FINAL, out, "--force")
    assert code == 2, output
    assert "不是 haizhi 生成的材料包" in output
    assert [p.name for p in out.iterdir()] == ["manifest.json"]


def test_force_over_a_haizhi_packet_replaces_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build_cli(DRAFT, out, "--draft")[0] == 0
    code, output = build_cli(FINAL, out, "--force")
    assert code == 0, output
    assert_intact_packet(out, draft=False)
    assert leftovers(out) == []


def test_a_stale_lock_of_a_killed_build_is_taken_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(placing, "_renameat2", lambda: None)
    out = tmp_path / "out"
    lock = tmp_path / ".out.lock"
    lock.write_text("12345", encoding="utf-8")
    old = time.time() - placing.STALE_LOCK_SECONDS - 5
    os.utime(lock, (old, old))
    assert build_cli(FINAL, out)[0] == 0
    assert not lock.exists()


def test_a_fresh_lock_is_waited_for_then_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(placing, "_renameat2", lambda: None)
    monkeypatch.setattr(placing, "LOCK_WAIT_SECONDS", 0.2)
    out = tmp_path / "out"
    (tmp_path / ".out.lock").write_text("12345", encoding="utf-8")
    code, output = build_cli(FINAL, out)
    assert code == 2, output
    assert "锁文件" in output and not out.exists()


# --- item 3b: the replaced packet is removed, or the user is told where it is --------------------------------


def read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    folder.chmod(0o555)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_force_removes_a_read_only_old_packet(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build_cli(DRAFT, out, "--draft")[0] == 0
    read_only(out)
    code, output = build_cli(FINAL, out, "--force")
    assert code == 0, output
    assert leftovers(out) == []
    assert "无法删除" not in output


def test_an_old_packet_that_cannot_be_removed_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert build_cli(DRAFT, out, "--draft")[0] == 0
    monkeypatch.setattr(placing.shutil, "rmtree", lambda *args, **kwargs: None)  # as an undeletable file would
    code, output = build_cli(FINAL, out, "--force")
    assert code == 0, output
    left = leftovers(out)
    assert len(left) == 1 and left[0].startswith(".out.old-")
    assert "无法删除" in output and left[0] in output.replace("\n", "")


def test_the_permission_fix_opens_every_folder(tmp_path: Path) -> None:
    """What lets a non-root user remove a read-only packet (root removes it anyway, so check the modes)."""
    tree = tmp_path / "old"
    (tree / "attachments").mkdir(parents=True)
    (tree / "attachments" / "a.pdf").write_bytes(b"%PDF-")
    read_only(tree)
    placing._make_folders_writable(tree)
    assert all(os.stat(folder).st_mode & 0o700 == 0o700 for folder in (tree, tree / "attachments"))
    assert placing.remove_old_packet(tree) is None and not tree.exists()


# --- item 3a: a killed build leaves no font folder in the system's temporary folder -------------------------

SLOW_TYPESETTING = """
import sys, time
from haizhi_cli.documents import _pdf_writer as pdf_writer
real = pdf_writer.Typesetter.run
def slow(self, blocks):
    print("typesetting", flush=True)
    time.sleep(60)
    return real(self, blocks)
pdf_writer.Typesetter.run = slow
from haizhi_cli.cli import main
sys.argv = ["haizhi", *sys.argv[1:]]
main()
"""


def test_a_killed_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = tmp_path / "slow_build.py"
    script.write_text(SLOW_TYPESETTING, encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, str(script), "build-packet", str(FINAL), "-o", str(out), "--as-of", "2023-09-01"]
    env = {**os.environ, "TMPDIR": str(temporary)}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env) as process:
        try:
            assert process.stdout is not None and process.stdout.readline() == b"typesetting\n"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            process.kill()
    assert list(temporary.iterdir()) == []
    staging = [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert [f.name for s in staging for f in s.iterdir() if f.name.startswith(".haizhi-fonts-")]


# --- item 8: how many workers, and none outlives a killed parent ---------------------------------------------


@pytest.mark.parametrize(("jobs", "files", "cpus", "expected"), [
    (2000, 2, 64, 2), (4, 100, 64, 4), (64, 100, 2, 4), (4, 100, 2, 4), (5, 100, 2, 4), (1, 100, 8, 1),
    (8, 1, 8, 1), (8, 0, 8, 1),
])
def test_worker_count_is_the_least_of_jobs_files_and_twice_the_cpus(
        jobs: int, files: int, cpus: int, expected: int) -> None:
    assert workers.worker_count(jobs, files, cpus) == expected


def test_jobs_beyond_the_files_start_no_more_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    from concurrent import futures

    real = futures.ProcessPoolExecutor

    def counting(max_workers: int, **kwargs: object) -> futures.ProcessPoolExecutor:
        started.append(max_workers)
        return real(max_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(futures, "ProcessPoolExecutor", counting)
    paths = [EXAMPLES / "work-base" / "applicant.yaml", EXAMPLES / "offshore-base" / "applicant.yaml"]
    outcomes = check_paths(paths, CheckOptions(as_of=CHECK_DAY), jobs=2000)
    assert started == [2] and all(isinstance(o, Report) for o in outcomes)


def test_the_jobs_help_states_the_limit_in_both_languages() -> None:
    chinese = runner.invoke(app, ["check", "--help"], env={"COLUMNS": "400"}).output
    assert "CPU 数 × 2" in chinese and "随之结束" in chinese
    english = subprocess.run([sys.executable, "-m", "haizhi_cli", "--lang", "en", "check", "--help"],
                             capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"}, check=True).stdout
    assert "CPUs × 2" in english and "even when it is killed" in english


SLOW_CHECK = """
import sys, time
from haizhi_cli.checking import _pipeline as pipeline
real = pipeline.check_file
def slow(path, options):
    time.sleep(2)
    return real(path, options)
pipeline.check_file = slow
from haizhi_cli.cli import main
sys.argv = ["haizhi", *sys.argv[1:]]
main()
"""


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`, from /proc (children's children included)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def living(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (ProcessLookupError, FileNotFoundError):
            continue
        if state != "Z":  # a zombie has ended; only its exit status waits for a reaper
            alive.add(pid)
    return alive


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    shutil.copytree(EXAMPLES / "work-base", folder)
    (folder / "expected.yaml").unlink()
    for number in range(40):
        shutil.copy(folder / "applicant.yaml", folder / f"applicant-{number:02}.yaml")
    return folder


@pytest.fixture
def killed_batch(tmp_path: Path, batch: Path) -> Iterator[set[int]]:
    """Start `check --jobs 4` on 41 slow files, SIGKILL it once its workers run; the workers' pids."""
    script = tmp_path / "slow_check.py"
    script.write_text(SLOW_CHECK, encoding="utf-8")
    command = [sys.executable, str(script), "check", str(batch), "--jobs", "4", "--as-of", "2023-09-01"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while len(started) < min(4, 2 * (os.cpu_count() or 1)) and time.monotonic() < deadline:
            started |= descendants(process.pid)
            time.sleep(0.05)
        assert started, "the batch started no worker"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        yield started
    finally:
        process.kill()
        for pid in living(started):  # never leave a worker behind, even when the test fails
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_no_worker_outlives_a_killed_batch(killed_batch: set[int]) -> None:
    deadline = time.monotonic() + 5
    while living(killed_batch) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living(killed_batch) == set()


def test_a_worker_whose_parent_is_already_gone_ends_at_once() -> None:
    """The look after the request: a worker started just as its parent died must not stay."""
    code = ("import os, subprocess, sys\n"
            "from haizhi_cli.checking._workers import end_with_parent\n"
            "gone = subprocess.Popen([sys.executable, '-c', 'pass']); gone.wait()\n"
            "end_with_parent(gone.pid)\n"
            "print('still here')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "still here" not in done.stdout


def test_the_watch_thread_ends_a_worker_when_its_parent_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PR_SET_PDEATHSIG is missing: a watch thread ends the process (here, in a child process)."""
    code = ("import subprocess, sys, time\n"
            "from haizhi_cli.checking import _workers as w\n"
            "w._kernel_ends_us_with_parent = lambda: False\n"
            "w.WATCH_SECONDS = 0.05\n"
            "parent = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(0.5)'])\n"
            "w.end_with_parent(parent.pid)\n"
            "parent.wait(); time.sleep(3)\n"
            "print('still here')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=30)
    assert done.returncode == 1 and "still here" not in done.stdout


# --- item 3c: a text too long for one Excel cell says it was cut ---------------------------------------------


@pytest.mark.parametrize(("lang", "mark"), [("zh", "…（已截断，原文 40000 字）"),
                                            ("en", "… (truncated; the full text has 40000 characters)")])
def test_a_text_too_long_for_a_cell_is_cut_with_a_mark(tmp_path: Path, lang: str, mark: str) -> None:
    name = "海" * 40000
    path = tmp_path / "summary.xlsx"
    write_summary([Report("a/applicant.yaml", 2023, "work_base", name, [])], path, lang)
    cell = openpyxl.load_workbook(path).worksheets[0]["B2"].value
    assert isinstance(cell, str) and len(cell) == CELL_LIMIT
    assert cell.endswith(mark) and cell.startswith("海" * 1000)


def test_a_text_that_fits_a_cell_is_kept_whole() -> None:
    assert fit_cell("海" * CELL_LIMIT, "zh") == "海" * CELL_LIMIT
    cut = fit_cell("海" * (CELL_LIMIT + 1), "zh")
    assert len(cut) == CELL_LIMIT and cut.endswith(f"（已截断，原文 {CELL_LIMIT + 1} 字）")

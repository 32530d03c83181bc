"""End to end, what a terminal or a pipe shows: every command's output at 80 and at 120 columns (nothing
dropped, keys and paths not cut into slivers), NO_COLOR through a pseudo-terminal (the progress bar
included), tables only on a terminal, and the exit status of a run whose reader stops early."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import EXAMPLES

pty = pytest.importorskip("pty")  # POSIX only

WORK_BASE = EXAMPLES / "work-base" / "applicant.yaml"
SMALL = EXAMPLES / "fail-work-base-small-area" / "applicant.yaml"
WIDTHS = (80, 120)
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;\d+|38;2;[\d;]+)m")
"""An escape that sets a foreground colour (basic, bright, 256 or true colour)."""


def environment(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "HAIZHI_LANG", "HAIZHI_AS_OF", "FORCE_COLOR")}
    return {**base, **env}


def piped(*args: str | Path, width: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "haizhi_cli", *map(str, args)], capture_output=True, text=True,
                          env=environment(COLUMNS=str(width)), check=False, timeout=120)


def widest(text: str) -> int:
    """The widest line of the tables (a verdict line is written unwrapped, soft-wrapped by the terminal)."""
    return max(cell_len(line) for line in text.splitlines() if line[:1] in "┏┃┡│├└ ")


# --- 80 and 120 columns ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_rules_keep_every_column_at_each_width(width: int) -> None:
    done = piped("rules", width=width)
    assert done.returncode == 0, done.stderr
    assert widest(done.stdout) <= width
    for heading in ("规则", "适用类型", "要求"):
        assert heading in done.stdout
    assert "全部类型" in done.stdout and "省政府（province）" in done.stdout
    assert "工作基地、研发社区" in done.stdout.replace("│", "").replace(" ", "").replace("\n", "") or width == 80
    for rule in ("common.proofs", "work_base.service_area", "common.support_letter"):
        assert rule in done.stdout, rule
    assert "条款 一（一）2（2）" in done.stdout  # at 80 and 120 under the rule (below 130 columns)
    for rule in ("common.public_notice_objections", "work_base.registered_in_china"):
        assert rule in done.stdout or width < 100, rule  # at 80, the longest ids fold


@pytest.mark.parametrize("width", WIDTHS)
def test_explain_keeps_keys_whole_at_each_width(width: int) -> None:
    done = piped("explain", "work_base.service_area", width=width)
    assert done.returncode == 0, done.stderr
    assert widest(done.stdout) <= width
    for text in ("base.service_area_m2", "拥有服务场地100平方米以上", "工作基地：>= 100"):
        assert text in done.stdout, text


@pytest.mark.parametrize("width", WIDTHS)
def test_check_explain_keeps_rule_ids_and_keys_whole_at_each_width(width: int) -> None:
    done = piped("check", "--as-of", "2023-09-01", "--format", "text", "--explain", SMALL, width=width)
    assert done.returncode == 1, done.stderr
    assert widest(done.stdout) <= width
    for whole in ("work_base.registered_in_china", "applicant.registered_in_china（第 13 行）",
                  "work_base.service_area", "base.service_area_m2（第 24 行）", "服务场地 99 平方米"):
        assert whole in done.stdout, whole


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_table_wraps_paths_in_pieces_at_each_width(width: int) -> None:
    done = piped("check", "--as-of", "2023-09-01", "--format", "text", "--quiet", EXAMPLES, width=width)
    assert done.returncode == 1
    assert widest(done.stdout) <= width
    summary = done.stdout[done.stdout.index("汇总"):]
    file_cells = [line.split("│")[1].strip() for line in summary.splitlines() if line.startswith("│")]
    assert max(len(cell) for cell in file_cells) >= 16, file_cells  # pieces of a path, never a character a line
    assert "".join(file_cells).count("applicant.yaml") == 10
    assert "共 10 个文件：符合申报条件 7，材料齐全 6，无法检查 0" in done.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_check_tables_fit_each_width(width: int) -> None:
    done = piped("check", "--as-of", "2023-09-01", "--format", "text", SMALL, width=width)
    assert widest(done.stdout) <= width and "不符合申报条件；材料齐全" in done.stdout


# --- a terminal, and NO_COLOR ---------------------------------------------------------------------------------

def on_a_terminal(*args: str | Path, **env: str) -> tuple[int, str]:
    """The command with stdout and stderr on a pseudo-terminal: everything it wrote there, and its status."""
    main, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "haizhi_cli", *map(str, args)], stdin=subprocess.DEVNULL,
                               stdout=secondary, stderr=secondary, env=environment(COLUMNS="120", **env))
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_tables_and_colour() -> None:
    status, shown = on_a_terminal("check", "--as-of", "2023-09-01", SMALL)
    assert status == 1 and "状态" in shown and "┃" in shown and COLOUR.search(shown)


@pytest.mark.parametrize("command", [["check", "--as-of", "2023-09-01", EXAMPLES],
                                     ["check", "--as-of", "2023-09-01", "--explain", SMALL],
                                     ["explain", "work_base.service_area"]])
def test_no_color_is_honoured_on_a_terminal_progress_bar_included(command: list[str | Path]) -> None:
    status, coloured = on_a_terminal(*command)
    assert COLOUR.search(coloured), "without NO_COLOR there is colour: the test can fail"
    status_plain, plain = on_a_terminal(*command, NO_COLOR="1")
    assert status_plain == status
    assert not COLOUR.search(plain), sorted(set(COLOUR.findall(plain)))
    if command[-1] == EXAMPLES:
        assert "正在检查" in coloured and "正在检查" in plain  # the progress bar was drawn, without colour


# --- a reader that stops early --------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "status"), [
    (["rules"], 0),
    (["schema"], 0),
    (["check", "--as-of", "2023-09-01", "--format", "text", WORK_BASE], 0),
    (["check", "--as-of", "2023-09-01", "--format", "json", EXAMPLES], 1),
    (["check", "--as-of", "2023-09-01", EXAMPLES / "fail-work-base-small-area", "tests/fixtures/bad/empty.yaml"], 2),
])
def test_a_broken_pipe_keeps_the_exit_status_of_the_run(args: list[str | Path], status: int) -> None:
    process = subprocess.Popen([sys.executable, "-m", "haizhi_cli", *map(str, args)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment(COLUMNS="120"),
                               cwd=Path(__file__).resolve().parent.parent)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written (as `| head -0`)
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == status, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors and "Exception ignored" not in errors


@pytest.mark.parametrize("width", WIDTHS)
def test_the_build_table_fits_each_width(width: int, tmp_path: Path) -> None:
    done = piped("build-packet", "--as-of", "2023-09-01", WORK_BASE, "-o", tmp_path / "out", width=width)
    assert done.returncode == 0, done.stderr
    assert widest(done.stdout) <= width
    for role in ("申报表", "建设方案", "支持函代拟稿", "公示代拟稿", "封面与材料清单", "材料包", "检查报告（不装订）"):
        assert f"│ {role}" in done.stdout, role
    assert "共 14 个文件，另有 manifest.json" in done.stdout

"""Benchmarks of whole commands, as users run them: `make bench`.

Times `haizhi build-packet` on each bundled open example (median of several runs, wall clock, after a
warm-up run), the peak memory of a build, and the size of the generated part of the packet (packet.pdf
less its attachments). Uses hyperfine when it is installed, else a Python timer over repeated
subprocess runs. Targets (issue 3/6): build ≤ 1.5 s median, packet without attachments ≤ 300 KB,
peak RSS ≤ 150 MB. Prints a table; records nothing by itself (copy the table into docs/performance.md).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["work-base", "offshore-base", "rd-community"]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
HAIZHI = [sys.executable, "-m", "haizhi_cli"]


def build_command(example: str, out: Path) -> list[str]:
    return [*HAIZHI, "build-packet", str(ROOT / "examples" / example / "applicant.yaml"), "-o", str(out),
            "--force", "--as-of", "2023-09-01"]


def time_runs(command: list[str]) -> list[float]:
    """Wall-clock seconds of RUNS runs after one warm-up."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def hyperfine_median(command: list[str]) -> float:
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        shell_command = " ".join(f"'{part}'" for part in command)
        subprocess.run(["hyperfine", "--warmup", "1", "--runs", str(RUNS), "--export-json", export.name,
                        shell_command], check=True, capture_output=True)
        return float(json.loads(Path(export.name).read_text())["results"][0]["median"])


def generated_size(out: Path) -> int:
    """packet.pdf's size less the attachments bound into it."""
    attachments = sum(p.stat().st_size for p in (out / "attachments").glob("*.pdf"))
    return (out / "packet.pdf").stat().st_size - attachments


def main() -> None:
    use_hyperfine = shutil.which("hyperfine") is not None
    print(f"timer: {'hyperfine' if use_hyperfine else 'python subprocess timer'}, {RUNS} runs after a warm-up")
    print(f"{'example':<16}{'median s':>10}{'min s':>8}{'max s':>8}{'generated KB':>14}{'peak RSS MB':>13}")
    with tempfile.TemporaryDirectory() as scratch:
        for example in EXAMPLES:
            out = Path(scratch) / example
            command = build_command(example, out)
            times = time_runs(command)
            median = hyperfine_median(command) if use_hyperfine else statistics.median(times)
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{example:<16}{median:>10.3f}{min(times):>8.3f}{max(times):>8.3f}"
                  f"{generated_size(out) / 1024:>14.1f}{peak_mb:>13.1f}")


if __name__ == "__main__":
    main()

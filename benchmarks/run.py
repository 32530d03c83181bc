"""Benchmarks of whole commands, as users run them, against the targets of the performance issue: `make bench`.

    python benchmarks/run.py [--record docs/performance.md] [--no-profile] [--scanned-only]

In one run, on one machine, side by side:

1. `haizhi check --format json` on examples/work-base (with its attachments, `--as-of 2023-09-01`) against the
   floor `python -c "import typer, yaml, pydantic, pypdf"`, timed in turns: median ≤ 1.2 × the floor (and
   issue 17's guard, ≤ 1.6 ×).
2. `haizhi check DIR --jobs 2 --format json` on BENCH_FILES (default 1,000) applicant files that
   benchmarks/generate.py writes (all three open types, eligible and failing, each naming its attachment
   PDFs): ≥ 1,000 files/s, and faster than `check-jsonschema` validating the same files against
   schema/applicant-format-1.schema.json (the `haizhi schema` output). check-jsonschema comes with
   `pip install -e '.[bench]'` (make bench does it). Issue 17's guard: ≥ 700 files/s.
3. `haizhi build-packet` on each bundled open example: ≤ 1.5 s median, packet.pdf less the attachments bound
   into it ≤ 300 KB, peak RSS ≤ 150 MB, and ≥ 5 × faster than the route that renders the same .docx and
   converts it with LibreOffice headless, timed as `haizhi build-packet --engine libreoffice` (same input,
   same packet; LibreOffice converts 申报表.docx and 建设方案.docx), the two timed in turns (issue 17's
   guard: ≥ 3 × faster). For reference, the table also times
   LibreOffice alone converting those two .docx files in one `soffice --headless --convert-to pdf` call
   with a warm profile: no target, the cheapest that route can be.
4. Scanned attachments (issue 17): work-base with its attachments replaced by generated scans of 45, 178 and
   400 MB (benchmarks/scans.py; made once under out/bench/scans, or BENCH_SCANS; never committed), next to
   the same build and check with the example's small attachments and `qpdf --empty --pages` merging the
   same PDFs (the anchor; its row says so when qpdf is missing). Targets: the 178 MB build ≤ the small
   build + 1.5 × the qpdf merge, its peak RSS ≤ 250 MB at every size and flat from 45 to 400 MB (≤ +25 MB),
   packet.pdf ≤ the PDFs bound + 1 %, every attachment image byte-identical in it; the 178 MB check ≤ 1.2 ×
   the small check, peak RSS ≤ 100 MB. Printed as a table of its own (`--scanned-only`: only that one).

Timing: hyperfine (`--export-json`, kept under out/bench/) when it is on PATH, else a Python timer over
repeated subprocess runs; either way one warm-up run, then BENCH_RUNS runs (default 5), median wall clock.
BENCH_TIMER=python forces the Python timer. Peak RSS is the largest ru_maxrss of the command's process tree
(GNU time's %M, else a bare Python launcher's RUSAGE_CHILDREN), over the Python timer's runs or one extra run
next to hyperfine's; that run also checks the exit status. Units: s, KB = 1,000 bytes, MB = 1,000,000 bytes.

Prints one table of medians and ratios with PASS/MISS against each target, then (unless --no-profile) the
slowest imports (`python -X importtime`) and the top cProfile entries for a check and a build. With
--record FILE, also rewrites the parts of FILE between the `<!-- bench:… -->` markers with this run's
machine, table and profile (docs/performance.md).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import os
import platform
import pstats
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
import scans

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["work-base", "offshore-base", "rd-community"]
AS_OF = generate.AS_OF
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
FILES = int(os.environ.get("BENCH_FILES", "1000"))
SCHEMA = ROOT / "schema" / "applicant-format-1.schema.json"
EXPORTS = ROOT / "out" / "bench"
BIN = Path(sys.executable).parent
FLOOR_IMPORTS = "import typer, yaml, pydantic, pypdf"
MODELS_ONLY = ("import gc; gc.disable(); " + FLOOR_IMPORTS + "; import pathlib; "
               "from haizhi_cli.applicant._models import Applicant; Applicant.model_validate("
               "yaml.load(pathlib.Path({example!r}).read_text(encoding='utf-8'), Loader=yaml.CSafeLoader))")
"""The least any check that validates with pydantic models pays: the floor, the models built, one validation
(imported with the collector off, as haizhi's console script imports)."""

# Targets of the issue.
CHECK_VS_FLOOR = 1.2
BATCH_FILES_PER_S = 1000
BUILD_S = 1.5
BUILD_VS_LIBREOFFICE = 5.0
PACKET_KB = 300
PEAK_MB = 150
CHECK_GUARD_VS_FLOOR = 1.6
BATCH_GUARD_FILES_PER_S = 700
BUILD_GUARD_VS_LIBREOFFICE = 3.0
"""Issue 17's guards, which its work must not regress: one check, the batch, the build against LibreOffice
(the build's ≤ 1.5 s is BUILD_S)."""
SCANNED_MB = (45, 178, 400)
"""The scanned cases (benchmarks/scans.py): attachment megabytes in all; the middle one carries the targets."""
SCANS = Path(os.environ.get("BENCH_SCANS", str(ROOT / "out" / "bench" / "scans")))
"""Where the scanned cases are generated, once (out/ is not committed)."""
SCANNED_BUILD_VS_QPDF = 1.5
SCANNED_BUILD_PEAK_MB = 250
SCANNED_PEAK_GROWTH_MB = 25
"""How much more the 400 MB build may take than the 45 MB one and still count as flat (page objects, bookmarks)."""
SCANNED_CHECK_VS_SMALL = 1.2
SCANNED_CHECK_PEAK_MB = 100
SCANNED_OVERHEAD = 0.01


def haizhi() -> list[str]:
    """The `haizhi` console script of this Python's environment, as users run it."""
    script = BIN / "haizhi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "haizhi_cli"]


def tool(name: str) -> str | None:
    script = BIN / name
    return str(script) if script.exists() else shutil.which(name)


# --- timing ------------------------------------------------------------------------------------------


@dataclass
class Timing:
    median: float
    low: float
    high: float
    peak_mb: float


GNU_TIME = Path("/usr/bin/time")
LAUNCHER = ("import os, resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            "sys.exit(code)")
"""Where GNU time is missing: a bare Python that runs the command and writes its peak RSS (KiB)."""


def with_rss(command: Sequence[str], rss_file: str) -> list[str]:
    """The command started from a small process that writes the tree's peak RSS (KiB) into `rss_file`.

    Not from this process: a child's ru_maxrss starts at the RSS of the process that forked it (vfork and
    fork alike), and this one holds the batch reports.
    """
    if GNU_TIME.exists():
        return [str(GNU_TIME), "-f", "%M", "-o", rss_file, *command]
    return [sys.executable, "-S", "-c", LAUNCHER, rss_file, *command]


def run_once(command: Sequence[str], ok: Sequence[int]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, largest process of the tree) of one run; refuses an unexpected exit."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        done = subprocess.run(with_rss(command, rss.name), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              check=False)
        wall = time.perf_counter() - start
        peak_kib = int(rss.read().split()[-1])
    if done.returncode not in ok:
        raise SystemExit(f"exit {done.returncode} (expected {' or '.join(map(str, ok))}) from "
                         f"{shlex.join(command)[:300]}\n{done.stderr.decode(errors='replace')[-2000:]}")
    return wall, peak_kib * 1024 / 1e6


def python_timer(command: Sequence[str], ok: Sequence[int]) -> Timing:
    run_once(command, ok)
    return summary([run_once(command, ok) for _ in range(RUNS)])


def summary(runs: list[tuple[float, float]]) -> Timing:
    """Median, least and most wall seconds, and the largest peak RSS, of (wall, peak) runs."""
    walls = [wall for wall, _ in runs]
    return Timing(statistics.median(walls), min(walls), max(walls), max(peak for _, peak in runs))


def hyperfine_timer(command: Sequence[str], ok: Sequence[int], name: str) -> Timing:
    EXPORTS.mkdir(parents=True, exist_ok=True)
    export = EXPORTS / f"{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')}.json"
    subprocess.run(["hyperfine", "--warmup", "1", "--runs", str(RUNS), "--ignore-failure", "--style", "none",
                    "--command-name", name, "--export-json", str(export), shlex.join(command)],
                   check=True, stdout=subprocess.DEVNULL)
    result = json.loads(export.read_text())["results"][0]
    codes = set(result.get("exit_codes") or [])
    if not codes <= set(ok):
        raise SystemExit(f"exit codes {sorted(codes)} under hyperfine from {name}")
    _, peak = run_once(command, ok)
    return Timing(float(result["median"]), float(result["min"]), float(result["max"]), peak)


def timed(command: Sequence[str], name: str, ok: Sequence[int] = (0,)) -> Timing:
    print(f"  timing {name} …", file=sys.stderr, flush=True)
    if use_hyperfine():
        return hyperfine_timer(command, ok, name)
    return python_timer(command, ok)


def timed_in_turns(commands: dict[str, Sequence[str]]) -> dict[str, Timing]:
    """The commands of one comparison timed in turns, A B C A B C …, after a warm-up run of each: whatever
    else the machine does meanwhile falls on each of them alike (hyperfine times one command's runs after the
    other's). The Python timer, whatever BENCH_TIMER says."""
    print(f"  timing in turns: {', '.join(commands)} …", file=sys.stderr, flush=True)
    for command in commands.values():
        run_once(command, (0,))
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            runs[name].append(run_once(command, (0,)))
    return {name: summary(done) for name, done in runs.items()}


def use_hyperfine() -> bool:
    return os.environ.get("BENCH_TIMER", "") != "python" and shutil.which("hyperfine") is not None


# --- the table ---------------------------------------------------------------------------------------


@dataclass
class Check:
    figure: str
    target: str
    passed: bool | None  # None: no target, or could not be measured


@dataclass
class Row:
    name: str
    timing: Timing | None
    checks: list[Check] = field(default_factory=list)
    note: str = ""


def verdict(passed: bool | None) -> str:
    return "" if passed is None else "PASS" if passed else "MISS"


def table(rows: list[Row]) -> str:
    header = ["benchmark", "median s", "min–max s", "peak RSS MB", "figure", "target", "result"]
    lines = [header]
    for row in rows:
        t = row.timing
        cells = [row.name, f"{t.median:.3f}" if t else "—", f"{t.low:.3f}–{t.high:.3f}" if t else "—",
                 f"{t.peak_mb:.0f}" if t else "—"]
        checks = row.checks or [Check(row.note, "", None)]
        for i, check in enumerate(checks):
            lines.append((cells if i == 0 else ["", "", "", ""]) + [check.figure, check.target, verdict(check.passed)])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


# --- the benchmarks ----------------------------------------------------------------------------------


def bench_check(rows: list[Row]) -> None:
    """The check, the floor and the models reference, timed in turns: their ratios are what the targets say."""
    example = ROOT / "examples" / "work-base" / "applicant.yaml"
    times = timed_in_turns({
        "check work-base": [*haizhi(), "check", "--format", "json", "--as-of", AS_OF, str(example)],
        "floor": [sys.executable, "-c", FLOOR_IMPORTS],
        "floor and models": [sys.executable, "-c", MODELS_ONLY.format(example=str(example))],
    })
    check, floor, models = times["check work-base"], times["floor"], times["floor and models"]
    ratio = check.median / floor.median
    rows.append(Row("haizhi check --format json, work-base", check, [
        Check(f"{ratio:.2f} × floor", f"≤ {CHECK_VS_FLOOR} × floor", ratio <= CHECK_VS_FLOOR),
        Check("issue 17's guard", f"≤ {CHECK_GUARD_VS_FLOOR} × floor", ratio <= CHECK_GUARD_VS_FLOOR)]))
    rows.append(Row(f'floor: python -c "{FLOOR_IMPORTS}"', floor, note="reference"))
    rows.append(Row("floor + haizhi's pydantic models validating work-base (no rules, no PDFs, no CLI)", models,
                    note=f"reference: {models.median / floor.median:.2f} × floor"))


def bench_batch(rows: list[Row], folder: Path, files: list[generate.Generated]) -> None:
    paths = [str(f.path) for f in files]
    batch = timed([*haizhi(), "check", str(folder), "--jobs", "2", "--format", "json", "--as-of", AS_OF],
                  f"check {len(files)} files", ok=(1,))
    rate = len(files) / batch.median
    checks = [Check(f"{rate:.0f} files/s", f"≥ {BATCH_FILES_PER_S} files/s", rate >= BATCH_FILES_PER_S),
              Check("issue 17's guard", f"≥ {BATCH_GUARD_FILES_PER_S} files/s", rate >= BATCH_GUARD_FILES_PER_S)]
    validator = tool("check-jsonschema")
    schema_row = Row(f"check-jsonschema, same {len(files)} files", None,
                     note="not installed: pip install -e '.[bench]'")
    if validator is not None:
        schema_row.timing = timed([validator, "--schemafile", str(SCHEMA), *paths], "check-jsonschema", ok=(0, 1))
        schema_row.note = "reference"
        ratio = batch.median / schema_row.timing.median
        checks.append(Check(f"{ratio:.2f} × check-jsonschema", "< 1 × check-jsonschema", ratio < 1))
    else:
        checks.append(Check("check-jsonschema not installed", "< 1 × check-jsonschema", None))
    rows.append(Row(f"haizhi check DIR --jobs 2 --format json, {len(files)} files", batch, checks))
    rows.append(schema_row)


def packet_kb(out: Path) -> float:
    """packet.pdf's size less the attachment PDFs bound into it."""
    attachments = sum(p.stat().st_size for p in (out / "attachments").glob("*.pdf"))
    return ((out / "packet.pdf").stat().st_size - attachments) / 1000


def bench_build(rows: list[Row], example: str, scratch: Path) -> None:
    """The build of one example and, where LibreOffice is installed, the docx+LibreOffice route to the same
    packet, timed in turns; then LibreOffice alone for reference."""
    applicant = ROOT / "examples" / example / "applicant.yaml"
    out = scratch / f"packet-{example}"
    command = build_command(applicant, out)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        build, route = timed(command, f"build-packet {example}"), None
    else:
        build_name, route_name = f"build-packet {example}", f"build-packet {example} libreoffice"
        times = timed_in_turns({build_name: command, route_name: [
            *build_command(applicant, scratch / f"lo-{example}"), "--engine", "libreoffice"]})
        build, route = times[build_name], times[route_name]
    size = packet_kb(out)
    checks = [Check(f"{build.median:.2f} s", f"≤ {BUILD_S} s", build.median <= BUILD_S),
              Check(f"{size:.0f} KB without attachments", f"≤ {PACKET_KB} KB", size <= PACKET_KB),
              Check(f"{build.peak_mb:.0f} MB peak RSS", f"≤ {PEAK_MB} MB", build.peak_mb <= PEAK_MB),
              *libreoffice_checks(build, route)]
    rows.append(Row(f"haizhi build-packet {example}", build, checks))
    if soffice is not None:
        rows.append(Row(f"docx+LibreOffice: build-packet {example} --engine libreoffice", route, note="reference"))
        alone = timed([soffice, f"-env:UserInstallation=file://{scratch / 'lo-profile'}", "--headless",
                       "--convert-to", "pdf", "--outdir", str(scratch / f"soffice-{example}"),
                       str(out / "申报表.docx"), str(out / "建设方案.docx")], f"soffice {example}")
        rows.append(Row(f"LibreOffice alone: 2 .docx → PDF, warm profile ({example})", alone,
                        note=f"reference: the build takes {build.median / alone.median:.1f} × this"))


def libreoffice_checks(build: Timing, route: Timing | None) -> list[Check]:
    """The build against the docx+LibreOffice route: the issue's target and issue 17's guard."""
    if route is None:
        return [Check("LibreOffice not installed", f"≥ {BUILD_VS_LIBREOFFICE} × faster", None)]
    ratio = route.median / build.median
    return [Check(f"{ratio:.1f} × faster than docx+LibreOffice", f"≥ {BUILD_VS_LIBREOFFICE} × faster",
                  ratio >= BUILD_VS_LIBREOFFICE),
            Check("issue 17's guard", f"≥ {BUILD_GUARD_VS_LIBREOFFICE} × faster",
                  ratio >= BUILD_GUARD_VS_LIBREOFFICE)]


# --- scanned attachments ------------------------------------------------------------------------------


def bound_inputs(out: Path) -> list[Path]:
    """The PDFs build-packet binds, in OUT: the 材料清单, the generated documents and the attachments."""
    generated = [out / "材料清单.pdf", out / "申报表.pdf", out / "建设方案.pdf"]
    return [*generated, *sorted((out / "attachments").glob("*.pdf"))]


def image_digests(pdf: Path) -> collections.Counter[str]:
    """The SHA-256 of each image stream's raw (encoded) bytes, page by page."""
    import pikepdf

    found: collections.Counter[str] = collections.Counter()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for _, xobject in page.obj.Resources.get("/XObject", {}).items():
                if xobject.get("/Subtype") == "/Image":
                    found[hashlib.sha256(xobject.read_raw_bytes()).hexdigest()] += 1
    return found


def binding_adds_nothing(out: Path) -> list[Check]:
    """packet.pdf ≤ the PDFs bound + 1 %, and every attachment's images in it byte for byte."""
    inputs = sum(pdf.stat().st_size for pdf in bound_inputs(out))
    packet = (out / "packet.pdf").stat().st_size
    overhead = packet / inputs - 1
    attachments: collections.Counter[str] = collections.Counter()
    for pdf in sorted((out / "attachments").glob("*.pdf")):
        attachments += image_digests(pdf)
    missing = sum((attachments - image_digests(out / "packet.pdf")).values())
    return [Check(f"packet {overhead * 100:+.2f} % on the PDFs bound", f"≤ +{SCANNED_OVERHEAD * 100:.0f} %",
                  overhead <= SCANNED_OVERHEAD),
            Check(f"{attachments.total() - missing}/{attachments.total()} images byte-identical", "all",
                  missing == 0)]


QPDF_MISSING = Row("qpdf --empty --pages (the same PDFs) -- out.pdf", None,
                   note="qpdf not installed (Debian: apt-get install qpdf): no anchor, no time target")


def bench_scanned(rows: list[Row], scratch: Path) -> None:
    """build-packet and check on work-base with scanned attachments of 45, 178 and 400 MB, next to the same
    commands with the example's small attachments and qpdf merging the same PDFs."""
    example = ROOT / "examples" / "work-base" / "applicant.yaml"
    cases = {mb: scans.scanned_case(SCANS / f"work-base-{mb}mb", mb) for mb in SCANNED_MB}
    builds: dict[float, Timing] = {}
    middle = SCANNED_MB[1]
    small, builds[middle], anchor = compared_builds(example, cases[middle], scratch, scratch / f"scanned-{middle}")
    builds.update({mb: timed(build_command(case.applicant, scratch / f"scanned-{mb}"), f"build-packet {mb} MB")
                   for mb, case in cases.items() if mb != middle})
    builds = dict(sorted(builds.items()))
    rows.append(Row("build-packet work-base, its small attachments", small, note="reference"))
    for mb, build in builds.items():
        case = cases[mb]
        name = f"build-packet work-base, {len(case.attachments)} scans, {case.megabytes:.0f} MB"
        checks = [Check(f"{build.peak_mb:.0f} MB peak RSS", f"≤ {SCANNED_BUILD_PEAK_MB} MB",
                        build.peak_mb <= SCANNED_BUILD_PEAK_MB)]
        if mb == middle:
            checks += build_time_checks(build, small, anchor.timing) + binding_adds_nothing(scratch / f"scanned-{mb}")
        if mb == SCANNED_MB[-1]:
            growth = build.peak_mb - builds[SCANNED_MB[0]].peak_mb
            checks.append(Check(f"{growth:+.0f} MB peak from {SCANNED_MB[0]} MB", f"≤ +{SCANNED_PEAK_GROWTH_MB} MB",
                                growth <= SCANNED_PEAK_GROWTH_MB))
        rows.append(Row(name, build, checks))
    rows.append(anchor)
    bench_scanned_check(rows, example, cases[middle])


def compared_builds(example: Path, case: scans.ScannedCase, scratch: Path,
                    scanned_out: Path) -> tuple[Timing, Timing, Row]:
    """The small build, the scanned build (into `scanned_out`) and, where qpdf is installed, qpdf merging the
    PDFs the scanned build binds, timed in turns."""
    run_once(build_command(case.applicant, scanned_out), (0,))  # its output names the PDFs qpdf merges
    commands = {"small": build_command(example, scratch / "small"),
                "scanned": build_command(case.applicant, scanned_out)}
    qpdf = shutil.which("qpdf")
    if qpdf is not None:
        commands["qpdf"] = [qpdf, "--empty", "--pages", *map(str, bound_inputs(scanned_out)), "--",
                            str(scratch / "qpdf.pdf")]
    times = timed_in_turns(commands)
    anchor = (Row("qpdf --empty --pages (the same PDFs) -- out.pdf, 178 MB case", times["qpdf"], note="anchor")
              if qpdf is not None else QPDF_MISSING)
    return times["small"], times["scanned"], anchor


def build_command(applicant: Path, out: Path) -> list[str]:
    return [*haizhi(), "build-packet", str(applicant), "-o", str(out), "--force", "--as-of", AS_OF]


def build_time_checks(build: Timing, small: Timing, qpdf: Timing | None) -> list[Check]:
    if qpdf is None:
        return [Check("qpdf not installed", f"≤ small + {SCANNED_BUILD_VS_QPDF} × qpdf", None)]
    allowed = small.median + SCANNED_BUILD_VS_QPDF * qpdf.median
    extra = (build.median - small.median) / qpdf.median
    return [Check(f"small + {extra:.2f} × qpdf", f"≤ small + {SCANNED_BUILD_VS_QPDF} × qpdf ({allowed:.2f} s)",
                  build.median <= allowed)]


def bench_scanned_check(rows: list[Row], example: Path, case: scans.ScannedCase) -> None:
    command = [*haizhi(), "check", "--format", "json", "--as-of", AS_OF]
    times = timed_in_turns({"small": [*command, str(example)], "scanned": [*command, str(case.applicant)]})
    small, scanned = times["small"], times["scanned"]
    ratio = scanned.median / small.median
    rows.append(Row("check --format json, work-base, its small attachments", small, note="reference"))
    rows.append(Row(f"check --format json, work-base, {len(case.attachments)} scans, {case.megabytes:.0f} MB",
                    scanned, [Check(f"{ratio:.2f} × small", f"≤ {SCANNED_CHECK_VS_SMALL} × small",
                                    ratio <= SCANNED_CHECK_VS_SMALL),
                              Check(f"{scanned.peak_mb:.0f} MB peak RSS", f"≤ {SCANNED_CHECK_PEAK_MB} MB",
                                    scanned.peak_mb <= SCANNED_CHECK_PEAK_MB)]))


def verify_batch(folder: Path, files: list[generate.Generated]) -> str:
    """Check once that haizhi reports what each generated file was made to fail (no timing)."""
    done = subprocess.run([*haizhi(), "check", str(folder), "--jobs", "2", "--format", "json", "--as-of", AS_OF],
                          capture_output=True, text=True, check=False)
    problems = generate.outcome_problems(files, json.loads(done.stdout))
    failing = sum(1 for f in files if f.expected_fail)
    per_type = ", ".join(f"{sum(1 for f in files if f.base_type == t)} {t}" for t in generate.TYPES)
    summary = (f"{len(files)} generated files ({per_type}; {len(files) - failing} eligible and complete, "
               f"{failing} failing in one of {len(generate.FAILING)} ways); haizhi check exit {done.returncode}, ")
    if problems:
        print("\n".join(problems[:20]), file=sys.stderr)
        return summary + f"{len(problems)} outcomes differ from the generator's expectations (see stderr)"
    return summary + "every outcome as expected"


# --- profile -----------------------------------------------------------------------------------------


def import_times(command: Sequence[str], top: int = 8) -> list[tuple[float, str]]:
    """The slowest top-level imports (cumulative ms) of a command, from -X importtime."""
    done = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True,
                          check=False)
    found = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if match:  # top level only: nested imports are indented in the last column
            found.append((int(match.group(1)) / 1000, match.group(2)))
    total = sum(ms for ms, _ in found)
    return [(total, "(all imports)"), *sorted(found, reverse=True)[:top]]


WRAPPERS = re.compile(r"runpy|cProfile|/typer/|/click/|haizhi_cli/(__main__|clitext|cli)\.py$")
"""Files whose functions only lead to the command's own function; left out of the cumulative list."""


def cprofile(command: Sequence[str], scratch: Path, top: int = 15) -> tuple[list[str], list[str]]:
    """Top entries of a cProfile run: by cumulative time (Python functions) and by own time (anything)."""
    stats_file = scratch / "profile.out"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_file), *command], capture_output=True,
                   check=False)
    stats = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]

    def where(key: tuple[str, int, str]) -> str:
        file, line, name = key
        if file == "~":
            return name
        short = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", file).removeprefix(f"{ROOT}/")
        return f"{short}:{line}({name})"

    def rows(index: int, keep: bool) -> list[str]:
        entries = sorted(stats.items(), key=lambda item: item[1][index], reverse=True)
        shown = [f"{value[index]:.3f} s  {value[1]:>7}  {where(key)}" for key, value in entries
                 if keep or not (key[0] == "~" or key[0].startswith("<") or WRAPPERS.search(key[0]))]
        return shown[:top]

    return rows(3, keep=False), rows(2, keep=True)


def profile_section(scratch: Path, folder: Path) -> str:
    example = str(ROOT / "examples" / "work-base" / "applicant.yaml")
    offshore = str(ROOT / "examples" / "offshore-base" / "applicant.yaml")
    check = ["-m", "haizhi_cli", "check", "--format", "json", "--as-of", AS_OF, example]
    sample = sorted(folder.glob("*/applicant-*.yaml"))[:100]
    batch = ["-m", "haizhi_cli", "check", "--format", "json", "--as-of", AS_OF, *map(str, sample)]
    build = ["-m", "haizhi_cli", "build-packet", offshore, "-o", str(scratch / "profiled"), "--force",
             "--as-of", AS_OF]
    parts = []
    for title, command in [("check, work-base", check), ("build-packet, offshore-base", build)]:
        print(f"  importtime {title} …", file=sys.stderr, flush=True)
        lines = [f"{ms:8.1f} ms  {name}" for ms, name in import_times(command)]
        parts.append(f"Slowest top-level imports, {title} (`python -X importtime`, cumulative):\n\n```\n"
                     + "\n".join(lines) + "\n```")
    for title, command in [("check, work-base", check), (f"check of {len(sample)} generated files, "
                                                         "--jobs 1", batch), ("build-packet, offshore-base", build)]:
        print(f"  cProfile {title} …", file=sys.stderr, flush=True)
        cumulative, own = cprofile(command, scratch)
        parts.append(f"cProfile, {title} — top by cumulative time (s, calls, function):\n\n```\n"
                     + "\n".join(cumulative) + "\n```\n\nTop by own time:\n\n```\n" + "\n".join(own) + "\n```")
    return "\n\n".join(parts)


# --- the machine and the record ----------------------------------------------------------------------


def version(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "not installed"


def shown_interpreter() -> str:
    """The interpreter as the page shows it: relative to the repository when it is the repository's own
    virtual environment (a machine's folders say nothing to the reader), else as it is."""
    executable = Path(sys.executable)
    return str(executable.relative_to(ROOT)) if executable.is_relative_to(ROOT) else str(executable)


def machine() -> str:
    cpu = "unknown CPU"
    if shutil.which("lscpu"):
        found = re.search(r"Model name:\s+(.+)", subprocess.run(["lscpu"], capture_output=True, text=True).stdout)
        cpu = found.group(1).strip() if found else cpu
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB" if found else memory
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True,
                            text=True, check=False).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    validator = tool("check-jsonschema")
    timer = (f"hyperfine ({version(['hyperfine', '--version'])})" if use_hyperfine()
             else "Python timer over subprocess runs")
    return "\n".join([
        f"- date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {cpu}, {os.cpu_count()} CPUs (nproc), {memory} memory, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()} ({shown_interpreter()}); haizhi at commit {commit}"
        f"{' with uncommitted changes' if dirty else ''}",
        f"- timer: {timer}; 1 warm-up run, then {RUNS} timed run{'' if RUNS == 1 else 's'}; median wall clock",
        f"- check-jsonschema: {version([validator, '--version']) if validator else 'not installed'}; "
        f"LibreOffice: {version(['soffice', '--version'])}",
    ])


def cpu_busy() -> float | None:
    """CPU seconds spent by the whole machine so far (all processes), from /proc/stat; None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def other_work(busy_before: float | None, wall: float) -> str:
    """How much CPU other processes used while the timings ran: a quiet machine shows next to none."""
    busy_after = cpu_busy()
    if busy_before is None or busy_after is None:
        return "- other work during the timings: unknown (no /proc/stat)"
    own = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = sum(usage.ru_utime + usage.ru_stime for usage in own)
    others = max(0.0, busy_after - busy_before - ours)
    share = others / wall
    warning = " — other work was running: compare with care" if share > 0.1 else ""
    return (f"- other work during the timings: {others:.0f} CPU s by other processes in {wall:.0f} s "
            f"({share:.0%} of one core){warning}")


def record(path: Path, blocks: dict[str, str]) -> None:
    """Replace each `<!-- bench:NAME -->` … `<!-- /bench:NAME -->` part of `path` with this run's text."""
    text = path.read_text(encoding="utf-8")
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(\n<!-- /bench:{name} -->)", re.S)
        match = pattern.search(text)
        if match is None:
            raise SystemExit(f"{path}: no <!-- bench:{name} --> … <!-- /bench:{name} --> markers")
        text = text[:match.end(1)] + body + text[match.start(2):]
    path.write_text(text, encoding="utf-8")
    print(f"recorded in {path}", file=sys.stderr)


def byte_compile() -> None:
    """Compile haizhi's modules as `pip install` does, so that no timed run compiles them from source.

    An editable install compiles on first import, unless PYTHONDONTWRITEBYTECODE is set (as on some CI
    machines): then every run would pay some 25 ms that an installed haizhi never pays.
    """
    where = "import haizhi_cli, os; print(os.path.dirname(haizhi_cli.__file__))"
    package = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", type=Path, metavar="FILE", help="rewrite the marked parts of FILE")
    parser.add_argument("--no-profile", action="store_true", help="leave out the importtime and cProfile part")
    parser.add_argument("--scanned-only", action="store_true", help="only the scanned-attachments table")
    args = parser.parse_args()
    busy_before, started = cpu_busy(), time.perf_counter()
    byte_compile()
    about = machine()
    print(about)
    with tempfile.TemporaryDirectory(prefix="haizhi-bench-") as name:
        scratch = Path(name)
        results, batch_note, profile = ("", "", "") if args.scanned_only else run_targets(scratch, args.no_profile)
        scanned: list[Row] = []
        bench_scanned(scanned, scratch)
        scanned_results = table(scanned)
        print()
        print(scanned_results)
    others = other_work(busy_before, time.perf_counter() - started)
    print(others)
    about += "\n" + others
    if args.record:
        blocks = {"machine": about, "scanned": scanned_results}
        if results:
            blocks["results"] = results + "\n\nBatch files: " + batch_note + "."
        if profile:
            blocks["profile"] = profile
        record(args.record, blocks)


def run_targets(scratch: Path, no_profile: bool) -> tuple[str, str, str]:
    """The check, batch and build targets: their table, the batch's verification and the profile."""
    rows: list[Row] = []
    folder = scratch / "applicants"
    files = generate.generate(folder, FILES)
    batch_note = verify_batch(folder, files)
    print(batch_note)
    bench_check(rows)
    bench_batch(rows, folder, files)
    for example in EXAMPLES:
        bench_build(rows, example, scratch)
    results = table(rows)
    print()
    print(results)
    profile = "" if no_profile else profile_section(scratch, folder)
    if profile:
        print()
        print(profile)
    return results, batch_note, profile


if __name__ == "__main__":
    main()

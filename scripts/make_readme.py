"""Write the outputs README.md (Chinese) and README.en.md (English) show from real runs of haizhi.

Usage: .venv/bin/python scripts/make_readme.py            (or `make readme`): rewrite both READMEs
       .venv/bin/python scripts/make_readme.py --check    exit 1, naming the blocks, when either is stale

Each part of a README between `<!-- readme:NAME -->` and `<!-- /readme:NAME -->` is written here: the
commands of block NAME are run on the bundled examples in a scratch folder, as a user runs them in a terminal
(a pseudo-terminal of COLUMNS columns, NO_COLOR, a fixed SOURCE_DATE_EPOCH and `--as-of 2023-09-01` where the
deadline matters), and their output is pasted, cut to the lines the README discusses (`…` marks a cut).
README.md shows the Chinese output, README.en.md the same commands with `--lang en`.
tests/test_readme.py runs the same commands and fails when a README shows anything else.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READMES = {"zh": ROOT / "README.md", "en": ROOT / "README.en.md"}
COLUMNS = 100
EPOCH = "1694736000"
CUT = "…"

Select = Callable[[list[str]], list[str]]


# --- choosing the lines shown ------------------------------------------------------------------------


def everything(lines: list[str]) -> list[str]:
    return lines


def head(count: int) -> Select:
    return lambda lines: lines[:count] + ([CUT] if len(lines) > count else [])


def rows(*patterns: str, first: int = 0, last: int = 0) -> Select:
    """The first lines (and the rest of a table row they begin), the table rows (all their lines) holding
    one of `patterns`, the last lines; `…` for each run of lines left out."""

    def select(lines: list[str]) -> list[str]:
        kept = set(range(len(lines) - last, len(lines)))
        for start, end in _row_spans(lines):
            if start < first or any(re.search(pattern, "\n".join(lines[start:end])) for pattern in patterns):
                kept |= set(range(start, end))
        return _with_cuts(lines, sorted(kept))

    return select


def _row_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each table row (a row goes on while its first cell is empty) and of each other line."""
    spans: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        continued = line.startswith("│") and line.split("│")[1].strip() == "" and spans
        if continued and lines[spans[-1][0]].startswith("│"):
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


def _with_cuts(lines: list[str], kept: list[int]) -> list[str]:
    shown: list[str] = []
    previous = -1
    for index in kept:
        if index != previous + 1:
            shown.append(CUT)
        shown.append(lines[index])
        previous = index
    if previous != len(lines) - 1:
        shown.append(CUT)
    return shown


def pick(*patterns: str | tuple[str, int]) -> Select:
    """The lines matching one of `patterns`, each (a pattern given as `(pattern, after)`) with `after` lines
    after it; `…` for the rest."""
    wanted = [(pattern, 0) if isinstance(pattern, str) else pattern for pattern in patterns]

    def select(lines: list[str]) -> list[str]:
        kept: set[int] = set()
        for index, line in enumerate(lines):
            for pattern, after in wanted:
                if re.search(pattern, line):
                    kept |= set(range(index, min(index + 1 + after, len(lines))))
        return _with_cuts(lines, sorted(kept))

    return select


ELIGIBLE_VERDICT = r"examples/(offshore-base|rd-community|work-base)/"


def summary_excerpt(lines: list[str]) -> list[str]:
    """A batch on a terminal: the note on skipped files, the eligible files' verdicts, the summary table's
    head, its first two and its last row, and the totals. A row of the summary begins where a path begins
    (its file cell wraps, so its other lines have text in the first cell too)."""
    title = next(index for index, line in enumerate(lines) if line.strip() in ("汇总", "summary"))
    body = next(index for index in range(title, len(lines)) if lines[index].startswith("┡")) + 1
    starts = [index for index in range(body, len(lines)) if lines[index].startswith("│ examples/")]
    kept = {0, *range(title, body), *range(body, starts[2]), *range(starts[-1], len(lines))}
    kept |= {index for index, line in enumerate(lines) if re.match(ELIGIBLE_VERDICT, line)}
    return _with_cuts(lines, sorted(kept))


def junit_excerpt(lines: list[str]) -> list[str]:
    """The JUnit report's head and the failing test case."""
    start = next(index for index, line in enumerate(lines) if "<failure" in line) - 1
    end = next(index for index in range(start, len(lines)) if "</testcase>" in lines[index]) + 1
    return _with_cuts(lines, [*range(3), *range(start, end)])


# --- the blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One command as the README shows it (`haizhi` and its arguments) and the lines kept of its output."""

    args: tuple[str, ...]
    select: Select = everything

    def shown(self, lang: str) -> tuple[str, ...]:
        """The arguments; in the English README `--lang en` follows the command's name."""
        if lang == "zh":
            return self.args
        return (self.args[0], "--lang", "en", *self.args[1:])


@dataclass(frozen=True)
class Excerpt:
    """Lines of a file a command wrote (the README shows them as YAML)."""

    path: str
    select: Select


@dataclass(frozen=True)
class Block:
    parts: tuple[Run | Excerpt, ...]
    prepare: Callable[[Path], None] | None = None
    fence: str = "text"


def run(*args: str, select: Select = everything) -> Run:
    return Run(tuple(args), select)


def fill_the_blank_form(work: Path) -> None:
    """Fill 空白表/申报表.docx the way tests/test_importing.py types into it (a 工作基地 in 无锡)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.test_importing import fill_like_a_person

    fill_like_a_person(work / "空白表" / "申报表.docx")


def misspelt_file(work: Path) -> None:
    """bad.yaml: the 工作基地 example with office_area_m2 misspelt."""
    text = (ROOT / "examples" / "work-base" / "applicant.yaml").read_text(encoding="utf-8")
    (work / "bad.yaml").write_text(text.replace("office_area_m2:", "ofice_area_m2:"), encoding="utf-8")


AS_OF = ("--as-of", "2023-09-01")
SMALL = "examples/fail-work-base-small-area/applicant.yaml"
SERVICE_AREA = r"一（一）2（2） │ (服务场地|service area)"
PLACEHOLDERS = r"填表说明四 +│ (以下|\d+ entries still)"

BLOCKS: dict[str, Block] = {
    "init": Block((run("init", "--type", "work_base", "-o", "苏州/applicant.yaml"),)),
    "init-yaml": Block((Excerpt("苏州/applicant.yaml", pick(r"^# yaml-language-server", r"^base:$",
                                                              (r"^  # 服务场所面积", 1))),), fence="yaml"),
    "skeleton": Block((run("check", *AS_OF, "--quiet", "苏州/applicant.yaml", select=rows(SERVICE_AREA, last=1)),)),
    "explain": Block((run("explain", "work_base.service_area"),)),
    "check-explain": Block((run("check", "--explain", *AS_OF, SMALL, select=rows(r"99 (平方米|m²)")),)),
    "folder": Block((run("check", "examples/", *AS_OF, "--jobs", "4", "--quiet", "--summary", "汇总.xlsx",
                         select=summary_excerpt),)),
    "github": Block((run("check", *AS_OF, "--format", "github", SMALL,
                         select=pick(r"management_body", r"service_area ", r"^examples/")),
                     run("check", *AS_OF, "--format", "junit", SMALL, select=junit_excerpt))),
    "usage-error": Block((run("check", "--format", "xml", "a.yaml"),)),
    "file-error": Block((run("check", "bad.yaml"),), prepare=misspelt_file),
    "check-table": Block((run("check", *AS_OF, SMALL, select=rows(r"9 (平方米|m²)", first=9, last=1)),)),
    "blank": Block((run("build-packet", "--blank", "-o", "空白表"),)),
    "import": Block((run("import", "空白表/申报表.docx", "-o", "applicant.yaml"),), prepare=fill_the_blank_form),
    "import-yaml": Block((Excerpt("applicant.yaml", pick((r"^  # 服务场所面积", 7))),), fence="yaml"),
    "imported-check": Block((run("check", *AS_OF, "--quiet", "applicant.yaml",
                                 select=rows(SERVICE_AREA, PLACEHOLDERS, last=1)),)),
}
"""In the order they run: a block may read what an earlier one wrote (init-yaml reads init's file)."""


# --- running -----------------------------------------------------------------------------------------


def haizhi() -> str:
    return shutil.which("haizhi", path=str(Path(sys.executable).parent)) or "haizhi"


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HAIZHI_", "FORCE_COLOR", "TTY_", "CLICOLOR"))}
    env.update(COLUMNS=str(COLUMNS), LINES="50", NO_COLOR="1", TERM="xterm", SOURCE_DATE_EPOCH=EPOCH,
               LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


def in_terminal(argv: Sequence[str], cwd: Path) -> str:
    """Run `argv` with stdout and stderr on a pseudo-terminal of COLUMNS columns; what the screen shows."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, COLUMNS, 0, 0))
    process = subprocess.Popen(argv, cwd=cwd, env=environment(), stdin=subprocess.DEVNULL, stdout=follower,
                               stderr=follower, close_fds=True)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command has ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait()
    return screen(b"".join(chunks).decode("utf-8"))


TOKEN = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\r|\n|[^\x1b\r\n]+")


def screen(output: str) -> str:
    """What a terminal shows after `output`: enough of one for rich's transient progress bar (carriage
    return, cursor up, erase line) to leave nothing behind; colour and other codes are dropped."""
    lines = [""]
    row = col = 0
    for match in TOKEN.finditer(output):
        text = match.group(0)
        if text == "\r":
            col = 0
        elif text == "\n":
            row += 1
            col = 0
            lines += [""] * (row + 1 - len(lines))
        elif match.group(2) == "A":
            row = max(0, row - int(match.group(1) or 1))
        elif match.group(2) == "K":
            lines[row] = lines[row][:col] if match.group(1) in ("", "0") else ""
        elif not text.startswith("\x1b"):
            line = lines[row].ljust(col)
            lines[row] = line[:col] + text + line[col + len(text):]
            col += len(text)
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def run_block(block: Block, work: Path, lang: str) -> str:
    if block.prepare:
        block.prepare(work)
    shown: list[str] = []
    for part in block.parts:
        if isinstance(part, Excerpt):
            shown += part.select((work / part.path).read_text(encoding="utf-8").splitlines())
            continue
        args = part.shown(lang)
        output = in_terminal([haizhi(), *args], work)
        shown += [("\n" if shown else "") + "$ haizhi " + " ".join(args), *part.select(output.splitlines())]
    fence = "```"
    return f"{fence}{block.fence}\n" + "\n".join(shown) + f"\n{fence}"


def outputs(lang: str) -> dict[str, str]:
    """Every block's text for `lang`, run in a scratch folder holding the bundled examples."""
    with tempfile.TemporaryDirectory(prefix="haizhi-readme-") as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "examples", work / "examples")
        return {name: run_block(block, work, lang) for name, block in BLOCKS.items()}


# --- writing the READMEs -----------------------------------------------------------------------------


MARKED = re.compile(r"(<!-- readme:(?P<name>[a-z-]+) -->\n).*?(\n<!-- /readme:(?P=name) -->)", re.DOTALL)


def filled(text: str, blocks: dict[str, str]) -> str:
    """`text` with each marked part replaced by its block; a marker naming no block is an error."""

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + blocks[match.group("name")] + match.group(3)

    return MARKED.sub(replace, text)


def marked(text: str) -> list[str]:
    return [match.group("name") for match in MARKED.finditer(text)]


def current() -> dict[str, tuple[str, str]]:
    """Each README's text as it is and as it should be."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        made = dict(zip(READMES, pool.map(outputs, READMES), strict=True))
    pairs = {}
    for lang, path in READMES.items():
        text = path.read_text(encoding="utf-8")
        pairs[lang] = (text, filled(text, made[lang]))
    return pairs


def stale_blocks(text: str, wanted: str) -> list[str]:
    has = dict(zip(marked(text), (m.group(0) for m in MARKED.finditer(text)), strict=True))
    should = dict(zip(marked(wanted), (m.group(0) for m in MARKED.finditer(wanted)), strict=True))
    return [name for name in should if has.get(name) != should[name]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say which blocks are stale (exit 1)")
    options = parser.parse_args(argv)
    stale = 0
    for lang, (text, wanted) in current().items():
        path = READMES[lang]
        if text == wanted:
            continue
        if options.check:
            print(f"{path.name} is stale: {', '.join(stale_blocks(text, wanted))} (run make readme)")
            stale += 1
        else:
            path.write_text(wanted, encoding="utf-8")
            print(f"rewrote {path.name}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Applicant files for the batch benchmark, generated deterministically from the three bundled open examples.

    python benchmarks/generate.py OUT [-n 1000] [--seed 2023]

Layout: one folder per base type under OUT (work-base/, offshore-base/, rd-community/), each holding a copy
of that example's attachments/ folder, made once, and the generated applicant-NNNN.yaml files beside it.
Every file names its attachments as `attachments/…` relative to itself, as a real applicant does, so
`haizhi check` really finds and opens each PDF.

Files are dealt out in turn to the three types; consecutive groups of three share a variant from VARIANTS,
half of them eligible and complete and half failing in one way: a service area below the type's threshold,
预期目标 over its 400 字, a missing written statement of a condition, no support letter, or a submission
after the deadline. The figures of every file (areas, staff, funds, talents) are varied upwards with a seeded
random generator, so no two files are alike but the same seed always gives the same files. Each variant
names the rule ids it is meant to fail (`Generated.expected_fail`): the benchmark and its test compare them
with what `haizhi check --as-of 2023-09-01` reports.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = "2023-09-01"
"""The day the generated files are meant to be checked on (`--as-of`): before the 2023 deadline."""

FOLDER = {"work_base": "work-base", "offshore_base": "offshore-base", "rd_community": "rd-community"}
TYPES = tuple(FOLDER)
SERVICE_AREA_MIN = {"work_base": 100, "offshore_base": 5000, "rd_community": 2000}
"""The notice's minimum service area per type (rules work_base/offshore_base/rd_community.service_area)."""
STATEMENT = {"work_base": "management_body", "offshore_base": "provincial_policy", "rd_community": "rd_conditions"}
"""One written statement of a condition per type, removed by the missing_statement variant."""
GOALS_LIMIT = 400
SCALED = ("service_area_m2", "office_area_m2", "annual_work_funds_wan", "annual_award_funds_wan",
          "overseas_talents", "overseas_talents_long_term", "overseas_partners")
"""Figures under `base:` that are only ever checked against a minimum, so raising them keeps a file eligible."""

Data = dict[str, Any]


@dataclass(frozen=True)
class Generated:
    path: Path
    base_type: str
    variant: str
    expected_fail: tuple[str, ...]
    """Rule ids that `haizhi check` should fail for this file; empty for an eligible, complete one."""


def _small_area(data: Data, base_type: str, rng: random.Random) -> tuple[str, ...]:
    minimum = SERVICE_AREA_MIN[base_type]
    data["base"]["service_area_m2"] = rng.randint(minimum // 2, minimum - 1)
    return (f"{base_type}.service_area",)


def _long_goals(data: Data, base_type: str, rng: random.Random) -> tuple[str, ...]:
    goals = data["narratives"]["goals"].strip()
    filler = "加强与海外科技社团的联系，完善人才服务体系，推动更多合作项目落地。"
    while len(goals) <= GOALS_LIMIT + rng.randint(1, 80):
        goals += filler
    data["narratives"]["goals"] = goals + "\n"
    return ("common.narrative_goals",)


def _missing_statement(data: Data, base_type: str, rng: random.Random) -> tuple[str, ...]:
    del data["conditions"][STATEMENT[base_type]]
    return (f"{base_type}.{STATEMENT[base_type]}",)


def _no_support_letter(data: Data, base_type: str, rng: random.Random) -> tuple[str, ...]:
    del data["attachments"]["support_letter"]
    return ("common.support_letter",)


def _late_submission(data: Data, base_type: str, rng: random.Random) -> tuple[str, ...]:
    data["process"]["provincial_submission"] = dt.date(2023, 9, 15) + dt.timedelta(days=rng.randint(1, 20))
    return ("common.provincial_submission",)


Variant = Callable[[Data, str, random.Random], tuple[str, ...]]
FAILING: dict[str, Variant] = {
    "small_area": _small_area,
    "long_goals": _long_goals,
    "missing_statement": _missing_statement,
    "no_support_letter": _no_support_letter,
    "late_submission": _late_submission,
}
VARIANTS = ("valid", "small_area", "valid", "long_goals", "valid", "missing_statement", "valid",
            "no_support_letter", "valid", "late_submission")
"""The variant of each group of three consecutive files (one per type), in turn."""


def _example(base_type: str) -> Data:
    with (EXAMPLES / FOLDER[base_type] / "applicant.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict)
    return data


def _vary(data: Data, index: int, rng: random.Random) -> None:
    """Different figures and names for every file; all changes keep an eligible file eligible."""
    base = data["base"]
    for key in SCALED:
        base[key] = int(base[key] * rng.uniform(1.0, 1.6)) + rng.randint(0, 3)
    extra = rng.randint(0, 10)
    base["staff_total"] += extra
    base["staff_full_time"] += rng.randint(0, extra)
    data["applicant"]["name"] += f"（第{index + 1}号）"
    base["contact"]["mobile"] = f"139{rng.randint(0, 99_999_999):08d}"


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Data, path: Path) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")


def generate(out: Path, count: int = 1000, seed: int = 2023) -> list[Generated]:
    """Write `count` applicant files below `out` (made if missing) and say what each should fail."""
    rng = random.Random(seed)
    examples = {base_type: _example(base_type) for base_type in TYPES}
    for folder in FOLDER.values():
        (out / folder).mkdir(parents=True, exist_ok=True)
        shutil.copytree(EXAMPLES / folder / "attachments", out / folder / "attachments", dirs_exist_ok=True)
    generated = []
    for index in range(count):
        base_type = TYPES[index % len(TYPES)]
        variant = VARIANTS[(index // len(TYPES)) % len(VARIANTS)]
        data = copy.deepcopy(examples[base_type])
        _vary(data, index, rng)
        expected = FAILING[variant](data, base_type, rng) if variant != "valid" else ()
        path = out / FOLDER[base_type] / f"applicant-{index + 1:04d}.yaml"
        _dump(data, path)
        generated.append(Generated(path, base_type, variant, expected))
    return generated


def outcome_problems(files: list[Generated], reports: list[dict[str, Any]]) -> list[str]:
    """How `haizhi check --format json` output differs from what the generated files were meant to fail."""
    expected = {str(f.path): f.expected_fail for f in files}
    problems = []
    for report in reports:
        name = report["file"]
        if "error" in report:
            problems.append(f"{name}: not checked: {report['error']['message']}")
            continue
        failed = tuple(sorted(f["rule"] for f in report["findings"] if f["status"] == "fail"))
        if name not in expected:
            problems.append(f"{name}: not a generated file")
        elif failed != tuple(sorted(expected[name])):
            problems.append(f"{name}: failed {list(failed)}, expected {list(expected[name])}")
    missing = expected.keys() - {report["file"] for report in reports}
    problems.extend(f"{name}: not in the report" for name in sorted(missing))
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write into (made if missing)")
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    files = generate(args.out, args.count, args.seed)
    failing = sum(1 for f in files if f.expected_fail)
    print(f"{len(files)} applicant files in {args.out}: {len(files) - failing} eligible and complete, "
          f"{failing} failing")


if __name__ == "__main__":
    main()

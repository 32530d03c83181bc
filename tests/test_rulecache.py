"""The cache of packaged rule rounds: it gives exactly what reading the rule files gives, notices every
change, and neither a corrupt file nor an unusable folder ever turns into an error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from haizhi_cli import outputs
from haizhi_cli.applicant._models import BaseType
from haizhi_cli.engine import _rulecache as rulecache
from haizhi_cli.engine import _rules as rules
from haizhi_cli.engine._results import Category
from haizhi_cli.engine._rules import RuleSet, available_rounds, cached_round, read_round
from haizhi_cli.errors._errors import RuleFileError
from tests.conftest import EXAMPLES, ROOT

AREA = "op: at_least, field: base.service_area_m2, value: 100"


def same(a: Any, b: Any, where: str = "") -> None:
    """Equal, and of the same types all the way down (== alone takes 100 for 100.0 and "x" for an enum member)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert list(a.__dict__) == list(b.__dict__), where
        assert a.model_fields_set == b.model_fields_set, where
        assert (a.__pydantic_extra__, a.__pydantic_private__) == (b.__pydantic_extra__, b.__pydantic_private__)
        for name, value in a.__dict__.items():
            same(value, b.__dict__[name], f"{where}.{name}")
    elif dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, dict):
        assert len(a) == len(b), where
        for (key_a, value_a), (key_b, value_b) in zip(a.items(), b.items(), strict=True):
            same(key_a, key_b, f"{where}[{key_a!r}]")
            same(value_a, value_b, f"{where}[{key_a!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for index, (item_a, item_b) in enumerate(zip(a, b, strict=True)):
            same(item_a, item_b, f"{where}[{index}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a == b, where


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (on Windows too), with the cache switched on."""
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setenv("LOCALAPPDATA", str(home))
    monkeypatch.delenv("HAIZHI_NO_CACHE", raising=False)
    return home


@pytest.fixture
def round_folder(tmp_path: Path) -> Path:
    """A copy of the packaged 2023 rules to change."""
    folder = tmp_path / "rules" / "2023"
    shutil.copytree(rules.packaged_rules_root() / "2023", folder)
    return folder


def cache_files(home: Path) -> list[Path]:
    folder = outputs.cache_dir()
    assert folder is not None and folder.is_relative_to(home)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_fresh_only(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every time the rule files are actually read."""
    reads: list[Path] = []
    real = rules.read_round

    def spy(round_: int, folder: Path) -> RuleSet:
        reads.append(folder)
        return real(round_, folder)

    monkeypatch.setattr(rules, "read_round", spy)
    return reads


@pytest.mark.parametrize("round_", available_rounds())
def test_a_cached_round_is_exactly_the_round_read_from_its_files(cache_home: Path, round_: int) -> None:
    folder = rules.packaged_rules_root() / str(round_)
    fresh = read_round(round_, folder)
    written = cached_round(round_, folder)
    assert len(cache_files(cache_home)) == 1
    from_cache = cached_round(round_, folder)
    same(written, fresh)
    same(from_cache, fresh)
    assert from_cache == fresh


def test_the_second_run_reads_no_rule_file(cache_home: Path, round_folder: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    reads = read_fresh_only(monkeypatch)
    cached_round(2023, round_folder)
    cached_round(2023, round_folder)
    assert reads == [round_folder]


def test_a_changed_rule_file_invalidates_the_cache(cache_home: Path, round_folder: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = cached_round(2023, round_folder)
    path = round_folder / "work_base.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(AREA, AREA.replace("100", "150"), 1), encoding="utf-8")
    reads = read_fresh_only(monkeypatch)
    after = cached_round(2023, round_folder)
    assert reads == [round_folder]
    assert before.get("work_base.service_area").params[BaseType.work_base].value == 100  # type: ignore[union-attr]
    assert after.get("work_base.service_area").params[BaseType.work_base].value == 150  # type: ignore[union-attr]
    same(after, read_round(2023, round_folder))
    assert len(cache_files(cache_home)) == 1  # rewritten in place, not one more file per change
    same(cached_round(2023, round_folder), after)
    assert reads == [round_folder]


def test_a_new_rule_file_invalidates_the_cache(cache_home: Path, round_folder: Path) -> None:
    cached_round(2023, round_folder)
    text = (round_folder / "work_base.yaml").read_text(encoding="utf-8")
    (round_folder / "zz_extra.yaml").write_text(text.replace("id: work_base.", "id: extra_base."), encoding="utf-8")
    assert cached_round(2023, round_folder).get("extra_base.service_area") is not None


def test_another_haizhi_or_library_version_invalidates_the_cache(cache_home: Path, round_folder: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cached_round(2023, round_folder)
    versions = rulecache.runtime_versions()
    monkeypatch.setattr(rulecache, "runtime_versions", lambda: [*versions, "another"])
    reads = read_fresh_only(monkeypatch)
    cached_round(2023, round_folder)
    assert reads == [round_folder]


def test_a_broken_rule_file_is_the_same_error_and_is_never_cached(cache_home: Path, round_folder: Path) -> None:
    path = round_folder / "work_base.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(AREA, AREA.replace("100", "many"), 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as fresh:
        read_round(2023, round_folder)
    for _ in range(2):
        with pytest.raises(RuleFileError) as cached:
            cached_round(2023, round_folder)
        assert str(cached.value) == str(fresh.value)
    assert cache_files(cache_home) == []


CORRUPTIONS = {
    "garbage": b"\x00\xff not json at all",
    "truncated": None,  # the first half of the real file
    "empty": b"",
    "not an object": b"[1, 2, 3]",
    "wrong payload": None,  # the right key, a payload that is no round
    "unknown class": None,  # the right key, a model this code does not know
}


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_cache_file_is_ignored_and_rewritten(cache_home: Path, round_folder: Path, kind: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    expected = cached_round(2023, round_folder)
    [path] = cache_files(cache_home)
    good = path.read_bytes()
    stored = json.loads(good)
    if kind == "truncated":
        damaged = good[: len(good) // 2]
    elif kind == "wrong payload":
        damaged = json.dumps({**stored, "payload": {"facts": 1, "rules": "x"}}).encode()
    elif kind == "unknown class":
        damaged = good.replace(b"haizhi_cli.engine._rules.RuleDef", b"haizhi_cli.engine._rules.Nothing")
    else:
        damaged = CORRUPTIONS[kind] or b""
    path.write_bytes(damaged)
    reads = read_fresh_only(monkeypatch)
    same(cached_round(2023, round_folder), expected)
    assert reads == [round_folder]
    assert json.loads(path.read_bytes())["key"] == stored["key"]
    same(cached_round(2023, round_folder), expected)
    assert reads == [round_folder]


def test_a_cache_folder_that_cannot_be_made_is_tolerated(tmp_path: Path, round_folder: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))
    monkeypatch.delenv("HAIZHI_NO_CACHE", raising=False)
    same(cached_round(2023, round_folder), read_round(2023, round_folder))
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(os.name == "nt" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="root ignores folder permissions")
def test_a_read_only_cache_folder_is_tolerated(cache_home: Path, round_folder: Path) -> None:
    folder = outputs.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        same(cached_round(2023, round_folder), read_round(2023, round_folder))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch, round_folder: Path) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.delenv("HAIZHI_NO_CACHE", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    if os.name != "nt":
        assert outputs.cache_dir() is None
    same(cached_round(2023, round_folder), read_round(2023, round_folder))


def test_haizhi_no_cache_neither_reads_nor_writes(cache_home: Path, round_folder: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cached_round(2023, round_folder)
    [path] = cache_files(cache_home)
    path.unlink()
    monkeypatch.setenv("HAIZHI_NO_CACHE", "1")
    reads = read_fresh_only(monkeypatch)
    cached_round(2023, round_folder)
    cached_round(2023, round_folder)
    assert reads == [round_folder, round_folder]
    assert cache_files(cache_home) == []


@pytest.mark.parametrize(("value", "on"), [("", True), ("0", True), ("1", False), ("yes", False)])
def test_what_haizhi_no_cache_values_mean(monkeypatch: pytest.MonkeyPatch, value: str, on: bool) -> None:
    monkeypatch.setenv("HAIZHI_NO_CACHE", value)
    assert outputs.caching_enabled() is on


def test_a_rules_folder_given_on_the_command_line_is_never_cached(cache_home: Path, round_folder: Path) -> None:
    rules.load_round.cache_clear()
    try:
        same(rules.load_round(2023, round_folder.parent), read_round(2023, round_folder))
    finally:
        rules.load_round.cache_clear()
    assert cache_files(cache_home) == []


def test_the_codec_keeps_every_type_and_refuses_what_it_cannot_keep(cache_home: Path) -> None:
    codec = rulecache.Codec([], [BaseType, Category])
    value = {
        "text": "字", "int": 1, "float": 1.0, "nan": math.nan, "big": 10**30, "bool": True, "none": None,
        "date": dt.date(2023, 9, 1), "datetime": dt.datetime(2023, 9, 1, 8, 30, tzinfo=dt.UTC),
        "enum": BaseType.work_base, "list": [1, "1", [Category.form]], "int keys": {2023: 1, 2024: 2},
        "enum keys": {BaseType.rd_community: "x"}, "\x00date": "2023-09-01", "one key": {"\x00model": 1},
        "empty": {}, "plain one key": {"a": {"b": [dt.date(2024, 1, 1)]}},
    }
    rulecache.write("codec.json", "k", value, codec)
    same(rulecache.read("codec.json", "k", codec), value)
    assert rulecache.read("codec.json", "another key", codec) is None
    for odd in ((1, 2), {1, 2}, b"bytes", Path("x")):
        with pytest.raises(rulecache.Uncacheable):
            codec.encode(odd)
        rulecache.write("odd.json", "k", {"value": odd}, codec)  # given up quietly
    assert rulecache.read("odd.json", "k", codec) is None


@pytest.mark.parametrize("round_", available_rounds())
def test_the_division_data_is_written_once_and_read_back_as_one_object(cache_home: Path, round_: int) -> None:
    folder = rules.packaged_rules_root() / str(round_)
    fresh = cached_round(round_, folder)
    assert fresh.facts.divisions is not None
    [written] = cache_files(cache_home)
    assert written.read_text(encoding="utf-8").count(fresh.facts.divisions.source) == 1
    from_cache = cached_round(round_, folder)
    held = [rule.params[base_type].divisions for rule in from_cache.rules for base_type in rule.params
            if getattr(rule.params[base_type], "divisions", None) is not None]
    assert held and all(divisions is from_cache.facts.divisions for divisions in held)


def test_check_reports_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    """Whole runs, each in a fresh interpreter: without the cache, writing it, then reading it."""
    env = {k: v for k, v in os.environ.items() if k not in ("HAIZHI_NO_CACHE", "HAIZHI_RULES", "HAIZHI_LANG")}
    env["XDG_CACHE_HOME"] = env["LOCALAPPDATA"] = str(tmp_path / "cache")
    files = [str(EXAMPLES / name / "applicant.yaml") for name in ("work-base", "offshore-base", "rd-community")]
    command = [sys.executable, "-m", "haizhi_cli", "check", "--format", "json", "--as-of", "2023-09-01",
               "--lang", "en", *files]
    outputs = []
    for no_cache in ("1", "", ""):
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False, encoding="utf-8",
                              env={**env, "HAIZHI_NO_CACHE": no_cache})
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(json.loads(outputs[0])) == 3
    assert list((tmp_path / "cache").rglob("*.json"))


def test_the_key_is_the_content_of_the_rule_files_and_of_every_module_that_reads_them(
        round_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No list of file names to keep current: a module added to, renamed in or changed in the engine or the
    applicant models changes the key, as a changed rule file does."""
    hashed: list[Path] = []

    def fingerprint(files: Any, versions: Any) -> str:
        hashed.extend(files)
        return "key"

    monkeypatch.setattr(rulecache, "fingerprint", fingerprint)
    rules._cache_key(round_folder)
    package = Path(rules.__file__).resolve().parent.parent
    modules = {*(package / "engine").glob("*.py"), *(package / "applicant").glob("*.py")}
    assert set(hashed) == {*round_folder.glob("*.yaml"), *modules}
    assert package / "engine" / "_operators.py" in modules and package / "applicant" / "_models.py" in modules


def test_writing_the_cache_prunes_the_rounds_of_folders_that_no_longer_exist(cache_home: Path, tmp_path: Path,
                                                                             round_folder: Path) -> None:
    gone = tmp_path / "deleted-venv" / "2023"
    shutil.copytree(round_folder, gone)
    cached_round(2023, gone)
    folder = outputs.cache_dir()
    assert folder is not None
    foreign = folder / "rules-2023-0123456789abcdef.json"  # another version's file: it records no folder
    foreign.write_text('{"format":1,"key":"x","payload":{}}', encoding="utf-8")
    [of_gone] = [p for p in cache_files(cache_home) if p != foreign]
    assert json.loads(of_gone.read_text(encoding="utf-8"))["payload"]["folder"] == str(gone)
    shutil.rmtree(gone.parent)
    cached_round(2023, round_folder)  # a write: the file of the deleted folder goes, the others stay
    kept = cache_files(cache_home)
    assert of_gone not in kept and foreign in kept and len(kept) == 2
    cached_round(2023, round_folder)  # a read: nothing written, nothing pruned
    assert cache_files(cache_home) == kept

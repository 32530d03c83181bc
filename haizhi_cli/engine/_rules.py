"""Rule files: `rules/<round>/facts.yaml` plus one file per base type and one shared by all.

Rule files are read with the same strict loader as applicant files, and validated as strictly:
unknown keys, unknown operators, bad parameters, a clause not in the citation format or a duplicate
rule id are errors naming the rule file and line. A new round is a new folder, not new code.

The packaged rounds, once validated, are kept in the user's cache (see rulecache) and rebuilt from it
on later runs; their models are built lazily (`defer_build`), so a run that finds its cache never builds them.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from haizhi_cli._shipped import shipped_folder
from haizhi_cli.applicant import BaseType, YamlDocument, read_yaml, validation_error
from haizhi_cli.engine import _rulecache as rulecache
from haizhi_cli.engine._divisions import DivisionFile, Divisions
from haizhi_cli.engine._operators import OPERATORS, OutcomeKind, Params
from haizhi_cli.engine._results import Category
from haizhi_cli.errors import Location, RuleFileError
from haizhi_cli.i18n import tr
from haizhi_cli.outputs import caching_enabled, prune_cached

CLAUSE_PATTERN = re.compile(
    r"[一二三](?:（[一二三四五六七八九十]+）)?(?:\d+)?(?:（\d+）)?"
    r"|申报表[一二三四五六七八](?:\d+)?"
    r"|填表说明[一二三四五六七八九十]"
)
"""Clause citations in the notice's own numbering: `一（一）2（2）`, `二（二）（3）`, `申报表七5`, `填表说明四`."""

RULE_ID_PATTERN = r"^[a-z][a-z_]*\.[a-z][a-z0-9_]*$"

_REPEAT = re.compile(r"\{zh\*(\d+)\}")
"""In rule examples, `{zh*1000}` stands for a text of 1000 Han characters."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Messages(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class RuleExamples(_Strict):
    """Changes to a valid applicant of the rule's type that make the rule pass, and fail."""

    passing: dict[str, Any] = Field(alias="pass")
    failing: dict[str, Any] = Field(alias="fail")


class RuleDef(_Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    clause: str
    quote: str = Field(min_length=1)
    category: Category
    severity: Literal["error", "warning"] = "error"
    when_missing: Literal["fail", "review"] = "fail"
    title: Messages
    check: dict[str, Any]
    messages: dict[OutcomeKind, Messages]
    examples: RuleExamples | None = None

    @field_validator("clause")
    @classmethod
    def _clause_format(cls, clause: str) -> str:
        if not CLAUSE_PATTERN.fullmatch(clause):
            raise ValueError(tr("条款编号 {clause!r} 不符合引用格式"
                                "（如 一（一）2（2）、二（三）、申报表七5、填表说明四）", clause=clause))
        return clause


class RuleFile(_Strict):
    applies_to: list[BaseType] = Field(min_length=1)
    rules: list[RuleDef]


class RoundFacts(_Strict):
    round: int
    notice: str
    deadline: dt.date
    plan_years: list[int] = Field(min_length=1)
    open_types: list[BaseType]
    closed_types: list[BaseType]
    base_name_pattern: dict[BaseType, str]
    base_name_format: dict[BaseType, str]
    support_letter_level: dict[BaseType, Literal["city", "province"]]
    support_letter_issuer_example: dict[BaseType, str]
    public_notice_min_days: int = Field(ge=1)
    divisions: Divisions | None = None
    """The administrative divisions, read from the file facts.yaml names (`divisions: divisions.yaml`)."""


@dataclass(frozen=True)
class Rule:
    """A rule ready to run: its definition and, per base type, its operator's parameters."""

    definition: RuleDef
    source: Path
    line: int
    params: dict[BaseType, Params]

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def op(self) -> str:
        return str(self.definition.check["op"])


@dataclass(frozen=True)
class RuleSet:
    round: int
    folder: Path
    facts: RoundFacts
    rules: tuple[Rule, ...]

    def for_type(self, base_type: BaseType) -> list[Rule]:
        return [rule for rule in self.rules if base_type in rule.params]

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


@cache
def packaged_rules_root() -> Path:
    """The `rules/` folder inside the installed package."""
    return shipped_folder("rules")


def available_rounds(root: Path | None = None) -> list[int]:
    """The rounds (years) that have a folder of rules; the packaged ones are listed once per process."""
    if root is None:
        return list(_packaged_rounds())
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())


@cache
def _packaged_rounds() -> tuple[int, ...]:
    return tuple(available_rounds(packaged_rules_root()))


def round_or_latest(round_: int | None, root: Path | None = None) -> int:
    """`round_`, or when it is None the latest round of the rules folder: a new round is a new folder."""
    return round_ if round_ is not None else max(available_rounds(root))


@cache
def load_round(round_: int, root: Path | None = None) -> RuleSet:
    """Read and validate every rule file of a round; any defect is a RuleFileError with file and line.

    The packaged rounds go through the user's cache (see rulecache); a `--rules` folder is read afresh.
    """
    if root is None:
        return cached_round(round_, packaged_rules_root() / str(round_))
    return read_round(round_, root / str(round_))


def read_round(round_: int, folder: Path) -> RuleSet:
    """Read and validate the rule files of a round's folder, without the cache."""
    facts = _load_facts(folder / "facts.yaml")
    data_files = {"facts.yaml", facts.divisions.file if facts.divisions else ""}
    rules: list[Rule] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name not in data_files:
            rules.extend(_load_rule_file(path, facts))
    _refuse_duplicate_ids(rules)
    return RuleSet(round_, folder, facts, tuple(rules))


_STAGES_READING_RULES = ("engine", "applicant")
"""The stages whose code decides what a rule file compiles to (the rule models and operators, and the applicant
models whose keys they name): a change to any module of theirs invalidates the cache."""


def cached_round(round_: int, folder: Path) -> RuleSet:
    """The round from the user's cache when it was written for these very files and this code; else read
    afresh (and cached). Gives the same RuleSet as `read_round`, or raises the same error."""
    if not caching_enabled():
        return read_round(round_, folder)
    key = _cache_key(folder)
    if key is None:
        return read_round(round_, folder)
    name = f"rules-{round_}-{hashlib.sha256(str(folder).encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.json"
    codec = _codec()
    cached = _ruleset_from_cache(rulecache.read(name, key, codec), round_, folder)
    if cached is not None:
        return cached
    ruleset = read_round(round_, folder)
    if _cache_key(folder) == key:  # the files did not change while they were read
        rulecache.write(name, key, _ruleset_to_cache(ruleset), codec)
        prune_cache()
    return ruleset


CACHED_ROUND = re.compile(r"rules-\d+-[0-9a-f]{16}\.json")
_FOLDER_RECORDED = re.compile(rb'^\{"format":\d+,"key":"[0-9a-f]*","payload":\{"folder":("(?:[^"\\]|\\.)*")')


def prune_cache() -> None:
    """Remove the cached rounds of rule folders that no longer exist (an uninstalled haizhi, a deleted
    virtual environment or clone), each found by the folder its file records; run after each write, so the
    cache holds the rounds of folders that exist and no more. A file that records no folder (written by
    another version of haizhi, which may still be installed) is left alone."""
    prune_cached(lambda path: CACHED_ROUND.fullmatch(path.name) is not None and _recorded_folder_is_gone(path))


def _recorded_folder_is_gone(path: Path) -> bool:
    with path.open("rb") as handle:
        found = _FOLDER_RECORDED.match(handle.read(8192))
    if found is None:
        return False
    try:
        recorded = json.loads(found.group(1))
    except ValueError:
        return False
    return isinstance(recorded, str) and not Path(recorded).is_dir()


def _cache_key(folder: Path) -> str | None:
    """The content the cached rules depend on: the round's rule files, the code of the stages that read them
    (every module found in their folders, so no list of file names goes stale) and the versions."""
    package = Path(__file__).resolve().parent.parent
    try:
        files = sorted(folder.glob("*.yaml"))
        code = sorted(path for stage in _STAGES_READING_RULES for path in (package / stage).glob("*.py"))
    except OSError:
        return None
    return rulecache.fingerprint([*files, *code], rulecache.runtime_versions())


def _codec() -> rulecache.Codec:
    params = {spec.params for spec in OPERATORS.values()}
    return rulecache.Codec([Messages, RuleExamples, RuleDef, RoundFacts, Divisions, *params], [BaseType, Category])


def _ruleset_to_cache(ruleset: RuleSet) -> dict[str, Any]:
    rules = [{"file": rule.source.name, "line": rule.line, "definition": rule.definition, "params": rule.params}
             for rule in ruleset.rules]
    return {"folder": str(ruleset.folder), "facts": ruleset.facts, "rules": rules}


def _ruleset_from_cache(payload: Any, round_: int, folder: Path) -> RuleSet | None:
    """The RuleSet a decoded cache payload describes, or None if it is not one."""
    try:
        facts = payload["facts"]
        rules = tuple(Rule(item["definition"], folder / item["file"], item["line"], item["params"])
                      for item in payload["rules"])
    except (TypeError, KeyError):
        return None
    if not isinstance(facts, RoundFacts) or not all(_well_formed(rule, folder) for rule in rules):
        return None
    return RuleSet(round_, folder, facts, rules)


def _well_formed(rule: Rule, folder: Path) -> bool:
    return (isinstance(rule.definition, RuleDef) and type(rule.line) is int and rule.source.parent == folder
            and isinstance(rule.params, dict)
            and all(isinstance(t, BaseType) and isinstance(p, Params) for t, p in rule.params.items()))


def _load_facts(path: Path) -> RoundFacts:
    document = read_yaml(path, RuleFileError)
    data = document.data
    if isinstance(data, dict) and "divisions" in data:
        data = {**data, "divisions": _load_divisions(document)}
    try:
        return RoundFacts.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, document, RoundFacts, RuleFileError) from None


def _load_divisions(facts: YamlDocument) -> Divisions:
    """The division data file that facts.yaml names: a file of the round's folder, validated as strictly as a
    rule file (errors name that file and line)."""
    name = facts.data["divisions"]
    if not isinstance(name, str) or Path(name).name != name or not name.endswith(".yaml") or name == "facts.yaml":
        raise RuleFileError(tr("divisions 应为本轮文件夹中行政区划数据文件的文件名（如 divisions.yaml）"),
                            facts.location(("divisions",)))
    path = facts.path.parent / name
    if not path.is_file():
        raise RuleFileError(tr("facts.yaml 所指的行政区划数据文件 {name} 不存在", name=name),
                            facts.location(("divisions",)))
    document = read_yaml(path, RuleFileError)
    try:
        parsed = DivisionFile.model_validate(document.data)
    except ValidationError as exc:
        raise validation_error(exc, document, DivisionFile, RuleFileError) from None
    return Divisions.model_validate({**parsed.model_dump(), "file": name})


def _load_rule_file(path: Path, facts: RoundFacts) -> list[Rule]:
    document = read_yaml(path, RuleFileError)
    try:
        parsed = RuleFile.model_validate(document.data)
    except ValidationError as exc:
        raise validation_error(exc, document, RuleFile, RuleFileError) from None
    return [_compile(rule, i, parsed.applies_to, document, facts) for i, rule in enumerate(parsed.rules)]


def _compile(rule: RuleDef, index: int, types: list[BaseType], document: YamlDocument,
             facts: RoundFacts) -> Rule:
    """Check the operator and its parameters for every base type the rule applies to."""
    where = document.location(("rules", index, "check"))
    spec = OPERATORS.get(str(rule.check.get("op")))
    if spec is None:
        known = tr("、").join(sorted(OPERATORS))
        raise RuleFileError(tr("规则 {rule}：未知的运算符 {op!r}；可用：{known}", rule=rule.id,
                               op=rule.check.get("op"), known=known), where)
    _require_messages(rule, spec.reachable(rule.check), document.location(("rules", index, "messages")))
    params: dict[BaseType, Params] = {}
    for base_type in types:
        raw = _resolve_facts(rule, base_type, facts, where)
        if raw is not None:
            params[base_type] = _validate_params(rule, spec.params, raw, where)
    return Rule(rule, document.path, where.line or 1, params)


def _require_messages(rule: RuleDef, outcomes: frozenset[OutcomeKind], where: Location) -> None:
    missing = sorted(outcomes - set(rule.messages))
    if missing:
        raise RuleFileError(tr("规则 {rule}：缺少以下结果的消息：{missing}", rule=rule.id,
                               missing=", ".join(missing)), where)


def _resolve_facts(rule: RuleDef, base_type: BaseType, facts: RoundFacts,
                   where: Location) -> dict[str, Any] | None:
    """Replace `{fact: name}` and `{fact: name, per: base_type}` parameters with the round's facts.

    None when a per-type fact has no entry for this type: the rule does not apply to it.
    """
    resolved: dict[str, Any] = {}
    for key, value in rule.check.items():
        if key == "op":
            continue
        if isinstance(value, dict) and "fact" in value:
            fact = _fact_value(rule, value, base_type, facts, where)
            if fact is None:
                return None
            value = fact
        resolved[key] = value
    return resolved


def _fact_value(rule: RuleDef, ref: dict[str, Any], base_type: BaseType, facts: RoundFacts,
                where: Location) -> Any:
    name = ref["fact"]
    if name not in RoundFacts.model_fields or set(ref) - {"fact", "per"}:
        raise RuleFileError(tr("规则 {rule}：引用了不存在的事实 {ref!r}（见 facts.yaml）", rule=rule.id, ref=ref),
                            where)
    value = getattr(facts, name)
    if value is None:
        raise RuleFileError(tr("规则 {rule}：引用的事实 {name} 在 facts.yaml 中没有给出", rule=rule.id, name=name),
                            where)
    if ref.get("per") == "base_type":
        return value.get(base_type)
    if ref.get("per") is not None:
        raise RuleFileError(tr("规则 {rule}：per 只能是 base_type", rule=rule.id), where)
    return value


def _validate_params(rule: RuleDef, model: type[Params], raw: dict[str, Any], where: Location) -> Params:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = tr("；").join(tr("{key}：{problem}", key=".".join(map(str, e["loc"])) or tr("参数"),
                                    problem=e["msg"]) for e in exc.errors())
        raise RuleFileError(tr("规则 {rule}：运算符 {op} 的参数有误：{problems}", rule=rule.id,
                               op=rule.check["op"], problems=problems), where) from None


def _refuse_duplicate_ids(rules: list[Rule]) -> None:
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            raise RuleFileError(
                tr("规则编号 {rule} 重复（另见 {file} 第 {line} 行）", rule=rule.id, file=first.source.name,
                   line=first.line),
                Location(rule.source, rule.line),
            )
        seen[rule.id] = rule


def example_value(value: Any) -> Any:
    """A rule example's value, with `{zh*N}` expanded to N Han characters."""
    if isinstance(value, str):
        match = _REPEAT.fullmatch(value)
        if match:
            return "字" * int(match.group(1))
    return value


def apply_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of applicant data with `a.b.c: value` changes made; a null value removes the key."""
    result = copy.deepcopy(data)
    for dotted_key, value in changes.items():
        *parents, last = dotted_key.split(".")
        target = result
        for part in parents:
            target = target.setdefault(part, {})
        if value is None:
            target.pop(last, None)
        else:
            target[last] = example_value(value)
    return result

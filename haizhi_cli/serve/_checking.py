"""The check beside the form: the page's data checked exactly as `haizhi check --format json` checks the file
it would be saved as, the 字数 of every limited text, the verdict line, and `explain` for a finding.

The data is written as a save would write it and checked through `checking.check_bytes` as if it were
FOLDER/applicant.yaml (its attachments found in FOLDER), without writing there. The rules are loaded once
per process (`engine.load_round`), so a check after the first takes milliseconds.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from typing import Any

from haizhi_cli.applicant import BaseType, count_chars
from haizhi_cli.checking import CheckOptions, check_bytes
from haizhi_cli.checking import explain as explain_rule
from haizhi_cli.engine import Report, RuleSet, available_rounds, char_limits, load_round, lookup, round_or_latest
from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import tr, verdict
from haizhi_cli.serve._responses import Refused
from haizhi_cli.serve._store import Workspace, yaml_bytes


@dataclass
class Checker:
    """The check of one run, on its workspace."""

    ws: Workspace

    def ruleset(self, round_: object = None) -> RuleSet:
        """The rules of `round_` (loaded once per process by `load_round`), or of the latest round where the
        data names none the rules folder has: the check itself reports a round it does not know."""
        known = round_ if round_ in available_rounds(self.ws.rules_root) else None
        return load_round(round_or_latest(known if isinstance(known, int) else None, self.ws.rules_root),
                          self.ws.rules_root)

    @functools.cached_property
    def options(self) -> CheckOptions:
        return CheckOptions(self.ws.today(), self.ws.lang, self.ws.rules_root)

    def check(self, data: Any) -> dict[str, Any]:
        """POST /api/check: the report `check --format json` prints, the counts and the verdict."""
        if not isinstance(data, dict):
            raise Refused(400, "bad_request", tr("检查请求应含 data（对象）"))
        outcome = check_bytes(yaml_bytes(self.ws, data), self.ws.applicant_path, self.options)
        report = outcome.as_json()
        return {"report": report, "counts": self.counts(data), "verdict": verdict_of(outcome, self.ws.lang),
                "errors": errors_of(report)}

    def counts(self, data: dict[str, Any]) -> dict[str, dict[str, int]]:
        """字数 and limit of every text the rules of the data's base type limit (0 for a text not written)."""
        limits = self.limits(data.get("base_type"), data.get("round"))
        counted = {}
        for path, limit in limits.items():
            text = lookup(data, path)
            counted[path] = {"count": count_chars(text) if isinstance(text, str) else 0, "limit": limit}
        return counted

    def limits(self, base_type: Any, round_: Any = None) -> dict[str, int]:
        """The 字数 limits of a base type's rules (a type not known: the first open type's)."""
        ruleset = self.ruleset(None if isinstance(round_, bool) else round_)
        chosen = known_type(base_type) or ruleset.facts.open_types[0]
        return char_limits(ruleset.for_type(chosen), chosen)

    def explain(self, rule_id: str) -> dict[str, Any]:
        """GET /api/explain/<id>: what `haizhi explain` says, as plain text, with the clause and its quote."""
        try:
            explanation = explain_rule(self.ruleset(), rule_id, self.ws.lang)
        except UsageError as exc:  # an unknown id, with the nearest ids
            raise Refused(404, "not_found", str(exc)) from None
        return {"id": rule_id, "clause": explanation.clause, "quote": explanation.quote,
                "text": explanation_text(explanation, self.ws.lang)}


def known_type(value: object) -> BaseType | None:
    """The base type `value` names, or None for anything else the page may send."""
    return BaseType(value) if isinstance(value, str) and value in BaseType._value2member_map_ else None


KEY_AT_START = re.compile(r"([A-Za-z_]\w*(?:\.\w+|\[\d+\])*)(?:（| \()")
"""The key a format error names first: `base.staff_total（第 27 行）：…`, `base.staff_total (line 27): …`."""


def errors_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The problems of data that does not fit the format, each with the key it concerns (None for the file as a
    whole), so that the page can show them beside their fields; none for data that was checked."""
    error = report.get("error")
    if not isinstance(error, dict):
        return []
    problems = error.get("details") or [error]
    return [{"path": _key_named(str(item["message"])), "message": item["message"]} for item in problems]


def _key_named(message: str) -> str | None:
    found = KEY_AT_START.match(message)
    return found[1] if found else None


def verdict_of(outcome: Any, lang: str) -> dict[str, Any]:
    """The verdict line: 符合申报条件；材料齐全 (or what is lacking); none for a file that cannot be checked."""
    if isinstance(outcome, Report):
        return {"eligible": outcome.eligible, "complete": outcome.complete,
                "text": verdict(outcome.eligible, outcome.complete, lang)}
    return {"eligible": None, "complete": None, "text": tr("文件有错误，无法检查")}


def explanation_text(explanation: Any, lang: str) -> str:
    """`haizhi explain`'s output as plain text (no colours, 100 columns)."""
    from rich.console import Console

    from haizhi_cli.reports import write_explanation

    out = io.StringIO()
    write_explanation(explanation, lang, Console(file=out, width=100, color_system=None, highlight=False))
    return out.getvalue()

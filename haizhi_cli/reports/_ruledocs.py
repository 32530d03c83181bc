"""The rule reference pages: `docs/rules/index.md` and one page per rule, generated from the rule files.

`python -m haizhi_cli.reports._ruledocs docs/rules` (or `make docs`) writes them; the same rule files always give
the same bytes, and the page of a rule that no longer exists is deleted. Pages are in Chinese first, with
the English beside it. tests/test_ruledocs.py fails when the committed pages and the rule files disagree.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from haizhi_cli.applicant import BaseType
from haizhi_cli.checking import (
    ExampleRun,
    Explanation,
    PerType,
    by_type,
    describe_check,
    explain,
    types_label,
)
from haizhi_cli.engine import Rule, RuleSet, Status, load_round, round_or_latest, threshold
from haizhi_cli.i18n import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS, Localized, label, speaking, tr

INDEX = "index.md"
GENERATED = "<!-- 由 haizhi_cli/reports/_ruledocs.py 从规则文件生成，请勿手工修改；修改规则后运行 make docs。 -->"
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]|]|<(?=[A-Za-z/!?])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
"""What Markdown (GitHub's) could read as markup in running text or a table cell: an underscore inside a word
(`service_area_m2`) or a `>=` cannot, so the pages stay readable as plain text too."""


def md(text: str) -> str:
    """Text as literal Markdown: the characters Markdown would read as markup are escaped."""
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(0), text).replace("\n", " ")


def code(text: str) -> str:
    """Text as a Markdown code span."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def both(zh: str, en: str) -> str:
    """Chinese first, English after it in italics (left out when it says the same)."""
    return zh if zh == en else f"{zh} *{en}*"


# --- one rule ------------------------------------------------------------------------------

def rule_page(ruleset: RuleSet, rule: Rule) -> str:
    """The reference page of one rule, in Markdown."""
    zh, en = explain(ruleset, rule.id, "zh"), explain(ruleset, rule.id, "en")
    parts = [
        GENERATED, "", f"# {code(rule.id)} {md(zh.title)}", "", f"*{md(en.title)}*", "",
        *_facts_table(zh, en), "",
        "## 依据 Why", "", f"{md(ruleset.facts.notice)} {md(zh.clause)}：", "", f"> {md(zh.quote)}", "",
        "## 检查什么 What it checks", "", *_checks(rule), "",
        f"读取的键 *Keys read*：{'、'.join(code(f) for f in zh.fields) or '—'}", "",
        "## 要求 Requirement", "", *_thresholds(rule), "",
        "## 缺少数据时 When the value is missing", "", both(md(zh.when_missing), md(en.when_missing)), "",
        "## 示例 Examples", "", *_examples(zh, en),
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


def _facts_table(zh: Explanation, en: Explanation) -> list[str]:
    source = zh.source  # rules/<round>/<file>, as the repository lays it out: docs/rules/ links up two folders
    rows = [
        ("条款 *Clause*", md(zh.clause)),
        ("类别 *Category*", _pair(CATEGORY_LABELS, zh.category)),
        ("严重程度 *Severity*", _pair(SEVERITY_LABELS, zh.severity)),
        ("适用类型 *Base types*", both(types_label(zh.base_types, "zh"), types_label(en.base_types, "en"))),
        ("规则文件 *Rule file*", f"[{code(source)} 第 {zh.line} 行](../../{source}#L{zh.line})"),
    ]
    return ["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]


def _pair(table: Mapping[Any, Localized], key: str) -> str:
    return both(label(table, key, "zh"), label(table, key, "en"))


def _checks(rule: Rule) -> list[str]:
    """What is checked, per group of base types that read the same, in both languages."""
    groups = by_type(rule, lambda t: describe_check(rule, t, "zh", code))
    lines = []
    for group in groups:
        first = group.base_types[0]
        text = f"{group.text}<br>*{describe_check(rule, first, 'en', code)}*"
        prefix = "" if len(groups) == 1 else f"{types_label(group.base_types, 'zh')}："
        lines.append(f"- {prefix}{text}")
    return lines


def _thresholds(rule: Rule) -> list[str]:
    """The requirement per group of base types, in Chinese and (when it reads differently) in English."""
    rows = []
    for group in by_type(rule, lambda t: threshold(rule, t, "zh")):
        english = threshold(rule, group.base_types[0], "en")
        shown = both(md(group.text), md(english or "")) if group.text else "—"
        rows.append(f"| {_types(group)} | {shown} |")
    return ["| 适用类型 *Base types* | 要求 *Requirement* |", "|---|---|", *rows]


def _types(group: PerType) -> str:
    return both(types_label(group.base_types, "zh"), types_label(group.base_types, "en"))


def _examples(zh: Explanation, en: Explanation) -> list[str]:
    if not zh.examples:
        return [both(md(zh.no_examples or ""), md(en.no_examples or ""))]
    intro = (f"以下改动施加在内置示例 {code(zh.examples[0].folder + '/applicant.yaml')} 上，"
             "结果是规则在改动后的示例上实际得出的检查结果。")
    lines = [intro, "", "*Each example changes the bundled example; the finding is what the rule gives on it.*"]
    for run_zh, run_en in zip(zh.examples, en.examples, strict=True):
        lines += ["", *_example(run_zh, run_en)]
    return lines


EXAMPLE_HEADINGS = {
    Status.passed: "### 通过 Passing", Status.failed: "### 不通过 Failing",
    Status.warn: "### 警告 Warning", Status.review: "### 待审核 For review",
}
"""An example's heading by the outcome it really gives (a failing example may give 警告 or 待审核)."""


def _example(zh: ExampleRun, en: ExampleRun) -> list[str]:
    heading = EXAMPLE_HEADINGS[zh.outcome or (Status.passed if zh.kind == "pass" else Status.failed)]
    lines = [heading, "", "```yaml", *zh.changes, "```", "", "| 结果 *Status* | 检查结果 *Finding* |", "|---|---|"]
    for f_zh, f_en in zip(zh.findings, en.findings, strict=True):
        status = both(label(STATUS_LABELS, f_zh.status, "zh"), label(STATUS_LABELS, f_en.status, "en"))
        lines.append(f"| {status} | {md(f_zh.message)}<br>*{md(f_en.message)}* |")
    if zh.note:
        lines += ["", f"**注意 Note**：{both(md(zh.note), md(en.note or ''))}"]
    return lines


# --- the index -----------------------------------------------------------------------------

def index_page(ruleset: RuleSet) -> str:
    """Every rule, grouped by the rule file it lives in, each linking to its page."""
    lines = [
        GENERATED, "", "# 规则一览 *Rule reference*", "",
        f"{md(ruleset.facts.notice)}：共 {len(ruleset.rules)} 条规则。"
        f"每条规则一页，含所依据的通知原文、检查什么、要求与示例。", "",
        f"*All {len(ruleset.rules)} rules of the {ruleset.round} round, one page each: the clause quoted, "
        "what is checked, the requirement and examples.*",
    ]
    for path, rules in _by_file(ruleset):
        lines += ["", f"## {_file_heading(path, rules)}", "", *_index_table(rules)]
    return "\n".join(lines) + "\n"


def _by_file(ruleset: RuleSet) -> list[tuple[Path, list[Rule]]]:
    """Rule files in the order of the base types they are named after, then the others (common.yaml)."""
    files: dict[Path, list[Rule]] = {}
    for rule in ruleset.rules:
        files.setdefault(rule.source, []).append(rule)
    order = [t.value for t in BaseType]
    return sorted(files.items(), key=lambda item: (order.index(item[0].stem) if item[0].stem in order
                                                   else len(order), item[0].name))


def _file_heading(path: Path, rules: list[Rule]) -> str:
    types = tuple(dict.fromkeys(t for rule in rules for t in rule.params))
    return f"{both(types_label(types, 'zh'), types_label(types, 'en'))}（{code(path.name)}）"


def _index_table(rules: list[Rule]) -> list[str]:
    lines = ["| 规则 *Rule* | 条款 *Clause* | 标题 *Title* | 要求 *Requirement* | 类别 *Category* |",
             "|---|---|---|---|---|"]
    for rule in rules:
        d = rule.definition
        category = label(CATEGORY_LABELS, d.category, "zh")
        if d.severity != "error":
            category += f"（{label(SEVERITY_LABELS, d.severity, 'zh')}）"
        lines.append(f"| [{code(rule.id)}]({rule.id}.md) | {md(d.clause)} | {md(d.title.zh)}<br>*{md(d.title.en)}* "
                     f"| {_index_threshold(rule)} | {category} |")
    return lines


def _index_threshold(rule: Rule) -> str:
    groups = by_type(rule, lambda t: threshold(rule, t, "zh"))
    if len(groups) == 1:
        return md(groups[0].text or "—")
    return "<br>".join(f"{types_label(g.base_types, 'zh')}：{md(g.text or '—')}" for g in groups)


# --- writing -------------------------------------------------------------------------------

def render(ruleset: RuleSet) -> dict[str, str]:
    """Every page by its file name (in Chinese first whatever the language of the process)."""
    with speaking("zh"):
        pages = {f"{rule.id}.md": rule_page(ruleset, rule) for rule in ruleset.rules}
        pages[INDEX] = index_page(ruleset)
    return pages


def write_docs(folder: Path, ruleset: RuleSet) -> tuple[list[str], list[str]]:
    """Write every page into `folder` and delete the pages of rules that no longer exist.

    Returns (names written, names deleted).
    """
    folder.mkdir(parents=True, exist_ok=True)
    pages = render(ruleset)
    for name, text in pages.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    stale = sorted(p.name for p in folder.glob("*.md") if p.name not in pages)
    for name in stale:
        (folder / name).unlink()
    return sorted(pages), stale


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m haizhi_cli.reports._ruledocs FOLDER [ROUND]`: the pages of ROUND (default the latest) into FOLDER."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (1, 2) or (len(args) == 2 and not args[1].isdigit()):
        sys.stderr.write(tr("用法：python -m haizhi_cli.reports._ruledocs 文件夹 [申报年度]") + "\n")
        return 2
    round_ = round_or_latest(int(args[1]) if len(args) == 2 else None)
    written, deleted = write_docs(Path(args[0]), load_round(round_))
    sys.stdout.write(tr("已写出 {count} 个规则页面到 {folder}，删除 {deleted} 个过时页面",
                        count=len(written), folder=args[0], deleted=len(deleted)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

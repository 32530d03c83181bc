"""The applicant file `haizhi import` writes: the skeleton of `haizhi init` with what the form holds filled in.

Every key the form carries is written as read, with the cell's original text as a comment under it where it
was converted or could not be read; every other key is the skeleton's commented placeholder. The header says
so, and lists the warnings of the reading, in Chinese like the rest of the file.
"""

from __future__ import annotations

from pathlib import Path

from haizhi_cli.applicant import NONE_MARK, BaseType
from haizhi_cli.authoring._form_reading import FormReader
from haizhi_cli.authoring._schema import applicant_schema, requirements
from haizhi_cli.authoring._skeleton import PLACEHOLDER, PLACEHOLDER_DAY, comment_safe, skeleton_lines
from haizhi_cli.engine import RuleSet
from haizhi_cli.i18n import BASE_TYPE_NAMES


def imported_yaml(source: str, ruleset: RuleSet, base_type: BaseType, reader: FormReader,
                  rules_root: Path | None) -> str:
    """The applicant file read from the form named `source`; call it in Chinese (`speaking("zh")`), as the rules'
    texts in the comments and the warnings in the header are written in the language of the moment."""
    facts = ruleset.facts
    shape = base_type if base_type in facts.open_types else facts.open_types[0]  # a closed type has no letter
    body = skeleton_lines(applicant_schema(ruleset.round, rules_root), shape, ruleset,
                          requirements(ruleset, base_type), values=reader.written, notes=reader.notes)
    header = _header(source, ruleset.round, base_type, [message() for message in reader.messages])
    return "\n".join([*header, *body]) + "\n"


def _header(source: str, round_: int, base_type: BaseType, warnings: list[str]) -> list[str]:
    lines = [
        f"# 中国科协海智计划基地申报文件（格式 1）：{BASE_TYPE_NAMES[base_type.value].zh}，{round_} 年度",
        f"# 由 haizhi import 从申报表 {source} 读出：封面、一、基本信息和第二至五部分的内容已填入。",
        f"# 申报表中没有的各项是占位内容：凡“{PLACEHOLDER}”处和日期 {PLACEHOLDER_DAY} 都须改为真实情况，",
        f"# 数字“{NONE_MARK}”须改为实际数量，确实没有的项才填“{NONE_MARK}”（填表说明四）。",
        "# “原表格内容”注释是单元格的原文：已换算的数字照录原文，无法读出的请据此改写其上方的值。",
        "# 每个键上方的注释是它的中文名称，以及所依据的条款和要求。",
        "# 填好后运行 haizhi check 检查本文件。",
    ]
    if warnings:
        lines.append("# 读取时的提示：")
        lines += [f"#   - {line}" for warning in warnings for line in warning.splitlines()]
    return [comment_safe(line) for line in lines] + [""]

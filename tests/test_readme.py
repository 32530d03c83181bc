"""README.md (Chinese) and README.en.md (English): the outputs they show are what the commands print now
(scripts/make_readme.py), and the two say the same things."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
ZH, EN = ROOT / "README.md", ROOT / "README.en.md"


SCRIPT = load_script("scripts/make_readme.py")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def prose(path: Path) -> str:
    """The README without the generated outputs."""
    return re.sub(r"<!-- readme:([a-z-]+) -->.*?<!-- /readme:\1 -->", "", text(path), flags=re.DOTALL)


@pytest.mark.skipif(sys.platform == "win32", reason="the commands run in a POSIX pseudo-terminal")
def test_both_readmes_show_what_the_commands_print_now() -> None:
    stale = {lang: SCRIPT.stale_blocks(have, wanted) for lang, (have, wanted) in SCRIPT.current().items()}
    assert stale == {"zh": [], "en": []}, "run make readme"


def test_a_changed_output_is_named_as_stale() -> None:
    wanted = text(ZH)
    have = wanted.replace("不通过 13 · 警告 5", "不通过 12 · 警告 5")
    assert have != wanted
    assert SCRIPT.stale_blocks(have, wanted) == ["skeleton"]
    made = SCRIPT.filled(have, {name: f"({name})" for name in SCRIPT.BLOCKS})
    assert "<!-- readme:skeleton -->\n(skeleton)\n<!-- /readme:skeleton -->" in made
    assert "不通过 12" not in made


def test_every_block_is_in_both_readmes_once_in_the_same_order() -> None:
    assert SCRIPT.marked(text(ZH)) == SCRIPT.marked(text(EN)) == list(SCRIPT.BLOCKS)


def test_the_english_readme_runs_the_same_commands_in_english() -> None:
    commands = {path: re.findall(r"^\$ haizhi (.*)$", text(path), re.MULTILINE) for path in (ZH, EN)}
    runs = [part for block in SCRIPT.BLOCKS.values() for part in block.parts if isinstance(part, SCRIPT.Run)]
    assert len(commands[ZH]) == len(commands[EN]) == len(runs)
    for chinese, english in zip(commands[ZH], commands[EN], strict=True):
        name, _, rest = chinese.partition(" ")
        assert english == f"{name} --lang en {rest}"


def test_each_links_to_the_other_at_the_top() -> None:
    assert "[English](README.en.md)" in text(ZH).splitlines()[2]
    assert "[中文](README.md)" in text(EN).splitlines()[2]


def quick_start(path: Path) -> tuple[str, str]:
    """The first section's heading and its first code block."""
    section = text(path).split("\n## ")[1]
    heading = section.splitlines()[0]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found, path
    return heading, found.group(1)


def test_the_quick_start_comes_first_with_the_same_two_commands() -> None:
    assert quick_start(ZH) == ("快速上手", "make demo\nmake test\n")
    assert quick_start(EN) == ("Quick start", "make demo\nmake test\n")


def test_the_chinese_readme_is_written_in_chinese() -> None:
    words = re.sub(r"```.*?```|`[^`\n]*`|\([^)]*\)|<[^>]*>", "", prose(ZH), flags=re.DOTALL)
    han = len(re.findall(r"[\u4e00-\u9fff]", words))
    latin = len(re.findall(r"[A-Za-z]+", words))
    assert han > 10 * latin, (han, latin)


TRANSLATED = {"path:line:col: 不通过 rule_id 条款 message": "路径:行:列: 不通过 规则编号 条款 检查结果",
              "haizhi explain RULE_ID": "haizhi explain 规则编号", "rules/<round>/": "rules/<年度>/",
              "review": None}
"""The code spans that are words of the prose, written in each README's language."""


def test_both_name_the_same_code_links_numbers_and_images() -> None:
    def spans(path: Path) -> set[str]:
        return set(re.findall(r"`([^`\n]+)`", prose(path)))

    assert spans(ZH) == {TRANSLATED.get(span, span) for span in spans(EN)} - {None}

    def links(path: Path) -> set[str]:
        return set(re.findall(r"\]\(([^)#]+)", prose(path))) - {"README.md", "README.en.md"}

    assert links(ZH) == links(EN)
    assert {link for link in links(ZH) if link.startswith("docs/images/")} == {
        f"docs/images/{image}" for image in ("application-form-1.png", "application-form-3.png",
                                             "application-form-5.png", "construction-plan-1.png",
                                             "support-letter-draft-1.png", "serve-form.png", "serve-count.png",
                                             "serve-build.png")}

    def numbers(path: Path) -> set[str]:
        return set(re.findall(r"\d+(?:[.,]\d+)*", re.sub(r"`[^`\n]+`", "", prose(path))))

    assert numbers(ZH) == numbers(EN)


def test_the_screen_is_what_a_terminal_shows_after_a_transient_progress_bar() -> None:
    output = ("注意：跳过 1 个文件\r\n\x1b[?25l正在检查 ━━━ 1/2\r\x1b[2K正在检查 ━━━━━━ 2/2\r\x1b[2K\x1b[?25h"
              "\x1b[1m状态\x1b[0m 通过\r\n")
    assert SCRIPT.screen(output) == "注意：跳过 1 个文件\n状态 通过"
    assert SCRIPT.screen("第一行\r\n第二行\r\n\x1b[1A\x1b[2K新的第二行\r\n") == "第一行\n新的第二行"

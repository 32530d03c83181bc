"""Messages in English: every `tr()` template has a translation, and `--lang en` leaves no Chinese behind.

The static tests read the source of every module with `ast`, so a message added anywhere without an
English entry (or an entry whose message was removed) fails here, not in front of a user.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import haizhi_cli
from haizhi_cli.applicant._loading import load_applicant, read_yaml
from haizhi_cli.applicant._models import BaseType
from haizhi_cli.checking._pipeline import build_context
from haizhi_cli.documents._fontset import MissingGlyphError, user_face
from haizhi_cli.engine._evaluation import run_rule
from haizhi_cli.engine._rules import load_round
from haizhi_cli.errors._errors import ApplicantFileError, Location, RuleFileError, UserInputError
from haizhi_cli.i18n import _en as i18n_en
from haizhi_cli.i18n._language import EN, current_lang, lang_from, speaking, tr
from haizhi_cli.packet._building import BuildOptions, build_packet
from tests.conftest import CHECK_DAY, EXAMPLES
from tests.test_loading import BAD_CASES, ROUNDS, UNTRANSLATED, BadCase, bad_params

SRC = Path(haizhi_cli.__file__).resolve().parent
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
"""Quoted user data (a value, a key, an example to write such as “无”) may be Chinese in English messages."""

CONVERTED = ("applicant/_loading.py", "applicant/_models.py", "errors/_errors.py", "engine/_rules.py",
             "checking/_attachments.py", "packet/_building.py", "documents/_fontset.py", "packet/_binding.py",
             "documents/_blocks.py", "documents/_docx_writer.py", "documents/_pdf_writer.py",
             "applicant/_identifiers.py", "documents/_composing.py")
"""Modules whose messages were all converted to `tr()`: none may raise a Chinese literal directly."""


@dataclass(frozen=True)
class TrCall:
    where: str
    template: str | None
    """The Chinese template; None when the first argument is not a string literal."""


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _is_tr(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    names = ("tr", "later")  # later(): a help text, translated when it is shown
    return (isinstance(func, ast.Name) and func.id in names) or (isinstance(func, ast.Attribute) and func.attr == "tr")


def _tr_calls() -> list[TrCall]:
    calls: list[TrCall] = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _is_tr(node):
                assert isinstance(node, ast.Call)
                first = node.args[0] if node.args else None
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                template = first.value if literal and isinstance(first, ast.Constant) else None
                calls.append(TrCall(f"{path.relative_to(SRC)}:{node.lineno}", template))
    return calls


def _fields(template: str) -> set[str]:
    """The names of the `{...}` placeholders (a format spec or conversion does not count)."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    return {re.split(r"[.\[]", name)[0] for name in names}


def _templates() -> set[str]:
    return {call.template for call in _tr_calls() if call.template is not None}


def test_the_scan_finds_the_calls() -> None:
    assert len(_tr_calls()) > 100
    assert "缺少必填键" in _templates()


def test_every_tr_call_has_a_literal_template() -> None:
    loose = [call.where for call in _tr_calls() if call.template is None]
    assert not loose, f"tr() needs a string literal as its first argument (values as keywords): {loose}"


def test_every_template_has_an_english_entry() -> None:
    missing = sorted({f"{call.where}: {call.template!r}" for call in _tr_calls()
                      if call.template is not None and call.template not in EN})
    assert not missing, "no English entry in i18n_en.EN for:\n" + "\n".join(missing)


def test_english_entries_have_the_placeholders_of_their_template() -> None:
    wrong = [(zh, sorted(_fields(zh)), sorted(_fields(en))) for zh, en in EN.items() if _fields(zh) != _fields(en)]
    assert not wrong, wrong


def test_english_entries_are_english() -> None:
    leaks = {zh: en for zh, en in EN.items() if HAN.search(QUOTED.sub("", re.sub(r"\([^()]*\)", "", en)))}
    assert not leaks, leaks


def test_no_english_entry_is_stale() -> None:
    stale = sorted(set(EN) - _templates())
    assert not stale, f"English entries whose template no tr() call uses any more: {stale}"


def test_no_english_entry_is_written_twice() -> None:
    tree = ast.parse(Path(i18n_en.__file__).read_text(encoding="utf-8"))
    catalogue = next(node for node in ast.walk(tree) if isinstance(node, ast.Dict))
    keys = [key.value for key in catalogue.keys if isinstance(key, ast.Constant)]
    assert len(keys) == len(catalogue.keys)
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _han_literals(node: ast.AST) -> Iterator[int]:
    """Lines of Han string constants in `node` that are not inside a tr() call."""
    if _is_tr(node):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value):
        yield node.lineno
    for child in ast.iter_child_nodes(node):
        yield from _han_literals(child)


def _raised_messages(tree: ast.AST) -> Iterator[ast.AST]:
    """What is raised, and the arguments of every exception built (`…Error(…)`, `super().__init__(…)`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            yield node.exc
        elif isinstance(node, ast.Call) and (_call_name(node).endswith(("Error", "Exception"))
                                             or _call_name(node) == "__init__"):
            yield from (*node.args, *(keyword.value for keyword in node.keywords))


@pytest.mark.parametrize("module", CONVERTED)
def test_no_chinese_message_is_raised_without_tr(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    lines = sorted({line for node in _raised_messages(tree) for line in _han_literals(node)})
    assert not lines, f"{module}: a Chinese message not wrapped in tr() on lines {lines}"


def test_the_guard_sees_an_unwrapped_message() -> None:
    tree = ast.parse('raise UsageError(f"文件 {x} 不存在")\nraise UsageError(tr("文件 {x} 不存在", x=x))\n')
    assert sorted({line for node in _raised_messages(tree) for line in _han_literals(node)}) == [1]


# --- behaviour -------------------------------------------------------------------------------

@pytest.fixture
def english() -> Iterator[None]:
    with speaking("en"):
        yield


def refusal(path: Path) -> ApplicantFileError:
    with pytest.raises(ApplicantFileError) as info:
        load_applicant(path, ROUNDS)
    return info.value


def unquoted(message: str) -> str:
    return QUOTED.sub("", message)


@pytest.mark.parametrize("case", bad_params())
def test_a_bad_file_is_refused_in_english_at_its_line(case: BadCase) -> None:
    chinese = refusal(case.path).message
    with speaking("en"):
        error = refusal(case.path)
    assert error.location.line == case.line, error.message
    assert str(error).startswith(f"{case.path}:{case.line}:")
    assert not HAN.search(unquoted(error.message)), error.message
    assert not any(internal in str(error) for internal in UNTRANSLATED), error.message
    zh_line = re.search(r"（第 (\d+) 行）", chinese)
    if zh_line:
        assert f"(line {zh_line.group(1)})" in error.message, error.message


@pytest.mark.parametrize("case", bad_params())
def test_chinese_messages_are_unchanged_after_english_ones(case: BadCase, english: None) -> None:
    with speaking("zh"):
        before = refusal(case.path).message
    with speaking("en"):
        refusal(case.path)
    with speaking("zh"):
        after = refusal(case.path).message
    assert after == before
    assert all(needle in after for needle in case.needles), after


def several_problems(tmp_path: Path) -> Path:
    path = tmp_path / "applicant.yaml"
    text = (EXAMPLES / "work-base" / "applicant.yaml").read_text(encoding="utf-8")
    text = text.replace("  staff_total: 12\n", "  staff_total: -1\n").replace("  kind: park\n", "  kind: parkk\n")
    path.write_text(text, encoding="utf-8")
    return path


def test_several_problems_in_chinese(tmp_path: Path) -> None:
    error = refusal(several_problems(tmp_path))
    assert error.message.startswith("共 2 处问题；applicant.kind（第 11 行）：取值 'parkk' 无效，可选：")
    assert error.details[1][0] == "base.staff_total（第 25 行）：不能为负数"


def test_several_problems_in_english(tmp_path: Path, english: None) -> None:
    error = refusal(several_problems(tmp_path))
    assert error.message.startswith("2 problems; applicant.kind (line 11): the value 'parkk' is not valid; "
                                    "choose one of: 'free_trade_zone', ")
    assert error.details[1][0] == "base.staff_total (line 25): must not be negative"


def test_unknown_key_in_english(english: None) -> None:
    error = refusal(next(case.path for case in BAD_CASES if case.name == "unknown-key.yaml"))
    assert error.message == "base.ofice_area_m2 (line 24): unknown key ofice_area_m2; did you mean office_area_m2?"


def test_duplicate_key_in_english(english: None) -> None:
    error = refusal(next(case.path for case in BAD_CASES if case.name == "duplicate-key.yaml"))
    assert error.message == "the key base_name appears twice (lines 7 and 8); keep one and delete the other"


def test_a_missing_file_in_both_languages(tmp_path: Path) -> None:
    assert refusal(tmp_path / "none.yaml").message == "文件不存在，请检查路径"
    with speaking("en"):
        assert refusal(tmp_path / "none.yaml").message == "the file does not exist; check the path"


def test_a_place_without_a_file(english: None) -> None:
    assert Location(None, 3).describe() == "<input>:3"


def test_a_broken_rule_file_in_english(tmp_path: Path, english: None) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        read_yaml(path, RuleFileError)
    assert str(info.value) == f"{path}:2:1: the key a appears twice (lines 1 and 2); keep one and delete the other"


def test_an_attachment_problem_in_english(tmp_path: Path, english: None) -> None:
    folder = tmp_path / "unit"
    shutil.copytree(EXAMPLES / "work-base", folder)
    (folder / "attachments" / "proofs.pdf").write_bytes(b"")
    loaded = load_applicant(folder / "applicant.yaml", ROUNDS)
    rule = load_round(2023).get("common.attachment_files")
    assert rule is not None
    findings = run_rule(rule, BaseType.work_base, build_context(loaded, CHECK_DAY), "en")
    failed = [f.message for f in findings if f.status.value == "fail"]
    assert failed == ["attachment attachments/proofs.pdf: the file is empty (0 bytes)"]


def test_a_build_refused_in_english(tmp_path: Path, english: None) -> None:
    out = tmp_path / "packet"
    out.mkdir()
    options = BuildOptions(out=out, as_of=CHECK_DAY)
    with pytest.raises(UserInputError) as info:
        build_packet(EXAMPLES / "work-base" / "applicant.yaml", options)
    assert info.value.message == ("the output folder already exists; nothing was changed. "
                                  "Add --force if it really should be replaced")


def test_a_missing_font_in_english(tmp_path: Path, english: None) -> None:
    with pytest.raises(UserInputError) as info:
        user_face(tmp_path / "none.ttf", "--font")
    assert info.value.message == f"the font file named by --font does not exist (or is not a file): {tmp_path}/none.ttf"


def test_a_character_no_font_has_in_english(english: None) -> None:
    message = MissingGlyphError("\U00020000", "base.contact.name").message
    assert message.startswith("no available font can show the character “\U00020000” (U+20000) in the field "
                              "base.contact.name, so the PDF cannot be made.")
    assert "HAIZHI_FONT" in message


def test_tr_fills_values_in_either_language() -> None:
    assert tr("规则 {rule}：per 只能是 base_type", rule="x.y") == "规则 x.y：per 只能是 base_type"
    with speaking("en"):
        assert tr("规则 {rule}：per 只能是 base_type", rule="x.y") == "rule x.y: per can only be base_type"
        assert tr("文件过大（超过 {limit:,} 字节的上限），未读取", limit=5242880).startswith(
            "the file is too large (over the limit of 5,242,880 bytes)")


@pytest.mark.parametrize(("argv", "environ", "lang"), [
    (["check", "--lang", "en", "a.yaml"], {}, "en"),
    (["check", "--lang=en", "a.yaml"], {}, "en"),
    (["check", "a.yaml"], {"HAIZHI_LANG": "en"}, "en"),
    (["check", "--lang", "zh"], {"HAIZHI_LANG": "en"}, "zh"),
    (["check", "a.yaml"], {}, "zh"),
    (["check", "--lang", "fr"], {}, "zh"),
    (["check", "--lang"], {"HAIZHI_LANG": "en"}, "en"),
    (["check", "a.yaml"], {"HAIZHI_LANG": "de"}, "zh"),
])
def test_lang_from_the_command_line_or_the_environment(argv: list[str], environ: dict[str, str], lang: str) -> None:
    assert lang_from(argv, environ) == lang


def test_speaking_puts_the_language_back_and_nothing_sets_one_at_import() -> None:
    assert current_lang() == "zh"
    with speaking("en"):
        assert tr("已中断。") == EN["已中断。"]
        with speaking("zh"):
            assert tr("已中断。") == "已中断。"
        assert current_lang() == "en"
    assert current_lang() == "zh"


def test_no_module_chooses_a_language_when_it_is_imported() -> None:
    """The language is chosen by a command when it runs: no module-level call may set it."""
    setters = ("set_lang", "speaking")
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and _call_name(n) in setters]
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                assert not calls, f"{path.relative_to(SRC)}:{node.lineno} sets the language at import time"

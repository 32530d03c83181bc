"""Typer's own words in Chinese: help headings (用法、选项) and command-line usage errors.

Typer prints these in English whatever the language. The command classes here translate them when the
language is Chinese: help text by replacing its fixed headings, usage errors by rebuilding the message
from the exception's parts (parameter, value, choices), so a unit's staff never meet an English error.
They also translate haizhi's own help texts (written in Chinese, marked `later()`) when help is shown: the
whole run speaks the language its command line asks for (`--lang` anywhere on it, else `HAIZHI_LANG`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from haizhi_cli.i18n import current_lang, lang_from, speaking, tr, translated_later

USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
"""Typer's base class of command-line usage errors (not exported under its own name)."""

HELP_WORDS = (
    (re.compile(r"^Usage: ", re.MULTILINE), "用法："),
    (re.compile(r"^Arguments:$", re.MULTILINE), "参数："),
    (re.compile(r"^Options:$", re.MULTILINE), "选项："),
    (re.compile(r"^Commands:$", re.MULTILINE), "命令："),
    # a line may wrap inside these brackets: the break and its indent are kept (_break)
    (re.compile(r"\[default:(\s+)([^\]]*)\]"), lambda found: f"[默认：{_break(found[1])}{found[2]}]"),
    (re.compile(r"\[env var:(?: |(?=\n))"), "[环境变量："),
    (re.compile(r"\bdefault: "), "默认："),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r";(\s+)x>=(\S+?)\]"), lambda found: f"；{_break(found[1])}不小于 {found[2]}]"),  # --jobs
    (re.compile(r";(\s+)(\S+?)<=x<=(\S+?)\]"), lambda found: f"；{_break(found[1])}{found[2]} 至 {found[3]}]"),
    (re.compile(r"\[OPTIONS\]"), "[选项]"),
    (re.compile(r"\bCOMMAND \[ARGS\]\.\.\."), "命令 [参数]..."),
    (re.compile(r"Show this message and exit\."), "显示此帮助并退出。"),
    (re.compile(r"Install completion for the current shell\."), "为当前 shell 安装命令补全。"),
    (re.compile(r"Show completion for the current shell, to copy it or\s+customize the installation\."),
     "显示当前 shell 的补全脚本，以便复制或自行安装。"),
)


def _break(space: str) -> str:
    """The whitespace a translation replaces, as it reads: nothing, or a line break with its indent."""
    return space[space.index("\n"):] if "\n" in space else ""


ERROR_FORMS = (
    # Typer before 0.29 words value errors as Click does ('x' is not a valid integer.); 0.29 as pydantic does
    # (Value error, …; Input should be …). Both are read, so the messages stay Chinese on either side.
    (re.compile(r"^(?:Value error, )?'(.*)' is not one of (.*)\.$"), "“{0}”不是可选值，可选：{1}"),
    (re.compile(r"^(?:Value error, )?'(.*)' does not match the formats? (.*)\.$"),
     "“{0}”的格式不对，应为 YYYY-MM-DD（如 2023-09-01）"),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), "应不小于 {0}"),
    (re.compile(r"^\S+ is not in the range x>=(\S+)\.$"), "应不小于 {0}"),
    (re.compile(r"^Input should be a valid integer.*$"), "应为整数"),
    (re.compile(r"^'.*' is not a valid int(?:eger)?(?: range)?\.$"), "应为整数"),
    (re.compile(r"^Option '(.*)' requires an argument\.$"), "选项 {0} 后面需要一个值"),
    (re.compile(r"^Got unexpected extra argument\(s\) \((.*)\)$"), "多余的参数：{0}"),
    (re.compile(r"^No such command '(.*)'\. Did you mean (.*)\?$"), "没有命令“{0}”，是否应为 {1}？"),
    (re.compile(r"^No such command '(.*)'\.$"), "没有命令“{0}”"),
    (re.compile(r"^Missing command\.$"), "缺少命令"),
    (re.compile(r"^No such option: (\S+)$"), "没有选项 {0}"),
)


NAMES = {"path": "路径", "int": "整数", "str": "文本", "paths": "路径", "file": "文件", "rule_id": "规则编号"}
"""The names of values and arguments that help shows (`<path>`, `{rule_id}`, `[paths]...`), in Chinese."""

_METAVAR = re.compile(r"(?<=[<{\[])(path|int|str|paths|file|rule_id)(?=[>}\]])")
_ARGUMENT_LINE = re.compile(r"^(  )(paths|file|rule_id)((?:\.\.\.)? +)(?=\S)", re.MULTILINE)


def localized_help(text: str) -> str:
    """Help text with Typer's English headings, remarks and value names in the current language."""
    if current_lang() != "zh":
        return text
    for pattern, replacement in HELP_WORDS:
        text = pattern.sub(replacement, text)
    text = _METAVAR.sub(lambda found: NAMES[found.group(1)], text)
    return _ARGUMENT_LINE.sub(_argument_name, text)


def _argument_name(found: re.Match[str]) -> str:
    """An argument's name in the 参数 list, in Chinese, its help text kept in the same column (a Chinese
    character takes two columns)."""
    name, gap = NAMES[found.group(2)], found.group(3)
    dots = "..." if gap.startswith("...") else ""
    width = len(found.group(2)) + len(gap)
    return found.group(1) + name + dots + " " * max(2, width - 2 * len(name) - len(dots))


def translated(message: str) -> str:
    """One of Typer's English error messages in Chinese; one not known here is kept as it is."""
    for pattern, template in ERROR_FORMS:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups())
    return message


def usage_error_text(exc: Any) -> str:
    """The Chinese message of a usage error, built from the exception's parts."""
    hint = _param_hint(exc)
    if isinstance(exc, typer.BadParameter) and type(exc).__name__ == "MissingParameter":
        kind = "参数" if getattr(exc.param, "param_type_name", "") == "argument" else "选项"
        return f"缺少{kind} {hint or ''}".rstrip()
    message = translated(str(exc.message))
    if isinstance(exc, typer.BadParameter) and hint:
        return f"{hint}{_from_environment(exc)} 的值无效：{message}"
    possibilities = getattr(exc, "possibilities", None)
    if possibilities:
        return f"{message}；是否应为 {'、'.join(sorted(possibilities))}？"
    return message


def _from_environment(exc: Any) -> str:
    """（环境变量 HAIZHI_AS_OF） when the bad value came from the environment, not from the command line."""
    param, ctx = getattr(exc, "param", None), getattr(exc, "ctx", None)
    envvar = getattr(param, "envvar", None)
    if not envvar or ctx is None or param is None or param.name is None:
        return ""
    source = ctx.get_parameter_source(param.name)
    return f"（环境变量 {envvar}）" if source is not None and source.name == "ENVIRONMENT" else ""


def _param_hint(exc: Any) -> str | None:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        hint = param.get_error_hint(exc.ctx)
    if isinstance(hint, Sequence) and not isinstance(hint, str):
        return " / ".join(hint)
    return hint


def show_usage_error(exc: Any) -> None:
    """Usage, a pointer to --help and the error, in Chinese on stderr (as Typer shows them in English)."""
    ctx = exc.ctx
    if ctx is not None:
        sys.stderr.write(localized_help(ctx.get_usage()) + "\n")
        sys.stderr.write(f"运行 {ctx.command_path} --help 查看帮助。\n\n")
    sys.stderr.write(f"错误：{usage_error_text(exc)}\n")


@contextmanager
def help_in_current_language(commands: Sequence[Any]) -> Iterator[None]:
    """The help texts of `commands` and of their parameters translated for as long as help is being written;
    then the Chinese texts (the catalogue's keys) are put back."""
    items = [item for command in commands for item in (command, *command.params) if item.help]
    originals = [item.help for item in items]
    for item, text in zip(items, originals, strict=True):
        item.help = translated_later(text)
    try:
        yield
    finally:
        for item, text in zip(items, originals, strict=True):
            item.help = text


_Context: Any = TyperGroup.context_class
"""The Click context Typer uses (Typer 0.26–0.28 vendor Click: it is reached through Typer's class)."""


class HelpContext(_Context):  # type: ignore[misc]
    """A context whose help is laid out by terminal columns (`_helpformat`, loaded only to write help)."""

    def make_formatter(self) -> Any:
        from haizhi_cli.cli._helpformat import CellHelpFormatter

        self.formatter_class = CellHelpFormatter
        return super().make_formatter()


class HaizhiCommand(TyperCommand):
    """A command whose help follows the chosen language, laid out by terminal columns."""

    context_class = HelpContext

    def get_short_help_str(self, limit: int = 45) -> str:
        from haizhi_cli.cli._helpformat import short_help

        return short_help(self)

    def get_help(self, ctx: Any) -> str:
        with help_in_current_language([self]):
            return localized_help(super().get_help(ctx))


def install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """`--install-completion`, as Typer's own, saying what it did in the run's language."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    shell, path = install(shell=value) if isinstance(value, str) else install()
    sys.stdout.write(tr("已为 {shell} 安装命令补全：{path}\n重新打开终端后生效。", shell=shell, path=path) + "\n")
    sys.exit(0)


class HaizhiGroup(TyperGroup):
    """The `haizhi` group: help and usage errors in the language its command line asks for, laid out by
    terminal columns."""

    context_class = HelpContext

    def get_params(self, ctx: Any) -> list[Any]:
        """The options, with --install-completion speaking the run's language (Typer adds its options after
        the group is made, so they are adjusted here, when they are read)."""
        for param in self.params:
            if param.name == "install_completion":
                param.callback = install_completion
        return list(super().get_params(ctx))

    def get_help(self, ctx: Any) -> str:
        with help_in_current_language([self, *self.commands.values()]):
            return localized_help(super().get_help(ctx))

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        with speaking(lang_from(sys.argv[1:] if args is None else args)):
            return self._main(args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra)

    def _main(self, args: Sequence[str] | None, prog_name: str | None, complete_var: str | None,
              standalone_mode: bool, windows_expand_args: bool, **extra: Any) -> Any:
        if current_lang() != "zh" or not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.Abort:
            sys.stderr.write("已中止。\n")
            sys.exit(1)
        except USAGE_ERROR as exc:
            _show(exc)
            sys.exit(getattr(exc, "exit_code", 2))
        sys.exit(code if isinstance(code, int) else 0)


def _show(exc: Any) -> None:
    if type(exc).__name__ == "NoArgsIsHelpError":
        sys.stderr.write(localized_help(str(exc.message)) + "\n")
    else:
        show_usage_error(exc)

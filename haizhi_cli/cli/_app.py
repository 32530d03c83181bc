"""The `haizhi` command line. Commands only: each calls the core and picks a reporter.

Help texts are written in Chinese and marked with `later()`: the command classes (_clitext.py) translate them
when help is shown, in the language of that command line. Each command chooses its language once (`--lang`,
else `HAIZHI_LANG`, else Chinese) and runs inside `speaking(language)`; nothing is chosen at import time.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from haizhi_cli import __version__
from haizhi_cli.applicant import BaseType
from haizhi_cli.cli._clitext import HaizhiCommand, HaizhiGroup
from haizhi_cli.errors import UserInputError, defect_message
from haizhi_cli.i18n import later, speaking, tr
from haizhi_cli.reports import REPORTER_BY_NAME, ReportStyle, default_format

if TYPE_CHECKING:
    from haizhi_cli.cli._config import FileSettings as Settings

app = typer.Typer(
    name="haizhi",
    help=later("检查中国科协海智计划基地申报材料是否符合申报通知，并生成申报材料包。"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=HaizhiGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


OutputFormat = StrEnum("OutputFormat", [(name, name) for name in REPORTER_BY_NAME])  # type: ignore[misc]
"""The --format choices: the names of the reporters (the default depends on where the output goes)."""


class PdfEngine(StrEnum):
    fpdf = "fpdf"
    libreoffice = "libreoffice"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


LangOption = Annotated[Lang | None, typer.Option("--lang", envvar="HAIZHI_LANG", show_envvar=False, help=later(
    "报告与提示的语言：zh 或 en（也可设环境变量 HAIZHI_LANG，或在设置文件中写 lang）。"))]
AsOfOption = Annotated[dt.datetime | None, typer.Option(
    "--as-of", formats=["%Y-%m-%d"], envvar="HAIZHI_AS_OF", show_envvar=False, metavar="YYYY-MM-DD", help=later(
        "按此日期判断申报是否已截止（默认今天；也可设环境变量 HAIZHI_AS_OF，或在设置文件中写 as_of）。"))]
RulesOption = Annotated[Path | None, typer.Option("--rules", envvar="HAIZHI_RULES", show_envvar=False, help=later(
    "使用包外的规则文件夹（含 2024/facts.yaml 这样的年度子文件夹，或年度文件夹本身），如发布前试用新一年的规则"
    "（也可设环境变量 HAIZHI_RULES，或在设置文件中写 rules）。"))]
RoundOption = Annotated[int | None, typer.Option("--round", help=later("申报年度（默认为规则中最新的一年）。"))]
ForceOption = Annotated[bool, typer.Option("--force", help=later("文件已存在时覆盖它。"))]
OutFileOption = Annotated[Path | None, typer.Option("--out", "-o", help=later(
    "写到此文件（默认或给 - 时输出到标准输出）。"))]
NoColorOption = Annotated[bool, typer.Option("--no-color", help=later(
    "不用颜色（输出不是终端或设了 NO_COLOR 时自动关闭）。"))]


@contextmanager
def handle_errors() -> Iterator[None]:
    """The one place that turns errors into messages and exit statuses; never a traceback."""
    try:
        yield
    except UserInputError as exc:
        sys.stderr.write(tr("错误：{message}", message=exc) + "\n")
        raise typer.Exit(2) from None
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; say nothing more and do not let Python complain at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        sys.stderr.write(tr("已中断。") + "\n")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if os.environ.get("HAIZHI_DEBUG"):
            raise
        sys.stderr.write(defect_message(exc) + "\n")
        raise typer.Exit(2) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"haizhi {__version__}")
        raise typer.Exit()


def _today(as_of: dt.datetime | None, from_file: dt.date | None = None) -> dt.date:
    """--as-of (or HAIZHI_AS_OF), else the settings file's as_of, else today."""
    return as_of.date() if as_of else from_file or dt.date.today()


@contextmanager
def command_run(ctx: typer.Context, lang: Lang | None) -> Iterator[str]:
    """What every command does around its work, once its modules are imported: the collector back on (see
    `main`), errors turned into messages and exit statuses, and the language of its messages, yielded."""
    _imports_done()
    language = _language(ctx, lang)
    with speaking(language), handle_errors():
        yield language


@contextmanager
def configured_run(ctx: typer.Context, lang: Lang | None, paths: Sequence[Path]) -> Iterator[tuple[str, Settings]]:
    """`command_run`, with the settings file found upward from `paths` (see _config.py): its language is used
    when neither --lang nor HAIZHI_LANG gives one."""
    from haizhi_cli.cli._config import find_settings

    _imports_done()
    with speaking(_language(ctx, lang)), handle_errors():
        settings = find_settings(paths)
    language = _language(ctx, lang, settings.lang)
    with speaking(language), handle_errors():
        yield language, settings


def _language(ctx: typer.Context, lang: Lang | None, from_file: str | None = None) -> str:
    """The command's --lang, else `haizhi --lang`, else HAIZHI_LANG (read by the options), else the settings
    file's lang, else Chinese."""
    chosen = lang or (ctx.find_root().obj or {}).get("lang") or from_file or Lang.zh
    return str(Lang(chosen).value)


@app.callback(help=later("检查中国科协海智计划基地申报材料是否符合申报通知，并生成申报材料包。"))
def main_callback(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=later("显示版本号并退出。"))] = False,
    lang: LangOption = None,
) -> None:
    ctx.obj = {"lang": lang}


@app.command(cls=HaizhiCommand, help=later(
    "逐条检查申报文件：符合申报条件吗？材料齐全吗？\n\n"
    "可给文件，也可给文件夹（其下所有含顶层 format: 键的 YAML 文件和文件名含“申报表”的 .docx 都会检查）；"
    "Word 申报表按 haizhi import 的读法读取，表中没有的项为待审核，旁边的 PDF 按文件名对应申报表七；"
    "不给时检查当前文件夹，"
    "给 - 时从标准输入读取。退出状态：0 全部通过，1 有不通过项（加 --strict 时警告也算），2 有文件无法读取。\n\n"
    "\b\n示例：\n"
    "  haizhi check applicant.yaml\n"
    "  haizhi check\n"
    "  haizhi check - < applicant.yaml\n"
    "  haizhi check --explain applicant.yaml\n"
    "  haizhi check 申报材料/ --summary 汇总.xlsx --jobs 4\n"
    "  haizhi check 收到的申报/某单位/申报表.docx\n"
    "  haizhi check --format github submissions/\n"
    "  haizhi check --format json applicant.yaml > report.json"))
def check(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help=later(
        "申报文件（YAML，format 1）、Word 申报表（.docx）或包含它们的文件夹，可给多个；- 表示标准输入；"
        "不给时为当前文件夹。"),
        show_default=False)] = None,
    output_format: Annotated[OutputFormat | None, typer.Option("--format", "-f", help=later(
        "输出格式：text（表格）、concise（每项一行：路径:行:列: 状态 规则 条款 说明）、json（公开格式）、"
        "junit（CI 测试报告）或 github（GitHub Actions 注释）。默认：输出到终端时为 text，否则为 concise。"),
        show_default=False)] = None,
    lang: LangOption = None,
    as_of: AsOfOption = None,
    explain: Annotated[bool, typer.Option("--explain", help=later("每项结果另列读取的键、值与所用规则。"))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=later(
        "只列不通过与警告项；待审核项计入每个文件的结论行。"))] = False,
    no_color: NoColorOption = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help=later(
        "同时检查的进程数（文件多时更快）。实际最多 min(此数, 文件数, CPU 数 × 2) 个；"
        "haizhi 结束（包括被强行终止）时它们随之结束。"))] = 1,
    summary: Annotated[Path | None, typer.Option("--summary", help=later(
        "另写一份 Excel 汇总表（.xlsx，WPS 可打开）：每个申报一行，第二页列出全部不通过项。"))] = None,
    force: Annotated[bool, typer.Option("--force", help=later("--summary 的文件已存在时覆盖它。"))] = False,
    rules: RulesOption = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help=later(
        "有不通过项也以 0 退出（结果照常报告）；有文件无法读取时仍以 2 退出。"))] = False,
    strict: Annotated[bool, typer.Option("--strict", help=later("有警告项时也以 1 退出。"))] = False,
) -> None:
    from haizhi_cli import checking
    from haizhi_cli.cli import _running as running

    with configured_run(ctx, lang, paths or []) as (language, settings):
        running.refuse_both(exit_zero, strict)
        root = running.rules_root_option(rules or settings.rules)
        options = checking.CheckOptions(_today(as_of, settings.as_of), language, root, running.read_form)
        running.refuse_summary_overwrite(summary, force)
        outcomes = running.check_with_progress(paths or [Path(".")], options, jobs, no_color)
        chosen = output_format.value if output_format else default_format(sys.stdout.isatty())
        running.report(outcomes, chosen, ReportStyle(quiet, explain, no_color), language)
        if summary is not None:
            running.write_summary(outcomes, summary, options, force)
        raise typer.Exit(running.exit_code(outcomes, strict=strict, exit_zero=exit_zero))


@app.command("build-packet", cls=HaizhiCommand, help=later(
    "先检查，再生成申报表、建设方案、材料清单、支持函与公示代拟稿（Word 与 PDF），装订为 packet.pdf。\n\n"
    "\b\n示例：\n"
    "  haizhi build-packet applicant.yaml -o 申报材料\n"
    "  haizhi build-packet --draft -o 草稿\n"
    "  haizhi build-packet applicant.yaml -o 申报材料 --force\n"
    "  haizhi build-packet --blank -o 空白表"))
def build_packet(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help=later(
        "申报文件（默认为当前文件夹的 applicant.yaml；加 --blank 时不给）。"), show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help=later("输出文件夹。"))] = Path("packet"),
    force: Annotated[bool, typer.Option("--force", help=later("输出文件夹已存在时替换它。"))] = False,
    draft: Annotated[bool, typer.Option("--draft", help=later("不符合条件或材料不齐也生成，每页标注“草稿”。"))] = False,
    blank: Annotated[bool, typer.Option("--blank", help=later(
        "只写一份空白申报表（申报表.docx，正式版式），在 Word/WPS 中填好后用 haizhi import 读回；"
        "不读申报文件，也不检查。"))] = False,
    font: Annotated[Path | None, typer.Option("--font", envvar="HAIZHI_FONT", show_envvar=False, help=later(
        "PDF 使用的中文字体文件（也可设环境变量 HAIZHI_FONT）。"))] = None,
    engine: Annotated[PdfEngine, typer.Option("--engine", help=later("PDF 排版：fpdf（内置）或 libreoffice。"))]
        = PdfEngine.fpdf,
    lang: LangOption = None,
    as_of: AsOfOption = None,
    rules: RulesOption = None,
) -> None:
    from haizhi_cli import packet
    from haizhi_cli.cli import _running as running

    with configured_run(ctx, lang, [file] if file else []) as (language, settings):
        root = running.rules_root_option(rules or settings.rules)
        if blank:
            running.build_blank(file, out, force, root)
            return
        options = packet.BuildOptions(out=out, as_of=_today(as_of, settings.as_of), force=force, draft=draft, font=font,
                                        engine=engine.value, rules_root=root, lang=language)
        raise typer.Exit(running.build(running.applicant_or_default(file), options, language))


@app.command(cls=HaizhiCommand, help=later(
    "把签字盖章后扫描的页放进材料包：写出 packet-signed.pdf，扫描页替换材料包中对应的页，"
    "页码、书签与页码标签不变；packet.pdf 与 manifest.json 不改动。\n\n"
    "默认替换申报表“六、申报单位负责人承诺”的最后一页与“八、单位意见”的各页（按书签找到）；"
    "扫描件的页数须与要替换的页数一致。\n\n"
    "\b\n示例：\n"
    "  haizhi sign 申报材料 签章页.pdf\n"
    "  haizhi sign 申报材料 签章页.pdf --pages 5,6\n"
    "  haizhi sign 申报材料 签章页.pdf --pages 6 -o 签章版.pdf --force"))
def sign(
    ctx: typer.Context,
    packet_dir: Annotated[Path, typer.Argument(help=later("build-packet 的输出文件夹（含 packet.pdf）。"),
                                               show_default=False)],
    scans: Annotated[Path, typer.Argument(help=later("签字盖章后扫描的页（PDF），按要替换的页的顺序。"),
                                          show_default=False)],
    pages: Annotated[str | None, typer.Option("--pages", help=later(
        "要替换的页：材料包上印的页码（如 5,6 或 5-6），或申报表的部分（如 六,八）。"))] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help=later(
        "写到此文件（默认为材料包文件夹中的 packet-signed.pdf）。"))] = None,
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    from haizhi_cli.cli import _running as running

    with command_run(ctx, lang):
        running.sign(packet_dir, scans, pages, out, force)


@app.command("import", cls=HaizhiCommand, help=later(
    "把申报表（.docx）读回为申报文件（YAML，format 1），以便用 haizhi check 检查。\n\n"
    "可读 haizhi 生成的申报表，也可读 build-packet --blank 的空白申报表在 Word、WPS 中填好的。"
    "表中没有的项写为带注释的占位内容；读取时的提示逐条写到标准错误。"
    "不给 -o 时把 YAML 输出到屏幕；不覆盖已有文件（除非加 --force）。\n\n"
    "\b\n示例：\n"
    "  haizhi import 空白表/申报表.docx -o applicant.yaml\n"
    "  haizhi import 申报表.docx > applicant.yaml\n"
    "  haizhi import 申报表.docx -o applicant.yaml --force"))
def import_form(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=later("要读取的申报表（.docx）。"), show_default=False)],
    out: OutFileOption = None,
    force: ForceOption = False,
    rules: RulesOption = None,
    lang: LangOption = None,
) -> None:
    from haizhi_cli.cli import _running as running

    with command_run(ctx, lang):
        running.import_form(file, out, force, running.rules_root_option(rules))


TYPE_NAMES = {"token_normalize_func": lambda token: token.replace("-", "_")}
"""Context settings of the commands with --type: `work-base` is read as `work_base` (as option names are
written with dashes, people write the types so too)."""


@app.command(cls=HaizhiCommand, context_settings=TYPE_NAMES, help=later(
    "写一份带注释的申报文件模板：每个键的中文名称、所依据的条款与要求都写在注释里。"
    "不覆盖已有文件（除非加 --force）。\n\n"
    "\b\n示例：\n"
    "  haizhi init --type work_base -o applicant.yaml\n"
    "  haizhi init --type offshore_base -o 离岸基地/applicant.yaml"))
def init(
    ctx: typer.Context,
    base_type: Annotated[BaseType, typer.Option("--type", "-t", help=later(
        "基地类型：该年度开放申报的一类（规则文件 facts.yaml 的 open_types）。"))]
        = BaseType.work_base,
    out: Annotated[Path, typer.Option("--out", "-o", help=later("写到此文件。"))] = Path("applicant.yaml"),
    schema_url: Annotated[str | None, typer.Option("--schema-url", help=later(
        "模板第一行指向的 JSON Schema 地址；不给时在模板旁写一份 applicant-format-1.schema.json。"))] = None,
    force: ForceOption = False,
    rules: RulesOption = None,
    lang: LangOption = None,
) -> None:
    from haizhi_cli.cli import _running as running

    with command_run(ctx, lang):
        running.init(out, base_type.value, schema_url, force, running.rules_root_option(rules))


@app.command(cls=HaizhiCommand, help=later(
    "输出申报文件（format 1）的 JSON Schema，含中文标题与说明；VS Code 的 YAML 插件据此补全和检查。\n\n"
    "\b\n示例：\n"
    "  haizhi schema -o applicant-format-1.schema.json\n"
    "  haizhi schema > schema.json"))
def schema(
    ctx: typer.Context,
    out: OutFileOption = None,
    force: ForceOption = False,
    rules: RulesOption = None,
    lang: LangOption = None,
) -> None:
    from haizhi_cli.cli import _running as running

    with command_run(ctx, lang):
        running.schema(out, force, running.rules_root_option(rules))


@app.command("rules", cls=HaizhiCommand, context_settings=TYPE_NAMES, help=later(
    "列出某一年度的全部规则：编号、条款、类别与要求。\n\n"
    "\b\n示例：\n"
    "  haizhi rules\n"
    "  haizhi rules --type offshore_base\n"
    "  haizhi rules --rules 新规则/ --round 2024"))
def list_rules(
    ctx: typer.Context,
    round_: RoundOption = None,
    base_type: Annotated[BaseType | None, typer.Option("--type", "-t", help=later("只列适用于此基地类型的规则。"))]
        = None,
    rules: RulesOption = None,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    from haizhi_cli.cli import _running as running

    with configured_run(ctx, lang, []) as (language, settings):
        root = running.rules_root_option(rules or settings.rules)
        running.list_rules(round_, base_type.value if base_type else None, root, language, no_color)


@app.command(cls=HaizhiCommand, help=later(
    "说明一条规则：引用的通知原文、检查什么、要求多少，以及一个通过和一个不通过的例子。\n\n"
    "\b\n示例：\n"
    "  haizhi explain work_base.service_area\n"
    "  haizhi explain --lang en common.public_notice"))
def explain(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(help=later("规则编号，如 work_base.service_area（见 haizhi rules）。"),
                                           show_default=False)],
    round_: RoundOption = None,
    rules: RulesOption = None,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    from haizhi_cli.cli import _running as running

    with configured_run(ctx, lang, []) as (language, settings):
        running.explain(rule_id, round_, running.rules_root_option(rules or settings.rules), language, no_color)


@app.command(cls=HaizhiCommand, help=later(
    "在浏览器中填写申报表：启动仅本机可访问的服务（127.0.0.1），第一行输出带本次令牌的地址并打开浏览器。"
    "页面按申报表排列，边填边检查（与 haizhi check 相同），可上传附件、导入 Word 申报表、保存、生成材料包。"
    "文件夹中没有 applicant.yaml 时，页面先问基地类型，再按 haizhi init 的模板新建。按 Ctrl-C 停止。\n\n"
    "\b\n示例：\n"
    "  haizhi serve\n"
    "  haizhi serve 申报材料/\n"
    "  haizhi serve --no-browser --port 8765"))
def serve(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help=later(
        "申报文件 applicant.yaml 所在的文件夹（默认为当前文件夹）。"), show_default=False)] = Path("."),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="N", help=later(
        "监听的端口；0（默认）为自动选择一个空闲端口。"))] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help=later("不打开浏览器，只输出地址。"))] = False,
    lang: LangOption = None,
    as_of: AsOfOption = None,
    rules: RulesOption = None,
) -> None:
    from haizhi_cli import serve as serving
    from haizhi_cli.cli import _running as running

    with configured_run(ctx, lang, [folder]) as (language, settings):
        day = as_of.date() if as_of else settings.as_of  # None: each check is dated the day it runs
        options = serving.ServeOptions(folder, port, not no_browser, language, day,
                                       running.rules_root_option(rules or settings.rules))
        serving.serve(options)


def use_utf8_output() -> None:
    """Write UTF-8 whatever the console's code page (GBK on Chinese Windows), so reports and JSON never break."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def run() -> None:
    """The command line, as the console script (`_console.main`) runs it, with the cyclic garbage collector
    off (some 15 % of a check, measured in docs/performance.md) until `_imports_done`."""
    use_utf8_output()
    app(prog_name="haizhi")


def _imports_done() -> None:
    """Called by each command once its modules are imported. When `main` turned the collector off, freeze what
    start-up made (it lives as long as the process, so later collections, and the worker processes of a
    batch, need not walk it again) and turn the collector back on for the work itself."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()

"""The `haizhi` command line. Commands only: each calls the core and picks a reporter."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from haizhi_cli import __version__
from haizhi_cli.errors import UserInputError

app = typer.Typer(
    name="haizhi",
    help="检查中国科协海智计划基地申报材料是否符合 2023 年通知，并生成申报材料包。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class PdfEngine(StrEnum):
    fpdf = "fpdf"
    libreoffice = "libreoffice"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


@contextmanager
def handle_errors() -> Iterator[None]:
    """The one place that turns errors into messages and exit statuses; never a traceback."""
    try:
        yield
    except UserInputError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        raise typer.Exit(2) from None
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; say nothing more and do not let Python complain at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        sys.stderr.write("已中断。\n")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if os.environ.get("HAIZHI_DEBUG"):
            raise
        sys.stderr.write(f"haizhi 内部错误：{type(exc).__name__}: {exc}\n"
                         "这是 haizhi 的缺陷，不是您的文件的问题；设置 HAIZHI_DEBUG=1 可看到详细信息，请附上报告。\n")
        raise typer.Exit(2) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"haizhi {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本号并退出。")] = False,
) -> None:
    """检查中国科协海智计划基地申报材料是否符合 2023 年通知，并生成申报材料包。"""


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="申报文件（YAML，format 1），可给多个。")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式：text（表格）或 json。")]
        = OutputFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", envvar="HAIZHI_LANG", help="报告语言：zh 或 en。")] = Lang.zh,
    as_of: Annotated[dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                      help="按此日期判断申报是否已截止（默认今天）。")] = None,
) -> None:
    """逐条检查申报文件：符合申报条件吗？材料齐全吗？退出状态 0 全部通过，1 有不通过项，2 文件无法读取。

    示例：haizhi check applicant.yaml；haizhi check --format json submissions/*/applicant.yaml
    """
    from haizhi_cli import checking, reporting

    with handle_errors():
        options = checking.CheckOptions(as_of=(as_of.date() if as_of else dt.date.today()), lang=lang.value)
        outcomes = checking.check_paths(files, options)
        if output_format is OutputFormat.json:
            reporting.write_json(outcomes, lang=lang.value)
        else:
            reporting.write_text(outcomes, lang.value)
        raise typer.Exit(reporting.exit_code(outcomes))


def use_utf8_output() -> None:
    """Write UTF-8 whatever the console's code page (GBK on Chinese Windows), so reports and JSON never break."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


@app.command("build-packet")
def build_packet(
    file: Annotated[Path, typer.Argument(help="申报文件（默认为当前文件夹的 applicant.yaml）。")]
        = Path("applicant.yaml"),
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹。")] = Path("packet"),
    force: Annotated[bool, typer.Option("--force", help="输出文件夹已存在时替换它。")] = False,
    draft: Annotated[bool, typer.Option("--draft", help="不符合条件或材料不齐也生成，每页标注“草稿”。")] = False,
    font: Annotated[Path | None, typer.Option("--font", envvar="HAIZHI_FONT", help="PDF 使用的中文字体文件。")] = None,
    engine: Annotated[PdfEngine, typer.Option("--engine", help="PDF 排版：fpdf（内置）或 libreoffice。")]
        = PdfEngine.fpdf,
    lang: Annotated[Lang, typer.Option("--lang", envvar="HAIZHI_LANG", help="报告语言：zh 或 en。")] = Lang.zh,
    as_of: Annotated[dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                      help="按此日期判断申报是否已截止（默认今天）。")] = None,
) -> None:
    """先检查，再生成申报表、建设方案、材料清单、支持函与公示代拟稿（Word 与 PDF），装订为 packet.pdf。

    示例：haizhi build-packet applicant.yaml -o 申报材料；haizhi build-packet --draft -o 草稿
    """
    from haizhi_cli import building, reporting

    with handle_errors():
        options = building.BuildOptions(out=out, as_of=(as_of.date() if as_of else dt.date.today()), force=force,
                                        draft=draft, font=font, engine=engine.value)
        try:
            result = reporting.build_with_progress(file, options)
        except building.BuildRefused as refused:
            reporting.write_text([refused.report], lang.value)
            sys.stderr.write(f"错误：{refused}\n")
            raise typer.Exit(1) from None
        if result.report.failed:  # a draft of an applicant that is not ready: say why, every time
            reporting.write_text([result.report], lang.value)
        reporting.write_build_summary(result)


def main() -> None:
    use_utf8_output()
    app()

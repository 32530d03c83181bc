"""Settings for a whole run without repeating options: `[tool.haizhi]` in a pyproject.toml, or a haizhi.toml.

The file is looked for upward from the first path a command is given (its folder when it is a file; the
current folder when no path is given or the path is `-`): in each folder, `haizhi.toml` (its top-level keys)
and then `pyproject.toml` (its `[tool.haizhi]` table; a pyproject.toml without one is passed over, as ruff
does). The first found holds for the whole run. Its keys are `as_of` (a TOML date or "YYYY-MM-DD"), `lang`
("zh" or "en") and `rules` (a rule folder, relative to the file's folder). An option on the command line
wins over the environment variable (HAIZHI_AS_OF, HAIZHI_LANG, HAIZHI_RULES), which wins over the file,
which wins over the default: the options and variables are read by the command line, and a value from the
file is used only where both are absent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import LANGS, joined, tr

CONFIG_FILES = ("haizhi.toml", "pyproject.toml")
"""Looked for in this order in each folder, from the checked files' folder upward."""

KEYS = ("as_of", "lang", "rules")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_KEY = r"""\s*["']?{}["']?\s*"""
MAY_HOLD_SETTINGS = re.compile(
    "|".join((
        rf"^\s*\[{_KEY.format('tool')}\.{_KEY.format('haizhi')}[\].]",  # [tool.haizhi], [tool."haizhi".x]
        rf"^{_KEY.format('tool')}(?:\.{_KEY.format('haizhi')}[.=]|=.*haizhi)",  # tool.haizhi.lang = …, tool = {…}
        rf"^\s*\[{_KEY.format('tool')}\]\s*$(?:(?!^\s*\[).)*?^{_KEY.format('haizhi')}[.=]",  # [tool] haizhi = …
    )),
    re.MULTILINE | re.DOTALL,
)
"""Every way TOML can write a `[tool.haizhi]` table: a pyproject.toml that matches none holds no settings and
is not parsed (a project that only depends on haizhi, or names it elsewhere). One that matches is parsed."""


@dataclass(frozen=True)
class FileSettings:
    """What the nearest configuration file sets (each None when it does not), and where it is."""

    source: Path | None = None
    as_of: dt.date | None = None
    lang: str | None = None
    rules: Path | None = None


def find_settings(paths: Sequence[Path]) -> FileSettings:
    """The settings of the nearest configuration file above the first path; none found, no settings."""
    for folder in _folders_upward(_start(paths)):
        for name in CONFIG_FILES:
            table = _table(folder / name)
            if table is not None:
                return _settings(table, folder / name)
    return FileSettings()


def _start(paths: Sequence[Path]) -> Path:
    first = paths[0] if paths and str(paths[0]) != "-" else Path.cwd()
    absolute = first.absolute()
    return absolute if absolute.is_dir() else absolute.parent


def _folders_upward(start: Path) -> list[Path]:
    return [start, *start.parents]


def _table(path: Path) -> dict[str, Any] | None:
    """The haizhi settings a file holds: all of a haizhi.toml, `[tool.haizhi]` of a pyproject.toml."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(tr("无法读取设置文件 {path}：{reason}", path=path, reason=exc)) from None
    if path.name == "pyproject.toml" and not ("haizhi" in text and MAY_HOLD_SETTINGS.search(text)):
        return None  # no [tool.haizhi]: not parsed (a project's pyproject.toml, any size)
    import tomllib  # here: most checks find no settings file, or a pyproject.toml without haizhi's table

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(tr("无法读取设置文件 {path}：{reason}", path=path, reason=exc)) from None
    if path.name == "haizhi.toml":
        return data
    table = data.get("tool", {}).get("haizhi") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) else None


def _settings(table: dict[str, Any], path: Path) -> FileSettings:
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise UsageError(tr("设置文件 {path} 中有不认识的键：{keys}；可用的键：{known}", path=path,
                            keys=joined(unknown), known=joined(KEYS)))
    return FileSettings(path, _as_of(table.get("as_of"), path), _lang(table.get("lang"), path),
                        _rules(table.get("rules"), path))


def _as_of(value: Any, path: Path) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str) and DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    raise UsageError(tr("设置文件 {path} 中 as_of 的值“{value}”不是日期，应为 YYYY-MM-DD（如 2023-09-01）",
                        path=path, value=value))


def _lang(value: Any, path: Path) -> str | None:
    if value is None or value in LANGS:
        return None if value is None else str(value)
    raise UsageError(tr("设置文件 {path} 中 lang 的值“{value}”不可用，可选：zh、en", path=path, value=value))


def _rules(value: Any, path: Path) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise UsageError(tr("设置文件 {path} 中 rules 应为一个文件夹的路径", path=path))
    return path.parent / value

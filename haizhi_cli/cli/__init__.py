"""The `haizhi` command line: thin commands that call the core and pick a reporter, and the one place that
turns errors into exit statuses.

`main`, the console script, loads the command line when it runs (see `_console`).
May import every other stage of haizhi.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from haizhi_cli._lazy import loaded_when_used
from haizhi_cli.cli._console import main

if TYPE_CHECKING:
    from haizhi_cli.cli._app import app

__getattr__ = loaded_when_used(__name__, {"app": "_app"})

__all__ = ["app", "main"]

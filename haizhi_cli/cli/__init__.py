"""The `haizhi` command line: thin commands that call the core and pick a reporter, and the one place that
turns errors into exit statuses.

May import every other stage of haizhi.
"""

from haizhi_cli.cli._app import app, main

__all__ = ["app", "main"]

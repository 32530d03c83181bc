"""A progress bar for a batch on a terminal (stderr, so stdout keeps only the report)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def progress_bar(total: int, label: str, no_color: bool = False) -> Iterator[Callable[[Any], None]]:
    """Yield a function to call once per finished item; the bar disappears when the batch is done."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    colour_off = no_color or os.environ.get("NO_COLOR", "") != ""  # https://no-color.org, as make_console
    console = Console(stderr=True, no_color=colour_off, color_system=None if colour_off else "auto")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda _item: progress.advance(task)

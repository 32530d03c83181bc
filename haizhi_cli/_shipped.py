"""Where the files haizhi ships beside its code lie: `rules/`, `templates/` and the eligible `examples/`.

In an installed wheel they are inside the package (pyproject.toml puts them there); in a source checkout, and
in an editable install of it, they are the folders at the top of the repository. It imports nothing of haizhi.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped_folder(name: str) -> Path:
    """The shipped folder `name` ("rules", "templates" or "examples"): the wheel's copy, else the checkout's."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name

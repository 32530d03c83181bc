"""The user's cache folder, where haizhi keeps what it can rebuild (validated rules, parsed fonts) for speed.

`$XDG_CACHE_HOME/haizhi` (else `~/.cache/haizhi`), or `%LOCALAPPDATA%\\haizhi\\Cache` on Windows. A cache
never changes a result and never causes an error: a file that is missing or unreadable is simply not there,
and a folder that cannot be made or written to is given up silently. ``HAIZHI_NO_CACHE=1`` turns all of it off.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

DISABLE_VARIABLE = "HAIZHI_NO_CACHE"


def caching_enabled() -> bool:
    """False when HAIZHI_NO_CACHE is set to anything but an empty string or 0."""
    return os.environ.get(DISABLE_VARIABLE, "").strip() in ("", "0")


def cache_dir() -> Path | None:
    """The user's cache folder for haizhi, or None when there is no sensible place for one."""
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA", "")
        return Path(local) / "haizhi" / "Cache" if local and Path(local).is_absolute() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "haizhi"
    try:
        return Path.home() / ".cache" / "haizhi"
    except (RuntimeError, KeyError, OSError):  # no home folder (a service account, a bare container)
        return None


def read_cached(name: str) -> bytes | None:
    """The bytes of the cache file `name`, or None when there is none (or no cache folder) or it cannot be read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except (OSError, ValueError):
        return None


def write_cached(name: str, data: bytes) -> None:
    """Store `data` as the cache file `name`, atomically; a failure of any kind is silently given up."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile  # only when writing, which a run that finds its cache does not do

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def prune_cached(is_stale: Callable[[Path], bool]) -> None:
    """Remove the cache files `is_stale` says are of something that is gone (a font file, a rule folder of an
    uninstalled haizhi); a file it cannot judge (it raises OSError) or that cannot be removed is left."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                if is_stale(path):
                    path.unlink()

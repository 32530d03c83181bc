"""Writing one output file safely: never over a user's file without `--force`, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import tr


def refuse_overwrite(path: Path, force: bool, exists: str | None = None) -> None:
    """Stop before anything is written when `path` is a folder, or exists and `--force` was not given (with
    the message `exists` when the caller has more to say about the file it would replace)."""
    if path.is_dir():
        raise UsageError(tr("{path} 是一个文件夹；请给出文件名", path=path))
    if path.exists() and not force:
        raise UsageError(exists or tr("{path} 已存在，未覆盖；确认要替换它请加 --force", path=path))


def write_file_atomically(path: Path, data: bytes, force: bool = False, make_parents: bool = False) -> Path:
    """Write into a temporary file beside `path`, then rename it into place in one step; return `path`.

    A reader (or a crash) sees the old file or the new one, never a part; the new file gets the usual
    permissions (the temporary file's private 0600 is widened by the umask, as a plain open() would).
    A file system that refuses (permissions, a full disk) is the user's error, with the path and the reason.
    """
    refuse_overwrite(path, force)
    folder = path.parent if str(path.parent) else Path(".")
    if make_parents:
        _make_folder(folder)
    if not folder.is_dir():
        raise UsageError(tr("文件夹 {folder} 不存在；请先创建它", folder=folder))
    try:
        _replace_with(path, folder, data)
    except OSError as exc:
        raise UsageError(tr("无法写入 {path}：{reason}", path=path, reason=exc.strerror or exc)) from None
    return path


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(tr("无法写入 {path}：{reason}", path=folder, reason=exc.strerror or exc)) from None


def _replace_with(path: Path, folder: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

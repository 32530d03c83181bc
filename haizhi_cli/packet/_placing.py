"""The last step of `build-packet`: move the finished staging folder to OUT without ever replacing what
someone else put there.

Checking that OUT does not exist and then renaming is a race: another build, or the user, can create OUT in
between, and a plain rename replaces an empty folder (POSIX) or, done as remove-then-rename, anything. So the
move itself must refuse an existing OUT, in one step:

- On Linux, `renameat2(..., RENAME_NOREPLACE)` does that in the kernel: the rename fails with EEXIST when OUT
  exists, whoever made it and whenever. It is called through ctypes (the standard library has no binding).
  Some file systems (older NFS, some FUSE ones) answer EINVAL, and old kernels or C libraries ENOSYS or no
  symbol at all; then the fallback below is used.
- Elsewhere, a lock file `.OUT.lock` beside OUT, created with O_EXCL, makes the check and the rename one step
  for every haizhi build (two builds never both pass the check). Against a folder made at OUT by anything
  else between the re-check and the rename, the rename itself still refuses a folder that holds anything
  (ENOTEMPTY or EEXIST on POSIX; Windows refuses any existing target); only an empty folder could be taken
  over, which loses nothing. A lock left by a killed build is taken over once it is older than
  `STALE_LOCK_SECONDS`, as the move it guards takes milliseconds.

With --force, only a folder that haizhi built (a folder whose manifest.json is a regular file holding a JSON
object) or an empty one is replaced: it is first renamed aside, checked there (so what is checked is what
is removed, not a folder swapped in after the check), and put back if it is not a packet.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import json
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from haizhi_cli.errors import Location, UsageError
from haizhi_cli.i18n import tr
from haizhi_cli.packet._packet_plan import MANIFEST_FILE

AT_FDCWD = -100
RENAME_NOREPLACE = 1
NOREPLACE_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM}
"""What renameat2 answers on a file system or kernel without RENAME_NOREPLACE (EPERM: some seccomp filters)."""
STALE_LOCK_SECONDS = 30.0
LOCK_WAIT_SECONDS = 10.0
MANIFEST_LIMIT = 16 * 1024 * 1024
"""A manifest larger than this is not one haizhi wrote (a packet's lists a few dozen files)."""


class OutAppeared(FileExistsError):
    """OUT exists at the moment of the final move."""


def place(staging: Path, out: Path, force: bool) -> str | None:
    """Move `staging` to `out` in one step; with `force`, replace a packet haizhi built there.

    Returns a note for the user when an old packet could not be removed after being replaced, else None.
    Raises UsageError when OUT exists and may not be replaced; `staging` is then left to the caller to remove.
    """
    try:
        rename_noreplace(staging, out)
        return None
    except OutAppeared:
        if not force:
            raise UsageError(tr("输出文件夹 {out} 在生成期间被创建（另一次生成或其他程序），未替换它；"
                                "本次生成的内容已清除。请换一个输出位置，或确认后加 --force 重新生成",
                                out=out), Location(out)) from None
    return _replace_packet(staging, out)


def rename_noreplace(source: Path, target: Path) -> None:
    """Rename `source` to `target`, or raise OutAppeared if `target` exists; never replaces it."""
    if _kernel_rename_noreplace(source, target):
        return
    with _lock_beside(target):
        if os.path.lexists(target):
            raise OutAppeared(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        _rename_refusing_a_full_target(source, target)


def _rename_refusing_a_full_target(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or isinstance(exc, FileExistsError):
            raise OutAppeared(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        raise


def _kernel_rename_noreplace(source: Path, target: Path) -> bool:
    """True when renameat2(RENAME_NOREPLACE) did the move; False when this system cannot do it."""
    call = _renameat2()
    if call is None:
        return False
    done = call(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), RENAME_NOREPLACE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise OutAppeared(code, os.strerror(code), str(target))
    if code in NOREPLACE_UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(target))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """The C library's renameat2 on Linux (glibc 2.28+, musl 1.2.2+), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    return function


@contextlib.contextmanager
def _lock_beside(target: Path) -> Iterator[None]:
    """Hold `.OUT.lock` beside OUT for the re-check and the rename (see the module's docstring)."""
    lock = target.with_name(f".{target.name}.lock")
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not _take_lock(lock):
        if time.monotonic() > deadline:
            raise UsageError(tr("另一次生成正在写入 {out}（锁文件 {lock}）；"
                                "请稍后重试，或确认没有其他生成后删除该锁文件", out=target, lock=lock),
                             Location(target))
        time.sleep(0.05)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _take_lock(lock: Path) -> bool:
    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        _remove_if_stale(lock)
        return False
    os.write(handle, str(os.getpid()).encode())
    os.close(handle)
    return True


def _remove_if_stale(lock: Path) -> None:
    with contextlib.suppress(OSError):
        if time.time() - lock.stat().st_mtime > STALE_LOCK_SECONDS:
            lock.unlink()


# --- --force -----------------------------------------------------------------------------------------------


def is_haizhi_packet(folder: Path) -> bool:
    """A folder haizhi built: its manifest.json is a regular file (not a link) holding a JSON object."""
    manifest = folder / MANIFEST_FILE
    try:
        info = manifest.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_LIMIT:
            return False
        return isinstance(json.loads(manifest.read_bytes()), dict)
    except (OSError, ValueError):
        return False


def replaceable(folder: Path) -> bool:
    """What --force may replace: a packet haizhi built, or an empty folder (nothing in it can be lost)."""
    try:
        return folder.is_dir() and not folder.is_symlink() and (is_haizhi_packet(folder) or not any(folder.iterdir()))
    except OSError:
        return False


def _replace_packet(staging: Path, out: Path) -> str | None:
    """Set OUT aside, check what was set aside, move the new packet in, then remove the old one."""
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    try:
        os.rename(out, retired)
    except FileNotFoundError:  # OUT went away again since the move found it: a plain move will do
        rename_noreplace(staging, out)
        return None
    if not replaceable(retired):
        _put_back(retired, out)
        raise UsageError(tr("输出文件夹 {out} 不是 haizhi 生成的材料包（没有 manifest.json），--force 也不会替换它；"
                            "本次生成的内容已清除，请换一个输出位置", out=out), Location(out))
    try:
        rename_noreplace(staging, out)
    except OSError:
        _put_back(retired, out)
        raise
    return remove_old_packet(retired)


def _put_back(retired: Path, out: Path) -> None:
    """Return a folder set aside to OUT; if OUT was taken meanwhile, say where the folder is."""
    try:
        rename_noreplace(retired, out)
    except OSError:
        raise UsageError(tr("输出文件夹 {out} 在生成期间被占用；原有的文件夹已移到 {retired}，请自行处理",
                            out=out, retired=retired), Location(out)) from None


def remove_old_packet(retired: Path) -> str | None:
    """Remove a replaced packet, read-only parts included; a note naming it if it cannot be removed."""
    _make_folders_writable(retired)
    shutil.rmtree(retired, ignore_errors=True)
    if not os.path.lexists(retired):
        return None
    return tr("注意：旧的材料包已被替换，但无法删除，留在 {retired}；请手动删除", retired=retired)


def _make_folders_writable(top: Path) -> None:
    """A read-only folder keeps its entries from being removed: open every folder of the tree to its owner
    first (top-down, so each is opened before it is listed; links are not followed)."""
    _owner_may_change(top)
    for folder, subfolders, _files in os.walk(top):
        for name in subfolders:
            _owner_may_change(Path(folder, name))


def _owner_may_change(folder: Path) -> None:
    with contextlib.suppress(OSError):
        if not folder.is_symlink():
            folder.chmod(stat.S_IMODE(folder.stat().st_mode) | stat.S_IRWXU)

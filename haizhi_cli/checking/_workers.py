"""The worker processes of a batch check (`check --jobs N`): how many are started, and that none outlives
the haizhi process that started it, however that process ends (SIGKILL from a CI time-out included)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

from haizhi_cli.checking import _attachments as attachments

WORKERS_PER_CPU = 2
"""Checking reads files and parses YAML; more workers than twice the CPUs only add processes and memory."""
PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal a process gets when the thread that created it ends."""
WATCH_SECONDS = 0.5
"""How often a worker without PR_SET_PDEATHSIG looks whether its parent still lives."""


def worker_count(jobs: int, files: int, cpus: int | None = None) -> int:
    """min(jobs, files, CPUs × 2), at least 1: `--jobs 2000` on two files starts two workers, not 2000."""
    available = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(1, min(jobs, files, available * WORKERS_PER_CPU))


def start_worker(parent: int) -> None:
    """The initializer of each worker process: end with `parent`, then read each shared PDF once."""
    end_with_parent(parent)
    attachments.remember_read_files()


def end_with_parent(parent: int) -> None:
    """Make this process end when `parent` ends.

    On Linux the kernel does it: PR_SET_PDEATHSIG sends SIGKILL when the parent dies, at once and whatever
    this process is doing (a worker holds nothing to clean up: it only reads). Elsewhere a daemon thread
    watches the parent and ends the process within WATCH_SECONDS. A parent that died before the request took
    effect is caught by looking once more afterwards.
    """
    if not _kernel_ends_us_with_parent():
        threading.Thread(target=_watch, args=(parent,), name="haizhi-parent-watch", daemon=True).start()
    if not _alive(parent):
        os._exit(1)


def _kernel_ends_us_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return bool(prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)


def _watch(parent: int) -> None:
    """Poll until the parent is gone, then end this process without running any clean-up (like SIGKILL)."""
    first_parent = os.getppid()
    while _alive(parent) and os.getppid() == first_parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether process `pid` still exists (signal 0 only asks; on Windows os.kill would end it instead)."""
    if sys.platform == "win32":
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if sys.platform == "win32":

    def _windows_alive(pid: int) -> bool:
        synchronize, wait_timeout = 0x00100000, 0x00000102
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(synchronize, False, pid)
        if not handle:
            return False
        try:
            return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
        finally:
            kernel32.CloseHandle(handle)

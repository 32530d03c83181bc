"""Facts about attachment files, gathered before the rules run so that the engine stays pure.

Nothing outside the applicant's folder is ever opened: a path that leaves it (``../``, an absolute
path, a symbolic link pointing out) is reported, not read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import Any, BinaryIO

from haizhi_cli.engine import FileFact
from haizhi_cli.errors import ApplicantFileError, Location
from haizhi_cli.i18n import Localized, tr

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
"""A scan larger than this is refused: the provincial platform will not take it either."""


def inside(root: Path, path: str) -> Path | None:
    """The resolved file for `path` if it stays inside the resolved folder `root` (links followed), else None."""
    if Path(path).is_absolute():
        return None
    # os.path.realpath, not Path.resolve: the same walk without a Path made at each step and an extra stat
    # (a link loop is left unresolved here and fails the stat that follows).
    target = Path(_real_path(os.path.join(root, path)))
    return target if target.is_relative_to(root) else None


_real_folders: dict[str, str] | None = None
"""While a batch runs on a POSIX system: each folder's resolved path, by the path as joined. A batch's
applicant files name their attachments in a few folders, and resolving a path stats every part of it."""


def _real_path(joined: str) -> str:
    """`os.path.realpath(joined)`, its folder resolved once per batch: POSIX resolves `folder/name` as the
    resolved folder, then `name` (a link followed), so only the last part is looked at again. Windows gives
    every part its case on disk, which only the full resolution does; it is not cached there."""
    folder, name = os.path.split(joined)
    if _real_folders is None or name in ("", ".", ".."):
        return os.path.realpath(joined)
    if folder not in _real_folders:
        _real_folders[folder] = os.path.realpath(folder)
    candidate = os.path.join(_real_folders[folder], name)
    try:
        is_link = S_ISLNK(os.lstat(candidate).st_mode)
    except OSError:  # as realpath: a part that cannot be looked at is left as written
        return candidate
    return os.path.realpath(candidate) if is_link else candidate


def probe(folder: Path, paths: Iterable[str]) -> dict[str, FileFact]:
    """A FileFact for every distinct path named by the applicant.

    The digest, by which a copy under another name is known (partners counted once), is taken only where
    it can tell something: of files whose size another file named here shares. A file of a size of its
    own has no copy among them, and its scan is not read through for nothing."""
    root = folder.resolve()  # once, not once per attachment: resolving walks every part of the path
    facts = {path: _probe_within(root, path) for path in dict.fromkeys(paths)}
    sharing = _sharing_a_size(facts)
    return {path: _with_digest(root, fact) if path in sharing else fact
            for path, fact in facts.items()}


def probe_one(folder: Path, written: str, hashed: bool = True) -> FileFact:
    """What is wrong with one attachment, if anything, and (`hashed`) the digest of its bytes; never raises
    for a bad path or file."""
    root = folder.resolve()
    fact = _probe_within(root, written)
    return _with_digest(root, fact) if hashed else fact


def _sharing_a_size(facts: dict[str, FileFact]) -> set[str]:
    """The paths of readable files whose size (as probed) another, distinct file among `facts` has too."""
    by_size: dict[int, dict[tuple[int, int], list[str]]] = {}
    for path, fact in facts.items():
        if fact.problem is None and fact.size is not None and fact.identity is not None:
            by_size.setdefault(fact.size, {}).setdefault(fact.identity, []).append(path)
    return {path for files in by_size.values() if len(files) > 1 for paths in files.values() for path in paths}


def _with_digest(root: Path, fact: FileFact) -> FileFact:
    if fact.problem is not None or fact.resolved is None or fact.digest is not None:
        return fact
    try:
        return replace(fact, digest=_digest_once(root / fact.resolved))
    except OSError:  # gone since the probe: no digest, as for any file not read
        return fact


def _probe_within(root: Path, written: str) -> FileFact:
    try:
        return _probe(root, written)
    except (OSError, ValueError, RuntimeError):  # symlink loops, names too long, NUL bytes, permissions
        return _problem(written, "路径无法访问（名称过长、含有非法字符、链接循环或没有读取权限）；请改用普通文件名",
                        "the path cannot be accessed (name too long, illegal characters, a link loop or no permission)")


def _probe(root: Path, written: str) -> FileFact:
    target = inside(root, written)
    if target is None:
        return _problem(written, "路径指向申报文件所在文件夹之外，已拒绝读取；请把文件放入该文件夹",
                        "the path leaves the applicant's folder and was not read; move the file into it")
    resolved = target.relative_to(root).as_posix()
    fact = _probe_inside(target, written, resolved)
    if fact.problem is not None and not target.exists():
        fact = _not_found(root, written)
    return fact if fact.resolved == resolved else replace(fact, resolved=resolved)


def _not_found(root: Path, written: str) -> FileFact:
    """A missing file; when one exists whose name differs only in case, name it: Windows (and macOS, by
    default) would open it, Linux would not, so the applicant file must say it exactly."""
    near = differing_in_case(root, written)
    if near is None:
        return _problem(written, "文件不存在，请检查路径和文件名", "file not found; check the path and name")
    return _problem(written, f"文件不存在；是否应为 {near}？两者只差大小写：Windows 上能找到它，Linux 上找不到，"
                             "请按实际文件名的大小写书写",
                    f"file not found; did you mean {near}? The names differ only in case: Windows would find it, "
                    "Linux does not, so write the name with the case of the real file")


def differing_in_case(root: Path, path: str) -> str | None:
    """The file below `root` that `path` names but for the case of its letters, part by part; None when
    there is none, or more than one."""
    current, found = root, []
    for part in (p for p in path.split("/") if p not in ("", ".")):
        try:
            names = os.listdir(current)
        except OSError:
            return None
        same = [part] if part in names else [name for name in names if name.casefold() == part.casefold()]
        if part == ".." or len(same) != 1:
            return None
        found.append(same[0])
        current = current / same[0]
    return "/".join(found) if found and current.is_file() else None


def _probe_inside(target: Path, written: str, resolved: str) -> FileFact:
    try:
        stat = target.stat()
    except FileNotFoundError:
        return _problem(written, "文件不存在，请检查路径和文件名", "file not found; check the path and name")
    if not S_ISREG(stat.st_mode):
        return _problem(written, "不是普通文件", "not a regular file")
    size = stat.st_size
    if size == 0:
        return _problem(written, "文件为空（0 字节）", "the file is empty (0 bytes)")
    if size > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        return _problem(written, f"文件过大（超过 {limit} MB），请压缩后重新扫描",
                        f"larger than {limit} MB; compress it")
    # one replace for all four: a batch makes some ten of these a file, and `replace` is not cheap
    return replace(_probe_pdf_once(target, stat, written), written=written, resolved=resolved,
                   identity=(stat.st_dev, stat.st_ino), size=size)


_read_before: dict[tuple[int, int, int, int], FileFact] | None = None
"""While a batch runs: PDFs read so far, by file (device, inode) and the stat fields a rewrite changes."""


@contextmanager
def reading_each_file_once() -> Iterator[None]:
    """Within this block, a PDF that several applicants name, unchanged, is read once (per process).

    Scoped to one batch on purpose: a long-lived process must not keep facts about files that may be
    rewritten within the file system's timestamp granularity.
    """
    remember_read_files()
    try:
        yield
    finally:
        remember_read_files(False)


def remember_read_files(remember: bool = True) -> None:
    """From now on, read each unchanged PDF once, or (`False`) every time again; a batch worker process
    calls this when it starts."""
    global _read_before, _real_folders
    _read_before = {} if remember else None
    _real_folders = {} if remember and os.name == "posix" else None
    _hashed_before.clear()


def _probe_pdf_once(target: Path, stat: os.stat_result, written: str) -> FileFact:
    if _read_before is None:
        return _probe_pdf(target, written)
    key = _file_key(stat)
    if key not in _read_before:
        _read_before[key] = _probe_pdf(target, written)
    return _read_before[key]  # as another applicant's path wrote it: the caller puts this one's


def _file_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


_hashed_before: dict[tuple[int, int, int, int], str] = {}
"""While a batch runs (`_read_before` is not None): the digests taken so far, by the same file key."""


def _digest_once(target: Path) -> str:
    if _read_before is None:
        return file_digest(target)
    key = _file_key(target.stat())
    if key not in _hashed_before:
        _hashed_before[key] = file_digest(target)
    return _hashed_before[key]


HASH_CHUNK_BYTES = 2 << 20
"""Bytes read and hashed at a time. A build hashes on a second thread, which waits for the interpreter lock
after each read and each hash (up to 5 ms while the build runs Python), so larger chunks hash faster
meanwhile; but the buffer is memory held (8 MB chunks raised a build's peak by 7 MB against 1 MB ones)."""


def file_digest(target: Path) -> str:
    """The SHA-256 of a file, read into one buffer a chunk at a time so that memory stays flat however large
    the file."""
    digest, buffer = hashlib.sha256(), bytearray(HASH_CHUNK_BYTES)
    view = memoryview(buffer)
    with target.open("rb") as handle:
        while read := handle.readinto(buffer):
            digest.update(view[:read])
    return digest.hexdigest()


def _probe_pdf(target: Path, written: str) -> FileFact:
    with target.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        return _problem(written, "不是 PDF 文件（文件内容不是 PDF，可能只是改了扩展名）；请导出或扫描为 PDF",
                        "not a PDF (perhaps only renamed); export or scan it as PDF")
    return _read_pdf(target, written)


def _read_pdf(target: Path, written: str) -> FileFact:
    """Open the PDF with pypdf; any failure becomes a problem, never an exception. pypdf's own remarks on
    what it repaired while reading ("EOF marker not found" …) are not the user's business and would spoil
    `--format json` on stderr: they are kept out of the output."""
    with pypdf_remarks_silenced():
        return _read_pdf_facts(target, written)


@contextmanager
def pypdf_remarks_silenced() -> Iterator[None]:
    """pypdf's remarks on what it repaired while reading ("EOF marker not found") are not the user's business."""
    logger = logging.getLogger("pypdf")
    handler, propagate = logging.NullHandler(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _read_pdf_facts(target: Path, written: str) -> FileFact:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    with target.open("rb") as handle:  # given a path, pypdf would read the whole file into memory first
        try:
            reader = PdfReader(handle)
            if reader.is_encrypted:
                return _encrypted(written)
            pages = len(reader.pages)
        except DependencyError:  # AES encryption that pypdf cannot even open without an optional package
            return _encrypted(written)
        except Exception:  # pypdf raises many kinds (PdfReadError, DependencyError, ValueError ...)
            return _problem(written, "PDF 文件已损坏或不完整，无法读取；请重新导出", "the PDF is damaged or truncated")
        if pages == 0:
            return _problem(written, "PDF 没有任何页面", "the PDF has no pages")
        return FileFact(written, None, pages, _page_size_warning(reader))


A4_POINTS = (595.28, 841.89)
A4_TOLERANCE = 3.0
"""A page within 3 pt (about 1 mm) of A4, upright or turned, counts as A4."""


def _page_size_warning(reader: Any) -> Localized | None:
    """Which pages are not A4: the packet is printed and bound as one A4 book."""
    odd = [number for number, page in enumerate(reader.pages, start=1) if not _is_a4(page)]
    if not odd:
        return None
    numbers, more = [str(n) for n in odd[:10]], len(odd) > 10
    zh = "、".join(numbers) + ("等" if more else "")
    en = ", ".join(numbers) + (" and more" if more else "")
    return Localized(f"第 {zh} 页不是 A4 纸张大小，打印装订时可能被缩放；请按 A4 重新扫描或导出",
                     f"page(s) {en} are not A4; rescan or export them as A4")


def _is_a4(page: Any) -> bool:
    try:
        width, height = sorted((abs(float(page.mediabox.width)), abs(float(page.mediabox.height))))
    except Exception:  # a page without a usable box is reported as not A4
        return False
    return abs(width - A4_POINTS[0]) <= A4_TOLERANCE and abs(height - A4_POINTS[1]) <= A4_TOLERANCE


def _encrypted(written: str) -> FileFact:
    return _problem(written, "PDF 已加密或设有密码，请导出不加密的版本",
                    "the PDF is encrypted; export an unencrypted copy")


def _problem(written: str, zh: str, en: str) -> FileFact:
    return FileFact(written, Localized(zh, en))


class AttachmentChanged(ApplicantFileError):
    """An attachment was replaced (by a link or another file) between the check and the build's copy."""


def copy_probed(folder: Path, fact: FileFact, target: Path) -> None:
    """Copy the very file `fact` was probed from into `target`, or stop.

    The path is resolved again by the kernel when it is opened, so a file swapped after the check (for a
    link to a file outside the folder, or for another file) would be copied instead. It is therefore opened
    once, without following a link at its last component, its (device, inode) checked against the probe's,
    and read from that same open file; a file that is no longer the one checked is AttachmentChanged.
    """
    source = _open_unlinked(folder, fact)
    with source:
        status = os.fstat(source.fileno())
        if not S_ISREG(status.st_mode) or (status.st_dev, status.st_ino) != fact.identity:
            raise _changed(folder, fact)
        with target.open("xb") as out:
            _copy_bytes(source, out, status.st_size)


def _copy_bytes(source: BinaryIO, out: BinaryIO, size: int) -> None:
    """Copy by the kernel where it can (sendfile: a scan's bytes never pass through this process), else
    through a buffer."""
    offset = 0
    try:
        while offset < size and (sent := os.sendfile(out.fileno(), source.fileno(), offset, size - offset)):
            offset += sent
    except (AttributeError, OSError):  # no sendfile here, or not between these files: start again, buffered
        out.seek(0)
        out.truncate()
        source.seek(0)
        shutil.copyfileobj(source, out, 1024 * 1024)


def _open_unlinked(folder: Path, fact: FileFact) -> BinaryIO:
    if fact.resolved is None or fact.identity is None:
        raise _changed(folder, fact)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        return os.fdopen(os.open(folder.resolve() / fact.resolved, flags), "rb")
    except OSError:  # ELOOP: the file became a link; ENOENT: it was removed
        raise _changed(folder, fact) from None


def _changed(folder: Path, fact: FileFact) -> AttachmentChanged:
    return AttachmentChanged(tr("附件 {file} 在检查之后被替换或改为链接，未复制；已停止生成，请确认附件后重新生成",
                                file=fact.written), Location(folder / fact.written))

"""Uploads: an attachment written into FOLDER/attachments/, and a Word 申报表 read as `haizhi import` reads it.

An upload is at most MAX_ATTACHMENT_BYTES (the limit `check` puts on an attachment), a .pdf or .docx by its
name AND its first bytes, named by a plain file name (no path part, no `..`, no dot-file). It is written
through a handle on the attachments folder opened without following a link (an `attachments` that is a
symbolic link is refused), into a temporary file there, then linked to its name (which fails if the name is
taken: nothing is overwritten unless `overwrite=1`, and then only a regular file, replaced in one step).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from haizhi_cli.authoring import import_form, warning_field
from haizhi_cli.checking import MAX_ATTACHMENT_BYTES, probe_one
from haizhi_cli.i18n import joined, tr
from haizhi_cli.serve._responses import Refused
from haizhi_cli.serve._store import Workspace, to_json

ATTACHMENTS = "attachments"
MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04"}
FORM_OVERHEAD = 64 * 1024
"""What a multipart body may hold besides the file (boundaries, headers, the `overwrite` field)."""
BAD_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^\.|\.\.")


@dataclass(frozen=True)
class Upload:
    name: str
    kind: str
    data: bytes
    fields: dict[str, str] = field(default_factory=dict)


async def received(request: Request, kinds: tuple[str, ...]) -> Upload:
    """The file of a multipart request, checked for size, name and type before anything is written."""
    _refuse_large(request.headers.get("content-length"))
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Refused(400, "bad_request", tr("请求中没有文件（表单字段 file）"))
        data = await upload.read(MAX_ATTACHMENT_BYTES + 1)
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Refused(413, "too_large", _too_large())
    name = checked_name(upload.filename)
    return Upload(name, file_kind(name, data, kinds), data, fields)


def _refuse_large(length: str | None) -> None:
    """Refuse a body that announces more than an attachment and its form may hold, before reading it."""
    if length is None or not length.isdigit():
        raise Refused(411, "length_required", tr("请求没有给出长度，无法接收"))
    if int(length) > MAX_ATTACHMENT_BYTES + FORM_OVERHEAD:
        raise Refused(413, "too_large", _too_large())


def _too_large() -> str:
    return tr("文件超过 {limit} MB 的上限，未接收；请压缩或拆分后再上传", limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))


def checked_name(name: str) -> str:
    """A plain file name, or 400 `name`: no folder part, no `..`, not hidden, not too long."""
    if not name.strip() or BAD_NAME.search(name) or len(name.encode("utf-8")) > 255 or Path(name).is_absolute():
        raise Refused(400, "name", tr("文件名“{name}”不可用：只能是文件名本身，不含路径、“..”，也不以“.”开头",
                                      name=name))
    return name


def file_kind(name: str, data: bytes, kinds: tuple[str, ...]) -> str:
    """`pdf` or `docx` when the name and the first bytes agree on one of `kinds`; else 415 `type`."""
    kind = Path(name).suffix.lower().lstrip(".")
    if kind not in kinds or not data.startswith(MAGIC[kind]) or (kind == "docx" and not _is_word(data)):
        wanted = joined(f".{kind}" for kind in kinds)
        raise Refused(415, "type", tr("“{name}”不是可接收的文件：只接收 {kinds} 文件（按文件名和文件内容判断）",
                                      name=name, kinds=wanted))
    return kind


def _is_word(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


# --- attachments/ ---------------------------------------------------------------------------

def attachments_folder(ws: Workspace, create: bool) -> Path | None:
    """FOLDER/attachments as a real folder (made when `create`), None when absent; a link or a file: 400."""
    folder = ws.folder / ATTACHMENTS
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise Refused(400, "name", tr("{folder} 是符号链接或不是文件夹，不向其中写入；请改为普通文件夹",
                                      folder=ATTACHMENTS))
    if not folder.exists():
        if not create:
            return None
        folder.mkdir()
    return folder


def store(ws: Workspace, upload: Upload, overwrite: bool) -> dict[str, Any]:
    """POST /api/attachments: the upload written as FOLDER/attachments/NAME; what the listing says of it."""
    folder = attachments_folder(ws, create=True)
    assert folder is not None
    with _opened(folder) as inside:
        _write_inside(inside, upload, overwrite)
    return described(ws, folder / upload.name)


@dataclass(frozen=True)
class _Inside:
    """A folder as the os functions are given it: a handle opened without following a link (`fd`, names
    relative to it), or, where the system has no such handles (Windows), None and paths under `folder`."""

    folder: Path
    fd: int | None

    def name(self, name: str) -> str:
        return name if self.fd is not None else str(self.folder / name)


@contextlib.contextmanager
def _opened(folder: Path) -> Iterator[_Inside]:
    if not hasattr(os, "O_DIRECTORY") or os.open not in os.supports_dir_fd:
        yield _Inside(folder, None)  # attachments_folder has just refused a link
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        yield _Inside(folder, handle)
    finally:
        os.close(handle)


def _write_inside(inside: _Inside, upload: Upload, overwrite: bool) -> None:
    """A temporary file in the folder, then in one step the name: linked (fails if taken) or replacing."""
    _refuse_taken(inside, upload.name, overwrite)
    temporary, target = inside.name(f".{secrets.token_hex(8)}.upload"), inside.name(upload.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    out = os.open(temporary, flags, 0o666, dir_fd=inside.fd)
    try:
        with os.fdopen(out, "wb") as stream:
            stream.write(upload.data)
        if overwrite:
            os.replace(temporary, target, src_dir_fd=inside.fd, dst_dir_fd=inside.fd)
        else:
            os.link(temporary, target, src_dir_fd=inside.fd, dst_dir_fd=inside.fd)
    except FileExistsError:
        raise Refused(409, "exists", _taken(upload.name)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=inside.fd)


def _refuse_taken(inside: _Inside, name: str, overwrite: bool) -> None:
    try:
        found = os.stat(inside.name(name), dir_fd=inside.fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(found.st_mode):
        raise Refused(400, "name", tr("{name} 已存在，但不是普通文件（如符号链接），不替换它", name=name))
    if not overwrite:
        raise Refused(409, "exists", _taken(name))


def _taken(name: str) -> str:
    return tr("attachments/{name} 已存在，未覆盖；确认替换请再次上传并选择替换", name=name)


def listing(ws: Workspace) -> dict[str, Any]:
    """GET /api/attachments: the regular files directly in FOLDER/attachments (no links, no dot-files)."""
    folder = attachments_folder(ws, create=False)
    if folder is None:
        return {"files": []}
    files = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and not p.is_symlink() and p.is_file())
    return {"files": [described(ws, path) for path in files]}


def described(ws: Workspace, path: Path) -> dict[str, Any]:
    """A file of attachments/: name, path, size, and for a PDF its pages and the problems `check` finds."""
    written = f"{ATTACHMENTS}/{path.name}"
    entry: dict[str, Any] = {"name": path.name, "path": written, "size": path.stat().st_size, "pages": None,
                             "problems": []}
    if path.suffix.lower() == ".pdf":
        fact = probe_one(ws.folder, written, hashed=False)
        entry["pages"] = fact.pages
        entry["problems"] = [text.text(ws.lang) for text in (fact.problem, fact.warning) if text is not None]
    return entry


# --- import ---------------------------------------------------------------------------------

def imported(ws: Workspace, upload: Upload) -> dict[str, Any]:
    """POST /api/import: the 申报表 read as `haizhi import` reads it; nothing is saved."""
    with tempfile.TemporaryDirectory(prefix="haizhi-import-") as scratch:
        path = Path(scratch) / upload.name
        path.write_bytes(upload.data)
        result = import_form(path, ws.rules_root)
    notes = [{"path": warning_field(warning), "message": warning} for warning in result.warnings]
    return {"data": to_json(result.data), "notes": notes, "base_type": result.base_type.value,
            "round": result.round}

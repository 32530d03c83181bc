"""「生成材料包」 and the files it links to: the packet built from the SAVED applicant file into FOLDER/packet/
exactly as `haizhi build-packet -o packet` builds it (`--draft` when the applicant is not eligible or the
materials not complete), and GET /files/<path>, which serves a regular file under FOLDER and nothing else.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from starlette.responses import FileResponse, Response

from haizhi_cli.i18n import label, tr
from haizhi_cli.packet import ROLE_LABELS, BuildOptions, BuildRefused, BuildResult, build_packet
from haizhi_cli.serve._checking import verdict_of
from haizhi_cli.serve._responses import Refused
from haizhi_cli.serve._store import Workspace

PACKET = "packet"
INLINE = {".pdf": "application/pdf"}
MEDIA = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".json": "application/json",
}
"""What /files/ serves: the packet's and the attachments' kinds of file; a PDF shown in the browser, the rest
downloaded."""


def build(ws: Workspace, replace: bool) -> dict[str, Any]:
    """POST /api/build: the packet in FOLDER/packet, a draft when the check says the applicant is not ready."""
    if not ws.applicant_path.is_file():
        raise Refused(409, "no_file", tr("还没有保存的 applicant.yaml；请先保存"))
    out = ws.folder / PACKET
    if (out.exists() or out.is_symlink()) and not replace:
        raise Refused(409, "exists", tr("{out}/ 已存在；确认替换后再生成", out=PACKET))
    options = BuildOptions(out=out, as_of=ws.today(), force=replace, rules_root=ws.rules_root, lang=ws.lang)
    try:
        result = build_packet(ws.applicant_path, options)
        draft = False
    except BuildRefused:
        result = build_packet(ws.applicant_path, dataclasses.replace(options, draft=True))
        draft = True
    return {"draft": draft, "verdict": verdict_of(result.report, ws.lang), "files": written(result, ws.lang),
            "notes": list(result.notes)}


def written(result: BuildResult, lang: str) -> list[dict[str, Any]]:
    """Every file of the packet, with its purpose and the address that opens it."""
    return [{"name": item.path, "purpose": label(ROLE_LABELS, item.role, lang), "pages": item.pages,
             "url": "/files/" + quote(f"{PACKET}/{item.path}")} for item in result.files]


def served_file(ws: Workspace, path: str) -> Response:
    """GET /files/<path>: a regular file under FOLDER reached without a symbolic link and without `..`, not a
    dot-file, of a kind in MEDIA; anything else is 404 (nothing says what exists outside)."""
    target = contained(ws.folder, path)
    suffix = target.suffix.lower()
    disposition = "inline" if suffix in INLINE else "attachment"
    return FileResponse(target, media_type=MEDIA[suffix], filename=target.name, content_disposition_type=disposition)


def contained(folder: Path, path: str) -> Path:
    """The file `path` names inside `folder`, each part a real folder or (the last) a regular file; else 404."""
    relative = PurePosixPath(path)
    parts = relative.parts
    missing = Refused(404, "not_found", tr("没有这个地址或文件"))
    hidden = any(part in ("", ".", "..") or part.startswith(".") or "\\" in part for part in parts)
    if not parts or relative.is_absolute() or hidden:
        raise missing
    if Path(parts[-1]).suffix.lower() not in MEDIA:
        raise missing
    current = folder
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            raise missing from None
        last = index == len(parts) - 1
        if (last and not stat.S_ISREG(mode)) or (not last and not stat.S_ISDIR(mode)):
            raise missing
    return current

"""The applicant file of the folder being served: read with its version, saved only over that version.

The version is the SHA-256 of the file's bytes as loaded; a save names the version it edited and is refused
(409 `changed_on_disk`) when the file's bytes are no longer those. The page works on JSON, so the data is
turned into JSON when read (dates as YYYY-MM-DD, a year key as "2024") and back into the applicant file's
own types when saved or checked, guided by the JSON Schema (never by guessing from a value's look).
Saving writes YAML as `init` and `import` do (`authoring.applicant_text`): the comments of a hand-edited
file are not kept (docs/serve.md says so).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from haizhi_cli.applicant import BaseType, read_yaml
from haizhi_cli.authoring import applicant_schema, applicant_text, resolve, write_skeleton
from haizhi_cli.errors import UserInputError
from haizhi_cli.i18n import tr
from haizhi_cli.outputs import write_file_atomically
from haizhi_cli.serve._responses import Refused

APPLICANT_FILE = "applicant.yaml"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Workspace:
    """The folder served and the choices made once for the run."""

    folder: Path
    lang: str = "zh"
    as_of: dt.date | None = None
    rules_root: Path | None = None
    saving: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def applicant_path(self) -> Path:
        return self.folder / APPLICANT_FILE

    def today(self) -> dt.date:
        return self.as_of or dt.date.today()

    @functools.cached_property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema `haizhi schema` prints, built once per run."""
        return applicant_schema(None, self.rules_root)


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_bytes(ws: Workspace) -> bytes | None:
    """The file's bytes now, or None when there is none."""
    try:
        return ws.applicant_path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserInputError(tr("无法读取 {path}：{reason}", path=ws.applicant_path,
                                reason=exc.strerror or exc)) from None


def applicant_body(ws: Workspace) -> dict[str, Any]:
    """GET /api/applicant: the file as JSON with its version; a file that is not YAML says why."""
    raw = current_bytes(ws)
    if raw is None:
        return {"exists": False, "path": APPLICANT_FILE}
    body: dict[str, Any] = {"exists": True, "version": version_of(raw), "path": APPLICANT_FILE}
    try:
        body["data"] = to_json(read_yaml(ws.applicant_path).data)
    except UserInputError as exc:
        body["data"] = None
        body["error"] = str(exc)
    return body


def to_json(value: Any) -> Any:
    """YAML data as JSON holds it: dates as YYYY-MM-DD, every key as text."""
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_json(value: Any, node: dict[str, Any], schema: dict[str, Any]) -> Any:
    """JSON data as the applicant file holds it, following `node` of the schema: a date property's
    YYYY-MM-DD as a date, a year key ("2024") as a number; keys the schema does not know are kept as they are."""
    target = resolve(node, schema)
    if isinstance(value, str) and target.get("format") == "date" and DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a day: the loader says so, at its key
    if isinstance(value, list) and isinstance(target.get("items"), dict):
        return [from_json(item, target["items"], schema) for item in value]
    if isinstance(value, dict):
        return _mapping_from_json(value, target, schema)
    return value


def _mapping_from_json(value: dict[str, Any], target: dict[str, Any], schema: dict[str, Any]) -> dict[Any, Any]:
    properties = target.get("properties", {})
    extra = target.get("additionalProperties")
    numbered = "propertyNames" in target
    converted: dict[Any, Any] = {}
    for key, item in value.items():
        child = properties.get(key) or (extra if isinstance(extra, dict) else {})
        converted[int(key) if numbered and key.isdigit() else key] = from_json(item, child, schema)
    return converted


def yaml_bytes(ws: Workspace, data: dict[str, Any]) -> bytes:
    """The applicant file that holds `data` (JSON from the page), as a save writes it."""
    return applicant_text(from_json(data, ws.schema, ws.schema)).encode("utf-8")


def save(ws: Workspace, data: Any, version: Any) -> dict[str, Any]:
    """POST /api/save: write `data` over the file only if it is still the `version` the page loaded."""
    if not isinstance(data, dict) or not isinstance(version, str):
        raise Refused(400, "bad_request", tr("保存请求应含 data（对象）和 version（载入时的版本）"))
    content = yaml_bytes(ws, data)
    with ws.saving:
        raw = current_bytes(ws)
        if raw is None or version_of(raw) != version:
            raise Refused(409, "changed_on_disk", tr(
                "{path} 在载入后已被其他程序修改（或删除），未保存。请重新载入后再改；"
                "若要保留本页的修改，请先复制出来。表单保存不保留文件中的注释", path=APPLICANT_FILE))
        write_file_atomically(ws.applicant_path, content, force=True)
    return {"version": version_of(content)}


def create(ws: Workspace, base_type: Any) -> dict[str, Any]:
    """POST /api/new: `init`'s skeleton of `base_type` as the applicant file, never over one."""
    try:
        chosen = BaseType(base_type)
    except ValueError:
        raise Refused(400, "bad_request", tr("未知的基地类型：{value}", value=base_type)) from None
    with ws.saving:
        if ws.applicant_path.exists() or ws.applicant_path.is_symlink():
            raise Refused(409, "exists", tr("{path} 已存在，未改动；请重新载入", path=APPLICANT_FILE))
        write_skeleton(ws.applicant_path, chosen, None, False, rules_root=ws.rules_root)
    return applicant_body(ws)

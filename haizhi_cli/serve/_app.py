"""The routes of `haizhi serve` (docs/serve.md is their contract). Each is short: read the request, run the
work in a thread in the run's language (`blocking`), answer JSON; errors are answered by `handled`, the one
place that maps them to statuses.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from haizhi_cli.i18n import tr
from haizhi_cli.serve import _building as building
from haizhi_cli.serve import _uploads as uploads
from haizhi_cli.serve._checking import Checker, known_type
from haizhi_cli.serve._form_layout import Layout, form_body, open_types
from haizhi_cli.serve._responses import Refused, blocking, handled, json_body, routing_error
from haizhi_cli.serve._security import Guard
from haizhi_cli.serve._store import Workspace, applicant_body, create, save
from haizhi_cli.serve._ui import ui_texts

STATIC = Path(str(resources.files("haizhi_cli.serve") / "static"))

Work = Callable[[Request], Awaitable[Any]]


class Server:
    """The state of one run: the workspace, its checker (rules loaded once) and the form layouts built."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.checker = Checker(ws)
        self.layouts: dict[str, dict[str, Any]] = {}

    def form(self, base_type: str | None) -> dict[str, Any]:
        """The layout of `base_type`, else of the file's type, else of the round's first open type."""
        ruleset = self.checker.ruleset()
        chosen = base_type or self._file_type() or ruleset.facts.open_types[0].value
        kind = known_type(chosen)
        if kind is None:
            raise Refused(400, "bad_request", tr("未知的基地类型：{value}", value=chosen))
        if chosen not in self.layouts:
            layout = Layout(self.ws.schema, ruleset, kind, self.checker.limits(chosen), self.ws.lang)
            self.layouts[chosen] = form_body(layout, open_types(ruleset, self.ws.lang), ui_texts())
        return self.layouts[chosen]

    def _file_type(self) -> str | None:
        data = applicant_body(self.ws).get("data")
        kind = known_type(data.get("base_type")) if isinstance(data, dict) else None
        return kind.value if kind else None

    # --- routes ---------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def get_form(self, request: Request) -> Response:
        return JSONResponse(await blocking(self.ws.lang, self.form, request.query_params.get("base_type")))

    async def get_applicant(self, request: Request) -> Response:
        return JSONResponse(await blocking(self.ws.lang, applicant_body, self.ws))

    async def post_new(self, request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(await blocking(self.ws.lang, create, self.ws, body.get("base_type")))

    async def post_check(self, request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(await blocking(self.ws.lang, self.checker.check, body.get("data")))

    async def post_save(self, request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(await blocking(self.ws.lang, save, self.ws, body.get("data"), body.get("version")))

    async def get_explain(self, request: Request) -> Response:
        rule_id = str(request.path_params["rule_id"])
        return JSONResponse(await blocking(self.ws.lang, self.checker.explain, rule_id))

    async def get_attachments(self, request: Request) -> Response:
        return JSONResponse(await blocking(self.ws.lang, uploads.listing, self.ws))

    async def post_attachment(self, request: Request) -> Response:
        upload = await uploads.received(request, ("pdf", "docx"))
        overwrite = upload.fields.get("overwrite") == "1"
        found = await blocking(self.ws.lang, uploads.store, self.ws, upload, overwrite)
        return JSONResponse({"file": found}, status_code=201)

    async def post_import(self, request: Request) -> Response:
        upload = await uploads.received(request, ("docx",))
        return JSONResponse(await blocking(self.ws.lang, uploads.imported, self.ws, upload))

    async def post_build(self, request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(await blocking(self.ws.lang, building.build, self.ws, body.get("replace") is True))

    async def get_file(self, request: Request) -> Response:
        return await blocking(self.ws.lang, building.served_file, self.ws, str(request.path_params["path"]))

    def routes(self) -> list[BaseRoute]:
        lang = self.ws.lang
        table: list[tuple[str, Work, list[str]]] = [
            ("/", self.index, ["GET"]),
            ("/api/form", self.get_form, ["GET"]),
            ("/api/applicant", self.get_applicant, ["GET"]),
            ("/api/new", self.post_new, ["POST"]),
            ("/api/check", self.post_check, ["POST"]),
            ("/api/save", self.post_save, ["POST"]),
            ("/api/explain/{rule_id}", self.get_explain, ["GET"]),
            ("/api/attachments", self.get_attachments, ["GET"]),
            ("/api/attachments", self.post_attachment, ["POST"]),
            ("/api/import", self.post_import, ["POST"]),
            ("/api/build", self.post_build, ["POST"]),
            ("/files/{path:path}", self.get_file, ["GET"]),
        ]
        found: list[BaseRoute] = [Route(path, handled(lang, work), methods=methods) for path, work, methods in table]
        found.append(Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static"))
        return found


def create_app(ws: Workspace, token: str | None = None, port: int = 0) -> Guard:
    """The ASGI application of one run: the routes behind the guard (token, Host, cross-site)."""
    server = Server(ws)
    app = Starlette(routes=server.routes(), exception_handlers={HTTPException: routing_error(ws.lang)})
    return Guard(app, token or secrets.token_urlsafe(24), port, ws.lang)


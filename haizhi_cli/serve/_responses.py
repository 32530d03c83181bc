"""The one place that turns what a request ran into into an HTTP response, as the command line's
`handle_errors` turns errors into exit statuses: `Refused` → its status and code, a UserInputError → 400 with
its message, a request Starlette could not read → its status (`bad_request`), anything else → 500 saying it
is a defect of haizhi. Never a traceback in a response.

Every error body is `{"error": code, "message": text in the run's language}` (docs/serve.md).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from haizhi_cli.applicant import MAX_FILE_BYTES
from haizhi_cli.errors import UserInputError, defect_message
from haizhi_cli.i18n import speaking, tr

T = TypeVar("T")
Handler = Callable[[Request], Awaitable[Response]]

LOG = logging.getLogger("haizhi.serve")


class Refused(Exception):
    """A request the server declines, with its status, its code of the contract and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def handled(lang: str, handler: Handler) -> Handler:
    """`handler` run in the run's language, its errors answered as the contract says."""
    async def respond(request: Request) -> Response:
        with speaking(lang):
            try:
                return await handler(request)
            except Refused as refused:
                return error_response(refused.status, refused.code, refused.message)
            except UserInputError as exc:
                return error_response(400, "input", str(exc))
            except HTTPException as exc:  # what Starlette refused while reading the request (a malformed upload)
                return error_response(exc.status_code, "bad_request", tr("请求的格式不对：{reason}", reason=exc.detail))
            except Exception as exc:
                if os.environ.get("HAIZHI_DEBUG"):
                    LOG.exception("haizhi serve")
                return error_response(500, "internal", defect_message(exc))
    return respond


def routing_error(lang: str) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Starlette's own answers, for an address no route has (404) or a method it does not take (405)."""
    async def answer(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        with speaking(lang):
            if status == 405:
                return error_response(405, "method", tr("此地址不接受该请求方法"))
            return error_response(status, "not_found", tr("没有这个地址或文件"))
    return answer


async def blocking(lang: str, work: Callable[..., T], *args: Any) -> T:
    """Run file and rule work in a worker thread (the event loop stays free), in the run's language."""
    def in_language() -> T:
        with speaking(lang):
            return work(*args)
    return await run_in_threadpool(in_language)


MAX_JSON_BYTES = 2 * MAX_FILE_BYTES
"""The largest JSON body read: twice what an applicant file may be (JSON spells the same data out longer)."""


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to MAX_JSON_BYTES (more: 413 `too_large`); anything else is a 400
    `bad_request`."""
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_JSON_BYTES:
            limit = MAX_JSON_BYTES // (1024 * 1024)
            raise Refused(413, "too_large", tr("请求过大（超过 {limit} MB），未处理", limit=limit))
    try:
        body = json.loads(bytes(raw))
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise Refused(400, "bad_request", tr("请求的内容应为 JSON 对象"))
    return body

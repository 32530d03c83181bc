"""The guard in front of every route: the per-run token, the Host header, and cross-site requests.

- `GET /?token=T` with the right T sets the cookie `haizhi_token` (HttpOnly, SameSite=Strict) and redirects
  to `/`, so the token leaves the address bar; every other request must carry that cookie.
- The Host header must be the server's own address (`127.0.0.1:PORT` or `localhost:PORT`): a page of another
  site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
- A request that changes something (not GET or HEAD) with an `Origin` other than the server's own, or a
  `Sec-Fetch-Site` other than `same-origin` or `none`, is refused.
Tokens are compared with `hmac.compare_digest`. Every response gets headers that keep other sites from
framing the page or guessing types (`nosniff`), and no address is sent on as a referrer.
"""

from __future__ import annotations

import hmac
from collections.abc import MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haizhi_cli.i18n import speaking, tr
from haizhi_cli.serve._responses import error_response

COOKIE = "haizhi_token"
SAFE_METHODS = ("GET", "HEAD")
SAME_SITE = ("same-origin", "none")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; object-src 'self'; frame-src 'self'; "
                                "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"),
    "Cache-Control": "no-store",
}
"""Sent with every response (docs/serve.md): the page's own scripts and styles only, framed by itself only."""


def same_token(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


class Guard:
    """ASGI middleware: refuses what the module docstring says, before any route runs."""

    def __init__(self, app: ASGIApp, token: str, port: int, lang: str) -> None:
        self.app = app
        self.token = token
        self.hosts = (f"127.0.0.1:{port}", f"localhost:{port}")
        self.lang = lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with speaking(self.lang):
            refused = self.refusal(Request(scope))
        if refused is not None:
            await refused(scope, receive, _with_headers(send))
            return
        await self.app(scope, receive, _with_headers(send))

    def refusal(self, request: Request) -> Response | None:
        """The response that refuses `request`, or None to let it through."""
        if request.headers.get("host") not in self.hosts:
            return error_response(403, "host", tr("地址不对：请用终端中显示的地址（127.0.0.1）打开本页"))
        if request.method not in SAFE_METHODS and self.cross_site(request):
            return error_response(403, "cross-site", tr("拒绝来自其他网站的请求"))
        if request.url.path == "/" and "token" in request.query_params:
            return self.bootstrap(request.query_params["token"])
        if same_token(request.cookies.get(COOKIE), self.token):
            return None
        if request.url.path == "/" and request.method in SAFE_METHODS:
            return HTMLResponse(_open_from_terminal(), status_code=403)
        return error_response(403, "token", tr("缺少或不是本次运行的令牌：请用终端中显示的地址打开本页"))

    def cross_site(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        fetch_site = request.headers.get("sec-fetch-site")
        foreign = origin is not None and origin not in {f"http://{host}" for host in self.hosts}
        return foreign or (fetch_site is not None and fetch_site not in SAME_SITE)

    def bootstrap(self, given: str) -> Response:
        """The first address: a right token becomes the cookie, and the address loses it."""
        if not same_token(given, self.token):
            return HTMLResponse(_open_from_terminal(), status_code=403)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
        return response


def _open_from_terminal() -> str:
    title = tr("haizhi serve：请从终端打开")
    text = tr("请打开运行 haizhi serve 的终端中显示的第一行地址（含 ?token=）。每次运行的地址都不同。")
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><p>{text}</p></body></html>")


def _with_headers(send: Send) -> Send:
    """`send` adding HEADERS to the start of every response."""
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers: list[Any] = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            headers += [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()
                        if name.lower().encode() not in present]
            message = _replaced(message, headers)
        await send(message)
    return sending


def _replaced(message: MutableMapping[str, Any], headers: list[Any]) -> Message:
    return {**message, "headers": headers}

"""Running the server: a socket on 127.0.0.1 (port 0: a free one), the address with the run's token as the
FIRST line of output, the browser opened on it, uvicorn until Ctrl-C.

The socket is bound here, before uvicorn starts, so that the port is known to the Host check and to the first
line. uvicorn logs warnings only and no access log; on Ctrl-C it finishes the requests under way and stops,
and the run ends with 已停止 and exit status 0, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import socket
import sys
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from haizhi_cli.errors import UsageError
from haizhi_cli.i18n import tr
from haizhi_cli.serve._app import create_app
from haizhi_cli.serve._store import Workspace

HOST = "127.0.0.1"
"""Loopback only: never reachable from another machine."""
BROWSER_DELAY_SECONDS = 0.5


@dataclass(frozen=True)
class ServeOptions:
    folder: Path
    port: int = 0
    open_browser: bool = True
    lang: str = "zh"
    as_of: dt.date | None = None
    rules_root: Path | None = None


def serve(options: ServeOptions, out: TextIO | None = None) -> None:
    """Serve `options.folder` until interrupted; the address is the first line written to `out`."""
    stream = out or sys.stdout
    folder = served_folder(options.folder)
    listening = bound(options.port)
    port = int(listening.getsockname()[1])
    token = secrets.token_urlsafe(24)
    workspace = Workspace(folder, options.lang, options.as_of, options.rules_root)
    app = create_app(workspace, token, port)
    address = f"http://{HOST}:{port}/?token={token}"
    stream.write(address + "\n")
    stream.write(tr("在浏览器中打开上面的地址即可填写 {path}（仅本机可访问）；按 Ctrl-C 停止。",
                    path=workspace.applicant_path) + "\n")
    stream.flush()
    if options.open_browser:
        threading.Timer(BROWSER_DELAY_SECONDS, webbrowser.open, args=(address,)).start()
    # Ctrl-C is how a user stops the server: uvicorn shuts down and returns, or (a second Ctrl-C, or one
    # before it took the signal over) the interrupt reaches here; either way a clean stop, exit status 0.
    with contextlib.suppress(KeyboardInterrupt):
        _run(app, listening)
    sys.stderr.write(tr("已停止。") + "\n")


def served_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise UsageError(tr("{folder} 不存在或不是文件夹；请给出申报文件所在的文件夹", folder=folder))
    return folder.resolve()


def bound(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:`port` (0: any free port)."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listening.bind((HOST, port))
    except OSError as exc:
        listening.close()
        raise UsageError(tr("无法在 {host}:{port} 上监听：{reason}；请换一个端口（--port 0 自动选择）",
                            host=HOST, port=port, reason=exc.strerror or exc)) from None
    listening.listen(64)
    return listening


def _run(app: object, listening: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")  # type: ignore[arg-type]
    uvicorn.Server(config).run(sockets=[listening])

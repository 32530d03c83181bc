"""`haizhi serve`: the applicant file as a form in the browser, on 127.0.0.1 only, with the check beside it.

The server half: routes (Starlette), the token/Host/cross-site guard, loading and saving the file with its
version, uploads into `attachments/`, the page's layout derived from the models, the JSON Schema and the
rules, and the uvicorn run. The page itself is `static/` (HTML, JS and CSS shipped in the wheel).
Starlette, uvicorn and python-multipart are imported by this stage only, and the command line imports it
only inside `haizhi serve` (so `haizhi check` loads none of them).
May import: reports, packet, documents, checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.serve._app import create_app
from haizhi_cli.serve._server import ServeOptions, serve
from haizhi_cli.serve._store import Workspace

__all__ = ["ServeOptions", "Workspace", "create_app", "serve"]

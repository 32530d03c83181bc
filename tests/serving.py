"""What the tests of `haizhi serve` share: a copy of an example folder served by Starlette's TestClient, with
the token's cookie set the way a browser gets it (from the first address)."""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.testclient import TestClient

from haizhi_cli.serve import Workspace, create_app
from tests.conftest import CHECK_DAY, EXAMPLES

TOKEN = "test-token-of-this-run"
PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"


def example_copy(tmp_path: Path, name: str = "work-base") -> Path:
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    return folder


def client(folder: Path, lang: str = "zh", *, signed_in: bool = True) -> TestClient:
    """A client of the app serving `folder`, at the server's own address; `signed_in`: with the cookie."""
    app = create_app(Workspace(folder.resolve(), lang, CHECK_DAY), TOKEN, PORT)
    test_client = TestClient(app, base_url=ORIGIN, raise_server_exceptions=False)
    if signed_in:
        response = test_client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303, response.text
    return test_client

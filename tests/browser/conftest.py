"""Real-browser fixtures: the app served by uvicorn on a free loopback port, Debian's chromium.

One server and one browser serve every browser test of the session. The browser is Debian's
``chromium`` driven by Playwright's Python API (``playwright install`` cannot download here); when
it is missing the tests skip and say how to install it (``make browser-deps``).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from goodstanding.config import load_settings

CHROMIUM = os.environ.get("GOODSTANDING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
DEMO_AS_OF = date(2026, 11, 20)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass(frozen=True)
class Server:
    """The running app: its base URL, its workspace and the demo report files."""

    url: str
    workspace: object
    demo_files: list[Path]
    screenshots: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web app on a fresh home, served on loopback; users alice (admin) and bob (member)."""
    import uvicorn

    from goodstanding.demo import write_demo
    from goodstanding.web.app import create_app

    home = tmp_path_factory.mktemp("browser-home")
    settings = load_settings(home=home)
    app = create_app(settings)
    workspace = app.state.workspace
    workspace.users.add("alice", password=PASSWORD, role="admin")
    workspace.users.add("bob", password=PASSWORD, role="member")
    demo = write_demo(tmp_path_factory.mktemp("demo"), orders=1500, as_of=DEMO_AS_OF)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    shots = SCREENSHOTS if os.environ.get("GOODSTANDING_SCREENSHOTS") else home / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        yield Server(f"http://127.0.0.1:{port}", workspace, sorted(demo.files.values()), shots)
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
        workspace.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for the whole session."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip(f"{CHROMIUM} not found: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()

"""Data of the page tests: the demo reports written once, imported into alice's account acme."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from goodstanding.demo import DemoFiles, write_demo
from goodstanding.workspace import Workspace

from .tenants import Tenant

DEMO_AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """The demo account's report files (600 order lines, two marketplaces), written once."""
    return write_demo(tmp_path_factory.mktemp("demo"), orders=600, as_of=DEMO_AS_OF)


@pytest.fixture
def acme(workspace: Workspace, tenants: dict[str, Tenant], demo_files: DemoFiles) -> str:
    """alice's account acme with every demo report imported (carol views it); its name."""
    workspace.ingest(sorted(demo_files.files.values()), account="acme")
    workspace.users.grant("alice", "acme", "owner")
    workspace.users.grant("carol", "acme", "viewer")
    return "acme"


def csrf_in(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def get_ok(client: TestClient, path: str) -> str:
    """GET ``path`` and return the HTML of a 200 answer."""
    answer = client.get(path)
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-type"].startswith("text/html")
    return answer.text

"""Fixtures of the web tests: an app on a temporary home, tenants with accounts, signed-in clients.

Two tenants share one app: ``bob`` is made first, so every object numbered 1 (account, import...)
is his; ``alice`` owns ``alpha``; ``carol`` is only a viewer of ``alpha``. Passwords are hashed
with a cheap argon2 setting here, so signing in costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from goodstanding.config import Settings
from goodstanding.web.app import create_app
from goodstanding.workspace import Workspace

from .tenants import Tenant, make_tenant, orders_file, sign_in


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "goodstanding.workspace.users._HASHER",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    monkeypatch.setattr("goodstanding.workspace.users._DUMMY", [])


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    """A workspace on a fresh home."""
    with Workspace.open(settings) as opened:
        yield opened


@pytest.fixture
def app(settings: Settings, workspace: Workspace) -> FastAPI:
    """The web app on the fresh workspace."""
    return create_app(settings, workspace=workspace)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous in-process client (server errors come back as 500 answers)."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tenants(workspace: Workspace, tmp_path: Path) -> dict[str, Tenant]:
    """bob owns bravo (made first: its ids are 1), alice owns alpha, carol views alpha."""
    bob = make_tenant(workspace, "bob", "bravo", orders=orders_file(tmp_path / "b", seed=5))
    alice = make_tenant(workspace, "alice", "alpha", orders=orders_file(tmp_path / "a", seed=9))
    carol = make_tenant(workspace, "carol", "alpha", role="viewer")
    return {"alice": alice, "bob": bob, "carol": carol}


@pytest.fixture
def signed_in(app: FastAPI, tenants: dict[str, Tenant]) -> Iterator[dict[str, TestClient]]:
    """One signed-in browser-like client per tenant."""
    clients = {}
    for name in tenants:
        clients[name] = sign_in(TestClient(app, raise_server_exceptions=False), name)
    yield clients
    for test_client in clients.values():
        test_client.close()

"""Helpers of the web tests: tenants (a user, an account, a token), signing in, small reports."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from goodstanding.workspace import Workspace

AS_OF = date(2026, 11, 20)
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Tenant:
    """A user with an API token and the account they hold."""

    name: str
    account: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """The API's bearer header of the user."""
        return {"Authorization": f"Bearer {self.token}"}


def orders_file(directory: Path, rows: int = 120, seed: int = 3) -> Path:
    """A small all-orders report file."""
    from goodstanding.demo import write_orders

    directory.mkdir(parents=True, exist_ok=True)
    return write_orders(
        directory / "orders.txt", rows=rows, seed=seed, as_of=AS_OF, marketplaces=("Amazon.com",)
    )


def make_tenant(
    workspace: Workspace,
    user: str,
    account: str,
    *,
    role: str = "owner",
    orders: Path | None = None,
    user_role: str = "member",
) -> Tenant:
    """A user granted ``role`` on ``account`` (created, with ``orders`` imported, if new)."""
    if workspace.users.find(user) is None:
        workspace.users.add(user, password=PASSWORD, role=user_role)
    if orders is not None:
        workspace.ingest([orders], account=account)
    elif account not in {a.name for a in workspace.list_accounts()}:
        workspace.add_account(account)
    workspace.users.grant(user, account, role)
    return Tenant(user, account, role, workspace.users.create_token(user))


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Sign ``client`` in through the form; it then sends the CSRF header on every request."""
    client.get("/login")
    token = client.cookies.get("goodstanding_session")
    assert token, "the sign-in page sets the session cookie"
    csrf = csrf_of(client)
    answer = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    client.headers["X-CSRF-Token"] = csrf_of(client)
    return client


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's session (read back from the signed cookie)."""
    cookie = client.cookies.get("goodstanding_session")
    assert cookie
    payload = cookie.split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    token: str = data["csrf"]
    return token

"""Tenant isolation over EVERY route of the app, pages and API alike.

The routes are read from the app when the tests run, so a route added later is covered without
editing this file. ``bob`` was made first, so every object numbered 1 is his; ``alice`` asks for
bob's account (``{name}``) and for object 1 of every other path parameter. Each answer must be
404, never bob's data and never a 500. ``carol``, a viewer of alice's account, must get 403 from
every state-changing route of that account, and the account must be left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from goodstanding.config import load_settings
from goodstanding.web.app import create_app, route_list
from goodstanding.workspace import Workspace

from .tenants import Tenant

PUBLIC_PREFIXES = ("/static/", "/docs", "/redoc", "/openapi.json", "/healthz", "/login", "/logout")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Routes open to visitors who are not signed in (besides PUBLIC_PREFIXES), with the reason.
ANONYMOUS_ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/settings/language"): "the sign-in page has the language menu too",
    ("GET", "/favicon.ico"): "the site's icon",
}
# Account routes that change nothing though they are POSTs (a preview, a regrade of a text):
# list them here with the reason, or viewers are expected to get 403 from them.
READ_ONLY_POSTS: dict[str, str] = {
    "/accounts/{name}/cases/{case_id}/grade": "grades a new version; stores nothing",
    "/api/v1/accounts/{name}/cases/{case_id}/grade": "grades a new version; stores nothing",
}
_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def _routes() -> list[tuple[str, str]]:
    # Built on a throwaway home at collection time, only to read the route table.
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(home=home)
        with Workspace.open(settings) as workspace:
            app = create_app(settings, workspace=workspace)
            pairs = sorted(
                (method, path)
                for path, methods in route_list(app)
                for method in methods
                if method != "HEAD" and not path.startswith(PUBLIC_PREFIXES)
            )
    return pairs


ROUTES = _routes()
ACCOUNT_ROUTES = [(m, p) for m, p in ROUTES if "{name}" in p]
OBJECT_ROUTES = [(m, p) for m, p in ROUTES if _PARAM.search(p) and "{name}" not in p]
NESTED_ROUTES = [(m, p) for m, p in ACCOUNT_ROUTES if len(_PARAM.findall(p)) > 1]
PLAIN_ROUTES = [(m, p) for m, p in ROUTES if not _PARAM.search(p)]


def _fill(path: str, name: str, number: str = "1") -> str:
    return _PARAM.sub(lambda m: name if m.group(1) == "name" else number, path)


NOTICE = (
    "Hello,\n\nWe have removed your selling privileges on Amazon.com because the order defect "
    "rate of your account is above our target of 1%. Send us a plan of action.\n"
)


# Sent with every state-changing request, so a route gets past body validation to its checks.
_BODY = {
    "text": "Root cause, actions, prevention.",
    "notice_text": NOTICE,
    "title": "probe",
    "outcome": "other",
    "kind": "probe",
}


def _request(client: TestClient, method: str, path: str, tenant: Tenant) -> object:
    api = path.startswith("/api/")
    headers = tenant.headers if api else {}
    if method not in UNSAFE:
        return client.request(method, path, headers=headers, follow_redirects=False)
    if api:
        return client.request(method, path, headers=headers, json=_BODY, follow_redirects=False)
    return client.request(method, path, data=_BODY, follow_redirects=False)


def _state(workspace: Workspace, account: str) -> list[object]:
    """What a viewer must not be able to change in the account."""
    state: list[object] = [workspace.get_account(account).to_json()]
    state += [r.to_json() for r in workspace.imports(account)]
    evidence = getattr(workspace, "evidence", None)
    if evidence is not None:
        state += [evidence.list_documents(account), evidence.list_invoices(account)]
    cases = getattr(workspace, "cases", None)
    if cases is not None:
        state += [cases.show(account, c.id).to_json() for c in cases.list(account)]
    return state


def _id(pair: tuple[str, str]) -> str:
    return f"{pair[0]} {pair[1]}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """One app with three tenants for the whole module (the routes only read or are refused)."""
    from argon2 import PasswordHasher

    from .tenants import make_tenant, orders_file, sign_in

    root = tmp_path_factory.mktemp("isolation")
    settings = load_settings(home=root / "home")
    with (
        pytest.MonkeyPatch.context() as patch,
        Workspace.open(settings) as workspace,
    ):
        patch.setattr(
            "goodstanding.workspace.users._HASHER",
            PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        )
        patch.setattr("goodstanding.workspace.users._DUMMY", [])
        bob = make_tenant(workspace, "bob", "bravo", orders=orders_file(root / "b", seed=5))
        alice = make_tenant(workspace, "alice", "alpha", orders=orders_file(root / "a", seed=9))
        carol = make_tenant(workspace, "carol", "alpha", role="viewer")
        _seed_objects(workspace, "bravo", "bob-only")
        _seed_objects(workspace, "alpha", "alice-own")
        tenants = {"alice": alice, "bob": bob, "carol": carol}
        app = create_app(settings, workspace=workspace)
        clients = {
            name: sign_in(TestClient(app, raise_server_exceptions=False), name) for name in tenants
        }
        yield {"app": app, "workspace": workspace, "tenants": tenants, "clients": clients}
        for test_client in clients.values():
            test_client.close()


def _seed_objects(workspace: Workspace, account: str, note: str) -> None:
    # One object of every area that has them: bob's are made first (number 1), alice's next
    # (number 2). An area added later adds its objects here.
    evidence = getattr(workspace, "evidence", None)
    if evidence is not None:
        kind = next(iter(evidence.rules.document_kinds))
        evidence.add_document(account, kind=kind, holder_name=note, note=note)
    cases = getattr(workspace, "cases", None)
    if cases is not None:
        cases.open(account, NOTICE, title=note)


@pytest.fixture
def tenants(world: dict[str, object]) -> dict[str, Tenant]:
    return world["tenants"]  # type: ignore[return-value]


@pytest.fixture
def clients(world: dict[str, object]) -> dict[str, TestClient]:
    return world["clients"]  # type: ignore[return-value]


@pytest.fixture
def app(world: dict[str, object]) -> FastAPI:
    return world["app"]  # type: ignore[return-value]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        yield anonymous


@pytest.fixture(scope="module")
def bobs_orders(world: dict[str, object]) -> list[str]:
    """Order ids only bob's account holds: none may appear in an answer to alice."""
    workspace = world["workspace"]
    assert isinstance(workspace, Workspace)
    orders = workspace.tables("bravo")["orders"]
    bob = set(orders.select("order_id").distinct().to_pyarrow().column(0).to_pylist())
    alpha = workspace.tables("alpha")["orders"]
    alice = set(alpha.select("order_id").distinct().to_pyarrow().column(0).to_pylist())
    only_bob = sorted(bob - alice)
    assert len(only_bob) > 20
    return only_bob


def _leaks(text: str, markers: list[str]) -> list[str]:
    return [m for m in markers if m in text]


def test_the_route_table_has_account_routes() -> None:
    # Guards the parametrization below against silently testing nothing.
    assert ("GET", "/api/v1/accounts/{name}/health") in ACCOUNT_ROUTES
    assert ("POST", "/api/v1/accounts/{name}/imports") in ACCOUNT_ROUTES


@pytest.mark.parametrize("route", ACCOUNT_ROUTES, ids=_id)
def test_another_tenants_account_answers_404(
    route: tuple[str, str],
    clients: dict[str, TestClient],
    tenants: dict[str, Tenant],
    bobs_orders: list[str],
) -> None:
    method, path = route
    answer = _request(clients["alice"], method, _fill(path, "bravo"), tenants["alice"])

    assert answer.status_code == 404, answer.text[:500]  # type: ignore[attr-defined]
    assert _leaks(answer.text, bobs_orders) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", ACCOUNT_ROUTES, ids=_id)
def test_a_missing_account_answers_the_same_404(
    route: tuple[str, str], clients: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    method, path = route
    foreign = _request(clients["alice"], method, _fill(path, "bravo"), tenants["alice"])
    missing = _request(clients["alice"], method, _fill(path, "nowhere"), tenants["alice"])

    assert foreign.status_code == missing.status_code == 404  # type: ignore[attr-defined]
    assert foreign.text.replace("bravo", "X") == missing.text.replace("nowhere", "X")  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", NESTED_ROUTES, ids=_id)
def test_own_account_with_another_tenants_object_answers_404(
    route: tuple[str, str],
    clients: dict[str, TestClient],
    tenants: dict[str, Tenant],
    bobs_orders: list[str],
) -> None:
    # Alice's own account, bob's object 1: looked up within the account, it is not found.
    method, path = route
    answer = _request(clients["alice"], method, _fill(path, "alpha"), tenants["alice"])

    assert answer.status_code == 404, answer.text[:500]  # type: ignore[attr-defined]
    assert _leaks(answer.text, bobs_orders) == []  # type: ignore[attr-defined]
    assert "bob-only" not in answer.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_id)
def test_another_tenants_objects_answer_404(
    route: tuple[str, str],
    clients: dict[str, TestClient],
    tenants: dict[str, Tenant],
    bobs_orders: list[str],
) -> None:
    method, path = route
    answer = _request(clients["alice"], method, _fill(path, "bravo"), tenants["alice"])

    # 404 for another tenant's object; 403 for admin-only routes (users are not tenant data).
    assert answer.status_code in (403, 404), answer.text[:500]  # type: ignore[attr-defined]
    assert _leaks(answer.text, bobs_orders) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=_id)
def test_routes_without_an_account_show_nothing_of_another_tenant(
    route: tuple[str, str],
    clients: dict[str, TestClient],
    tenants: dict[str, Tenant],
    bobs_orders: list[str],
) -> None:
    method, path = route
    answer = _request(clients["alice"], method, path, tenants["alice"])

    assert answer.status_code < 500, answer.text[:500]  # type: ignore[attr-defined]
    assert "bravo" not in answer.text  # type: ignore[attr-defined]
    assert _leaks(answer.text, bobs_orders) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "route", [r for r in ACCOUNT_ROUTES if r[0] in UNSAFE and r[1] not in READ_ONLY_POSTS], ids=_id
)
def test_viewer_cannot_change_the_account(
    route: tuple[str, str],
    clients: dict[str, TestClient],
    tenants: dict[str, Tenant],
    app: FastAPI,
) -> None:
    workspace: Workspace = app.state.workspace
    before = _state(workspace, "alpha")
    method, path = route

    # Object 2 of every kind is alice's own, in the account carol may view.
    answer = _request(clients["carol"], method, _fill(path, "alpha", "2"), tenants["carol"])

    assert answer.status_code == 403, answer.text[:500]  # type: ignore[attr-defined]
    assert _state(workspace, "alpha") == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r not in ANONYMOUS_ROUTES], ids=_id)
def test_nobody_signed_in_gets_401_or_the_sign_in_page(
    route: tuple[str, str], client: TestClient, tenants: dict[str, Tenant]
) -> None:
    method, path = route
    headers = {}
    if method in UNSAFE and not path.startswith("/api/"):
        client.get("/login")  # a session with a CSRF token, but nobody signed in
        from .tenants import csrf_of

        headers["X-CSRF-Token"] = csrf_of(client)

    answer = client.request(method, _fill(path, "bravo"), headers=headers, follow_redirects=False)

    if path.startswith("/api/"):
        assert answer.status_code == 401, answer.text[:500]
    else:
        assert answer.status_code in (303, 307), answer.text[:500]
        assert answer.headers["location"].startswith("/login")

"""Security of the web app: keys, sessions, CSRF, sign-in throttling, headers, limits, secrets."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from goodstanding.config import Settings, load_settings
from goodstanding.errors import StoreError
from goodstanding.web.app import create_app
from goodstanding.workspace import Workspace

from .tenants import PASSWORD, Tenant, csrf_of, orders_file, sign_in


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Keys


def test_fresh_home_gets_a_secret_key_file_readable_only_by_its_owner(settings: Settings) -> None:
    with Workspace.open(settings) as workspace:
        create_app(settings, workspace=workspace)
        key = (settings.home / "secret_key").read_text()
        create_app(settings, workspace=workspace)

    assert _mode(settings.home / "secret_key") == 0o600
    assert len(key) >= 40
    assert (settings.home / "secret_key").read_text() == key  # kept, not regenerated


def test_configured_secret_key_takes_precedence(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "h", secret_key="configured-key-" + "x" * 30)
    with Workspace.open(settings) as workspace:
        create_app(settings, workspace=workspace)

        assert workspace.secrets.session_key() == settings.secret_key
    assert not (settings.home / "secret_key").exists()


def test_secret_key_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOODSTANDING_SECRET_KEY", "from-the-environment")
    settings = load_settings(home=tmp_path / "h")
    with Workspace.open(settings) as workspace:
        assert workspace.secrets.session_key() == "from-the-environment"


# Secrets at rest


def test_llm_key_is_encrypted_at_rest_with_a_key_outside_the_database(
    workspace: Workspace, settings: Settings
) -> None:
    workspace.secrets.set("llm_api_key", "sk-very-secret-123")

    with workspace.database.engine.connect() as connection:
        stored = connection.execute(text("SELECT ciphertext FROM app_secrets")).scalar_one()
    assert "sk-very-secret" not in stored
    assert workspace.secrets.get("llm_api_key") == "sk-very-secret-123"
    assert workspace.secrets.llm_api_key() == "sk-very-secret-123"
    assert _mode(settings.home / "encryption.key") == 0o600


def test_secret_cannot_be_read_with_another_homes_key(
    workspace: Workspace, settings: Settings
) -> None:
    workspace.secrets.set("llm_api_key", "sk-1")
    (settings.home / "encryption.key").unlink()
    with (
        Workspace.open(settings) as reopened,
        pytest.raises(StoreError, match="cannot be decrypted"),
    ):
        reopened.secrets.get("llm_api_key")


def test_llm_key_setting_wins_over_the_stored_one(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "h", llm_api_key="sk-from-settings")
    with Workspace.open(settings) as workspace:
        workspace.secrets.set("llm_api_key", "sk-stored")

        assert workspace.secrets.llm_api_key() == "sk-from-settings"


def test_passwords_and_tokens_are_stored_hashed(
    workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    with workspace.database.engine.connect() as connection:
        hashes = connection.execute(text("SELECT password_hash FROM users")).scalars().all()
        digests = connection.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()

    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    tokens = {t.token for t in tenants.values()}
    assert not tokens & set(digests)
    assert all(len(d) == 64 for d in digests)


# Sessions


def test_session_cookie_is_httponly_and_samesite_lax(client: TestClient) -> None:
    answer = client.get("/login")

    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("goodstanding_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_session_cookie_is_secure_only_when_configured(
    settings: Settings, workspace: Workspace
) -> None:
    secure = settings.model_copy(update={"secure_cookies": True})
    with TestClient(create_app(secure, workspace=workspace)) as https_client:
        cookie = https_client.get("/login").headers["set-cookie"].lower()
    assert "; secure" in cookie


def test_session_cookie_is_not_secure_by_default(client: TestClient) -> None:
    assert "; secure" not in client.get("/login").headers["set-cookie"].lower()


def test_sign_in_starts_a_session_and_sign_out_ends_it(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    sign_in(client, "alice")
    assert client.get("/accounts/alpha", follow_redirects=False).status_code == 200

    answer = client.post("/logout", follow_redirects=False)

    assert answer.status_code == 303
    assert client.get("/accounts/alpha", follow_redirects=False).status_code == 303


def test_tampered_session_cookie_signs_nobody_in(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    sign_in(client, "alice")
    cookie = client.cookies["goodstanding_session"]
    client.cookies.set(
        "goodstanding_session", cookie[:-3] + ("aaa" if cookie[-3:] != "aaa" else "bbb")
    )

    answer = client.get("/accounts/alpha", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/accounts/alpha"


def test_new_password_ends_existing_sessions(
    client: TestClient, tenants: dict[str, Tenant], workspace: Workspace
) -> None:
    sign_in(client, "alice")

    workspace.users.set_password("alice", "another long password")

    assert client.get("/accounts/alpha", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    client.get("/login")
    csrf = csrf_of(client)

    wrong_password = client.post(
        "/login", data={"name": "alice", "password": "nope-nope", "csrf_token": csrf}
    )
    unknown_user = client.post(
        "/login", data={"name": "mallory", "password": "nope-nope", "csrf_token": csrf}
    )

    assert wrong_password.status_code == unknown_user.status_code == 401
    assert "Wrong user name or password." in wrong_password.text
    assert "Wrong user name or password." in unknown_user.text


def test_sign_in_is_throttled_after_five_failures(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    client.get("/login")
    csrf = csrf_of(client)
    for _ in range(5):
        client.post("/login", data={"name": "alice", "password": "bad-guess", "csrf_token": csrf})

    answer = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": csrf})

    assert answer.status_code == 429
    assert client.get("/accounts/alpha", follow_redirects=False).status_code == 303
    # Another user name is not locked out by alice's failures.
    assert sign_in(client, "carol").get("/accounts/alpha").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil", ""])
def test_sign_in_never_redirects_off_site(
    client: TestClient, tenants: dict[str, Tenant], target: str
) -> None:
    client.get("/login")

    answer = client.post(
        "/login",
        data={"name": "alice", "password": PASSWORD, "csrf_token": csrf_of(client), "next": target},
        follow_redirects=False,
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_sign_in_returns_to_the_page_asked_for(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    first = client.get("/accounts/alpha", follow_redirects=False)
    client.get(first.headers["location"])

    answer = client.post(
        "/login",
        data={
            "name": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_of(client),
            "next": "/accounts/alpha",
        },
        follow_redirects=False,
    )

    assert first.headers["location"] == "/login?next=/accounts/alpha"
    assert answer.headers["location"] == "/accounts/alpha"


# CSRF


def test_form_without_csrf_token_is_refused(client: TestClient, tenants: dict[str, Tenant]) -> None:
    client.get("/login")

    answer = client.post("/login", data={"name": "alice", "password": PASSWORD})

    assert answer.status_code == 403
    assert client.cookies.get("goodstanding_session") is not None
    assert client.get("/accounts/alpha", follow_redirects=False).status_code == 303


def test_form_with_another_sessions_csrf_token_is_refused(
    app: object, tenants: dict[str, Tenant]
) -> None:
    with TestClient(app) as mallory, TestClient(app) as victim:  # type: ignore[arg-type]
        mallory.get("/login")
        stolen = csrf_of(mallory)
        sign_in(victim, "alice")
        del victim.headers["X-CSRF-Token"]

        answer = victim.post("/logout", data={"csrf_token": stolen}, follow_redirects=False)

        assert answer.status_code == 403
        assert victim.get("/accounts/alpha", follow_redirects=False).status_code == 200


def test_csrf_header_is_accepted_for_htmx(client: TestClient, tenants: dict[str, Tenant]) -> None:
    sign_in(client, "alice")  # sends X-CSRF-Token from now on

    assert client.post("/logout", follow_redirects=False).status_code == 303


def test_api_needs_no_csrf_token(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.post(
        "/api/v1/accounts", headers=tenants["alice"].headers, json={"name": "new-one"}
    )

    assert answer.status_code == 201


# Headers and limits


@pytest.mark.parametrize("path", ["/login", "/api/v1/accounts", "/nowhere", "/healthz"])
def test_security_headers_on_every_answer(client: TestClient, path: str) -> None:
    headers = client.get(path).headers

    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_upload_larger_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        "goodstanding.workspace.users._HASHER",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    settings = load_settings(home=tmp_path / "h", max_upload_mb=1)
    with Workspace.open(settings) as workspace:
        workspace.add_account("acme")
        workspace.users.add("alice", password=PASSWORD)
        workspace.users.grant("alice", "acme", "owner")
        token = workspace.users.create_token("alice")
        app = create_app(settings, workspace=workspace)
        big = orders_file(tmp_path / "big", rows=9000)
        assert big.stat().st_size > 1024 * 1024
        with TestClient(app) as client:
            answer = client.post(
                "/api/v1/accounts/acme/imports",
                headers={"Authorization": f"Bearer {token}"},
                files=[("files", ("orders.txt", big.read_bytes(), "text/plain"))],
            )

        assert answer.status_code == 422
        assert "larger than 1 MB" in answer.json()["error"]["message"]
        assert workspace.imports("acme") == []


def test_request_body_over_the_total_limit_answers_413(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "h", max_upload_mb=1)
    with (
        Workspace.open(settings) as workspace,
        TestClient(create_app(settings, workspace=workspace)) as client,
    ):
        answer = client.post(
            "/api/v1/accounts/acme/imports",
            content=b"x" * (6 * 1024 * 1024),
            headers={"Content-Type": "application/octet-stream"},
        )

    assert answer.status_code == 413


def test_docs_page_works_under_its_own_policy(client: TestClient) -> None:
    answer = client.get("/docs")

    assert answer.status_code == 200
    assert "cdn.jsdelivr.net" in answer.headers["content-security-policy"]

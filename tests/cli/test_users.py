"""`goodstanding users`: add, grant, revoke, tokens, the demo user."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from goodstanding.config import load_settings
from goodstanding.workspace import Workspace


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "goodstanding.workspace.users._HASHER",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


def test_add_grant_and_list_users(cli) -> None:
    cli("accounts", "add", "acme")
    cli("users", "add", "alice", "--role", "admin", "--password-stdin", input="long enough pw\n")
    cli("users", "add", "bob", "--password-stdin", input="another password\n")
    cli("users", "grant", "bob", "acme", "--role", "editor")

    listed = cli.json("users", "list")

    assert [(u["name"], u["role"], u["accounts"]) for u in listed] == [
        ("alice", "admin", []),
        ("bob", "member", [{"account": "acme", "role": "editor"}]),
    ]


def test_password_from_stdin_signs_in(cli) -> None:
    cli("users", "add", "alice", "--password-stdin", input="long enough pw\n")

    with Workspace.open(load_settings()) as workspace:
        assert workspace.users.authenticate("alice", "long enough pw") is not None
        assert workspace.users.authenticate("alice", "long enough pw\n") is None


def test_token_prints_only_the_token_on_one_line(cli) -> None:
    cli("users", "add", "alice", "--password-stdin", input="long enough pw\n")

    out = cli("users", "token", "alice").stdout

    assert re.fullmatch(r"gs_[A-Za-z0-9_-]{40,}\n", out)
    with Workspace.open(load_settings()) as workspace:
        assert workspace.users.for_token(out.strip()) is not None


def test_revoked_tokens_no_longer_work(cli) -> None:
    cli("users", "add", "alice", "--password-stdin", input="long enough pw\n")
    token = cli("users", "token", "alice").stdout.strip()

    cli("users", "revoke-token", "alice")

    with Workspace.open(load_settings()) as workspace:
        assert workspace.users.for_token(token) is None


def test_grant_to_an_unknown_user_or_account_fails_with_one_message(cli) -> None:
    cli("accounts", "add", "acme")

    unknown_user = cli("users", "grant", "nobody", "acme", code=1)
    cli("users", "add", "bob", "--password-stdin", input="long enough pw\n")
    unknown_account = cli("users", "grant", "bob", "nowhere", code=1)

    assert "No user named 'nobody'" in unknown_user.stderr
    assert "No account named 'nowhere'" in unknown_account.stderr


def test_short_password_is_refused(cli) -> None:
    result = cli("users", "add", "alice", "--password-stdin", input="short\n", code=1)

    assert "shorter than 8 characters" in result.stderr


def test_bad_role_is_a_usage_error(cli) -> None:
    cli("users", "add", "alice", "--role", "root", "--password-stdin", input="x" * 10, code=2)


def test_revoke_takes_the_account_away(cli) -> None:
    cli("accounts", "add", "acme")
    cli("users", "add", "bob", "--password-stdin", input="long enough pw\n")
    cli("users", "grant", "bob", "acme")

    cli("users", "revoke", "bob", "acme")

    assert cli.json("users", "list")[0]["accounts"] == []


def test_demo_creates_a_user_owning_the_demo_account_and_prints_it(cli) -> None:
    cli("accounts", "add", "demo-store")

    first = cli("users", "demo").stdout
    second = cli("users", "demo").stdout

    match = re.search(r"user (\S+)\s+password (\S+)", first)
    assert match
    again = re.search(r"password (\S+)", second)
    assert again and again.group(1) != match.group(2)  # a fresh password each run
    with Workspace.open(load_settings()) as workspace:
        user = workspace.users.authenticate(match.group(1), again.group(1))
        assert user is not None
        assert [a.name for a in workspace.users.accounts(user)] == ["demo-store"]
        assert workspace.users.access(user, "demo-store").role == "owner"


def test_demo_without_the_demo_account_says_so(cli) -> None:
    result = cli("users", "demo", code=1)

    assert "No account named 'demo-store'" in result.stderr

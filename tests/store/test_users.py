"""Users, grants, API tokens, sign-in attempts and secrets in the app store (SQLite, PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from goodstanding.errors import AlreadyExistsError, NotFoundError
from goodstanding.store.db import Database
from goodstanding.store.models import AccountGrant, ApiToken
from goodstanding.store.repositories import AccountRepository
from goodstanding.store.users import (
    GrantRepository,
    LoginAttemptRepository,
    SecretRepository,
    TokenRepository,
    UserRepository,
)
from goodstanding.types import AccountType

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _account(database: Database, name: str) -> int:
    with database.transaction() as session:
        record = AccountRepository(session).add(
            name, marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=T0
        )
    return record.id


def _user(database: Database, name: str, role: str = "member") -> int:
    with database.transaction() as session:
        return (
            UserRepository(session)
            .add(name, role=role, password_hash="h-" + name, created_at=T0)
            .id
        )


def test_users_come_back_as_frozen_records_without_the_hash(database: Database) -> None:
    _user(database, "alice", "admin")

    with database.session() as session:
        user = UserRepository(session).get("alice")
        stored = UserRepository(session).password_hash("alice")

    assert (user.name, user.role, user.is_admin, user.created_at) == ("alice", "admin", True, T0)
    assert "password_hash" not in {f.name for f in dataclasses.fields(user)}
    assert stored == "h-alice"
    with pytest.raises(dataclasses.FrozenInstanceError):
        user.name = "eve"  # type: ignore[misc]


def test_a_taken_user_name_is_refused(database: Database) -> None:
    _user(database, "alice")

    with pytest.raises(AlreadyExistsError, match="user named 'alice'"):
        _user(database, "alice")


def test_missing_user_raises_not_found(database: Database) -> None:
    with database.session() as session, pytest.raises(NotFoundError, match="No user named 'x'"):
        UserRepository(session).get("x")


def test_grant_is_set_replaced_and_removed(database: Database) -> None:
    account = _account(database, "acme")
    user = _user(database, "alice")

    with database.transaction() as session:
        GrantRepository(session).set(user, account, "viewer", T0)
        GrantRepository(session).set(user, account, "editor", T0 + timedelta(days=1))
    with database.session() as session:
        grants = GrantRepository(session).of_user(user)
        found = GrantRepository(session).find(user, "acme")
        none = GrantRepository(session).find(user, "other")
    with database.transaction() as session:
        removed = GrantRepository(session).remove(user, account)
        again = GrantRepository(session).remove(user, account)

    assert [(g.user, g.account, g.role) for g in grants] == [("alice", "acme", "editor")]
    assert found is not None and found.granted_at == T0 + timedelta(days=1)
    assert none is None
    assert (removed, again) == (True, False)


def test_grants_and_tokens_go_with_their_account_or_user(database: Database) -> None:
    account = _account(database, "acme")
    alice = _user(database, "alice")
    bob = _user(database, "bob")
    with database.transaction() as session:
        GrantRepository(session).set(alice, account, "owner", T0)
        GrantRepository(session).set(bob, account, "viewer", T0)
        TokenRepository(session).add(bob, "d" * 64, None, T0)

    with database.transaction() as session:
        AccountRepository(session).delete(account)
        UserRepository(session).delete("bob")

    with database.session() as session:
        assert session.scalars(select(AccountGrant)).all() == []
        assert session.scalars(select(ApiToken)).all() == []


def test_tokens_are_found_by_digest_only(database: Database) -> None:
    alice = _user(database, "alice")
    with database.transaction() as session:
        token_id = TokenRepository(session).add(alice, "a" * 64, "ci", T0)

    with database.transaction() as session:
        TokenRepository(session).touch(token_id, T0 + timedelta(hours=1))
    with database.session() as session:
        found = TokenRepository(session).find("a" * 64)
        missing = TokenRepository(session).find("b" * 64)
        listed = TokenRepository(session).of_user(alice)

    assert found == (token_id, alice, T0 + timedelta(hours=1))
    assert missing is None
    assert [(t.user, t.label) for t in listed] == [("alice", "ci")]


def test_failed_sign_ins_are_counted_per_name_and_address_within_the_window(
    database: Database,
) -> None:
    with database.transaction() as session:
        attempts = LoginAttemptRepository(session)
        attempts.add("alice", "10.0.0.1", succeeded=False, when=T0 - timedelta(hours=1))
        attempts.add("alice", "10.0.0.1", succeeded=False, when=T0)
        attempts.add("alice", "10.0.0.2", succeeded=False, when=T0)
        attempts.add("alice", "10.0.0.2", succeeded=True, when=T0)
        attempts.add("bob", "10.0.0.1", succeeded=False, when=T0)

    since = T0 - timedelta(minutes=15)
    with database.session() as session:
        attempts = LoginAttemptRepository(session)
        by_name = attempts.failures(since=since, user_name="alice")
        by_address = attempts.failures(since=since, remote="10.0.0.1")
    with database.transaction() as session:
        LoginAttemptRepository(session).clear("alice")
    with database.session() as session:
        cleared = LoginAttemptRepository(session).failures(since=since, user_name="alice")

    assert (by_name, by_address, cleared) == (2, 2, 0)


def test_secrets_are_stored_replaced_and_removed(database: Database) -> None:
    with database.transaction() as session:
        SecretRepository(session).set("llm_api_key", "cipher-1", T0)
    with database.transaction() as session:
        SecretRepository(session).set("llm_api_key", "cipher-2", T0)
    with database.session() as session:
        kept = SecretRepository(session).get("llm_api_key")
    with database.transaction() as session:
        SecretRepository(session).remove("llm_api_key")
    with database.session() as session:
        gone = SecretRepository(session).get("llm_api_key")

    assert (kept, gone) == ("cipher-2", None)

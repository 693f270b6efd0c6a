"""The SQL store: engine settings, transactions, and clear errors when it cannot be opened."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from goodstanding.errors import AlreadyExistsError, ConfigError, NotFoundError, StoreError
from goodstanding.store.db import BUSY_TIMEOUT_MS, Database, current_revisions, head_revisions
from goodstanding.store.repositories import AccountRepository
from goodstanding.types import AccountType

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def add(database: Database, name: str) -> None:
    with database.transaction() as session:
        AccountRepository(session).add(
            name, marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=NOW
        )


def test_open_creates_and_migrates_an_empty_store(store_url: str) -> None:
    database = Database.open(store_url)
    try:
        assert current_revisions(database.engine) == head_revisions()
        with database.session() as session:
            assert AccountRepository(session).all() == []
    finally:
        database.dispose()


def test_sqlite_store_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database.open(f"sqlite:///{tmp_path / 'deep' / 'store.db'}")
    try:
        with database.engine.connect() as connection:
            pragma = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
    finally:
        database.dispose()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS}


def test_sqlite_write_transaction_takes_the_writer_lock_at_once(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    database = Database.open(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with database.transaction():
            # Another writer is refused at its BEGIN, not half-way through its work...
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # ...while readers go on.
            assert other.execute("SELECT count(*) FROM accounts").fetchone() == (0,)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
        database.dispose()


def test_readers_see_the_last_commit_while_a_write_is_open(database: Database) -> None:
    add(database, "before")
    with database.transaction() as writer:
        AccountRepository(writer).add(
            "during", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=NOW
        )
        with database.session() as reader:
            seen = [a.name for a in AccountRepository(reader).all()]
    assert seen == ["before"]
    with database.session() as reader:
        assert [a.name for a in AccountRepository(reader).all()] == ["before", "during"]


def test_a_failed_write_transaction_keeps_nothing(database: Database) -> None:
    with pytest.raises(AlreadyExistsError), database.transaction() as session:
        accounts = AccountRepository(session)
        accounts.add(
            "one", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=NOW
        )
        accounts.add(
            "one", marketplace="Amazon.de", account_type=AccountType.SELLER, created_at=NOW
        )
    with database.session() as session:
        assert AccountRepository(session).all() == []


def test_a_read_session_writes_nothing(database: Database) -> None:
    with database.session() as session:
        AccountRepository(session).add(
            "ghost", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=NOW
        )
    with database.session() as session, pytest.raises(NotFoundError):
        AccountRepository(session).get("ghost")


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://host/db"])
def test_unusable_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="database_url"):
        Database.open(url)


def test_unreachable_server_is_a_store_error_without_the_password() -> None:
    url = "postgresql+psycopg://app:s3cret@127.0.0.1:1/nowhere?connect_timeout=2"

    with pytest.raises(StoreError) as caught:
        Database.open(url)

    message = str(caught.value)
    assert "Cannot open the store at postgresql+psycopg://app:***@127.0.0.1:1/nowhere" in message
    assert "s3cret" not in message
    assert "GOODSTANDING_DATABASE_URL" in message


def test_store_written_by_a_newer_version_is_refused(store_url: str) -> None:
    Database.open(store_url).dispose()
    database = Database.open(store_url, migrate=False)
    with database.engine.begin() as connection:
        # A newer goodstanding adds a revision on top of one of the heads.
        connection.execute(text("DELETE FROM alembic_version WHERE version_num = '0002_users'"))
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999')"))
    database.dispose()

    with pytest.raises(StoreError, match="newer goodstanding"):
        Database.open(store_url)

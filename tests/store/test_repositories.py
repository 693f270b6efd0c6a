"""Repositories: frozen records out, UTC timestamps, cascades when an account goes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from goodstanding.errors import AlreadyExistsError, NotFoundError
from goodstanding.store.db import Database
from goodstanding.store.repositories import (
    AccountRepository,
    ImportRepository,
    SnapshotRepository,
)
from goodstanding.types import AccountType

PARIS = timezone(timedelta(hours=1))


def test_accounts_come_back_as_frozen_records_with_utc_times(database: Database) -> None:
    created = datetime(2026, 3, 1, 9, 30, tzinfo=PARIS)
    with database.transaction() as session:
        AccountRepository(session).add(
            "acme", marketplace="Amazon.fr", account_type=AccountType.VENDOR, created_at=created
        )

    with database.session() as session:
        account = AccountRepository(session).get("acme")

    assert account.created_at == created
    assert account.created_at.tzinfo == UTC
    assert account.account_type is AccountType.VENDOR
    assert account.to_json() == {
        "name": "acme",
        "marketplace": "Amazon.fr",
        "type": "vendor",
        "created_at": "2026-03-01T08:30:00+00:00",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        account.name = "other"  # type: ignore[misc]


def test_naive_timestamps_are_refused(database: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), database.transaction() as session:
        AccountRepository(session).add(
            "acme",
            marketplace="Amazon.com",
            account_type=AccountType.SELLER,
            created_at=datetime(2026, 3, 1),
        )


def test_taken_name_and_unknown_name_are_domain_errors(database: Database) -> None:
    now = datetime.now(UTC)
    with database.transaction() as session:
        AccountRepository(session).add(
            "acme", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=now
        )

    with pytest.raises(AlreadyExistsError, match="'acme'"), database.transaction() as session:
        AccountRepository(session).add(
            "acme", marketplace="Amazon.de", account_type=AccountType.SELLER, created_at=now
        )
    with database.session() as session, pytest.raises(NotFoundError, match="accounts list"):
        AccountRepository(session).get("nobody")


def test_deleting_an_account_deletes_its_ledger_and_snapshots(database: Database) -> None:
    now = datetime.now(UTC)
    with database.transaction() as session:
        account = AccountRepository(session).add(
            "acme", marketplace="Amazon.com", account_type=AccountType.SELLER, created_at=now
        )
        ledger = ImportRepository(session)
        batch = ledger.add_batch(account.id, now)
        row = ledger.add_file(
            batch,
            position=0,
            seq=ledger.next_seq(account.id),
            file_name="v2.json",
            path="/tmp/v2.json",
            report_type="performance_v2",
            sha256="a" * 64,
            size_bytes=10,
            rows=1,
            inserted=1,
            updated=0,
            unchanged=0,
        )
        SnapshotRepository(session).add(
            account_id=account.id,
            import_file_id=row.id,
            as_of=date(2026, 3, 1),
            imported_at=now,
            sha256="b" * 64,
            payload={"as_of": "2026-03-01", "marketplaces": []},
        )

    with database.session() as session:
        listed = ImportRepository(session).all(account.id)
        kept = SnapshotRepository(session).all(account.id)
        assert ImportRepository(session).next_seq(account.id) == 2
    with database.transaction() as session:
        AccountRepository(session).delete(account.id)
    with database.session() as session:
        assert ImportRepository(session).all(account.id) == []
        assert SnapshotRepository(session).all(account.id) == []

    assert [(r.file_name, r.report_type, r.rows) for r in listed] == [
        ("v2.json", "performance_v2", 1)
    ]
    assert listed[0].to_json()["type"] == "performance_v2"
    assert kept[0].payload == {"as_of": "2026-03-01", "marketplaces": []}
    assert kept[0].to_json()["as_of"] == "2026-03-01"

"""Reads and writes of the app store, returning frozen records instead of ORM objects.

Each repository wraps one SQLAlchemy session (from :meth:`Database.session` or
:meth:`Database.transaction`); the records it returns stay valid after the session ends and are
what ``workspace`` hands to the CLI and the web app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from goodstanding.errors import AlreadyExistsError, NotFoundError
from goodstanding.store.models import Account, ImportBatch, ImportFile, PerformanceSnapshot
from goodstanding.types import AccountType


@dataclass(frozen=True)
class AccountRecord:
    """An account as the rest of goodstanding sees it."""

    id: int
    name: str
    marketplace: str
    account_type: AccountType
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The account as a JSON-ready dict."""
        return {
            "name": self.name,
            "marketplace": self.marketplace,
            "type": self.account_type.value,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class ImportRecord:
    """One imported file, as listed by ``goodstanding imports``."""

    id: int
    batch_id: int
    account_id: int
    file_name: str
    path: str
    report_type: str
    sha256: str
    size_bytes: int
    rows: int
    inserted: int
    updated: int
    unchanged: int
    imported_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The ledger row as a JSON-ready dict."""
        return {
            "id": self.id,
            "batch": self.batch_id,
            "file_name": self.file_name,
            "path": self.path,
            "type": self.report_type,
            "sha256": self.sha256,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "imported_at": self.imported_at.isoformat(),
        }


@dataclass(frozen=True)
class SnapshotRecord:
    """Amazon's own figures from one imported V2 performance report."""

    id: int
    account_id: int
    import_id: int
    as_of: date
    imported_at: datetime
    sha256: str
    payload: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The snapshot as a JSON-ready dict (the payload as ingest parsed it)."""
        return {
            "id": self.id,
            "import_id": self.import_id,
            "as_of": self.as_of.isoformat(),
            "imported_at": self.imported_at.isoformat(),
            "sha256": self.sha256,
            "payload": dict(self.payload),
        }


@dataclass(frozen=True)
class WarehouseFile:
    """A committed Parquet file of the warehouse, as the ledger lists it."""

    report_type: str
    seq: int
    parquet: str
    rows: int
    updated: int


def _account(row: Account) -> AccountRecord:
    return AccountRecord(
        id=row.id,
        name=row.name,
        marketplace=row.marketplace,
        account_type=AccountType(row.account_type),
        created_at=row.created_at,
    )


def _import(row: ImportFile) -> ImportRecord:
    return ImportRecord(
        id=row.id,
        batch_id=row.batch_id,
        account_id=row.account_id,
        file_name=row.file_name,
        path=row.path,
        report_type=row.report_type,
        sha256=row.sha256,
        size_bytes=row.size_bytes,
        rows=row.rows,
        inserted=row.inserted,
        updated=row.updated,
        unchanged=row.unchanged,
        imported_at=row.imported_at,
    )


def _snapshot(row: PerformanceSnapshot) -> SnapshotRecord:
    return SnapshotRecord(
        id=row.id,
        account_id=row.account_id,
        import_id=row.import_file_id,
        as_of=row.as_of,
        imported_at=row.imported_at,
        sha256=row.sha256,
        payload=row.payload,
    )


_LIST_HINT = "List the accounts with `goodstanding accounts list`."


class AccountRepository:
    """Accounts by name."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, name: str) -> AccountRecord | None:
        """The account called ``name``, or None."""
        row = self.session.scalar(select(Account).where(Account.name == name))
        return None if row is None else _account(row)

    def get(self, name: str) -> AccountRecord:
        """The account called ``name``.

        Raises:
            NotFoundError: there is none.
        """
        account = self.find(name)
        if account is None:
            raise NotFoundError("account", name, hint=_LIST_HINT)
        return account

    def exists(self, account_id: int) -> bool:
        """Whether an account with this id exists."""
        return self.session.get(Account, account_id) is not None

    def all(self) -> list[AccountRecord]:
        """Every account, by name."""
        rows = self.session.scalars(select(Account).order_by(Account.name))
        return [_account(row) for row in rows]

    def add(
        self, name: str, *, marketplace: str, account_type: AccountType, created_at: datetime
    ) -> AccountRecord:
        """Add an account (flushed, so its id is known; committed with the transaction).

        Raises:
            AlreadyExistsError: the name is taken.
        """
        if self.find(name) is not None:
            raise AlreadyExistsError("account", name)
        row = Account(
            name=name,
            marketplace=marketplace,
            account_type=account_type.value,
            created_at=created_at,
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            # Another process added the same name between the check and the insert.
            raise AlreadyExistsError("account", name) from None
        return _account(row)

    def delete(self, account_id: int) -> None:
        """Delete an account; its ledger and snapshots go with it (ON DELETE CASCADE)."""
        self.session.execute(delete(Account).where(Account.id == account_id))


class ImportRepository:
    """The import ledger: batches and their files."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self, account_id: int) -> list[ImportRecord]:
        """Every file imported into the account, oldest first."""
        rows = self.session.scalars(
            select(ImportFile).where(ImportFile.account_id == account_id).order_by(ImportFile.seq)
        )
        return [_import(row) for row in rows]

    def report_types(self, account_id: int) -> set[str]:
        """The report types imported at least once into the account (header-only files count)."""
        rows = self.session.scalars(
            select(ImportFile.report_type).where(ImportFile.account_id == account_id).distinct()
        )
        return set(rows)

    def files(self, account_id: int) -> list[WarehouseFile]:
        """The account's committed Parquet files, oldest first."""
        rows = self.session.execute(
            select(
                ImportFile.report_type,
                ImportFile.seq,
                ImportFile.parquet,
                ImportFile.rows,
                ImportFile.updated,
            )
            .where(ImportFile.account_id == account_id, ImportFile.parquet.is_not(None))
            .order_by(ImportFile.seq)
        )
        return [
            WarehouseFile(report_type, seq, parquet, count, updated)
            for report_type, seq, parquet, count, updated in rows
            if parquet is not None
        ]

    def next_seq(self, account_id: int) -> int:
        """The sequence number the account's next imported file gets."""
        last = self.session.scalar(
            select(func.max(ImportFile.seq)).where(ImportFile.account_id == account_id)
        )
        return 1 if last is None else last + 1

    def referenced(self, parquet_paths: Iterable[str]) -> set[str]:
        """Which of these warehouse paths a committed ledger row lists."""
        wanted = list(parquet_paths)
        found: set[str] = set()
        # Chunks keep the IN list within every database's parameter limit.
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found.update(
                p
                for p in self.session.scalars(
                    select(ImportFile.parquet).where(ImportFile.parquet.in_(chunk))
                )
                if p is not None
            )
        return found

    def add_batch(self, account_id: int, imported_at: datetime) -> ImportBatch:
        """Start a batch (flushed, so its id is known)."""
        batch = ImportBatch(account_id=account_id, imported_at=imported_at)
        self.session.add(batch)
        self.session.flush()
        return batch

    def add_file(self, batch: ImportBatch, **fields: Any) -> ImportFile:
        """Add one file's ledger row to ``batch`` (flushed, so its id is known)."""
        row = ImportFile(
            batch_id=batch.id,
            account_id=batch.account_id,
            imported_at=batch.imported_at,
            **fields,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def record(self, row: ImportFile) -> ImportRecord:
        """The frozen record of a ledger row."""
        return _import(row)


class SnapshotRepository:
    """Dated snapshots of Amazon's V2 performance report."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self, account_id: int) -> list[SnapshotRecord]:
        """Every snapshot of the account, by date, then by import."""
        rows = self.session.scalars(
            select(PerformanceSnapshot)
            .where(PerformanceSnapshot.account_id == account_id)
            .order_by(PerformanceSnapshot.as_of, PerformanceSnapshot.id)
        )
        return [_snapshot(row) for row in rows]

    def latest_digest(self, account_id: int, as_of: date) -> str | None:
        """The content digest of the newest snapshot held for that date, or None."""
        digest: str | None = self.session.scalar(
            select(PerformanceSnapshot.sha256)
            .where(PerformanceSnapshot.account_id == account_id, PerformanceSnapshot.as_of == as_of)
            .order_by(PerformanceSnapshot.id.desc())
            .limit(1)
        )
        return digest

    def add(
        self,
        *,
        account_id: int,
        import_file_id: int,
        as_of: date,
        imported_at: datetime,
        sha256: str,
        payload: Mapping[str, Any],
    ) -> None:
        """Keep a snapshot."""
        self.session.add(
            PerformanceSnapshot(
                account_id=account_id,
                import_file_id=import_file_id,
                as_of=as_of,
                imported_at=imported_at,
                sha256=sha256,
                payload=dict(payload),
            )
        )

"""The app store's tables as typed SQLAlchemy 2 models.

Only ``store`` sees these classes: repositories turn rows into frozen records before anything leaves
the package. A schema change is a new Alembic revision in ``migrations/versions`` (see the store's
README); ``tests/store/test_migrations.py`` fails when these models and the migrations disagree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Named constraints, so later migrations (and SQLite's batch mode) can alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    SQLite keeps no offset, so values are stored as naive UTC there and made aware again on read;
    naive datetimes are refused on the way in, because their meaning would depend on the host.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Check the value is aware and convert it to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store timestamps with a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table of the app store."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON(),
    }


class Account(Base):
    """An Amazon seller or vendor account watched by goodstanding."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("account_type IN ('seller', 'vendor')", name="account_type"),
        # Ids name warehouse folders: AUTOINCREMENT keeps SQLite from reusing a removed one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    marketplace: Mapped[str] = mapped_column(String(64))
    account_type: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class ImportBatch(Base):
    """One ``ingest`` invocation: all of its files landed together, or none did."""

    __tablename__ = "import_batches"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    imported_at: Mapped[datetime]

    files: Mapped[list[ImportFile]] = relationship(
        back_populates="batch", order_by="ImportFile.position", passive_deletes=True
    )


class ImportFile(Base):
    """One imported report file: the ledger row that makes its Parquet file visible.

    ``seq`` orders an account's files (a later import wins ties); ``parquet`` is the file's path
    relative to the warehouse root, or None when no row of it changed the current data.
    """

    __tablename__ = "import_files"
    __table_args__ = (
        UniqueConstraint("account_id", "seq"),
        Index("ix_import_files_account_id_report_type", "account_id", "report_type"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    position: Mapped[int]
    seq: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    report_type: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    rows: Mapped[int] = mapped_column(BigInteger)
    inserted: Mapped[int] = mapped_column(BigInteger)
    updated: Mapped[int] = mapped_column(BigInteger)
    unchanged: Mapped[int] = mapped_column(BigInteger)
    parquet: Mapped[str | None] = mapped_column(String(255))
    imported_at: Mapped[datetime]

    batch: Mapped[ImportBatch] = relationship(back_populates="files")


class PerformanceSnapshot(Base):
    """Amazon's own figures from one imported V2 performance report, kept by date.

    Amazon's API keeps no history, so every report with new content is kept; ``sha256`` is the
    digest of the canonical JSON of ``payload`` and makes re-imports no-ops.
    """

    __tablename__ = "performance_snapshots"
    __table_args__ = (
        Index("ix_performance_snapshots_account_id_as_of", "account_id", "as_of"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    import_file_id: Mapped[int] = mapped_column(
        ForeignKey("import_files.id", ondelete="CASCADE"), index=True
    )
    as_of: Mapped[date]
    imported_at: Mapped[datetime]
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]

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


# Users, access and secrets of the web app (revision 0002_users).


class User(Base):
    """A person who signs in to the web app or calls its API."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'member')", name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]


class AccountGrant(Base):
    """A user's access to one account: owner, editor or viewer."""

    __tablename__ = "account_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "account_id"),
        CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    granted_at: Mapped[datetime]


class ApiToken(Base):
    """A bearer token of the JSON API; only the SHA-256 of the token is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """One sign-in attempt, kept for a while to throttle password guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_user_name_attempted_at", "user_name", "attempted_at"),
        Index("ix_login_attempts_remote_attempted_at", "remote", "attempted_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    remote: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime]


class AppSecret(Base):
    """A secret setting (such as the LLM API key), encrypted with a key kept outside the DB."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    ciphertext: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


# Evidence and risk: invoices, verification documents, account profiles, the security log and
# review tasks (revision 0004_evidence).


class EvidenceInvoice(Base):
    """A supplier invoice in an account's register, with its file when one was added."""

    __tablename__ = "evidence_invoices"
    __table_args__ = (
        Index("ix_evidence_invoices_account_id_invoice_date", "account_id", "invoice_date"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    number: Mapped[str | None] = mapped_column(String(100))
    invoice_date: Mapped[date | None]
    supplier_name: Mapped[str | None] = mapped_column(Text)
    supplier_address: Mapped[str | None] = mapped_column(Text)
    supplier_phone: Mapped[str | None] = mapped_column(Text)
    supplier_email: Mapped[str | None] = mapped_column(Text)
    supplier_website: Mapped[str | None] = mapped_column(Text)
    buyer_name: Mapped[str | None] = mapped_column(Text)
    buyer_address: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(8))
    total: Mapped[float | None]
    pro_forma: Mapped[bool]
    document_kind: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_data: Mapped[bytes | None] = mapped_column(deferred=True)
    added_at: Mapped[datetime]

    lines: Mapped[list[EvidenceInvoiceLine]] = relationship(
        order_by="EvidenceInvoiceLine.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class EvidenceInvoiceLine(Base):
    """One line item of a registered invoice."""

    __tablename__ = "evidence_invoice_lines"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_invoices.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(BigInteger)
    asin: Mapped[str | None] = mapped_column(String(20))
    sku: Mapped[str | None] = mapped_column(String(100))
    unit_price: Mapped[float | None]
    amount: Mapped[float | None]


class EvidenceDocument(Base):
    """A verification document (ID, business licence, statement...) held for an account."""

    __tablename__ = "evidence_documents"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    holder_name: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_data: Mapped[bytes | None] = mapped_column(deferred=True)
    added_at: Mapped[datetime]


class AccountProfileRow(Base):
    """The business identity of an account: what documents must match and accounts are linked by."""

    __tablename__ = "account_profiles"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    legal_name: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    bank_account: Mapped[str | None] = mapped_column(Text)
    tax_id: Mapped[str | None] = mapped_column(Text)
    ips: Mapped[str | None] = mapped_column(Text)  # one per line
    devices: Mapped[str | None] = mapped_column(Text)  # one per line
    related_approved: Mapped[str | None] = mapped_column(Text)  # account names, one per line
    updated_at: Mapped[datetime]


class SecurityLogEntry(Base):
    """One recorded security fact: a user's two-step verification, a password or bank change..."""

    __tablename__ = "security_log"
    __table_args__ = (
        Index("ix_security_log_account_id_occurred_at", "account_id", "occurred_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    user_name: Mapped[str | None] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime]


class ReviewTask(Base):
    """One completion of a daily or monthly review task."""

    __tablename__ = "review_tasks"
    __table_args__ = (
        Index("ix_review_tasks_account_id_task", "account_id", "task"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(String(64))
    done_on: Mapped[date]
    done_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]


# Appeal cases: a suspension followed from notice to outcome (revision 0003_cases).


class AppealCase(Base):
    """One suspension or warning followed as a case: its notice, versions and replies."""

    __tablename__ = "appeal_cases"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("ix_appeal_cases_account_id_status", "account_id", "status"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    notice_text: Mapped[str] = mapped_column(Text)
    notice_language: Mapped[str] = mapped_column(String(8))
    families: Mapped[str] = mapped_column(Text)
    """The notice's violation family ids, separated by spaces."""
    final_decision: Mapped[bool]
    deadline: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class AppealVersion(Base):
    """One Plan of Action version of a case; immutable once submitted."""

    __tablename__ = "appeal_versions"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("appeal_cases.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    score: Mapped[int]
    verdict: Mapped[str] = mapped_column(String(16))
    grade: Mapped[dict[str, Any]]
    submitted_at: Mapped[datetime]


class AppealReply(Base):
    """One of Amazon's replies in a case, as read by the notice reader."""

    __tablename__ = "appeal_replies"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("appeal_cases.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date]
    reading: Mapped[dict[str, Any]]
    recorded_at: Mapped[datetime]

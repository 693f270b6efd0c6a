"""Reads and writes of the evidence and risk tables, returning frozen records.

Invoices (with their lines and file), verification documents, account profiles, the security log
and review-task completions. Every query is scoped by account id: a record of another account is
"not found", never returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from goodstanding.errors import NotFoundError
from goodstanding.store.models import (
    Account,
    AccountProfileRow,
    EvidenceDocument,
    EvidenceInvoice,
    EvidenceInvoiceLine,
    ReviewTask,
    SecurityLogEntry,
)

INVOICE_FIELDS = (
    "number",
    "invoice_date",
    "supplier_name",
    "supplier_address",
    "supplier_phone",
    "supplier_email",
    "supplier_website",
    "buyer_name",
    "buyer_address",
    "currency",
    "total",
    "pro_forma",
    "document_kind",
    "language",
)
LINE_FIELDS = ("description", "quantity", "asin", "sku", "unit_price", "amount")
DOCUMENT_FIELDS = ("kind", "holder_name", "address", "issued_on", "expires_on", "note")
PROFILE_FIELDS = (
    "legal_name",
    "address",
    "phone",
    "email",
    "bank_account",
    "tax_id",
    "ips",
    "devices",
    "related_approved",
)


@dataclass(frozen=True)
class InvoiceRecord:
    """A registered invoice: its fields, lines, status and file name."""

    id: int
    account_id: int
    fields: Mapping[str, Any]
    lines: tuple[Mapping[str, Any], ...]
    status: str
    origin: str
    file_name: str | None
    file_sha256: str | None
    added_at: datetime


@dataclass(frozen=True)
class DocumentRecord:
    """A held verification document."""

    id: int
    account_id: int
    kind: str
    holder_name: str | None
    address: str | None
    issued_on: date | None
    expires_on: date | None
    note: str | None
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    added_at: datetime


@dataclass(frozen=True)
class ProfileRecord:
    """An account's business identity (list fields hold one value per line)."""

    account_id: int
    account: str
    fields: Mapping[str, str | None]
    updated_at: datetime | None


@dataclass(frozen=True)
class SecurityRecord:
    """One entry of the security log."""

    id: int
    kind: str
    user_name: str | None
    actor: str | None
    note: str | None
    occurred_at: datetime
    recorded_at: datetime


@dataclass(frozen=True)
class TaskRecord:
    """One completion of a review task."""

    id: int
    task: str
    done_on: date
    done_by: str | None
    note: str | None
    recorded_at: datetime


def _invoice(row: EvidenceInvoice) -> InvoiceRecord:
    return InvoiceRecord(
        id=row.id,
        account_id=row.account_id,
        fields={name: getattr(row, name) for name in INVOICE_FIELDS},
        lines=tuple({name: getattr(line, name) for name in LINE_FIELDS} for line in row.lines),
        status=row.status,
        origin=row.origin,
        file_name=row.file_name,
        file_sha256=row.file_sha256,
        added_at=row.added_at,
    )


def _document(row: EvidenceDocument) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        account_id=row.account_id,
        kind=row.kind,
        holder_name=row.holder_name,
        address=row.address,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        note=row.note,
        file_name=row.file_name,
        file_size=row.file_size,
        file_sha256=row.file_sha256,
        added_at=row.added_at,
    )


class EvidenceRepository:
    """The evidence and risk tables of one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # Invoices

    def add_invoice(
        self,
        account_id: int,
        *,
        fields: Mapping[str, Any],
        lines: Sequence[Mapping[str, Any]],
        status: str,
        origin: str,
        added_at: datetime,
        file_name: str | None = None,
        file_sha256: str | None = None,
        file_data: bytes | None = None,
    ) -> InvoiceRecord:
        """Register an invoice with its lines (flushed; committed with the transaction)."""
        row = EvidenceInvoice(
            account_id=account_id,
            status=status,
            origin=origin,
            added_at=added_at,
            file_name=file_name,
            file_sha256=file_sha256,
            file_data=file_data,
            **{name: fields.get(name) for name in INVOICE_FIELDS},
        )
        row.pro_forma = bool(fields.get("pro_forma"))
        row.document_kind = str(fields.get("document_kind") or "invoice")
        row.language = str(fields.get("language") or "en")
        row.lines = [
            EvidenceInvoiceLine(position=i, **{n: line.get(n) for n in LINE_FIELDS})
            for i, line in enumerate(lines, start=1)
        ]
        self.session.add(row)
        self.session.flush()
        return _invoice(row)

    def _invoice_row(self, account_id: int, invoice_id: int) -> EvidenceInvoice:
        row = self.session.scalar(
            select(EvidenceInvoice)
            .options(selectinload(EvidenceInvoice.lines))
            .where(EvidenceInvoice.id == invoice_id, EvidenceInvoice.account_id == account_id)
        )
        if row is None:
            raise NotFoundError(
                "invoice", invoice_id, hint="List them with `goodstanding invoices list`."
            )
        return row

    def invoice(self, account_id: int, invoice_id: int) -> InvoiceRecord:
        """One invoice of the account.

        Raises:
            NotFoundError: the account has no invoice with this id.
        """
        return _invoice(self._invoice_row(account_id, invoice_id))

    def invoices(self, account_id: int) -> list[InvoiceRecord]:
        """Every invoice of the account, by date then id."""
        rows = self.session.scalars(
            select(EvidenceInvoice)
            .options(selectinload(EvidenceInvoice.lines))
            .where(EvidenceInvoice.account_id == account_id)
            .order_by(EvidenceInvoice.invoice_date, EvidenceInvoice.id)
        )
        return [_invoice(row) for row in rows]

    def invoice_by_digest(self, account_id: int, sha256: str) -> int | None:
        """The id of the account's invoice whose file has this digest, or None."""
        found: int | None = self.session.scalar(
            select(EvidenceInvoice.id).where(
                EvidenceInvoice.account_id == account_id, EvidenceInvoice.file_sha256 == sha256
            )
        )
        return found

    def invoice_file(self, account_id: int, invoice_id: int) -> tuple[str, bytes] | None:
        """The invoice's file (name, bytes), or None when only its fields are held."""
        row = self.session.scalar(
            select(EvidenceInvoice)
            .options(undefer(EvidenceInvoice.file_data))
            .where(EvidenceInvoice.id == invoice_id, EvidenceInvoice.account_id == account_id)
        )
        if row is None:
            raise NotFoundError("invoice", invoice_id)
        if row.file_data is None:
            return None
        return row.file_name or f"invoice-{invoice_id}.pdf", row.file_data

    def update_invoice(
        self,
        account_id: int,
        invoice_id: int,
        *,
        fields: Mapping[str, Any],
        lines: Sequence[Mapping[str, Any]] | None,
        status: str,
    ) -> InvoiceRecord:
        """Correct an invoice's fields (and lines when given) and set its status."""
        row = self._invoice_row(account_id, invoice_id)
        for name, value in fields.items():
            if name in INVOICE_FIELDS:
                setattr(row, name, value)
        row.status = status
        if lines is not None:
            row.lines = [
                EvidenceInvoiceLine(position=i, **{n: line.get(n) for n in LINE_FIELDS})
                for i, line in enumerate(lines, start=1)
            ]
        self.session.flush()
        return _invoice(row)

    def delete_invoice(self, account_id: int, invoice_id: int) -> None:
        """Remove an invoice from the register."""
        row = self._invoice_row(account_id, invoice_id)
        self.session.delete(row)

    # Documents

    def add_document(
        self,
        account_id: int,
        *,
        fields: Mapping[str, Any],
        added_at: datetime,
        file_name: str | None = None,
        file_data: bytes | None = None,
        file_sha256: str | None = None,
    ) -> DocumentRecord:
        """Keep a verification document."""
        row = EvidenceDocument(
            account_id=account_id,
            added_at=added_at,
            file_name=file_name,
            file_data=file_data,
            file_size=len(file_data) if file_data is not None else None,
            file_sha256=file_sha256,
            **{name: fields.get(name) for name in DOCUMENT_FIELDS},
        )
        self.session.add(row)
        self.session.flush()
        return _document(row)

    def documents(self, account_id: int) -> list[DocumentRecord]:
        """Every document of the account, by kind then id."""
        rows = self.session.scalars(
            select(EvidenceDocument)
            .where(EvidenceDocument.account_id == account_id)
            .order_by(EvidenceDocument.kind, EvidenceDocument.id)
        )
        return [_document(row) for row in rows]

    def document_file(self, account_id: int, document_id: int) -> tuple[str, bytes] | None:
        """The document's file (name, bytes), or None.

        Raises:
            NotFoundError: the account has no document with this id.
        """
        row = self.session.scalar(
            select(EvidenceDocument)
            .options(undefer(EvidenceDocument.file_data))
            .where(EvidenceDocument.id == document_id, EvidenceDocument.account_id == account_id)
        )
        if row is None:
            raise NotFoundError(
                "document", document_id, hint="List them with `goodstanding documents list`."
            )
        if row.file_data is None:
            return None
        return row.file_name or f"document-{document_id}", row.file_data

    def delete_document(self, account_id: int, document_id: int) -> None:
        """Remove a document."""
        row = self.session.scalar(
            select(EvidenceDocument).where(
                EvidenceDocument.id == document_id, EvidenceDocument.account_id == account_id
            )
        )
        if row is None:
            raise NotFoundError("document", document_id)
        self.session.delete(row)

    # Profiles

    def profiles(self) -> list[ProfileRecord]:
        """The profile of every account (empty fields for accounts without one), by name."""
        rows = self.session.execute(
            select(Account, AccountProfileRow)
            .join(AccountProfileRow, AccountProfileRow.account_id == Account.id, isouter=True)
            .order_by(Account.name)
        )
        return [
            ProfileRecord(
                account.id,
                account.name,
                {n: getattr(profile, n) if profile else None for n in PROFILE_FIELDS},
                profile.updated_at if profile else None,
            )
            for account, profile in rows
        ]

    def profile(self, account_id: int, account: str) -> ProfileRecord:
        """The account's profile (empty fields when none was recorded)."""
        row = self.session.get(AccountProfileRow, account_id)
        return ProfileRecord(
            account_id,
            account,
            {n: getattr(row, n) if row else None for n in PROFILE_FIELDS},
            row.updated_at if row else None,
        )

    def set_profile(
        self, account_id: int, account: str, fields: Mapping[str, str | None], updated_at: datetime
    ) -> ProfileRecord:
        """Set the given fields of the profile (others unchanged; empty text clears a field)."""
        row = self.session.get(AccountProfileRow, account_id)
        if row is None:
            row = AccountProfileRow(account_id=account_id, updated_at=updated_at)
            self.session.add(row)
        for name, value in fields.items():
            if name in PROFILE_FIELDS:
                setattr(row, name, value or None)
        row.updated_at = updated_at
        self.session.flush()
        return self.profile(account_id, account)

    # Security log and tasks

    def add_security_event(
        self,
        account_id: int,
        *,
        kind: str,
        occurred_at: datetime,
        recorded_at: datetime,
        user_name: str | None = None,
        actor: str | None = None,
        note: str | None = None,
    ) -> SecurityRecord:
        """Record a security fact."""
        row = SecurityLogEntry(
            account_id=account_id,
            kind=kind,
            user_name=user_name,
            actor=actor,
            note=note,
            occurred_at=occurred_at,
            recorded_at=recorded_at,
        )
        self.session.add(row)
        self.session.flush()
        return SecurityRecord(
            row.id, kind, user_name, actor, note, row.occurred_at, row.recorded_at
        )

    def security_events(self, account_id: int) -> list[SecurityRecord]:
        """The account's security log, oldest first."""
        rows = self.session.scalars(
            select(SecurityLogEntry)
            .where(SecurityLogEntry.account_id == account_id)
            .order_by(SecurityLogEntry.occurred_at, SecurityLogEntry.id)
        )
        return [
            SecurityRecord(r.id, r.kind, r.user_name, r.actor, r.note, r.occurred_at, r.recorded_at)
            for r in rows
        ]

    def add_task_done(
        self,
        account_id: int,
        *,
        task: str,
        done_on: date,
        recorded_at: datetime,
        done_by: str | None = None,
        note: str | None = None,
    ) -> TaskRecord:
        """Record that a review task was done."""
        row = ReviewTask(
            account_id=account_id,
            task=task,
            done_on=done_on,
            done_by=done_by,
            note=note,
            recorded_at=recorded_at,
        )
        self.session.add(row)
        self.session.flush()
        return TaskRecord(row.id, task, done_on, done_by, note, row.recorded_at)

    def tasks_done(self, account_id: int) -> list[TaskRecord]:
        """Every recorded task completion of the account, oldest first."""
        rows = self.session.scalars(
            select(ReviewTask)
            .where(ReviewTask.account_id == account_id)
            .order_by(ReviewTask.done_on, ReviewTask.id)
        )
        return [TaskRecord(r.id, r.task, r.done_on, r.done_by, r.note, r.recorded_at) for r in rows]

"""Evidence and risk: invoices and their lines, verification documents, account profiles,
the security log and review tasks.

Revision ID: 0004_evidence
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_evidence"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables of invoices, documents, profiles, the security log and tasks."""
    op.create_table(
        "account_profiles",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("bank_account", sa.Text(), nullable=True),
        sa.Column("tax_id", sa.Text(), nullable=True),
        sa.Column("ips", sa.Text(), nullable=True),
        sa.Column("devices", sa.Text(), nullable=True),
        sa.Column("related_approved", sa.Text(), nullable=True),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_profiles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_profiles")),
    )
    op.create_table(
        "evidence_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("holder_name", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_data", sa.LargeBinary(), nullable=True),
        sa.Column("added_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_evidence_documents_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_documents")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_evidence_documents_account_id"), "evidence_documents", ["account_id"], unique=False
    )

    op.create_table(
        "evidence_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("invoice_date", sa.Date(), nullable=True),
        sa.Column("supplier_name", sa.Text(), nullable=True),
        sa.Column("supplier_address", sa.Text(), nullable=True),
        sa.Column("supplier_phone", sa.Text(), nullable=True),
        sa.Column("supplier_email", sa.Text(), nullable=True),
        sa.Column("supplier_website", sa.Text(), nullable=True),
        sa.Column("buyer_name", sa.Text(), nullable=True),
        sa.Column("buyer_address", sa.Text(), nullable=True),
        sa.Column("currency", sa.String(length=8), nullable=True),
        sa.Column("total", sa.Double(), nullable=True),
        sa.Column("pro_forma", sa.Boolean(), nullable=False),
        sa.Column("document_kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_data", sa.LargeBinary(), nullable=True),
        sa.Column("added_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_evidence_invoices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_invoices")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_evidence_invoices_account_id_invoice_date",
        "evidence_invoices",
        ["account_id", "invoice_date"],
        unique=False,
    )

    op.create_table(
        "review_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=64), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_review_tasks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_tasks")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_review_tasks_account_id_task", "review_tasks", ["account_id", "task"], unique=False
    )

    op.create_table(
        "security_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("occurred_at", _TIMESTAMP, nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_security_log_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_log")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_security_log_account_id_occurred_at",
        "security_log",
        ["account_id", "occurred_at"],
        unique=False,
    )

    op.create_table(
        "evidence_invoice_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("sku", sa.String(length=100), nullable=True),
        sa.Column("unit_price", sa.Double(), nullable=True),
        sa.Column("amount", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["evidence_invoices.id"],
            name=op.f("fk_evidence_invoice_lines_invoice_id_evidence_invoices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_invoice_lines")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_evidence_invoice_lines_invoice_id"),
        "evidence_invoice_lines",
        ["invoice_id"],
        unique=False,
    )


def downgrade() -> None:
    """Drop the tables of invoices, documents, profiles, the security log and tasks."""
    op.drop_index(op.f("ix_evidence_invoice_lines_invoice_id"), table_name="evidence_invoice_lines")

    op.drop_table("evidence_invoice_lines")
    op.drop_index("ix_security_log_account_id_occurred_at", table_name="security_log")

    op.drop_table("security_log")
    op.drop_index("ix_review_tasks_account_id_task", table_name="review_tasks")

    op.drop_table("review_tasks")
    op.drop_index("ix_evidence_invoices_account_id_invoice_date", table_name="evidence_invoices")

    op.drop_table("evidence_invoices")
    op.drop_index(op.f("ix_evidence_documents_account_id"), table_name="evidence_documents")

    op.drop_table("evidence_documents")
    op.drop_table("account_profiles")

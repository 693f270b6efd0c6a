"""Appeal cases: the notice, each Plan of Action version submitted, Amazon's replies.

Revision ID: 0003_cases
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_cases"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables of cases, POA versions and replies."""
    op.create_table(
        "appeal_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notice_text", sa.Text(), nullable=False),
        sa.Column("notice_language", sa.String(length=8), nullable=False),
        sa.Column("families", sa.Text(), nullable=False),
        sa.Column("final_decision", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("opened_at", _TIMESTAMP, nullable=False),
        sa.Column("closed_at", _TIMESTAMP, nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_appeal_cases_status")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_appeal_cases_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal_cases")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_appeal_cases_account_id_status",
        "appeal_cases",
        ["account_id", "status"],
        unique=False,
    )
    op.create_table(
        "appeal_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("grade", sa.JSON(), nullable=False),
        sa.Column("submitted_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["appeal_cases.id"],
            name=op.f("fk_appeal_versions_case_id_appeal_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal_versions")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_appeal_versions_case_id_number")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_appeal_versions_case_id"), "appeal_versions", ["case_id"], unique=False
    )
    op.create_table(
        "appeal_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reading", sa.JSON(), nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["appeal_cases.id"],
            name=op.f("fk_appeal_replies_case_id_appeal_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal_replies")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_appeal_replies_case_id"), "appeal_replies", ["case_id"], unique=False)


def downgrade() -> None:
    """Drop the case tables."""
    op.drop_index(op.f("ix_appeal_replies_case_id"), table_name="appeal_replies")
    op.drop_table("appeal_replies")
    op.drop_index(op.f("ix_appeal_versions_case_id"), table_name="appeal_versions")
    op.drop_table("appeal_versions")
    op.drop_index("ix_appeal_cases_account_id_status", table_name="appeal_cases")
    op.drop_table("appeal_cases")

"""Requests to link a registered account, waiting for its owner (ADR 0054).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

The right number and surname of an account someone else registered no longer link it:
they store a request here and mail its owner links to approve or refuse it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "link_requests",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("registration_key", sa.String(20), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_key"],
            ["registrations.account_key"],
            name=op.f("fk_link_requests_registration_key_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_key"],
            ["accounts.key"],
            name=op.f("fk_link_requests_account_key_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_requests")),
    )
    op.create_index(
        op.f("ix_link_requests_registration_key"), "link_requests", ["registration_key"]
    )
    op.create_index(op.f("ix_link_requests_account_key"), "link_requests", ["account_key"])


def downgrade() -> None:
    op.drop_table("link_requests")

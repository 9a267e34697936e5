"""Accounts linked to a registration (F20).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

A link goes with its registration (ON DELETE CASCADE): an account registered again must
not inherit what its earlier registration could see.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linked_accounts",
        sa.Column("registration_key", sa.String(20), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_key"],
            ["registrations.account_key"],
            name=op.f("fk_linked_accounts_registration_key_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_key"],
            ["accounts.key"],
            name=op.f("fk_linked_accounts_account_key_accounts"),
        ),
        sa.PrimaryKeyConstraint("registration_key", "account_key", name=op.f("pk_linked_accounts")),
    )


def downgrade() -> None:
    op.drop_table("linked_accounts")

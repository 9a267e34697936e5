"""Provider notifications waiting to be verified with the provider (ADR 0053).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10

A callback is answered as soon as its notification is stored here; the payment is asked
of the provider in the background. One row per provider's payment: repeated
notifications count on it instead of adding rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_verifications",
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("provider_payment_id", sa.String(128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_problem", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint(
            "provider", "provider_payment_id", name=op.f("pk_payment_verifications")
        ),
    )
    op.create_index(
        op.f("ix_payment_verifications_next_attempt_at"),
        "payment_verifications",
        ["next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_table("payment_verifications")

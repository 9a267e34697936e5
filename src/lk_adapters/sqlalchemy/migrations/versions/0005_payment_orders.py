"""Payment orders and loaded bank registry lines (F12, F24).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

A provider's payment id is unique per provider, so a repeated callback credits once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_orders",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_code", sa.String(32), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("readings", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_payment_id", sa.String(128), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_key"], ["accounts.key"], name=op.f("fk_payment_orders_account_key_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_orders")),
        sa.UniqueConstraint(
            "provider",
            "provider_payment_id",
            name=op.f("uq_payment_orders_provider_provider_payment_id"),
        ),
    )
    op.create_index(
        op.f("ix_payment_orders_account_key_created_at"),
        "payment_orders",
        ["account_key", "created_at"],
    )
    op.create_index(op.f("ix_payment_orders_created_at"), "payment_orders", ["created_at"])
    op.create_table(
        "registry_lines",
        sa.Column("bank", sa.String(32), nullable=False),
        sa.Column("line_id", sa.String(128), nullable=False),
        sa.Column("registry", sa.String(255), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("payer", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("bank", "line_id", name=op.f("pk_registry_lines")),
    )
    op.create_index(op.f("ix_registry_lines_paid_on"), "registry_lines", ["paid_on"])


def downgrade() -> None:
    op.drop_table("registry_lines")
    op.drop_table("payment_orders")

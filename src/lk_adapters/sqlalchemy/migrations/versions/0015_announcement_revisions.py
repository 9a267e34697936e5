"""Announcements corrected and withdrawn (ADR 0071): a revision for optimistic
concurrency, who changed one last and when, who withdrew one, when and why.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

Existing announcements are at revision 1, never changed nor withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("announcements") as table:
        table.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        table.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("updated_by", sa.String(32), nullable=True))
        table.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("withdrawn_by", sa.String(32), nullable=True))
        table.add_column(sa.Column("withdraw_reason", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("announcements") as table:
        for column in ("withdraw_reason", "withdrawn_by", "withdrawn_at", "updated_by",
                       "updated_at", "revision"):  # fmt: skip
            table.drop_column(column)

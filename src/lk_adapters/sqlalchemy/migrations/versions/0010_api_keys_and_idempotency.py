"""API keys of internal systems and idempotent requests (ADR 0062).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

The service API authenticates the company's other systems by API keys, stored as hashes;
every POST of the API may carry an idempotency key, whose first answer is kept a day.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(12), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_table(
        "idempotent_requests",
        sa.Column("caller", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", sa.Text(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("caller", "key", name=op.f("pk_idempotent_requests")),
    )
    op.create_index(
        op.f("ix_idempotent_requests_expires_at"), "idempotent_requests", ["expires_at"]
    )
    accepted = sa.text("status = 'accepted'")
    op.create_index(
        "ix_readings_pending_by_id",
        "readings",
        ["period", "id"],
        sqlite_where=accepted,
        postgresql_where=accepted,
    )


def downgrade() -> None:
    op.drop_index("ix_readings_pending_by_id", table_name="readings")
    op.drop_table("idempotent_requests")
    op.drop_table("api_keys")

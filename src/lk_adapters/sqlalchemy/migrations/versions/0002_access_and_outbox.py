"""Access and delivery: sessions, rate counters, the audit log and the outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Types are spelled out here, as in `0001`: times are stored with their time zone.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("created_at", utc(), nullable=False),
        sa.Column("last_seen_at", utc(), nullable=False),
        sa.Column("registration_key", sa.String(20), nullable=True),
        sa.Column("account_key", sa.String(20), nullable=True),
        sa.Column("pending_account_key", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_last_seen_at"), "sessions", ["last_seen_at"])
    op.create_index(op.f("ix_sessions_registration_key"), "sessions", ["registration_key"])
    op.create_table(
        "rate_counters",
        sa.Column("bucket", sa.String(200), nullable=False),
        sa.Column("window_start", utc(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_start", name=op.f("pk_rate_counters")),
    )
    op.create_index(op.f("ix_rate_counters_window_start"), "rate_counters", ["window_start"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", utc(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=True),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_account_key_at"), "audit_log", ["account_key", "at"])
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("created_at", utc(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", utc(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.Column("sent_at", utc(), nullable=True),
        sa.Column("lease_until", utc(), nullable=True),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    op.create_index(
        op.f("ix_outbox_messages_status_next_attempt_at"),
        "outbox_messages",
        ["status", "next_attempt_at"],
    )
    op.create_table(
        "outbox_attachments",
        sa.Column("message_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(127), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_outbox_attachments_message_id_outbox_messages"),
        ),
        sa.PrimaryKeyConstraint("message_id", "position", name=op.f("pk_outbox_attachments")),
    )


def downgrade() -> None:
    for table in (
        "outbox_attachments",
        "outbox_messages",
        "audit_log",
        "rate_counters",
        "sessions",
    ):
        op.drop_table(table)

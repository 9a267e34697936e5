"""Service requests, their history, comments and photo records (F30, ADR 0063).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

A request belongs to an account (the flat); each change is a numbered history entry;
the photos' bytes are in the photo store, their records here.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_requests",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("house_code", sa.String(64), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("visit_window", sa.String(200), nullable=False),
        sa.Column("contact_phone", sa.String(16), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("due_at", _AT, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("executor", sa.String(200), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.Column("completed_at", _AT, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=False),
        sa.Column("updated_at", _AT, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_key"], ["accounts.key"], name=op.f("fk_service_requests_account_key_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    op.create_index(
        op.f("ix_service_requests_account_key_created_at"),
        "service_requests",
        ["account_key", "created_at"],
    )
    # The queue's order from an index; open requests (what a dispatcher works) apart.
    order: list[str | sa.TextClause] = [sa.text("emergency DESC"), "due_at", "id"]
    open_request = sa.text("status IN ('new', 'accepted', 'in_progress')")
    op.create_index("ix_service_requests_queue", "service_requests", order)
    op.create_index("ix_service_requests_house_queue", "service_requests", ["house_code", *order])
    op.create_index(
        "ix_service_requests_open_queue",
        "service_requests",
        order,
        sqlite_where=open_request,
        postgresql_where=open_request,
    )
    op.create_index(
        "ix_service_requests_open_category_queue",
        "service_requests",
        ["category", *order],
        sqlite_where=open_request,
        postgresql_where=open_request,
    )
    op.create_index(
        "ix_service_requests_open_house_queue",
        "service_requests",
        ["house_code", *order],
        sqlite_where=open_request,
        postgresql_where=open_request,
    )
    op.create_table(
        "request_history",
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_history_request_id_service_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "seq", name=op.f("pk_request_history")),
    )
    op.create_table(
        "request_comments",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("author_kind", sa.String(16), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_comments_request_id_service_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_comments")),
    )
    op.create_index(op.f("ix_request_comments_request_id"), "request_comments", ["request_id"])
    op.create_table(
        "request_photos",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("source_format", sa.String(8), nullable=False),
        sa.Column("added_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_photos_request_id_service_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_photos")),
    )
    op.create_index(op.f("ix_request_photos_request_id"), "request_photos", ["request_id"])


def downgrade() -> None:
    op.drop_table("request_photos")
    op.drop_table("request_comments")
    op.drop_table("request_history")
    op.drop_table("service_requests")

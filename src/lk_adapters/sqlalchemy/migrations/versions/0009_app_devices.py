"""Devices and refresh tokens of the JSON API; access tokens are sessions (ADR 0061).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

A device signed in through the API keeps a rotating refresh token; only hashes are
stored. An access token is a session of the device, ending 15 minutes after issue.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("device_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(op.f("ix_sessions_device_id"), ["device_id"])
    op.create_table(
        "app_devices",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("registration_key", sa.String(20), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_key"],
            ["registrations.account_key"],
            name=op.f("fk_app_devices_registration_key_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_devices")),
    )
    op.create_index(op.f("ix_app_devices_registration_key"), "app_devices", ["registration_key"])
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["app_devices.id"],
            name=op.f("fk_refresh_tokens_device_id_app_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_tokens")),
    )
    op.create_index(op.f("ix_refresh_tokens_device_id"), "refresh_tokens", ["device_id"])


def downgrade() -> None:
    op.drop_table("refresh_tokens")
    op.drop_table("app_devices")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_index(op.f("ix_sessions_device_id"))
        batch.drop_column("expires_at")
        batch.drop_column("device_id")

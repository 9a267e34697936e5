"""The initial schema: houses, accounts, services, periods, ledger, payments, meters,
readings, registrations, one-time secrets and consents.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Types are spelled out here rather than imported from `types.py`, so that this revision
keeps creating the same schema whatever later becomes of those classes: exact decimals
are NUMERIC on PostgreSQL and text on SQLite, times are stored with their time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def exact(precision: int, scale: int) -> sa.Numeric[Decimal]:
    return sa.Numeric(precision, scale).with_variant(sa.String(40), "sqlite")


def utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{target.split('.')[0]}")
    )


def upgrade() -> None:
    op.create_table(
        "houses",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("total_area", exact(14, 2), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_houses")),
    )
    op.create_table(
        "services",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_services")),
    )
    op.create_table(
        "accounts",
        sa.Column("key", sa.String(20), nullable=False),
        sa.Column("letter", sa.String(1), nullable=False),
        sa.Column("house_code", sa.String(64), nullable=False),
        sa.Column("payer_name", sa.Text(), nullable=False),
        sa.Column("flat", sa.String(64), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("area", exact(10, 2), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("sms_informing", sa.Boolean(), nullable=False),
        sa.Column("email_informing", sa.Boolean(), nullable=False),
        fk("house_code", "accounts", "houses.code"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_accounts")),
    )
    op.create_index(op.f("ix_accounts_house_code"), "accounts", ["house_code"])
    op.create_table(
        "periods",
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_at", utc(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_periods")),
    )
    op.create_table(
        "ledger_lines",
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("service_code", sa.String(32), nullable=False),
        sa.Column("opening", sa.BigInteger(), nullable=False),
        sa.Column("charged", sa.BigInteger(), nullable=False),
        sa.Column("recalculation", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("volume", exact(18, 6), nullable=True),
        sa.Column("tariff", exact(18, 6), nullable=True),
        sa.Column("recalculation_reason", sa.Text(), nullable=False),
        fk("account_key", "ledger_lines", "accounts.key"),
        fk("service_code", "ledger_lines", "services.code"),
        sa.PrimaryKeyConstraint(
            "account_key", "period", "service_code", name=op.f("pk_ledger_lines")
        ),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payer", sa.Text(), nullable=False),
        fk("account_key", "payments", "accounts.key"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("channel", "external_id", name=op.f("uq_payments_channel_external_id")),
    )
    op.create_index(op.f("ix_payments_account_key_paid_on"), "payments", ["account_key", "paid_on"])
    op.create_table(
        "meters",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("service_code", sa.String(32), nullable=False),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column("integer_digits", sa.Integer(), nullable=False),
        sa.Column("fraction_digits", sa.Integer(), nullable=False),
        sa.Column("zones", sa.String(64), nullable=False),
        sa.Column("account_key", sa.String(20), nullable=True),
        sa.Column("house_code", sa.String(64), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("next_verification_on", sa.Date(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        fk("service_code", "meters", "services.code"),
        fk("account_key", "meters", "accounts.key"),
        fk("house_code", "meters", "houses.code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meters")),
    )
    op.create_index(op.f("ix_meters_account_key"), "meters", ["account_key"])
    op.create_index(op.f("ix_meters_house_code"), "meters", ["house_code"])
    op.create_table(
        "readings",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("meter_id", sa.String(64), nullable=False),
        sa.Column("zone", sa.String(16), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("value", exact(24, 6), nullable=False),
        sa.Column("taken_at", utc(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        fk("meter_id", "readings", "meters.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readings")),
    )
    op.create_index(
        op.f("ix_readings_meter_id_period_zone"), "readings", ["meter_id", "period", "zone"]
    )
    op.create_index(op.f("ix_readings_period_status"), "readings", ["period", "status"])
    op.create_table(
        "registrations",
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_key", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("created_at", utc(), nullable=False),
        sa.Column("confirmed_at", utc(), nullable=True),
        fk("account_key", "registrations", "accounts.key"),
        sa.PrimaryKeyConstraint("account_key", name=op.f("pk_registrations")),
    )
    op.create_index(op.f("ix_registrations_email_key"), "registrations", ["email_key"])
    op.create_table(
        "one_time_secrets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("issued_at", utc(), nullable=False),
        sa.Column("expires_at", utc(), nullable=False),
        sa.Column("attempts_left", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("used_at", utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_secrets")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_one_time_secrets_secret_hash")),
    )
    op.create_index(
        op.f("ix_one_time_secrets_subject_purpose_issued_at"),
        "one_time_secrets",
        ["subject", "purpose", "issued_at"],
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_key", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text_version", sa.String(32), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("at", utc(), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.Text(), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        fk("account_key", "consents", "accounts.key"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_account_key"), "consents", ["account_key"])


def downgrade() -> None:
    for table in (
        "consents",
        "one_time_secrets",
        "registrations",
        "readings",
        "meters",
        "payments",
        "ledger_lines",
        "periods",
        "accounts",
        "services",
        "houses",
    ):
        op.drop_table(table)

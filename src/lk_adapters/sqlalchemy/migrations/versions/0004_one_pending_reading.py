"""One pending reading per meter, zone and period (F13, F14).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

A partial unique index: readings that are replaced, deleted, calculated or rejected stay
in the history, but only one value per meter, zone and period may wait for billing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'accepted'")


def upgrade() -> None:
    op.create_index(
        "uq_readings_one_pending",
        "readings",
        ["meter_id", "zone", "period"],
        unique=True,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("uq_readings_one_pending", table_name="readings")

"""Service requests get a number for people, given in order at creation (ADR 0075).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

Existing requests are numbered 1, 2, … in the order they were made (then by id). On
PostgreSQL new numbers come from the sequence `service_request_numbers`, which starts after
the largest; SQLite takes the largest plus one in the inserting transaction. A unique index
guards both.

SQLite cannot make a column of a table with rows NOT NULL without rebuilding the table, and
rebuilding `service_requests` would drop it, which (foreign keys on) deletes the history,
comments and photo records that cascade from it. So there the column is added NOT NULL with
a default of 0, a number no request is given (numbers start at 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IN_CREATION_ORDER = """
UPDATE service_requests SET number = numbered.n
FROM (
    SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM service_requests
) AS numbered
WHERE service_requests.id = numbered.id
"""


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.add_column("service_requests", sa.Column("number", sa.Integer(), nullable=True))
    else:
        op.execute("ALTER TABLE service_requests ADD COLUMN number INTEGER NOT NULL DEFAULT 0")
    op.execute(_IN_CREATION_ORDER)
    if postgresql:
        op.alter_column("service_requests", "number", nullable=False)
        op.execute(sa.schema.CreateSequence(sa.Sequence("service_request_numbers")))
        op.execute(
            "SELECT setval('service_request_numbers', COALESCE(MAX(number), 0) + 1, false) "
            "FROM service_requests"
        )
    op.create_index("ix_service_requests_number", "service_requests", ["number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_service_requests_number", table_name="service_requests")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("service_requests", "number")
        op.execute(sa.schema.DropSequence(sa.Sequence("service_request_numbers")))
    else:
        # Not through a batch rebuild, for the reason in the module's docstring.
        op.execute("ALTER TABLE service_requests DROP COLUMN number")

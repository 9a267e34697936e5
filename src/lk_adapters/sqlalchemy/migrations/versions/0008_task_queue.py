"""The task queue's tables on PostgreSQL (ADR 0057), and the wake-ups the database defers
itself in the transaction that queues a message or a payment to verify (ADR 0058).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

procrastinate ships its schema as SQL; it is applied here as it stands, in the schema the
connection's `search_path` names (its objects are not qualified). On SQLite there is no
task queue: the same tasks run in the process that asks for them, and this does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A statement that queues messages (or stores a notification) defers one wake-up for its
# task unless one is waiting already. No queueing lock: the unique index behind one would
# make every such transaction wait for the one before it to commit. Two transactions at
# once may each defer one; a wake-up is only a hint and a second one finds nothing to do.
WAKE_UP = """
CREATE FUNCTION lk_wake_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM procrastinate_jobs
         WHERE task_name = TG_ARGV[0] AND status = 'todo' AND scheduled_at IS NULL
    ) THEN
        PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
            'default', TG_ARGV[0], 0, NULL, NULL, '{}'::jsonb, NULL
        )::procrastinate_job_to_defer_v1]);
    END IF;
    RETURN NULL;
END;
$$;
CREATE INDEX lk_procrastinate_jobs_todo_task ON procrastinate_jobs (task_name)
 WHERE status = 'todo';
CREATE TRIGGER outbox_messages_wake_delivery AFTER INSERT ON outbox_messages
   FOR EACH STATEMENT EXECUTE FUNCTION lk_wake_task('outbox.deliver');
CREATE TRIGGER payment_verifications_wake_verifier AFTER INSERT ON payment_verifications
   FOR EACH STATEMENT EXECUTE FUNCTION lk_wake_task('payments.verify');
"""

DROP = """
DROP TRIGGER IF EXISTS payment_verifications_wake_verifier ON payment_verifications;
DROP TRIGGER IF EXISTS outbox_messages_wake_delivery ON outbox_messages;
DROP FUNCTION IF EXISTS lk_wake_task();
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
    procrastinate_jobs, procrastinate_workers CASCADE;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
    procrastinate_job_status CASCADE;
"""

PROCRASTINATE_FUNCTIONS = """
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.proname LIKE 'procrastinate_%'
                AND p.pronamespace = current_schema()::regnamespace
    LOOP
        EXECUTE 'DROP FUNCTION ' || f::text;
    END LOOP;
END;
$$;
"""


def _driver_execute(script: str) -> None:
    """Run a script of several statements as it is (psycopg, no parameters: `%` is literal)."""
    cursor = op.get_bind().connection.cursor()
    try:
        cursor.execute(script)
    finally:
        cursor.close()


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _driver_execute(SchemaManager.get_schema())
    _driver_execute(WAKE_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _driver_execute(DROP)
    _driver_execute(PROCRASTINATE_FUNCTIONS)

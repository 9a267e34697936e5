"""Migration 0016 (ADR 0075) over a database that already holds requests: they are numbered
in the order they were made, new ones continue after them, and going back removes the
number and keeps the requests with their history."""

from __future__ import annotations

import uuid

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, inspect, select, text

from lk_adapters.sqlalchemy.migrations import alembic_config, current_revision
from lk_adapters.sqlalchemy.tables import request_history, service_requests
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

from .builders import a_house, an_account, at, given

NUMBERS = "0016"


def migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        move = command.downgrade if down else command.upgrade
        move(alembic_config(connection), revision)


def before_numbers() -> str:
    revision = ScriptDirectory.from_config(alembic_config()).get_revision(NUMBERS)
    assert isinstance(revision.down_revision, str)
    return revision.down_revision


def a_row(minutes: int) -> dict[str, object]:
    return {
        "id": uuid.uuid4().hex, "account_key": "100234", "house_code": "H1",
        "category": "plumbing", "emergency": False, "description": "Течёт кран",
        "visit_window": "", "contact_phone": "+79123456789", "created_at": at(minutes),
        "due_at": at(minutes + 480), "status": "new", "executor": "", "reject_reason": "",
        "rating_comment": "", "updated_at": at(minutes), "version": 1,
    }  # fmt: skip


def requests_made_before_numbers(engine: Engine) -> list[str]:
    """Three requests made at minutes 20, 0 and 10, each with its first history entry; their
    ids in the order they were made."""
    migrate(engine, before_numbers())
    given(SqlAlchemyUnitOfWorkFactory(engine), houses=[a_house()], accounts=[an_account()])
    rows = [a_row(20), a_row(0), a_row(10)]
    with engine.begin() as connection:
        for row in rows:
            connection.execute(insert(service_requests).values(row))  # no number: none yet
            first_entry = {
                "request_id": row["id"],
                "seq": 1,
                "at": row["created_at"],
                "actor_kind": "resident",
                "kind": "created",
                "status": "new",
            }
            connection.execute(insert(request_history).values(first_entry))
    return [str(row["id"]) for row in (rows[1], rows[2], rows[0])]


def test_existing_requests_are_numbered_in_the_order_they_were_made(
    unmigrated_engine: Engine,
) -> None:
    made_in_order = requests_made_before_numbers(unmigrated_engine)

    migrate(unmigrated_engine, NUMBERS)

    with unmigrated_engine.connect() as connection:
        numbered = connection.execute(
            text("SELECT id, number FROM service_requests ORDER BY number")
        ).all()
    assert [row.id for row in numbered] == made_in_order
    assert [row.number for row in numbered] == [1, 2, 3]
    with SqlAlchemyUnitOfWorkFactory(unmigrated_engine)() as uow:
        assert uow.service_requests.next_number() == 4
        found = uow.service_requests.by_number(1)
    assert found is not None
    assert found.id == made_in_order[0]
    number = inspect(unmigrated_engine).get_columns("service_requests")
    assert [c["nullable"] for c in number if c["name"] == "number"] == [False]


def test_going_back_removes_the_number_and_keeps_the_requests_and_their_history(
    unmigrated_engine: Engine,
) -> None:
    made_in_order = requests_made_before_numbers(unmigrated_engine)
    migrate(unmigrated_engine, NUMBERS)

    migrate(unmigrated_engine, before_numbers(), down=True)

    assert current_revision(unmigrated_engine) == before_numbers()
    columns = {c["name"] for c in inspect(unmigrated_engine).get_columns("service_requests")}
    assert "number" not in columns
    with unmigrated_engine.connect() as connection:
        kept = connection.execute(select(service_requests.c.id)).scalars().all()
        history = connection.execute(select(request_history.c.request_id)).scalars().all()
    assert sorted(kept) == sorted(history) == sorted(made_in_order)

    migrate(unmigrated_engine, NUMBERS)
    with SqlAlchemyUnitOfWorkFactory(unmigrated_engine)() as uow:
        assert uow.service_requests.next_number() == 4

"""Idempotent requests in the `idempotent_requests` table."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, delete, select, update

from lk_adapters.sqlalchemy.driver_sql import utc_value
from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import idempotent_requests as table
from lk_core.service_api.idempotency import IdempotentRequest, StoredAnswer


def _request(row: Any) -> IdempotentRequest:
    answer = None
    if row.status is not None:
        headers = tuple((name, value) for name, value in json.loads(row.headers or "[]"))
        answer = StoredAnswer(row.status, headers, bytes(row.body or b""))
    return IdempotentRequest(
        caller=row.caller,
        key=row.key,
        request_hash=row.request_hash,
        claimed_at=utc_value(row.claimed_at),
        expires_at=utc_value(row.expires_at),
        answer=answer,
    )


def _of(caller: str, key: str) -> Any:
    return (table.c.caller == caller) & (table.c.key == key)


class SqlAlchemyIdempotentRequests:
    """Requests by caller and idempotency key; the primary key decides who claims one."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def claim(self, request: IdempotentRequest) -> bool:
        statement = insert_for(self._connection, table).values(
            caller=request.caller,
            key=request.key,
            request_hash=request.request_hash,
            claimed_at=request.claimed_at,
            expires_at=request.expires_at,
        )
        # RETURNING says whether the row went in (rowcount is not reliable after DO NOTHING).
        inserted = self._connection.execute(
            statement.on_conflict_do_nothing().returning(table.c.caller)
        ).first()
        if inserted is None:
            return False
        if request.answer is not None:
            self.answer(request.caller, request.key, request.answer)
        return True

    def get(self, caller: str, key: str) -> IdempotentRequest | None:
        row = self._connection.execute(select(table).where(_of(caller, key))).first()
        return None if row is None else _request(row)

    def take_over(
        self, caller: str, key: str, request_hash: str, claimed_before: dt.datetime, at: dt.datetime
    ) -> bool:
        statement = (
            update(table)
            .where(
                _of(caller, key),
                table.c.request_hash == request_hash,
                table.c.status.is_(None),
                table.c.claimed_at < claimed_before,
            )
            .values(claimed_at=at)
        )
        return self._connection.execute(statement).rowcount == 1

    def answer(self, caller: str, key: str, answer: StoredAnswer) -> None:
        statement = (
            update(table)
            .where(_of(caller, key))
            .values(
                status=answer.status,
                headers=json.dumps([list(pair) for pair in answer.headers]),
                body=answer.body,
            )
        )
        self._connection.execute(statement)

    def release(self, caller: str, key: str) -> None:
        self._connection.execute(delete(table).where(_of(caller, key), table.c.status.is_(None)))

    def delete_expired(self, before: dt.datetime) -> int:
        return self._connection.execute(delete(table).where(table.c.expires_at <= before)).rowcount

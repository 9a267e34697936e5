"""Link requests in the `link_requests` table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from lk_adapters.sqlalchemy.tables import link_requests as table
from lk_core.access.link_requests import LinkRequest, LinkRequestState


class SqlAlchemyLinkRequests:
    """Requests by id; listed by the registration that asked or the account asked for."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, request: LinkRequest) -> None:
        self._connection.execute(
            insert(table).values(
                id=request.id,
                registration_key=request.registration_key,
                account_key=request.account_key,
                requested_at=request.requested_at,
                expires_at=request.expires_at,
                state=request.state.value,
                decided_at=request.decided_at,
            )
        )

    def get(self, request_id: str) -> LinkRequest | None:
        row = self._connection.execute(select(table).where(table.c.id == request_id)).first()
        return _request(row) if row is not None else None

    def of_registration(self, registration_key: str) -> list[LinkRequest]:
        return self._newest_first(table.c.registration_key == registration_key)

    def for_account(self, account_key: str) -> list[LinkRequest]:
        return self._newest_first(table.c.account_key == account_key)

    def decide(self, request_id: str, state: LinkRequestState, at: dt.datetime) -> bool:
        statement = (
            update(table)
            .where(
                table.c.id == request_id,
                table.c.state == LinkRequestState.PENDING.value,
                table.c.expires_at > at,
            )
            .values(state=state.value, decided_at=at)
        )
        return self._connection.execute(statement).rowcount == 1

    def _newest_first(self, condition: Any) -> list[LinkRequest]:
        query = (
            select(table).where(condition).order_by(table.c.requested_at.desc(), table.c.id.desc())
        )
        return [_request(row) for row in self._connection.execute(query)]


def _request(row: Row[Any]) -> LinkRequest:
    return LinkRequest(
        id=row.id,
        registration_key=row.registration_key,
        account_key=row.account_key,
        requested_at=row.requested_at,
        expires_at=row.expires_at,
        state=LinkRequestState(row.state),
        decided_at=row.decided_at,
    )

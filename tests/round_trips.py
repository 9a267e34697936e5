"""Round trips to PostgreSQL as its wire protocol shows them.

libpq's own trace (`PQtrace`, through psycopg's `pgconn.trace`) logs every message a
pooled connection sends (F) and receives (B) while the portal holds it. A round trip is
a flight of messages sent followed by the answers waited for: each F that follows a B
(or starts the trace) begins one. Statements run through SQLAlchemy Core and on the
driver's cursor count alike, and so do BEGIN, COMMIT and ROLLBACK and the pool's pings.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs
from psycopg import pq
from sqlalchemy import Engine, event


@attrs.define
class Flight:
    """One round trip: what was sent (message names and any SQL text), and what came back."""

    sent: list[str] = attrs.Factory(list)
    received: list[str] = attrs.Factory(list)

    @property
    def sql(self) -> str:
        return " ".join(self.sent)


@attrs.define
class Trips:
    """The round trips of every connection the portal held, in the order they began."""

    flights: list[Flight] = attrs.Factory(list)

    def __len__(self) -> int:
        return len(self.flights)

    def summary(self) -> list[str]:
        return [flight.sql[:160] for flight in self.flights]


def flights_of(trace: str) -> list[Flight]:
    """The round trips of one connection's trace (REGRESS_MODE, no timestamps). A message
    line starts with its direction; SQL text spanning lines continues on the next ones."""
    flights: list[Flight] = []
    answered = True
    for line in trace.splitlines():
        direction, _, rest = line.partition("\t")
        if direction == "F":
            if answered:
                flights.append(Flight())
                answered = False
            flights[-1].sent.append(" ".join(rest.split("\t")[1:]))
        elif direction == "B" and flights:
            answered = True
            flights[-1].received.append(" ".join(rest.split("\t")[1:]))
        elif flights and not answered:
            flights[-1].sent[-1] += " " + line.strip()
    return flights


@contextmanager
def round_trips(engine: Engine) -> Iterator[Trips]:
    """Every round trip to PostgreSQL made over `engine`'s pooled connections meanwhile."""
    assert engine.dialect.name == "postgresql"
    trips = Trips()
    open_files: dict[int, Any] = {}

    def trace(dbapi_connection: Any, *_: Any) -> None:
        file = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the connection is back)
        open_files[id(dbapi_connection)] = file
        pgconn = dbapi_connection.pgconn
        pgconn.trace(file.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)

    def untrace(dbapi_connection: Any, *_: Any) -> None:
        file = open_files.pop(id(dbapi_connection), None)
        if file is None:
            return
        dbapi_connection.pgconn.untrace()
        file.seek(0)
        trips.flights.extend(flights_of(file.read().decode(errors="replace")))
        file.close()

    event.listen(engine, "checkout", trace, insert=True)
    event.listen(engine, "checkin", untrace)
    try:
        yield trips
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
        for file in open_files.values():
            file.close()

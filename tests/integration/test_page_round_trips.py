"""Signed-in pages over PostgreSQL in at most two round trips each.

Counted on the wire (tests/round_trips.py): every message the portal's pooled
connections send and receive while a page is served, from the session's lookup to the
last read, BEGIN/COMMIT/ROLLBACK and the pool's pings included (a connection idle 10 s is
pinged first; the pool hands out the one used last, so a page served right after another
is not). The session's once-a-minute touch is part of the request too: the portal's
clock is held still here, so it is not due, and the test below moves the clock to count
a page that writes it (ADR 0059).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from access_fixtures import IVANOV, PASSWORD
from conftest import empty_database_url
from lk_core.announcements.announcement import Announcement, AnnouncementKind
from main_page_fixtures import EARLIER, load_ledger, three_periods_of_rows
from personal_site import Site, a_site, non_demo_settings
from readings_fixtures import load_meters
from round_trips import Trips, round_trips

pytestmark = pytest.mark.postgres

MOST = 2
# The main page shows the house's announcements: one for this house alone takes the
# repository two statements (the announcement, then its houses) unless read ahead.
AN_OUTAGE = Announcement(
    "a1", AnnouncementKind.PLANNED_OUTAGE, "Отключение горячей воды", "С 10:00 до 18:00.",
    dt.date(2000, 1, 1), dt.date(2100, 12, 31), frozenset({"H1"}), "operator",
    dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
)  # fmt: skip


def quiet_settings(database_url: str) -> dict[str, str]:
    """A deployment with no background work in the web process (demo mode delivers the
    outbox there, and payments are verified there by default): only the pages' own
    round trips reach the database while they are counted."""
    return {
        **non_demo_settings(),
        "LK_DATABASE_URL": database_url,
        "LK_PAYMENTS_VERIFY_IN_PROCESS": "false",
    }


@pytest.fixture
def ivanov(tmp_path: Path) -> Iterator[Site]:
    with (
        empty_database_url("postgres", tmp_path) as url,
        a_site(tmp_path, **quiet_settings(url)) as site,
    ):
        uow_factory = site.container.uow_factory()
        load_meters(uow_factory)
        load_ledger(uow_factory, three_periods_of_rows(IVANOV))
        with uow_factory() as uow:
            uow.announcements.add(AN_OUTAGE)
            uow.commit()
        site.register(IVANOV, "ivanov@example.ru", PASSWORD)
        site.sign_in(IVANOV, PASSWORD)
        yield site


def trips_of(site: Site, path: str) -> Trips:
    """The round trips of one page load, once the pool holds a connection already."""
    answer = site.get(path)
    assert answer.status_code == 200
    assert (AN_OUTAGE.title in answer.text) == path.startswith("/home")
    return trips_of_one(site, path)


def trips_of_one(site: Site, path: str) -> Trips:
    with round_trips(site.container.engine()) as trips:
        answer = site.get(path)
    assert answer.status_code == 200, answer.text
    return trips


@pytest.mark.parametrize(
    "path",
    ["/home", f"/home?period={EARLIER}", "/readings", "/readings?service=HVS",
     "/personal", "/payments", "/pay"],
)  # fmt: skip
def test_a_signed_in_page_takes_at_most_two_round_trips(ivanov: Site, path: str) -> None:
    trips = trips_of(ivanov, path)

    assert len(trips) <= MOST, "\n".join(trips.summary())


def test_the_main_page_writes_the_due_touch_in_two_more_round_trips(ivanov: Site) -> None:
    """Once a minute the page also writes the session's last-seen time, after its read:
    BEGIN with the UPDATE's statement, and COMMIT (psycopg sends BEGIN on its own)."""
    assert ivanov.get("/home").status_code == 200
    ivanov.clock.advance(minutes=2)

    trips = trips_of_one(ivanov, "/home")

    assert len(trips) <= 4, "\n".join(trips.summary())

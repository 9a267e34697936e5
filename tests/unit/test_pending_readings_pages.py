"""Billing's export page by page (F23 over the service API, F28): every pending reading of
the period exactly once, in id order, whatever the page size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from access_fixtures import load_accounts, some_accounts
from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.billing_import import pending_readings, pending_readings_page
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import EntryStatus, ReadingSource
from readings_fixtures import (
    COLD_WATER,
    ELECTRICITY,
    HOUSE_HEAT,
    MARCH,
    NEIGHBOURS_WATER,
    a_reading,
    history,
    load_meters,
)


def a_portal_with_march_pending() -> InMemoryUnitOfWorkFactory:
    factory = InMemoryUnitOfWorkFactory()
    load_accounts(factory, some_accounts())
    pending = [
        a_reading(COLD_WATER, MARCH, "130.000", source=ReadingSource.PORTAL,
                  status=EntryStatus.ACCEPTED),
        a_reading(ELECTRICITY, MARCH, "8100.0", zone=TariffZone.DAY, status=EntryStatus.ACCEPTED),
        a_reading(ELECTRICITY, MARCH, "3050.0", zone=TariffZone.NIGHT,
                  status=EntryStatus.ACCEPTED),
        a_reading(NEIGHBOURS_WATER, MARCH, "55.000", status=EntryStatus.ACCEPTED),
        a_reading(HOUSE_HEAT, MARCH, "1400.000", status=EntryStatus.REJECTED),
    ]  # fmt: skip
    load_meters(factory, readings=[*history(), *pending])
    return factory


PORTAL = a_portal_with_march_pending()


@settings(max_examples=25, deadline=None)
@given(size=st.integers(min_value=1, max_value=6))
def test_paging_yields_each_pending_reading_once_in_id_order(size: int) -> None:
    seen: list[str] = []
    after: str | None = ""
    while after is not None:
        page = pending_readings_page(PORTAL, MARCH, after, size)
        assert len(page.readings) <= size
        seen.extend(reading.id for reading in page.readings)
        after = page.next_after

    assert seen == sorted(reading.id for reading in pending_readings(PORTAL, MARCH))
    assert len(seen) == 4


def test_the_last_page_says_there_is_no_next_one() -> None:
    full = pending_readings_page(PORTAL, MARCH, "", 4)
    assert len(full.readings) == 4
    assert full.next_after is None

    short = pending_readings_page(PORTAL, MARCH, "", 3)
    assert short.next_after == short.readings[-1].id


def test_a_page_size_is_held_between_one_and_a_thousand() -> None:
    assert len(pending_readings_page(PORTAL, MARCH, "", 0).readings) == 1
    assert len(pending_readings_page(PORTAL, MARCH, "", 10_000).readings) == 4

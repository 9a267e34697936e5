"""The main page read (F9–F12): one read that writes nothing, then only what it implies."""

from __future__ import annotations

import copy

import pytest

from access_fixtures import IP, IVANOV, PASSWORD, PETROVA, SEMENOV, Portal, a_portal
from lk_core.access.linking import unlink_account
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import sign_in
from lk_core.access.visitor import upkeep_due
from lk_core.home.main_page import finish_main_page, main_page, read_main_page
from lk_core.kernel.errors import NotFound
from main_page_fixtures import EARLIER, NEWEST, load_ledger, three_periods_of_rows
from personal_data_fixtures import link_by_surname, session_of


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    rows = [row for key in (IVANOV, SEMENOV, PETROVA) for row in three_periods_of_rows(key)]
    load_ledger(portal.uow_factory, rows)
    portal.register(IVANOV)
    return portal


def signed_in_raw(portal: Portal) -> str:
    return sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None)


def stored(portal: Portal) -> dict[str, object]:
    return copy.deepcopy(dict(portal.store.sessions))


def test_a_signed_in_resident_gets_the_newest_settlements_of_the_own_account(
    portal: Portal,
) -> None:
    page = main_page(portal.ctx, signed_in_raw(portal), None)

    assert page is not None
    assert page.accounts.shown.key == IVANOV
    assert page.settlements.period == NEWEST
    assert page.recent_orders == ()


def test_an_earlier_period_can_be_asked_for_and_an_unknown_one_is_not_found(
    portal: Portal,
) -> None:
    raw = signed_in_raw(portal)

    page = main_page(portal.ctx, raw, EARLIER)
    assert page is not None
    assert page.settlements.period == EARLIER
    with pytest.raises(NotFound):
        main_page(portal.ctx, raw, EARLIER.previous().previous().previous())


@pytest.mark.parametrize("raw", [None, "", "an id nobody was given"])
def test_no_session_or_an_unknown_one_sees_no_page(portal: Portal, raw: str | None) -> None:
    assert main_page(portal.ctx, raw, None) is None


def test_a_session_not_signed_in_sees_no_page(portal: Portal) -> None:
    raw = portal.first_visit(SEMENOV)

    assert main_page(portal.ctx, raw, None) is None


def test_the_read_writes_nothing_even_when_a_touch_is_due(portal: Portal) -> None:
    raw = signed_in_raw(portal)
    portal.clock.advance(minutes=5)
    before = stored(portal)

    found = read_main_page(portal.ctx, raw, None)

    assert stored(portal) == before
    assert found.page is not None
    assert upkeep_due(portal.ctx, found.visitor)


def test_finishing_refreshes_the_last_seen_time_once_a_minute(portal: Portal) -> None:
    raw = signed_in_raw(portal)
    assert not upkeep_due(portal.ctx, read_main_page(portal.ctx, raw, None).visitor)

    portal.clock.advance(minutes=5)
    found = read_main_page(portal.ctx, raw, None)
    assert finish_main_page(portal.ctx, found) == found.page

    session = portal.store.sessions[session_id_hash(raw)]
    assert session.last_seen_at == portal.clock.now()
    assert not upkeep_due(portal.ctx, read_main_page(portal.ctx, raw, None).visitor)


def test_an_expired_session_sees_no_page_and_is_forgotten(portal: Portal) -> None:
    raw = signed_in_raw(portal)
    portal.clock.advance(minutes=31)

    found = read_main_page(portal.ctx, raw, None)
    assert found.page is None
    assert upkeep_due(portal.ctx, found.visitor)

    assert finish_main_page(portal.ctx, found) is None
    assert session_id_hash(raw) not in portal.store.sessions


def test_a_shown_account_unlinked_elsewhere_falls_back_to_the_own_one_and_stays_so(
    portal: Portal,
) -> None:
    raw = signed_in_raw(portal)
    session = session_of(portal, raw)
    link_by_surname(portal, session, SEMENOV)
    session.account_key = SEMENOV
    with portal.uow_factory() as uow:
        uow.sessions.save(session)
        uow.commit()
    other_browser = session_of(portal, signed_in_raw(portal))
    unlink_account(portal.ctx, other_browser, SEMENOV, ip=IP)

    found = read_main_page(portal.ctx, raw, None)
    assert found.page is not None
    assert found.page.accounts.shown.key == IVANOV
    assert upkeep_due(portal.ctx, found.visitor)
    finish_main_page(portal.ctx, found)

    assert portal.store.sessions[session_id_hash(raw)].account_key == IVANOV
    assert not upkeep_due(portal.ctx, read_main_page(portal.ctx, raw, None).visitor)


def test_a_linked_account_shown_gets_its_own_settlements(portal: Portal) -> None:
    raw = signed_in_raw(portal)
    link_by_surname(portal, session_of(portal, raw), PETROVA)
    session = session_of(portal, raw)
    session.account_key = PETROVA
    with portal.uow_factory() as uow:
        uow.sessions.save(session)
        uow.commit()

    page = main_page(portal.ctx, raw, None)

    assert page is not None
    assert page.accounts.shown.key == PETROVA
    assert {line.line.account_key for line in page.settlements.lines} == {PETROVA}
    assert [a.key for a in page.accounts.choices] == [IVANOV, PETROVA]

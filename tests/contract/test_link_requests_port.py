"""The link-request repository: requests to link a registered account, waiting for its
owner (F20, ADR 0054); decided once, by one conditional write, while pending."""

from __future__ import annotations

import datetime as dt

import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.link_requests import LinkRequest, LinkRequestState

from .builders import MOSCOW, a_house, a_registration, an_account, at, given

OWN, OTHER, THIRD = "100234", "100235", "100236"
APPROVED, REFUSED = LinkRequestState.APPROVED, LinkRequestState.REFUSED


@pytest.fixture
def uow_factory_with_registrations(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1")],
        accounts=[an_account(key) for key in (OWN, OTHER, THIRD)],
    )
    with uow_factory() as uow:
        uow.registrations.save(a_registration(OWN, email="ivanov@mail.ru"))
        uow.registrations.save(a_registration(OTHER, email="semenov@mail.ru"))
        uow.commit()
    return uow_factory


def a_request(
    request_id: str, account_key: str = OTHER, minutes: int = 0, registration_key: str = OWN
) -> LinkRequest:
    return LinkRequest(
        request_id, registration_key, account_key, at(minutes), at(minutes) + dt.timedelta(hours=72)
    )


def stored(uow_factory: PortalUnitOfWorkFactory, *requests: LinkRequest) -> None:
    with uow_factory() as uow:
        for request in requests:
            uow.link_requests.add(request)
        uow.commit()


def test_a_request_is_read_back_with_everything_it_records(
    uow_factory_with_registrations: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    made = LinkRequest("r1", OWN, OTHER, at(5).astimezone(MOSCOW), at(5 + 72 * 60))
    stored(uow_factory, made)

    with uow_factory() as uow:
        found = uow.link_requests.get("r1")
        assert uow.link_requests.get("r2") is None

    assert found == LinkRequest("r1", OWN, OTHER, at(5), at(5 + 72 * 60))
    assert found.state is LinkRequestState.PENDING
    assert found.decided_at is None


def test_requests_are_listed_by_who_asked_and_by_the_account_asked_for_newest_first(
    uow_factory_with_registrations: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    stored(
        uow_factory,
        a_request("r1", OTHER, 0),
        a_request("r3", THIRD, 10),
        a_request("r2", OTHER, 10),
        a_request("r4", THIRD, 20, registration_key=OTHER),
    )

    with uow_factory() as uow:
        asked = [r.id for r in uow.link_requests.of_registration(OWN)]
        for_other = [r.id for r in uow.link_requests.for_account(OTHER)]
        for_third = [r.id for r in uow.link_requests.for_account(THIRD)]

    assert asked == ["r3", "r2", "r1"]
    assert for_other == ["r2", "r1"]
    assert for_third == ["r4", "r3"]


def test_a_pending_request_is_decided_once(
    uow_factory_with_registrations: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    stored(uow_factory, a_request("r1"))

    with uow_factory() as uow:
        assert uow.link_requests.decide("r1", APPROVED, at(30))
        assert not uow.link_requests.decide("r1", REFUSED, at(31))
        uow.commit()
    with uow_factory() as uow:
        assert not uow.link_requests.decide("r1", REFUSED, at(32))
        assert not uow.link_requests.decide("nope", REFUSED, at(32))
        found = uow.link_requests.get("r1")

    assert found is not None
    assert (found.state, found.decided_at) == (APPROVED, at(30))


def test_an_expired_request_cannot_be_decided(
    uow_factory_with_registrations: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    stored(uow_factory, a_request("r1"))

    with uow_factory() as uow:
        assert not uow.link_requests.decide("r1", APPROVED, at(72 * 60))
        found = uow.link_requests.get("r1")

    assert found is not None
    assert found.state is LinkRequestState.PENDING
    assert found.state_at(at(72 * 60)) is LinkRequestState.EXPIRED


def test_a_decision_not_committed_is_not_kept(
    uow_factory_with_registrations: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    stored(uow_factory, a_request("r1"))

    with uow_factory() as uow:
        assert uow.link_requests.decide("r1", REFUSED, at(1))
    with uow_factory() as uow:
        found = uow.link_requests.get("r1")

    assert found is not None
    assert found.state is LinkRequestState.PENDING


def test_requests_end_with_the_registration_that_made_them(
    uow_factory_with_registrations: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    stored(uow_factory, a_request("r1", OTHER), a_request("r2", OWN, registration_key=OTHER))

    with uow_factory() as uow:
        uow.registrations.delete(OWN)
        uow.commit()
    with uow_factory() as uow:
        assert uow.link_requests.get("r1") is None
        assert uow.link_requests.get("r2") is not None

"""The linked-account repository: which other accounts a registration may see (F20)."""

from __future__ import annotations

import pytest

from lk_core.access.links import AccountLink
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, a_house, a_registration, an_account, at, given

OWN, OTHER, THIRD, FOURTH = "100234", "100235", "100236", "100237"


@pytest.fixture
def uow_factory_with_registrations(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1")],
        accounts=[an_account(key) for key in (OWN, OTHER, THIRD, FOURTH)],
    )
    with uow_factory() as uow:
        uow.registrations.save(a_registration(OWN, email="Ivanov@Mail.ru"))
        uow.registrations.save(a_registration(OTHER, email="semenov@mail.ru"))
        uow.commit()
    return uow_factory


def link(account_key: str, minutes: int = 0, registration_key: str = OWN) -> AccountLink:
    return AccountLink(registration_key, account_key, at(minutes))


def links_of(uow_factory: UnitOfWorkFactory, registration_key: str = OWN) -> list[AccountLink]:
    with uow_factory() as uow:
        return uow.linked_accounts.of_registration(registration_key)


def test_an_added_link_is_listed_with_when_it_was_made(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    made = AccountLink(OWN, OTHER, at(5).astimezone(MOSCOW))

    with uow_factory() as uow:
        uow.linked_accounts.add(made)
        uow.commit()

    assert links_of(uow_factory) == [made]
    with uow_factory() as uow:
        assert uow.linked_accounts.is_linked(OWN, OTHER)


def test_a_registrations_links_are_listed_oldest_first_then_by_account(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(FOURTH, 10))
        uow.linked_accounts.add(link(THIRD, 0))
        uow.linked_accounts.add(link(OTHER, 10))
        uow.commit()

    assert [x.account_key for x in links_of(uow_factory_with_registrations)] == [
        THIRD,
        OTHER,
        FOURTH,
    ]


def test_linking_a_pair_again_keeps_the_first_link(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(OTHER, 0))
        uow.commit()

    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(OTHER, 30))
        uow.commit()

    assert links_of(uow_factory_with_registrations) == [link(OTHER, 0)]


def test_links_belong_to_their_registration_only(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(THIRD))
        uow.linked_accounts.add(link(FOURTH, registration_key=OTHER))
        uow.commit()

    with uow_factory_with_registrations() as uow:
        assert uow.linked_accounts.of_registration(OWN) == [link(THIRD)]
        assert uow.linked_accounts.of_registration(OTHER) == [link(FOURTH, registration_key=OTHER)]
        assert uow.linked_accounts.of_registration(THIRD) == []
        assert not uow.linked_accounts.is_linked(OWN, FOURTH)
        assert not uow.linked_accounts.is_linked(OTHER, THIRD)
        assert not uow.linked_accounts.is_linked(THIRD, OWN)


def test_one_account_may_be_linked_to_several_registrations(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(THIRD))
        uow.linked_accounts.add(link(THIRD, registration_key=OTHER))
        uow.commit()

    with uow_factory_with_registrations() as uow:
        assert uow.linked_accounts.is_linked(OWN, THIRD)
        assert uow.linked_accounts.is_linked(OTHER, THIRD)


def test_removing_a_link_says_whether_there_was_one_and_keeps_the_others(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(OTHER))
        uow.linked_accounts.add(link(THIRD))
        uow.linked_accounts.add(link(OTHER, registration_key=OTHER))
        uow.commit()

    with uow_factory_with_registrations() as uow:
        assert uow.linked_accounts.remove(OWN, OTHER) is True
        assert uow.linked_accounts.remove(OWN, OTHER) is False
        assert uow.linked_accounts.remove(OWN, FOURTH) is False
        uow.commit()

    assert links_of(uow_factory_with_registrations) == [link(THIRD)]
    with uow_factory_with_registrations() as uow:
        assert uow.linked_accounts.is_linked(OTHER, OTHER)


def test_links_are_counted_for_every_registration_with_the_email_whatever_its_case(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    with uow_factory() as uow:
        uow.registrations.save(a_registration(THIRD, email="IVANOV@mail.ru"))
        uow.linked_accounts.add(link(OTHER))
        uow.linked_accounts.add(link(FOURTH))
        uow.linked_accounts.add(link(FOURTH, registration_key=THIRD))
        uow.linked_accounts.add(link(THIRD, registration_key=OTHER))
        uow.commit()

    with uow_factory() as uow:
        assert uow.linked_accounts.count_for_email("ivanov@mail.ru") == 3
        assert uow.linked_accounts.count_for_email("Semenov@Mail.ru") == 1
        assert uow.linked_accounts.count_for_email("nobody@mail.ru") == 0


def test_a_deleted_registration_takes_its_links_with_it(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_registrations
    with uow_factory() as uow:
        uow.linked_accounts.add(link(THIRD))
        uow.linked_accounts.add(link(THIRD, registration_key=OTHER))
        uow.commit()

    with uow_factory() as uow:
        uow.registrations.delete(OWN)
        uow.commit()
    with uow_factory() as uow:
        uow.registrations.save(a_registration(OWN))
        uow.commit()

    assert links_of(uow_factory) == []
    assert links_of(uow_factory, OTHER) == [link(THIRD, registration_key=OTHER)]


def test_a_link_added_in_a_rolled_back_unit_of_work_is_not_kept(
    uow_factory_with_registrations: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_registrations() as uow:
        uow.linked_accounts.add(link(OTHER))
        uow.rollback()

    assert links_of(uow_factory_with_registrations) == []

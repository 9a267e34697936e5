"""The house repository: houses by code."""

from __future__ import annotations

from decimal import Decimal

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory

from .builders import a_house, given


def test_a_stored_house_is_found_by_its_code(uow_factory: PortalUnitOfWorkFactory) -> None:
    house = a_house("H1", total_area="4210.55")
    given(uow_factory, houses=[house, a_house("H2")])

    with uow_factory() as uow:
        found = uow.houses.get("H1")

    assert found == house
    assert found is not None
    assert str(found.total_area) == "4210.55"


def test_an_unknown_house_is_not_found(uow_factory: PortalUnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1")])

    with uow_factory() as uow:
        assert uow.houses.get("H9") is None


def test_upserting_a_house_with_a_known_code_updates_it(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")])
    changed = a_house("H1", address="г. Тверь, ул. Новая, д. 2", total_area="5000")

    with uow_factory() as uow:
        uow.houses.upsert_many([changed])
        uow.commit()

    with uow_factory() as uow:
        assert uow.houses.get("H1") == changed
        assert uow.houses.codes() == {"H1"}


def test_codes_are_those_of_every_house(uow_factory: PortalUnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1"), a_house("H2"), a_house("Дом-3")])

    with uow_factory() as uow:
        assert uow.houses.codes() == {"H1", "H2", "Дом-3"}


def test_there_are_no_codes_without_houses(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([])
        assert uow.houses.codes() == set()


def test_every_house_is_listed_in_order_of_its_code(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    houses = [a_house("H2"), a_house("Дом-3", total_area="77.75"), a_house("H10"), a_house("H1")]
    given(uow_factory, houses=houses)

    with uow_factory() as uow:
        listed = uow.houses.all()

    assert listed == sorted(houses, key=lambda house: house.code)
    assert [house.code for house in listed] == ["H1", "H10", "H2", "Дом-3"]
    assert str(listed[-1].total_area) == "77.75"


def test_no_houses_are_listed_without_houses(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.houses.all() == []


def test_a_house_area_keeps_its_exact_value(uow_factory: PortalUnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1", total_area="123456789012.01")])

    with uow_factory() as uow:
        found = uow.houses.get("H1")

    assert found is not None
    assert found.total_area == Decimal("123456789012.01")

"""The service repository: services by code."""

from __future__ import annotations

from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import a_service, given


def test_every_service_is_listed_in_the_order_of_its_code(
    uow_factory: UnitOfWorkFactory,
) -> None:
    codes = ["gas", "HW", "cold.water", "ХВС", "el-1", "CW", "el_2", "01"]
    given(uow_factory, services=[a_service(code) for code in codes])

    with uow_factory() as uow:
        listed = uow.services.list()

    assert [service.code for service in listed] == sorted(codes)


def test_a_listed_service_has_its_name_unit_and_provider(
    uow_factory: UnitOfWorkFactory,
) -> None:
    service = a_service("HW", name="Горячая вода", unit="м³", provider="ООО «Тепло»")
    given(uow_factory, services=[service])

    with uow_factory() as uow:
        assert uow.services.list() == [service]


def test_upserting_a_service_with_a_known_code_updates_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, services=[a_service("HW"), a_service("CW")])
    changed = a_service("HW", name="ГВС", unit="Гкал", provider="")

    with uow_factory() as uow:
        uow.services.upsert_many([changed])
        uow.commit()

    with uow_factory() as uow:
        assert uow.services.list() == [a_service("CW"), changed]


def test_without_services_the_list_is_empty(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.services.upsert_many([])
        assert uow.services.list() == []

"""A unit of work is one transaction over every repository: all of it commits, or none."""

from __future__ import annotations

import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory

from .builders import a_house, a_service, an_account, given


def house_codes(uow_factory: PortalUnitOfWorkFactory) -> set[str]:
    with uow_factory() as uow:
        return uow.houses.codes()


def test_committed_changes_are_seen_by_the_next_unit_of_work(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house("H1")])
        uow.commit()

    assert house_codes(uow_factory) == {"H1"}


def test_changes_are_seen_inside_their_own_unit_of_work_before_commit(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house("H1")])
        assert uow.houses.codes() == {"H1"}


def test_changes_not_committed_are_discarded_when_the_block_ends(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house("H1")])

    assert house_codes(uow_factory) == set()


def test_rolled_back_changes_stay_discarded_after_a_later_commit(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house("H1")])
        uow.rollback()
        uow.houses.upsert_many([a_house("H2")])
        uow.commit()

    assert house_codes(uow_factory) == {"H2"}


def test_an_exception_inside_the_block_discards_the_changes(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    def add_a_house_then_fail() -> None:
        with uow_factory() as uow:
            uow.houses.upsert_many([a_house("H1")])
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        add_a_house_then_fail()

    assert house_codes(uow_factory) == set()


def test_a_unit_of_work_goes_on_after_a_commit_and_discards_what_follows_it(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house("H1")])
        uow.commit()
        uow.houses.upsert_many([a_house("H2")])

    assert house_codes(uow_factory) == {"H1"}


def test_changes_to_several_repositories_are_discarded_together(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house("H1")])
        uow.services.upsert_many([a_service("HW")])
        uow.accounts.upsert_from_billing([an_account("100234", house_code="H1")])

    with uow_factory() as uow:
        assert uow.houses.codes() == set()
        assert uow.services.list() == []
        assert uow.accounts.count() == 0


def test_changes_not_yet_committed_are_not_seen_by_another_unit_of_work(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")])

    with uow_factory() as writing:
        writing.houses.upsert_many([a_house("H2")])
        # A reader says so: on SQLite it then reads its snapshot beside the writer
        # instead of queueing for the write lock.
        with uow_factory(read_only=True) as reading:
            assert reading.houses.codes() == {"H1"}


def test_a_reader_is_not_blocked_by_a_long_writer(uow_factory: PortalUnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1")])
    with uow_factory() as writing:
        writing.houses.upsert_many([a_house("H2")])
        for _ in range(3):
            with uow_factory(read_only=True) as reading:
                assert reading.houses.codes() == {"H1"}
        writing.commit()
    with uow_factory(read_only=True) as reading:
        assert reading.houses.codes() == {"H1", "H2"}


def synchronous_commit(uow: object) -> str:
    connection = uow._connection  # type: ignore[attr-defined]
    return str(connection.exec_driver_sql("SHOW synchronous_commit").scalar_one())


def test_on_postgresql_a_unit_of_work_that_need_not_be_durable_does_not_wait_for_the_disk(
    postgres_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

    engine = postgres_uow_factory.engine  # type: ignore[attr-defined]
    lazy = SqlAlchemyUnitOfWorkFactory(engine, durable=False)

    with lazy() as uow:
        assert synchronous_commit(uow) == "off"
        uow.houses.upsert_many([a_house("H1")])
        uow.commit()
    with postgres_uow_factory() as uow:
        assert synchronous_commit(uow) == "on"  # the setting ended with that transaction

    assert house_codes(postgres_uow_factory) == {"H1"}


def test_a_unit_of_work_that_need_not_be_durable_commits_and_rolls_back_like_any(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

    lazy = SqlAlchemyUnitOfWorkFactory(sql_uow_factory.engine, durable=False)  # type: ignore[attr-defined]
    with lazy() as uow:
        uow.houses.upsert_many([a_house("H1")])
        uow.commit()
    with lazy() as uow:
        uow.houses.upsert_many([a_house("H2")])

    assert house_codes(sql_uow_factory) == {"H1"}

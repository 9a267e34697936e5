"""The API key repository: keys by id, listed oldest first, revoked once and for good."""

from __future__ import annotations

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.service_api.api_keys import ApiKey, Scope, issue_api_key

from .builders import MOSCOW, at


def a_key(name: str = "billing", minute: int = 0, *scopes: Scope) -> ApiKey:
    chosen = frozenset(scopes) or frozenset({Scope.READINGS_READ})
    return issue_api_key(name, chosen, "operator:anna", at(minute)).key


def test_an_added_key_is_found_by_its_id_with_its_scopes_and_hash(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    key = a_key("billing", 0, Scope.READINGS_READ, Scope.READINGS_WRITE)
    key.created_at = at(0).astimezone(MOSCOW)

    with uow_factory() as uow:
        uow.api_keys.add(key)
        uow.commit()

    with uow_factory() as uow:
        found = uow.api_keys.get(key.id)
    assert found == key
    assert found is not None
    assert found.scopes == {Scope.READINGS_READ, Scope.READINGS_WRITE}
    assert found.is_active
    assert found.last_used_at is None


def test_an_unknown_id_finds_no_key(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.api_keys.add(a_key())
        assert uow.api_keys.get("000000000000") is None


def test_keys_are_listed_oldest_first_revoked_ones_too(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    newer, older = a_key("call centre", 5), a_key("billing", 1)
    with uow_factory() as uow:
        uow.api_keys.add(newer)
        uow.api_keys.add(older)
        uow.api_keys.revoke(older.id, at(9))
        uow.commit()

    with uow_factory() as uow:
        listed = uow.api_keys.list()
    assert [key.name for key in listed] == ["billing", "call centre"]
    assert listed[0].revoked_at == at(9)
    assert listed[1].revoked_at is None


def test_a_key_is_revoked_once_and_stays_revoked_from_the_first_time(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    key = a_key()
    with uow_factory() as uow:
        uow.api_keys.add(key)
        uow.commit()

    with uow_factory() as uow:
        assert uow.api_keys.revoke(key.id, at(3))
        uow.commit()
    with uow_factory() as uow:
        assert not uow.api_keys.revoke(key.id, at(4))
        assert not uow.api_keys.revoke("000000000000", at(4))
        uow.commit()

    with uow_factory() as uow:
        found = uow.api_keys.get(key.id)
    assert found is not None
    assert found.revoked_at == at(3)
    assert not found.is_active


def test_last_use_only_moves_forward(uow_factory: PortalUnitOfWorkFactory) -> None:
    key = a_key()
    with uow_factory() as uow:
        uow.api_keys.add(key)
        uow.api_keys.mark_used(key.id, at(10))
        uow.api_keys.mark_used(key.id, at(7))
        uow.commit()

    with uow_factory() as uow:
        found = uow.api_keys.get(key.id)
    assert found is not None
    assert found.last_used_at == at(10)


def test_a_key_added_and_rolled_back_is_not_stored(uow_factory: PortalUnitOfWorkFactory) -> None:
    key = a_key()
    with uow_factory() as uow:
        uow.api_keys.add(key)
        uow.rollback()

    with uow_factory() as uow:
        assert uow.api_keys.get(key.id) is None

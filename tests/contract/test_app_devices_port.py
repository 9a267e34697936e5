"""The API devices repository (ADR 0061): devices of a registration, their revocation, and
refresh tokens exchanged once by one conditional write."""

from __future__ import annotations

import datetime as dt

import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.app_devices import AppDevice, RefreshToken

from .builders import MOSCOW, a_house, a_registration, a_session, an_account, at, given

OWN, OTHER = "100234", "100235"


@pytest.fixture
def registered(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account(OWN), an_account(OTHER)])
    with uow_factory() as uow:
        uow.registrations.save(a_registration(OWN, email="ivanov@mail.ru"))
        uow.registrations.save(a_registration(OTHER, email="semenov@mail.ru"))
        uow.commit()
    return uow_factory


def a_device(device_id: str, registration_key: str = OWN, minutes: int = 0) -> AppDevice:
    return AppDevice(device_id, registration_key, f"Телефон {device_id}", at(minutes), at(minutes))


def a_token(token_hash: str, device_id: str = "d1", minutes: int = 0) -> RefreshToken:
    return RefreshToken(token_hash, device_id, at(minutes), at(minutes) + dt.timedelta(days=30))


def stored(uow_factory: PortalUnitOfWorkFactory, *devices: AppDevice) -> None:
    with uow_factory() as uow:
        for device in devices:
            uow.app_devices.add(device)
        uow.commit()


def test_a_device_is_read_back_with_everything_it_records(
    registered: PortalUnitOfWorkFactory,
) -> None:
    made = AppDevice("d1", OWN, "Мой телефон", at(5).astimezone(MOSCOW), at(7))
    stored(registered, made)

    with registered() as uow:
        found = uow.app_devices.get("d1")
        assert uow.app_devices.get("d2") is None

    assert found == AppDevice("d1", OWN, "Мой телефон", at(5), at(7))
    assert not found.is_revoked


def test_devices_of_a_registration_are_its_own_not_revoked_most_recently_used_first(
    registered: PortalUnitOfWorkFactory,
) -> None:
    stored(registered, a_device("d1", minutes=1), a_device("d2", minutes=2))
    stored(registered, a_device("d3", minutes=3), a_device("x1", OTHER, minutes=4))
    with registered() as uow:
        uow.app_devices.touch("d1", at(10))
        assert uow.app_devices.revoke("d3", at(11))
        uow.commit()

    with registered() as uow:
        devices = uow.app_devices.of_registration(OWN)

    assert [d.id for d in devices] == ["d1", "d2"]
    assert devices[0].last_used_at == at(10)


def test_a_device_is_revoked_once(registered: PortalUnitOfWorkFactory) -> None:
    stored(registered, a_device("d1"))

    with registered() as uow:
        first = uow.app_devices.revoke("d1", at(3))
        again = uow.app_devices.revoke("d1", at(4))
        unknown = uow.app_devices.revoke("nope", at(4))
        uow.commit()
    with registered() as uow:
        found = uow.app_devices.get("d1")

    assert (first, again, unknown) == (True, False, False)
    assert found is not None
    assert found.revoked_at == at(3)


def test_revoking_a_registrations_devices_keeps_the_one_asked_and_others_registrations(
    registered: PortalUnitOfWorkFactory,
) -> None:
    stored(registered, a_device("d1"), a_device("d2"), a_device("d3"), a_device("x1", OTHER))

    with registered() as uow:
        revoked = uow.app_devices.revoke_of_registration(OWN, "d2", at(9))
        uow.commit()
    with registered() as uow:
        left = [d.id for d in uow.app_devices.of_registration(OWN)]
        others = [d.id for d in uow.app_devices.of_registration(OTHER)]

    assert revoked == ["d1", "d3"]
    assert left == ["d2"]
    assert others == ["x1"]


def test_a_refresh_token_is_read_back_and_used_only_once(
    registered: PortalUnitOfWorkFactory,
) -> None:
    stored(registered, a_device("d1"))
    with registered() as uow:
        uow.app_devices.add_refresh_token(a_token("h" * 64))
        uow.commit()

    with registered() as uow:
        first = uow.app_devices.use_refresh_token("h" * 64, at(2))
        second = uow.app_devices.use_refresh_token("h" * 64, at(3))
        unknown = uow.app_devices.use_refresh_token("u" * 64, at(3))
        uow.commit()
    with registered() as uow:
        found = uow.app_devices.refresh_token("h" * 64)
        assert uow.app_devices.refresh_token("u" * 64) is None

    assert (first, second, unknown) == (True, False, False)
    assert found == RefreshToken("h" * 64, "d1", at(0), at(0) + dt.timedelta(days=30), at(2))


def test_a_session_of_a_device_keeps_its_device_and_end_and_goes_with_it(
    registered: PortalUnitOfWorkFactory,
) -> None:
    stored(registered, a_device("d1"))
    with registered() as uow:
        uow.sessions.add(a_session("s1", registration_key=OWN, device_id="d1", expires_at=at(15)))
        uow.sessions.add(a_session("s2", registration_key=OWN))
        uow.commit()

    with registered() as uow:
        found = uow.sessions.get("s1")
        deleted = uow.sessions.delete_of_device("d1")
        uow.commit()
    with registered() as uow:
        assert uow.sessions.get("s1") is None
        assert uow.sessions.get("s2") is not None

    assert found is not None
    assert (found.device_id, found.expires_at) == ("d1", at(15))
    assert deleted == 1


def test_ended_refresh_tokens_and_devices_left_without_one_or_revoked_are_forgotten(
    registered: PortalUnitOfWorkFactory,
) -> None:
    stored(registered, a_device("live"), a_device("ended"), a_device("revoked"))
    with registered() as uow:
        uow.app_devices.add_refresh_token(a_token("l" * 64, "live", minutes=60))
        uow.app_devices.add_refresh_token(a_token("e" * 64, "ended", minutes=0))
        uow.app_devices.add_refresh_token(a_token("r" * 64, "revoked", minutes=60))
        uow.app_devices.revoke("revoked", at(1))
        uow.commit()

    with registered() as uow:
        forgotten = uow.app_devices.delete_ended(at(0) + dt.timedelta(days=30, minutes=1))
        uow.commit()
    with registered() as uow:
        kept = [uow.app_devices.get(d) is not None for d in ("live", "ended", "revoked")]
        tokens = [uow.app_devices.refresh_token(h * 64) is not None for h in "ler"]

    assert forgotten == 2
    assert kept == [True, False, False]
    assert tokens == [True, False, False]

"""«Личные данные» (F18): the account shown, as billing has it; a linked account's data once
the resident switches to it; nothing for a session signed in to no registration."""

from __future__ import annotations

from decimal import Decimal

import pytest

from access_fixtures import IP, IVANOV, PASSWORD, PETROVA, SIDOROV, Portal, a_house, a_portal
from lk_core.access.email_change import request_email_change
from lk_core.access.linking import switch_account
from lk_core.access.sessions import Session
from lk_core.access.sign_in import current_session
from lk_core.kernel.errors import NotFound
from lk_core.personal_data.account_details import full_address, personal_data
from personal_data_fixtures import IVANOV_EMAIL, link_by_surname, signed_in


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV)
    return portal


@pytest.fixture
def ivanov(portal: Portal) -> Session:
    return signed_in(portal)


def test_the_tab_shows_the_own_account_as_billing_has_it(portal: Portal, ivanov: Session) -> None:
    data = personal_data(portal.ctx, ivanov)

    assert str(data.account.number) == "100234-А"
    assert data.account.payer_name == "Иванов Иван Иванович"
    assert data.address == "г. Тверь, ул. Советская, д. 1, кв. 12"
    assert (data.account.rooms, data.account.area, data.account.residents) == (
        2,
        Decimal("54.3"),
        2,
    )
    assert data.house_area == Decimal("4210.55")
    assert str(data.account.email) == IVANOV_EMAIL
    assert data.account.phone is None
    assert data.sign_in_email == IVANOV_EMAIL
    assert data.accounts.shows_own
    assert data.linked == ()


def test_after_switching_the_tab_shows_the_linked_account(portal: Portal, ivanov: Session) -> None:
    link_by_surname(portal, ivanov, SIDOROV)
    switch_account(portal.ctx, ivanov, SIDOROV)

    data = personal_data(portal.ctx, ivanov)

    assert data.account.payer_name == "Сидоров Олег Петрович"
    assert data.address.endswith("кв. 15")
    assert str(data.account.phone) == "+7 900 111-22-33"
    assert data.sign_in_email == IVANOV_EMAIL
    assert [a.key for a in data.linked] == [SIDOROV]
    assert not data.accounts.shows_own


def test_an_address_waiting_for_confirmation_is_shown_beside_the_current_one(
    portal: Portal, ivanov: Session
) -> None:
    request_email_change(portal.ctx, ivanov, "new@mail.ru", PASSWORD, ip=IP)

    data = personal_data(portal.ctx, ivanov)

    assert (data.sign_in_email, data.pending_email) == (IVANOV_EMAIL, "new@mail.ru")


def test_a_session_signed_in_to_no_registration_sees_no_personal_data(portal: Portal) -> None:
    pending = current_session(portal.ctx, portal.first_visit(PETROVA))

    for session in (None, pending):
        with pytest.raises(NotFound):
            personal_data(portal.ctx, session)


@pytest.mark.parametrize(
    ("flat", "address"),
    [
        ("12", "г. Тверь, ул. Советская, д. 1, кв. 12"),
        ("5, комн. 2", "г. Тверь, ул. Советская, д. 1, кв. 5, комн. 2"),
        ("", "г. Тверь, ул. Советская, д. 1"),
    ],
)
def test_the_address_joins_the_house_and_the_flat(flat: str, address: str) -> None:
    assert full_address(a_house(), flat) == address


def test_without_a_house_the_address_is_the_flat_alone() -> None:
    assert full_address(None, "7") == "кв. 7"

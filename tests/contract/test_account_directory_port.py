"""The operators' account directory (F25, F26), the same over memory, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from lk_core.access.one_time_secrets import SecretPurpose
from lk_core.access.registration import ConsentKind, RegistrationStatus
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.operator.directory import AccountQuery, Audience
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import (
    NOON,
    OCTOBER,
    a_consent,
    a_house,
    a_ledger_row,
    a_registration,
    a_secret,
    a_service,
    an_account,
    at,
    given,
)

SEPTEMBER = Period(2026, 9)


@pytest.fixture
def directory_data(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(
        uow_factory,
        houses=[
            a_house("H1", address="г. Тверь, ул. Советская, д. 1"),
            a_house("H2", address="г. Тверь, пр-т Ленина, д. 7"),
        ],
        services=[a_service("HW"), a_service("EL")],
        accounts=[
            an_account("100234", payer_name="Иванов Иван Иванович", email="ivanov@mail.ru"),
            an_account("100235", payer_name="СЕМЁНОВА Анна Петровна", flat="15"),
            an_account("2001", house_code="H2", payer_name="Петров Пётр", flat="3"),
            an_account("99", house_code="H2", payer_name="Иванова Мария", flat="1"),
        ],
    )
    with uow_factory() as uow:
        uow.registrations.save(a_registration("100235", email="Anna.Sem@Yandex.ru"))
        uow.commit()
    return uow_factory


def find(uow_factory: UnitOfWorkFactory, typed: str, limit: int = 50) -> list[str]:
    with uow_factory(read_only=True) as uow:
        return [item.account.key for item in uow.directory.find(AccountQuery.parse(typed), limit)]


def test_accounts_are_found_by_the_start_of_their_number_in_numeric_order(
    directory_data: UnitOfWorkFactory,
) -> None:
    assert find(directory_data, "10023") == ["100234", "100235"]
    assert find(directory_data, "100234-А") == ["100234"]
    assert find(directory_data, "2001") == ["2001"]


def test_accounts_are_found_by_surname_whatever_the_case_and_yo(
    directory_data: UnitOfWorkFactory,
) -> None:
    assert find(directory_data, "иванов") == ["99", "100234"]
    assert find(directory_data, "Семенова") == ["100235"]


def test_accounts_are_found_by_part_of_the_address(directory_data: UnitOfWorkFactory) -> None:
    assert find(directory_data, "ЛЕНИНА") == ["99", "2001"]
    assert find(directory_data, "советская, д. 1, кв. 15") == ["100235"]


def test_accounts_are_found_by_the_account_or_registration_email(
    directory_data: UnitOfWorkFactory,
) -> None:
    assert find(directory_data, "IVANOV@mail") == ["100234"]
    assert find(directory_data, "anna.sem@yandex.ru") == ["100235"]


def test_a_search_stops_at_its_limit(directory_data: UnitOfWorkFactory) -> None:
    assert len(find(directory_data, "г. Тверь", limit=3)) == 3


def test_what_is_found_carries_the_address_and_the_registration_without_its_password(
    directory_data: UnitOfWorkFactory,
) -> None:
    with directory_data(read_only=True) as uow:
        [found] = uow.directory.find(AccountQuery.parse("100235"), 10)
    assert found.address == "г. Тверь, ул. Советская, д. 1, кв. 15"
    assert found.registration is not None
    assert str(found.registration.email) == "Anna.Sem@yandex.ru"
    assert found.registration.status is RegistrationStatus.PENDING
    assert found.registration.created_at == NOON
    assert not hasattr(found.registration, "password_hash")


def all_members(uow_factory: UnitOfWorkFactory, audience: Audience, page: int = 2) -> list[str]:
    keys: list[str] = []
    after = ""
    while True:
        with uow_factory(read_only=True) as uow:
            got = uow.directory.audience(audience, after, page)
        keys += [member.account.key for member in got.members]
        assert len(got.members) <= page
        if got.next_after is None:
            return keys
        after = got.next_after


def test_an_audience_of_every_account_comes_in_pages_in_key_order(
    directory_data: UnitOfWorkFactory,
) -> None:
    assert all_members(directory_data, Audience()) == ["100234", "100235", "2001", "99"]
    assert all_members(directory_data, Audience(), page=1) == ["100234", "100235", "2001", "99"]


def test_an_audience_of_a_house_or_a_list_holds_only_those(
    directory_data: UnitOfWorkFactory,
) -> None:
    assert all_members(directory_data, Audience(house_code="H2")) == ["2001", "99"]
    listed = Audience(account_keys=frozenset({"99", "100235", "555"}))
    assert all_members(directory_data, listed, page=1) == ["100235", "99"]


def test_debt_is_the_closing_balance_of_the_newest_period_and_selects_debtors(
    directory_data: UnitOfWorkFactory,
) -> None:
    with directory_data() as uow:
        uow.ledger.upsert_rows(
            [
                a_ledger_row("100234", SEPTEMBER, "HW", opening=0, charged=900_000, paid=0),
                a_ledger_row("100234", OCTOBER, "HW", opening=10_000, charged=50_000, paid=0),
                a_ledger_row("100234", OCTOBER, "EL", opening=0, charged=20_000, paid=5_000),
                a_ledger_row("2001", OCTOBER, "HW", opening=0, charged=10_000, paid=30_000),
            ]
        )
        uow.commit()
    with directory_data(read_only=True) as uow:
        page = uow.directory.audience(Audience(), "", 10)
    debts = {member.account.key: member.debt for member in page.members}
    assert debts == {
        "100234": Money(75_000),
        "100235": Money(0),
        "2001": Money(-20_000),
        "99": Money(0),
    }
    assert all_members(directory_data, Audience(min_debt=Money(75_000))) == ["100234"]
    assert all_members(directory_data, Audience(min_debt=Money(75_001))) == []
    in_h2 = Audience(house_code="H2", min_debt=Money(-20_000))
    assert all_members(directory_data, in_h2) == ["2001", "99"]


def test_members_carry_the_address_their_last_informing_consent_was_given_for(
    directory_data: UnitOfWorkFactory,
) -> None:
    sms, email = ConsentKind.SMS_INFORMING, ConsentKind.EMAIL_INFORMING
    with directory_data() as uow:
        for consent in (
            a_consent("100234", kind=sms, given=True, at=at(0), address="+79161234567"),
            a_consent("100234", kind=sms, given=True, at=at(5), address="+79990001122"),
            a_consent("100234", kind=email, given=True, at=at(0), address="ivanov@mail.ru"),
            a_consent("100235", kind=email, given=True, at=at(0), address="anna@ya.ru"),
            a_consent("100235", kind=email, given=False, at=at(9), address="anna@ya.ru"),
        ):
            uow.consents.add(consent)
        uow.commit()
    with directory_data(read_only=True) as uow:
        members = {m.account.key: m for m in uow.directory.audience(Audience(), "", 10).members}
    assert members["100234"].sms_consented_to == "+79990001122"
    assert members["100234"].email_consented_to == "ivanov@mail.ru"
    assert members["100235"].email_consented_to is None
    assert members["2001"].sms_consented_to is None
    assert members["2001"].house_address == "г. Тверь, пр-т Ленина, д. 7"


def test_voiding_spends_every_pending_secret_of_the_subject_only(
    directory_data: UnitOfWorkFactory,
) -> None:
    later = NOON + dt.timedelta(minutes=1)
    with directory_data() as uow:
        uow.secrets.add(a_secret("a" * 64, purpose=SecretPurpose.REGISTRATION))
        uow.secrets.add(a_secret("b" * 64, purpose=SecretPurpose.PASSWORD_RESET))
        uow.secrets.add(a_secret("c" * 64, purpose=SecretPurpose.PASSWORD_RESET, issued_at=later))
        uow.secrets.add(a_secret("d" * 64, used_at=later))
        uow.secrets.add(a_secret("e" * 64, subject="100235"))
        uow.commit()
    with directory_data() as uow:
        assert uow.directory.void_secrets("100234") == 3
        uow.commit()
    with directory_data(read_only=True) as uow:
        left = {h: uow.secrets.find(h * 64) for h in "abcde"}
        assert {h: s.attempts_left for h, s in left.items() if s} == {
            "a": 0, "b": 0, "c": 0, "d": 1, "e": 1,
        }  # fmt: skip
        assert uow.directory.void_secrets("100234") == 0

"""The account repository: billing owns the flat and payer, the portal owns the contacts."""

from __future__ import annotations

from decimal import Decimal

from lk_core.accounts.account import Account, ReceiptDelivery
from lk_core.accounts.contacts import Email, Phone
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import a_house, an_account, given


def stored(uow_factory: UnitOfWorkFactory, key: str) -> Account:
    with uow_factory() as uow:
        account = uow.accounts.get(key)
    assert account is not None
    return account


def load_from_billing(uow_factory: UnitOfWorkFactory, *accounts: Account) -> None:
    with uow_factory() as uow:
        uow.accounts.upsert_from_billing(accounts)
        uow.commit()


def test_an_account_loaded_from_billing_is_found_by_its_digits(
    uow_factory: UnitOfWorkFactory,
) -> None:
    account = an_account(
        "100234",
        letter="А",
        area=Decimal("54.37"),
        phone="+79161234567",
        email="Ivanov@mail.ru",
    )
    given(uow_factory, houses=[a_house("H1")], accounts=[account])

    found = stored(uow_factory, "100234")

    assert found == account
    assert found.number.letter == "А"
    assert str(found.area) == "54.37"


def test_an_unknown_account_is_not_found(uow_factory: UnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account("100234")])

    with uow_factory() as uow:
        assert uow.accounts.get("100235") is None


def test_loading_an_account_again_updates_what_billing_owns(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1"), a_house("H2")], accounts=[an_account("100234")])
    billed = an_account(
        "100234",
        letter="Б",
        house_code="H2",
        payer_name="Петрова Анна Сергеевна",
        flat="7А",
        rooms=3,
        area=Decimal("71.2"),
        residents=1,
    )

    load_from_billing(uow_factory, billed)

    found = stored(uow_factory, "100234")
    assert found == billed
    assert found.number.letter == "Б"


def test_loading_an_account_again_keeps_the_contacts_and_delivery_on_file(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account("100234")])
    chosen = an_account("100234", phone="+79161234567", email="ivanov@mail.ru")
    chosen.choose_delivery(ReceiptDelivery.EMAIL)
    chosen.set_sms_informing(True)
    chosen.set_email_informing(True)
    with uow_factory() as uow:
        uow.accounts.save(chosen)
        uow.commit()

    load_from_billing(
        uow_factory,
        an_account("100234", payer_name="Иванова Мария", phone="+79035550000", email="x@y.ru"),
    )

    found = stored(uow_factory, "100234")
    assert found.payer_name == "Иванова Мария"
    assert found.phone == Phone("+79161234567")
    assert found.email == Email("ivanov@mail.ru")
    assert found.delivery is ReceiptDelivery.EMAIL
    assert found.sms_informing
    assert found.email_informing


def test_loading_an_account_again_fills_in_only_the_contacts_not_on_file(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(
        uow_factory,
        houses=[a_house("H1")],
        accounts=[an_account("100234", phone=None, email="ivanov@mail.ru")],
    )

    load_from_billing(
        uow_factory, an_account("100234", phone="+79035550000", email="other@mail.ru")
    )

    found = stored(uow_factory, "100234")
    assert found.phone == Phone("+79035550000")
    assert found.email == Email("ivanov@mail.ru")


def test_loading_an_account_without_contacts_keeps_the_contacts_on_file(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(
        uow_factory,
        houses=[a_house("H1")],
        accounts=[an_account("100234", phone="+79161234567", email="ivanov@mail.ru")],
    )

    load_from_billing(uow_factory, an_account("100234", phone=None, email=None))

    found = stored(uow_factory, "100234")
    assert found.phone == Phone("+79161234567")
    assert found.email == Email("ivanov@mail.ru")


def test_saving_an_account_stores_its_contacts_and_delivery_settings(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account("100234")])
    with uow_factory() as uow:
        account = uow.accounts.get("100234")
        assert account is not None
        account.email = Email.parse("new@mail.ru")
        account.phone = Phone.parse("8 916 123-45-67")
        account.choose_delivery(ReceiptDelivery.EMAIL)
        account.set_email_informing(True)
        uow.accounts.save(account)
        uow.commit()

    assert stored(uow_factory, "100234") == account


def test_saving_an_account_leaves_what_billing_owns_as_billing_loaded_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account("100234")])
    load_from_billing(uow_factory, an_account("100234", payer_name="Петров Пётр", rooms=4))
    stale = an_account("100234", payer_name="Иванов Иван Иванович", email="new@mail.ru")

    with uow_factory() as uow:
        uow.accounts.save(stale)
        uow.commit()

    found = stored(uow_factory, "100234")
    assert (found.payer_name, found.rooms) == ("Петров Пётр", 4)
    assert found.email == Email("new@mail.ru")


def test_saving_an_account_not_on_file_stores_it_whole(uow_factory: UnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1")])
    account = an_account("100234", letter="А", email="ivanov@mail.ru")
    account.set_email_informing(True)

    with uow_factory() as uow:
        uow.accounts.save(account)
        uow.commit()

    assert stored(uow_factory, "100234") == account


def test_keys_and_count_are_those_of_every_account(uow_factory: UnitOfWorkFactory) -> None:
    given(
        uow_factory,
        houses=[a_house("H1"), a_house("H2")],
        accounts=[an_account("100234"), an_account("7", house_code="H2"), an_account("100235")],
    )

    with uow_factory() as uow:
        assert uow.accounts.keys() == {"100234", "7", "100235"}
        assert uow.accounts.count() == 3


def test_without_accounts_there_are_no_keys(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.accounts.upsert_from_billing([])
        assert uow.accounts.keys() == set()
        assert uow.accounts.count() == 0


def test_the_accounts_of_a_house_are_listed_by_number(uow_factory: UnitOfWorkFactory) -> None:
    given(
        uow_factory,
        houses=[a_house("H1"), a_house("H2")],
        accounts=[
            an_account("1000"),
            an_account("99"),
            an_account("555", house_code="H2"),
            an_account("101"),
            an_account("100"),
        ],
    )

    with uow_factory() as uow:
        in_house = uow.accounts.in_house("H1")

    assert [account.key for account in in_house] == ["99", "100", "101", "1000"]


def test_a_house_without_accounts_lists_none(uow_factory: UnitOfWorkFactory) -> None:
    given(uow_factory, houses=[a_house("H1"), a_house("H2")], accounts=[an_account("100234")])

    with uow_factory() as uow:
        assert uow.accounts.in_house("H2") == []


def test_changing_an_account_found_changes_nothing_until_it_is_saved(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account("100234")])

    with uow_factory() as uow:
        found = uow.accounts.get("100234")
        assert found is not None
        found.email = Email.parse("new@mail.ru")
        assert uow.accounts.get("100234") == an_account("100234")


# --- receipts and month close (issue 6) ---


def test_several_accounts_are_read_in_one_call_and_unknown_ones_left_out(
    uow_factory: UnitOfWorkFactory,
) -> None:
    given(uow_factory, houses=[a_house("H1")])
    load_from_billing(uow_factory, an_account("100234"), an_account("100235", letter="Б"))

    with uow_factory() as uow:
        found = uow.accounts.get_many(["100235", "999999", "100234", "100235"])
        none = uow.accounts.get_many([])

    assert sorted(str(account.number) for account in found) == ["100234", "100235-Б"]
    assert none == []

"""Phones and e-mail addresses: read as residents type them, stored in one form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import InvalidValue

TEN_DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)


@pytest.mark.parametrize(
    "typed",
    [
        "+7 (916) 123-45-67",
        "+79161234567",
        "8 916 123 45 67",
        "89161234567",
        "79161234567",
        "9161234567",
        "+7-916-123-45-67",
        "8(916)123.45.67",
        "8 (916) 123–45–67",
        "  +7 916 1234567 ",
    ],
)
def test_russian_mobile_number_is_stored_as_plus_seven_and_ten_digits(typed):
    assert Phone.parse(typed) == Phone("+79161234567")


def test_phone_is_shown_grouped_and_masked_to_the_last_four_digits():
    phone = Phone.parse("89161234567")
    assert str(phone) == "+7 916 123-45-67"
    assert phone.masked() == "+7 ••• •••-45-67"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "+1 202 555 0100",
        "+7 916 123 45 6",
        "+7 916 123 45 678",
        "+8 916 123 45 67",
        "телефон",
        "+7 916 123 45 6x",
        "916123456",
    ],
)
def test_text_that_is_not_a_russian_phone_is_refused(typed):
    with pytest.raises(InvalidValue) as refused:
        Phone.parse(typed)
    assert refused.value.field == "phone"
    assert refused.value.message_ru == "Укажите номер телефона в формате +7 XXX XXX-XX-XX"


@given(TEN_DIGITS)
def test_plus_seven_eight_and_seven_prefixes_give_the_same_phone(national):
    phones = {
        Phone.parse(f"+7{national}"),
        Phone.parse(f"8{national}"),
        Phone.parse(f"7{national}"),
    }
    assert phones == {Phone(f"+7{national}")}


@given(TEN_DIGITS)
def test_phone_parses_back_from_how_it_is_shown(national):
    phone = Phone.parse(f"+7{national}")
    assert Phone.parse(str(phone)) == phone
    assert phone.masked().endswith(f"{national[-4:-2]}-{national[-2:]}")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ivanov@mail.ru", "ivanov@mail.ru"),
        ("Ivanov@Mail.RU", "Ivanov@mail.ru"),
        ("  ivanov@mail.ru\n", "ivanov@mail.ru"),
        ("i.ivanov+lk@yandex.ru", "i.ivanov+lk@yandex.ru"),
        ("иванов@почта.рф", "иванов@почта.рф"),
        ("a@b.c.d", "a@b.c.d"),
    ],
)
def test_email_domain_is_lowercased_and_the_local_part_kept_as_typed(typed, stored):
    email = Email.parse(typed)
    assert email.address == stored
    assert str(email) == stored


def test_email_addresses_differing_only_in_case_are_the_same_for_the_per_email_limit():
    assert (
        Email.parse("Ivanov@Mail.ru").key == Email.parse("ivanov@mail.RU").key == "ivanov@mail.ru"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ivanov",
        "ivanov@",
        "@mail.ru",
        "ivanov@mail",
        "iv anov@mail.ru",
        "ivanov@@mail.ru",
        "a@b@mail.ru",
        "ivanov@mail..ru",
        "ivanov@.mail.ru",
        "ivanov@mail.ru.",
        "x" * 65 + "@mail.ru",
        "ivanov@" + "d" * 250 + ".ru",
    ],
)
def test_text_that_is_not_an_email_address_is_refused(typed):
    with pytest.raises(InvalidValue) as refused:
        Email.parse(typed)
    assert refused.value.field == "email"
    assert refused.value.message_ru == "Укажите адрес электронной почты, например ivanov@mail.ru"


LOCAL = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-",
    min_size=1,
    max_size=64,
)
LABEL = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
    min_size=1,
    max_size=20,
)


@given(LOCAL, st.lists(LABEL, min_size=2, max_size=4))
def test_email_parsing_is_idempotent_and_its_key_ignores_case(local, labels):
    typed = f"{local}@{'.'.join(labels)}"
    email = Email.parse(typed)
    assert Email.parse(str(email)) == email
    assert Email.parse(typed.upper()).key == Email.parse(typed.lower()).key == typed.lower()

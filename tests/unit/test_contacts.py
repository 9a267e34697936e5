"""Phones and e-mail addresses: read as residents type them, stored in one form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import InvalidValue

DIGITS = "0123456789"
# Ten-digit national numbers the +7 plan gives out: mobiles (9XX) and Moscow landlines (495).
MOBILE = st.text(alphabet=DIGITS, min_size=9, max_size=9).map(lambda rest: "9" + rest)
LANDLINE = st.text(alphabet=DIGITS, min_size=7, max_size=7).map(lambda rest: "495" + rest)
NATIONAL = MOBILE | LANDLINE


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
        "+7 000 123-45-67",
        "8 800 FLOWERS",
        "+7 916 123-45-67 доб. 12",
    ],
)
def test_text_that_is_not_a_russian_phone_is_refused(typed):
    with pytest.raises(InvalidValue) as refused:
        Phone.parse(typed)
    assert refused.value.field == "phone"
    assert refused.value.message_ru == "Укажите номер телефона в формате +7 XXX XXX-XX-XX"


def test_a_number_outside_the_numbering_plan_is_refused_though_it_has_ten_digits():
    with pytest.raises(InvalidValue):
        Phone.parse("+7 (100) 123-45-67")


@pytest.mark.parametrize(
    "typed", ["+7 916 123-45-67", "8 (999) 000-00-01", "+7 701 123-45-67", "89001112233"]
)
def test_a_mobile_number_is_one_an_sms_can_go_to(typed):
    phone = Phone.parse_mobile(typed)
    assert phone.is_mobile
    assert phone.require_mobile() == phone


@pytest.mark.parametrize(
    "typed", ["+7 (495) 123-45-67", "8 (4822) 55-12-34", "+7 (3952) 12-34-56", "8 800 555-35-35"]
)
def test_a_landline_is_a_phone_but_not_one_an_sms_can_go_to(typed):
    phone = Phone.parse(typed)
    assert not phone.is_mobile
    with pytest.raises(InvalidValue) as refused:
        Phone.parse_mobile(typed)
    assert refused.value.field == "phone"
    assert refused.value.message_ru == (
        "Смс приходят только на мобильный телефон: укажите мобильный номер, "
        "например +7 912 345-67-89"
    )


@given(NATIONAL)
def test_plus_seven_eight_and_seven_prefixes_give_the_same_phone(national):
    phones = {
        Phone.parse(f"+7{national}"),
        Phone.parse(f"8{national}"),
        Phone.parse(f"7{national}"),
    }
    assert phones == {Phone(f"+7{national}")}


@given(NATIONAL)
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


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Житель@ПОЧТА.РФ", "Житель@почта.рф"),
        ("zhitel@xn--80a1acny.xn--p1ai", "zhitel@почта.рф"),
        ("zhitel@почта。рф", "zhitel@почта.рф"),
        ("и\u0306ванов@почта.рф", "\u0439ванов@почта.рф"),
    ],
    ids=["case", "punycode", "ideographic full stop", "decomposed letter"],
)
def test_an_internationalised_address_is_stored_in_one_normalised_form(typed, stored):
    assert Email.parse(typed).address == stored


def test_a_domain_in_cyrillic_and_in_punycode_is_the_same_for_the_per_email_limit():
    assert Email.parse("zhitel@почта.рф").key == Email.parse("Zhitel@XN--80A1ACNY.XN--P1AI").key


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
        ".ivanov@mail.ru",
        "iva..nov@mail.ru",
        "ivanov@-mail.ru",
        "ivanov@mail.123",
        '"ivanov"@mail.ru',
        "ivanov@[127.0.0.1]",
        "Иванов <ivanov@mail.ru>",
        "ivanov@lk.invalid",
    ],
)
def test_text_that_is_not_an_email_address_is_refused(typed):
    with pytest.raises(InvalidValue) as refused:
        Email.parse(typed)
    assert refused.value.field == "email"
    assert refused.value.message_ru == "Укажите адрес электронной почты, например ivanov@mail.ru"


# Dot-atoms (RFC 5322): words joined by single dots; host labels (RFC 1123) that do not
# start or end with a hyphen; a top-level domain of letters.
ATOM = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-",
    min_size=1,
    max_size=10,
)
LOCAL = st.lists(ATOM, min_size=1, max_size=4).map(".".join)
LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,18}[a-zA-Z0-9])?", fullmatch=True).filter(
    lambda label: label[2:4] != "--"  # "xn--" and the like are reserved for IDNA
)
RESERVED = {"arpa", "invalid", "local", "localhost", "onion", "test"}  # RFC 6761 and kin
TLD = st.from_regex(r"[a-zA-Z]{2,6}", fullmatch=True).filter(
    lambda tld: tld.lower() not in RESERVED
)


@given(LOCAL, st.lists(LABEL, min_size=1, max_size=3), TLD)
def test_email_parsing_is_idempotent_and_its_key_ignores_case(local, labels, tld):
    typed = f"{local}@{'.'.join(labels)}.{tld}"
    email = Email.parse(typed)
    assert Email.parse(str(email)) == email
    assert Email.parse(typed.upper()).key == Email.parse(typed.lower()).key == typed.lower()

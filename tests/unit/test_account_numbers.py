"""Account numbers, surnames, houses and the payer's delivery and informing choices."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.accounts.account import (
    Account,
    AccountNumber,
    House,
    ReceiptDelivery,
    normalise_surname,
)
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import InvalidValue

CYRILLIC_UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
CYRILLIC = CYRILLIC_UPPER + CYRILLIC_UPPER.lower()

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=20)
LETTERS = st.sampled_from(CYRILLIC)
SEPARATORS = st.sampled_from(["-", " ", "/", "–", "—", ".", "_", " - ", "\t"])


# --- laws -----------------------------------------------------------------------------


@given(DIGITS, LETTERS)
def test_number_is_the_same_however_its_letter_index_is_written(digits, letter):
    forms = [
        digits,
        digits + letter,
        f"{digits}-{letter}",
        f"{digits} {letter}",
        f"{digits}/{letter}",
    ]
    numbers = [AccountNumber.parse(form) for form in forms]
    assert all(number == numbers[0] for number in numbers)
    assert {number.key for number in numbers} == {digits}
    assert len({hash(number) for number in numbers}) == 1


@given(DIGITS, st.none() | LETTERS, st.data())
def test_separators_anywhere_in_the_number_are_ignored(digits, letter, data):
    pieces = []
    for digit in digits:
        pieces.append(digit)
        pieces.append(data.draw(st.just("") | SEPARATORS))
    text = "".join(pieces) + (letter or "")
    number = AccountNumber.parse(f"  {text}  ")
    assert number.key == digits
    assert number.letter == (letter or "").upper()


@given(DIGITS, st.none() | LETTERS)
def test_number_parses_back_from_how_it_is_printed(digits, letter):
    number = AccountNumber.parse(digits + (letter or ""))
    again = AccountNumber.parse(str(number))
    assert again == number
    assert str(again) == str(number)
    assert again.letter == number.letter


# --- examples -------------------------------------------------------------------------


def test_number_is_printed_with_its_letter_index_after_a_dash():
    assert str(AccountNumber.parse("100234а")) == "100234-А"
    assert str(AccountNumber.parse("100234")) == "100234"
    assert AccountNumber.parse("100234 ё").letter == "Ё"


def test_letter_index_does_not_make_a_different_account():
    assert AccountNumber("100234", "А") == AccountNumber("100234", "Б") == AccountNumber("100234")


def test_leading_zeros_are_part_of_the_number():
    assert AccountNumber.parse("00123").key == "00123"
    assert AccountNumber.parse("00123") != AccountNumber.parse("123")


@pytest.mark.parametrize(
    "text", ["", "   ", "абв", "А100234", "100234-АБ", "100234!", "1" * 21, "12 34 5x6"]
)
def test_text_that_is_not_an_account_number_is_refused(text):
    with pytest.raises(InvalidValue) as refused:
        AccountNumber.parse(text)
    assert refused.value.field == "account_number"
    assert refused.value.message_ru == "Номер лицевого счёта — это цифры, например 100234"


@pytest.mark.parametrize("text", ["١٠٠٢٣٤", "１００２３４"])
def test_number_in_non_ascii_digits_is_refused(text):
    with pytest.raises(InvalidValue):
        AccountNumber.parse(text)


# --- surnames -------------------------------------------------------------------------


def make_account(payer_name: str = "Фёдоров Иван Петрович", **changes: object) -> Account:
    fields: dict[str, object] = {
        "number": AccountNumber.parse("100234-А"),
        "house_code": "H1",
        "payer_name": payer_name,
        "flat": "12",
        "rooms": 2,
        "area": Decimal("54.3"),
        "residents": 3,
    }
    fields.update(changes)
    return Account(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "typed", ["Фёдоров", "федоров", "ФЕДОРОВ", "ФёДоРоВ", "  Федоров  ", "\tфёдоров\n"]
)
def test_surname_matches_whatever_the_case_and_ё_and_surrounding_spaces(typed):
    assert make_account().surname_matches(typed)


@pytest.mark.parametrize("typed", ["", "   ", "Федорова", "Фёдоров Иван", "Иван", "Федоро"])
def test_surname_does_not_match_another_word_or_nothing(typed):
    assert not make_account().surname_matches(typed)


def test_surname_is_the_first_word_of_the_payers_full_name():
    assert make_account("Салтыков-Щедрин Михаил Евграфович").surname == "Салтыков-Щедрин"
    assert make_account("  ").surname == ""
    assert not make_account("  ").surname_matches("  ")


def test_normalised_surname_ignores_case_ё_and_spacing():
    assert normalise_surname("  Ёлкин   Пётр ") == normalise_surname("елкин петр") == "елкин петр"


@given(st.text(alphabet=CYRILLIC, min_size=1, max_size=20), st.data())
def test_surname_matches_any_mix_of_case_and_ё_е(surname, data):
    def spellings(c: str) -> list[str]:
        same = {c, c.upper(), c.lower()}
        return sorted(same | {"е", "Е", "ё", "Ё"} if c in "ёЁеЕ" else same)

    typed = "".join(data.draw(st.sampled_from(spellings(c))) for c in surname)
    assert make_account(f"{surname} Иван").surname_matches(typed)


# --- account settings -----------------------------------------------------------------


def test_account_key_is_its_numbers_digits():
    assert make_account().key == "100234"


@pytest.mark.parametrize("field", ["rooms", "area", "residents"])
def test_negative_rooms_area_or_residents_are_refused(field):
    with pytest.raises(InvalidValue) as refused:
        make_account(**{field: Decimal(-1) if field == "area" else -1})
    assert refused.value.field == field


def test_receipt_goes_on_paper_until_the_payer_chooses_email():
    account = make_account()
    assert account.delivery is ReceiptDelivery.PAPER
    assert not account.sms_informing
    assert not account.email_informing


def test_email_delivery_without_an_email_address_is_refused_and_stays_on_paper():
    account = make_account()
    with pytest.raises(InvalidValue) as refused:
        account.choose_delivery(ReceiptDelivery.EMAIL)
    assert refused.value.field == "email"
    assert refused.value.message_ru == (
        "Чтобы получать счёт по e-mail, укажите адрес электронной почты"
    )
    assert account.delivery is ReceiptDelivery.PAPER


def test_email_delivery_with_an_address_on_file_is_chosen_and_paper_can_be_chosen_back():
    account = make_account(email=Email.parse("fedorov@mail.ru"))
    account.choose_delivery(ReceiptDelivery.EMAIL)
    assert account.delivery is ReceiptDelivery.EMAIL
    account.choose_delivery(ReceiptDelivery.PAPER)
    assert account.delivery is ReceiptDelivery.PAPER


def test_paper_delivery_needs_no_address():
    account = make_account()
    account.choose_delivery(ReceiptDelivery.PAPER)
    assert account.delivery is ReceiptDelivery.PAPER


def test_sms_informing_needs_a_phone_but_can_always_be_turned_off():
    account = make_account()
    with pytest.raises(InvalidValue) as refused:
        account.set_sms_informing(True)
    assert refused.value.field == "phone"
    assert refused.value.message_ru == "Чтобы получать смс, укажите номер телефона"
    assert not account.sms_informing
    account.set_sms_informing(False)
    assert not account.sms_informing

    account = make_account(phone=Phone.parse("+7 916 123-45-67"))
    account.set_sms_informing(True)
    assert account.sms_informing
    account.set_sms_informing(False)
    assert not account.sms_informing


def test_email_informing_needs_an_email_address_but_can_always_be_turned_off():
    account = make_account()
    with pytest.raises(InvalidValue) as refused:
        account.set_email_informing(True)
    assert refused.value.field == "email"
    assert not account.email_informing
    account.set_email_informing(False)

    account = make_account(email=Email.parse("fedorov@mail.ru"))
    account.set_email_informing(True)
    assert account.email_informing


def test_delivery_choices_have_russian_labels():
    assert ReceiptDelivery.PAPER.label_ru == "Счёт на дом"
    assert ReceiptDelivery.EMAIL.label_ru == "Счёт по e-mail"


# --- houses ---------------------------------------------------------------------------


def test_house_needs_a_code_and_a_non_negative_area():
    assert House("H1", "ул. Ленина, 1", Decimal("3456.7")).total_area == Decimal("3456.7")
    with pytest.raises(InvalidValue) as refused:
        House("", "ул. Ленина, 1", Decimal(1))
    assert refused.value.field == "house_code"
    with pytest.raises(InvalidValue) as refused:
        House("H1", "ул. Ленина, 1", Decimal("-0.1"))
    assert refused.value.field == "total_area"

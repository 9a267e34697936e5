"""Request numbers (issue 20, ADR 0075): given in order as requests are made, plain digits
in every notification, read back from what a dispatcher types, and found only by staff."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.kernel.errors import InvalidValue
from lk_core.requests import (
    RequestStatus,
    UnknownRequestNumber,
    change_status,
    create_request,
    parse_request_number,
    request_by_number,
    request_number,
)
from lk_core.requests.numbers import LARGEST_NUMBER
from requests_fixtures import IVANOV, SEMENOV, a_form, requests_context


def test_requests_are_numbered_one_after_another_across_flats() -> None:
    ctx = requests_context()

    made = [create_request(ctx, account, a_form()) for account in (IVANOV, SEMENOV, IVANOV)]

    assert [r.number for r in made] == [1, 2, 3]
    assert [request_number(r) for r in made] == ["1", "2", "3"]


def test_a_refused_request_takes_no_number_from_the_next() -> None:
    ctx = requests_context()
    first = create_request(ctx, IVANOV, a_form())
    with pytest.raises(InvalidValue):
        create_request(ctx, IVANOV, a_form(category="нет такой"))

    assert create_request(ctx, SEMENOV, a_form()).number == first.number + 1


def test_the_resident_is_told_the_number_in_digits() -> None:
    factory = InMemoryUnitOfWorkFactory()
    ctx = requests_context(factory=factory)
    create_request(ctx, SEMENOV, a_form())
    made = create_request(ctx, IVANOV, a_form())

    change_status(ctx, made.id, RequestStatus.ACCEPTED, "", "Петрова")

    with factory() as uow:
        (message,) = [m for m in uow.outbox.recent(10) if m.email is not None]
        (sms,) = [m.sms for m in uow.outbox.recent(10) if m.sms is not None]
    assert message.email is not None
    assert message.email.subject.startswith("Заявка №2: ")
    assert "Заявка №2, статус: принята." in message.email.text
    assert sms.text.startswith("Заявка №2: ")


@pytest.mark.parametrize("typed", ["1042", "№1042", "№ 1042", " 1 042 ", "#1042", "001042"])
def test_a_number_is_read_as_people_type_or_say_it(typed: str) -> None:
    assert parse_request_number(typed) == 1042


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Введите номер заявки"),
        ("   ", "Введите номер заявки"),
        ("7E8059CC", "только из цифр"),
        ("10-42", "только из цифр"),
        ("١٠٤٢", "только из цифр"),  # digits, but not the ones a dispatcher types
        ("1" * 13, "только из цифр"),
    ],
)
def test_what_is_not_a_number_is_refused_with_a_message(typed: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_request_number(typed)

    assert message in refused.value.message_ru


def test_staff_find_a_request_by_its_number() -> None:
    ctx = requests_context()
    create_request(ctx, IVANOV, a_form())
    wanted = create_request(ctx, SEMENOV, a_form())

    assert request_by_number(ctx, wanted.number).id == wanted.id


@pytest.mark.parametrize("number", [0, 3, 2**31, 10**12])
def test_a_number_no_request_has_is_said_so_in_russian(number: int) -> None:
    ctx = requests_context()
    create_request(ctx, IVANOV, a_form())
    create_request(ctx, IVANOV, a_form())

    with pytest.raises(UnknownRequestNumber) as unknown:
        request_by_number(ctx, number)

    assert unknown.value.message_ru == f"Заявки №{number} нет. Проверьте номер"


@given(st.integers(min_value=1, max_value=LARGEST_NUMBER), st.sampled_from(["", "№", "№ "]))
def test_a_number_shown_is_read_back_as_the_same_number(number: int, sign: str) -> None:
    ctx = requests_context()
    made = create_request(ctx, IVANOV, a_form())
    shown = request_number(attrs.evolve(made, number=number))

    assert shown.isdigit()
    assert parse_request_number(sign + shown) == number

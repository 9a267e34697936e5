"""The payment QR code's text (GOST R 56042-2014): banking apps read back what was meant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.demo import demo_company
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.receipts.payment_qr import (
    PaymentRequest,
    decode_payload,
    encode_fields,
    payment_payload,
)

COMPANY = demo_company()
periods = st.builds(Period, st.integers(2000, 2100), st.integers(1, 12))
amounts = st.integers(0, 10**12).map(Money)
numbers = st.from_regex(r"[0-9]{1,20}(-[А-Я])?", fullmatch=True)


def test_the_payload_has_the_mandatory_block_first_then_the_housing_keys() -> None:
    payload = payment_payload(PaymentRequest(COMPANY, "100234-А", Period(2026, 10), Money(523_450)))

    assert payload.startswith("ST00012|Name=ООО «УК Тверской дом»|PersonalAcc=")
    keys = [key for key, _ in decode_payload(payload)]
    assert keys == ["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc", "PayeeINN", "KPP",
                    "PersAcc", "PaymPeriod", "Sum", "Purpose", "TechCode"]  # fmt: skip
    fields = dict(decode_payload(payload))
    assert fields["Sum"] == "523450"
    assert fields["PaymPeriod"] == "10.2026"
    assert fields["TechCode"] == "02"
    assert fields["PersAcc"] == "100234-А"
    assert len("|".join(payload.split("|")[1:6]).encode()) <= 300


@given(number=numbers, period=periods, amount=amounts)
def test_a_banking_app_reads_back_the_account_period_and_sum_in_kopecks(
    number: str, period: Period, amount: Money
) -> None:
    fields = dict(decode_payload(payment_payload(PaymentRequest(COMPANY, number, period, amount))))

    assert fields["PersAcc"] == number
    assert fields["PaymPeriod"] == f"{period.month:02d}.{period.year}"
    assert fields.get("Sum") == (str(amount.kopecks) if amount.kopecks else None)
    assert fields["PayeeINN"] == COMPANY.inn
    assert fields["PersonalAcc"] == COMPANY.settlement_account


@given(
    values=st.lists(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30).filter(
            lambda text: "=" not in text
        ),
        min_size=1,
        max_size=6,
    )
)
def test_values_with_a_bar_get_another_separator_and_still_decode_to_themselves(
    values: list[str],
) -> None:
    pairs = [(f"K{index}", value) for index, value in enumerate(values)]
    used = set("".join(values))
    if all(separator in used for separator in "|#;:^~!"):
        with pytest.raises(InvalidValue):
            encode_fields(pairs)
        return

    payload = encode_fields(pairs)

    assert payload[7] not in used
    assert decode_payload(payload) == pairs


def test_a_bar_in_the_payee_name_changes_the_separator() -> None:
    pairs = [("Name", "ООО «А|Б»"), ("BIC", "044525225")]

    assert encode_fields(pairs) == "ST00012#Name=ООО «А|Б»#BIC=044525225"


def test_line_breaks_become_spaces_and_long_values_are_cut_to_the_standard_limit() -> None:
    request = PaymentRequest(COMPANY, "1" * 20, Period(2026, 1), Money(1))

    fields = dict(request.fields())

    assert len(fields["Purpose"]) <= 210
    assert "\n" not in "".join(fields.values())


def test_nothing_owed_leaves_the_sum_for_the_payer_to_enter() -> None:
    payload = payment_payload(PaymentRequest(COMPANY, "100234", Period(2026, 10), Money(0)))

    assert "Sum=" not in payload


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(InvalidValue):
        PaymentRequest(COMPANY, "100234", Period(2026, 10), Money(-1))


def test_something_that_is_not_a_payment_code_is_refused() -> None:
    with pytest.raises(InvalidValue):
        decode_payload("https://example.com")

"""The ledger identity: closing = opening + charged + recalculation − paid, line and total."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.errors import LedgerIdentityBroken
from lk_core.ledger.lines import LedgerLine, Settlement

PERIOD = Period(2026, 10)
KOPECKS = st.integers(min_value=-(10**12), max_value=10**12)
AMOUNTS = KOPECKS.map(Money)
SERVICE_CODES = st.text(alphabet="ABCDEFGHIJ0123456789_", min_size=1, max_size=6)


def a_line(service="HVS", *, opening=0, charged=0, recalculation=0, paid=0, **changes):
    return LedgerLine(
        account_key=changes.pop("account_key", "100234"),
        period=changes.pop("period", PERIOD),
        service_code=service,
        opening=Money(opening),
        charged=Money(charged),
        recalculation=Money(recalculation),
        paid=Money(paid),
        **changes,
    )


@st.composite
def ledger_lines(draw, service=SERVICE_CODES):
    return LedgerLine(
        "100234", PERIOD, draw(service), draw(AMOUNTS), draw(AMOUNTS), draw(AMOUNTS), draw(AMOUNTS)
    )


@st.composite
def settlements(draw):
    codes = draw(st.lists(SERVICE_CODES, unique=True, max_size=8))
    lines = [draw(ledger_lines(service=st.just(code))) for code in codes]
    return Settlement.of("100234", PERIOD, draw(st.permutations(lines)))


@given(KOPECKS, KOPECKS, KOPECKS, KOPECKS)
def test_closing_balance_is_opening_plus_charged_plus_recalculation_minus_paid(o, c, r, p):
    line = a_line(opening=o, charged=c, recalculation=r, paid=p)
    assert line.closing == Money(o + c + r - p)


@given(ledger_lines())
def test_stated_closing_equal_to_the_identity_is_accepted(line):
    line.check_stated_closing(
        Money(
            line.opening.kopecks
            + line.charged.kopecks
            + line.recalculation.kopecks
            - line.paid.kopecks
        )
    )


@given(ledger_lines(), KOPECKS.filter(bool))
def test_stated_closing_that_disagrees_by_any_amount_is_refused(line, error):
    stated = Money(line.closing.kopecks + error)
    with pytest.raises(LedgerIdentityBroken) as refused:
        line.check_stated_closing(stated)
    assert refused.value.stated_kopecks == stated.kopecks
    assert refused.value.computed_kopecks == line.closing.kopecks


@given(settlements())
def test_settlement_totals_are_the_sums_of_its_lines(settlement):
    lines = settlement.lines
    assert settlement.opening == Money(sum(line.opening.kopecks for line in lines))
    assert settlement.charged == Money(sum(line.charged.kopecks for line in lines))
    assert settlement.recalculation == Money(sum(line.recalculation.kopecks for line in lines))
    assert settlement.paid == Money(sum(line.paid.kopecks for line in lines))
    assert settlement.closing == Money(sum(line.closing.kopecks for line in lines))


@given(settlements())
def test_settlement_closing_total_obeys_the_ledger_identity(settlement):
    assert settlement.closing == (
        settlement.opening + settlement.charged + settlement.recalculation - settlement.paid
    )


@given(settlements())
def test_amount_to_pay_is_the_debt_and_never_negative(settlement):
    assert settlement.to_pay.kopecks >= 0
    assert settlement.to_pay == Money(max(settlement.closing.kopecks, 0))


@given(settlements())
def test_settlement_lines_are_listed_by_service_code(settlement):
    codes = [line.service_code for line in settlement.lines]
    assert codes == sorted(codes)


def test_advance_is_a_negative_closing_and_nothing_to_pay():
    settlement = Settlement.of("100234", PERIOD, [a_line(opening=-50000, charged=30000)])
    assert settlement.closing == Money(-20000)
    assert settlement.to_pay == Money(0)


def test_debt_of_one_kopeck_is_to_pay():
    settlement = Settlement.of("100234", PERIOD, [a_line(charged=1)])
    assert settlement.to_pay == Money(1)


def test_debt_across_services_is_to_pay():
    settlement = Settlement.of(
        "100234",
        PERIOD,
        [
            a_line("HVS", opening=10000, charged=52345, paid=10000),
            a_line("EL", opening=-5000, charged=120000, recalculation=-1500),
        ],
    )
    assert [line.service_code for line in settlement.lines] == ["EL", "HVS"]
    assert settlement.closing == Money(165845)
    assert settlement.to_pay == Money(165845)


def test_settlement_of_no_lines_is_all_zero():
    settlement = Settlement.of("100234", PERIOD, [])
    assert settlement.lines == ()
    assert settlement.closing == settlement.to_pay == Money(0)


@pytest.mark.parametrize("stranger", [a_line(account_key="100235"), a_line(period=Period(2026, 9))])
def test_settlement_refuses_a_line_of_another_account_or_period(stranger):
    with pytest.raises(InvalidValue) as refused:
        Settlement.of("100234", PERIOD, [a_line("EL"), stranger])
    assert refused.value.field == "ledger_line"
    assert refused.value.message_ru == "Строка относится к другому счёту или периоду"


def test_ledger_identity_error_explains_itself_in_russian():
    with pytest.raises(LedgerIdentityBroken) as refused:
        a_line(opening=100, charged=200).check_stated_closing(Money(301))
    assert refused.value.message_ru == (
        "Исходящее сальдо не равно входящему сальдо + начислено + перерасчёт − оплачено"
    )


@pytest.mark.parametrize(("field", "message"), [("volume", "Объём"), ("tariff", "Тариф")])
def test_negative_volume_or_tariff_is_refused(field, message):
    with pytest.raises(InvalidValue) as refused:
        a_line(**{field: Decimal("-0.001")})
    assert refused.value.field == field
    assert refused.value.message_ru.startswith(message)


def test_volume_and_tariff_may_be_zero_or_absent():
    assert a_line(volume=Decimal(0), tariff=Decimal(0)).volume == 0
    assert a_line().volume is None

"""The payee's requisites: INN check digits and the Bank of Russia account control key."""

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.company import Company, bank_account_is_valid, inn_is_valid
from lk_core.kernel.errors import InvalidValue

SBERBANK_BIC = "044525225"
SBERBANK_CORRESPONDENT = "30101810400000000225"
SBERBANK_INN = "7707083893"


def control_key(bic: str, account: str, *, correspondent: bool = False) -> str:
    """The account with its control key (the 9th digit) computed by the Bank of Russia rule.

    Written from the published procedure, not from the code under test: the key digit is
    zeroed, each digit of the 23-digit string (3 digits from the BIC, then the account) is
    multiplied by 7, 1, 3, 7, 1, 3, …, the last digits of the products are summed, and the
    key is the last digit of that sum times 3.
    """
    prefix = "0" + bic[4:6] if correspondent else bic[6:9]
    zeroed = account[:8] + "0" + account[9:]
    weights = [7, 1, 3] * 8
    products = sum((int(d) * w) % 10 for d, w in zip(prefix + zeroed, weights, strict=False))
    key = (products % 10) * 3 % 10
    return account[:8] + str(key) + account[9:]


def a_settlement_account(bic: str = SBERBANK_BIC, serial: str = "00000000001") -> str:
    return control_key(bic, "40702810" + "0" + serial)


def other_digit(digit: str, shift: int) -> str:
    return str((int(digit) + shift) % 10)


# --- INN ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inn",
    [
        SBERBANK_INN,  # ПАО Сбербанк
        "7736207543",  # ООО «Яндекс»
        "7728168971",  # АО «Альфа-Банк»
        "7702070139",  # Банк ВТБ (ПАО)
        "500100732259",  # the 12-digit example of a person's INN used by the tax service
    ],
)
def test_real_inns_pass_the_check_digits(inn):
    assert inn_is_valid(inn)


@pytest.mark.parametrize(
    "inn",
    ["7707083894", "500100732258", "500100732249", "770708389", "77070838931", "", "77070838ab"],
)
def test_inn_with_a_wrong_check_digit_or_length_is_invalid(inn):
    assert not inn_is_valid(inn)


@pytest.mark.parametrize("inn", [SBERBANK_INN, "7736207543", "500100732259"])
@pytest.mark.parametrize("shift", range(1, 10))
def test_changing_an_inns_last_check_digit_makes_it_invalid(inn, shift):
    assert not inn_is_valid(inn[:-1] + other_digit(inn[-1], shift))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_completes_an_organisations_inn(first_nine):
    valid = [d for d in "0123456789" if inn_is_valid(first_nine + d)]
    assert len(valid) == 1


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_exactly_one_pair_of_check_digits_completes_a_persons_inn(first_ten):
    valid = [a + b for a in "0123456789" for b in "0123456789" if inn_is_valid(first_ten + a + b)]
    assert len(valid) == 1


def test_requisites_in_non_ascii_digits_are_invalid():
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    assert not inn_is_valid(SBERBANK_INN.translate(full_width))


# --- bank accounts --------------------------------------------------------------------


def test_sberbank_correspondent_account_matches_its_bic():
    assert bank_account_is_valid(SBERBANK_CORRESPONDENT, SBERBANK_BIC, correspondent=True)


def test_settlement_account_with_the_computed_control_key_matches_its_bic():
    account = a_settlement_account()
    assert account == "40702810200000000001"
    assert bank_account_is_valid(account, SBERBANK_BIC)


def test_correspondent_account_is_not_checked_as_a_settlement_account():
    assert not bank_account_is_valid(SBERBANK_CORRESPONDENT, SBERBANK_BIC)
    assert not bank_account_is_valid(a_settlement_account(), SBERBANK_BIC, correspondent=True)


@pytest.mark.parametrize("position", range(20))
@pytest.mark.parametrize("shift", range(1, 10))
def test_any_one_digit_change_breaks_an_accounts_control_key(position, shift):
    for account, correspondent in [(a_settlement_account(), False), (SBERBANK_CORRESPONDENT, True)]:
        changed = (
            account[:position] + other_digit(account[position], shift) + account[position + 1 :]
        )
        assert not bank_account_is_valid(changed, SBERBANK_BIC, correspondent=correspondent)


@pytest.mark.parametrize("shift", range(1, 10))
def test_settlement_account_does_not_match_a_bic_with_another_last_digit(shift):
    bic = SBERBANK_BIC[:-1] + other_digit(SBERBANK_BIC[-1], shift)
    assert not bank_account_is_valid(a_settlement_account(), bic)


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.text(alphabet="0123456789", min_size=20, max_size=20),
    st.booleans(),
)
def test_an_account_with_the_control_key_of_the_published_rule_is_valid(
    bic, account, correspondent
):
    keyed = control_key(bic, account, correspondent=correspondent)
    assert bank_account_is_valid(keyed, bic, correspondent=correspondent)


@pytest.mark.parametrize(
    ("account", "bic"),
    [
        ("4070281010000000000", SBERBANK_BIC),
        ("407028101000000000011", SBERBANK_BIC),
        ("4070281010000000000x", SBERBANK_BIC),
        ("40702810200000000001", "04452522"),
        ("40702810200000000001", "04452522x"),
    ],
)
def test_account_or_bic_of_the_wrong_shape_is_invalid(account, bic):
    assert not bank_account_is_valid(account, bic)


# --- the company ----------------------------------------------------------------------


def a_company(**changes: str) -> Company:
    fields = {
        "name": "ООО «УК Пример»",
        "inn": SBERBANK_INN,
        "kpp": "773601001",
        "bank_name": "ПАО Сбербанк",
        "bic": SBERBANK_BIC,
        "settlement_account": a_settlement_account(),
        "correspondent_account": SBERBANK_CORRESPONDENT,
    }
    fields.update(changes)
    return Company(**fields)


def test_company_with_valid_requisites_is_made_in_the_moscow_time_zone():
    company = a_company()
    assert company.time_zone == "Europe/Moscow"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        company.inn = "7736207543"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Название: от 1 до 160 знаков"),
        ("name", "У" * 161, "Название: от 1 до 160 знаков"),
        ("inn", "7707083894", "ИНН не прошёл проверку контрольных цифр"),
        ("kpp", "77360100", "КПП — 9 цифр"),
        ("kpp", "77360100x", "КПП — 9 цифр"),
        ("bank_name", "", "Банк: от 1 до 45 знаков"),
        ("bank_name", "Б" * 46, "Банк: от 1 до 45 знаков"),
        ("bic", "04452522", "БИК — 9 цифр"),
        (
            "settlement_account",
            "40702810100000000001",
            "Расчётный счёт не сходится с БИК по контрольному ключу",
        ),
        (
            "correspondent_account",
            "30101810400000000226",
            "Корреспондентский счёт не сходится с БИК по контрольному ключу",
        ),
    ],
)
def test_company_with_a_bad_requisite_is_refused_naming_it(field, value, message):
    with pytest.raises(InvalidValue) as refused:
        a_company(**{field: value})
    assert refused.value.field == field
    assert refused.value.value == value
    assert refused.value.message_ru == message


def test_name_of_160_characters_and_bank_name_of_45_are_accepted():
    assert a_company(name="У" * 160, bank_name="Б" * 45).name == "У" * 160

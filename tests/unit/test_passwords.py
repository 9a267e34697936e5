"""The password policy: length limits, a confirmation, no common or guessable words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.passwords import load_common_passwords
from lk_core.access.errors import PasswordRejected
from lk_core.access.passwords import check_new_password
from lk_core.kernel.policies import PasswordPolicy

POLICY = PasswordPolicy()
COMMON = frozenset({"password", "qwerty123", "12345678", "йцукенгш"})
CONTEXT = ("100234", "Фёдоров", "УК")


def check(password, confirmation=None, *, policy=POLICY, common=COMMON, context_words=CONTEXT):
    check_new_password(
        password,
        password if confirmation is None else confirmation,
        policy,
        common=common,
        context_words=context_words,
    )


def rejection(password, confirmation=None, **options) -> str:
    with pytest.raises(PasswordRejected) as refused:
        check(password, confirmation, **options)
    return refused.value.message_ru


def test_long_enough_uncommon_password_is_accepted():
    check("лодка-плывёт-к-маяку")


def test_password_that_differs_from_its_confirmation_is_rejected():
    assert rejection("лодка-плывёт", "лодка-плывет") == "Пароль и подтверждение не совпадают"


def test_password_shorter_than_the_minimum_is_rejected():
    assert rejection("7-chars") == "Пароль должен быть не короче 8 символов"
    check("8-chars!")


def test_password_longer_than_the_maximum_is_rejected():
    check("ж" * 128)
    assert rejection("ж" * 129) == "Пароль должен быть не длиннее 128 символов"


def test_length_is_counted_in_characters_not_bytes():
    check("ёжикёжик")


def test_limits_come_from_the_policy():
    policy = PasswordPolicy(min_length=10, max_length=20)
    assert rejection("123456789", policy=policy) == "Пароль должен быть не короче 10 символов"
    assert rejection("a" * 21, policy=policy) == "Пароль должен быть не длиннее 20 символов"
    check("a" * 20, policy=policy, common=set())


@pytest.mark.parametrize("password", ["password", "PASSWORD", "QWERTY123", "ЙцУкЕнГш"])
def test_common_password_is_rejected_whatever_its_case(password):
    assert rejection(password) == "Этот пароль слишком распространён: придумайте другой"


def test_the_shipped_list_holds_the_ten_thousand_most_common_passwords():
    common = load_common_passwords()

    assert 9_500 <= len(common) <= 10_000
    assert {"123456789", "password", "qwerty123", "йцукен"} <= common


@pytest.mark.parametrize("password", ["my100234pass", "ФЁДОРОВ-2026", "зима-фёдоров-лето"])
def test_password_containing_the_account_number_or_surname_is_rejected(password):
    assert rejection(password) == (
        "Пароль не должен содержать номер лицевого счёта, фамилию или название компании"
    )


def test_context_word_of_three_letters_is_checked():
    assert rejection("наш-жкх-лучший", context_words=["ЖКХ"]).startswith("Пароль не должен")


def test_context_words_shorter_than_three_letters_are_not_checked():
    check("ук-это-управляющая")


def test_spaces_and_any_unicode_are_allowed_and_not_trimmed():
    check("  пробелы по краям  ")
    assert rejection(" пароль1 ", "пароль1") == "Пароль и подтверждение не совпадают"


@pytest.mark.parametrize(("minimum", "maximum"), [(7, 128), (8, 1025)])
def test_policy_refuses_limits_weaker_than_the_security_rules(minimum, maximum):
    with pytest.raises(ValueError, match="must be"):
        PasswordPolicy(min_length=minimum, max_length=maximum)


def test_default_policy_allows_8_to_128_characters():
    assert (POLICY.min_length, POLICY.max_length) == (8, 128)


@given(st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюя0123456789 -!", max_size=140))
def test_password_is_accepted_exactly_when_its_length_is_within_the_limits(password):
    if 8 <= len(password) <= 128:
        check(password, common=set(), context_words=())
    else:
        with pytest.raises(PasswordRejected):
            check(password, common=set(), context_words=())

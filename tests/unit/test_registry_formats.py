"""Registry formats per bank: `field=column` pairs, checked when read from the settings."""

from __future__ import annotations

import pytest

from lk_adapters.registries import SBERBANK, RegistryFormatError, bank_format, parse_format


def test_a_format_names_columns_and_options() -> None:
    fmt = parse_format(
        "line_id=1, date=2 account=3 amount=4 order=6 date_format=%Y-%m-%d skip=1 summary="
    )

    assert fmt.columns == {"line_id": 1, "date": 2, "account": 3, "amount": 4, "order": 6}
    assert (fmt.date_format, fmt.skip, fmt.summary, fmt.encoding) == ("%Y-%m-%d", 1, "", "cp1251")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("date=1 line_id=2 account=3", "не указаны колонки: amount"),
        ("date=1 line_id=2 account=3 amount=0", "целое число от 1"),
        ("date=1 line_id=2 account=3 amount=4 colour=5", "неизвестное поле"),
        ("date=1 line_id=2 account=3 amount", "ожидается поле=номер_колонки"),
        ("date=1 line_id=2 account=3 amount=4 skip=x", "skip"),
    ],
)
def test_a_bad_format_says_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(RegistryFormatError, match=message):
        parse_format(spec)


def test_sberbank_is_built_in_and_may_be_replaced() -> None:
    assert bank_format("sberbank", {}) is SBERBANK
    assert (
        bank_format("sberbank", {"sberbank": "date=1 line_id=2 account=3 amount=4"}).columns[
            "amount"
        ]
        == 4
    )
    with pytest.raises(KeyError):
        bank_format("vtb", {})

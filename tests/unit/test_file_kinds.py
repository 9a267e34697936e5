"""Kinds of billing file: recognised by their headers, in Russian or by code name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.billing_import.kinds import COLUMNS, FileKind, column_index, detect_kind


def required(kind: FileKind) -> list:
    return [column for column in kind.columns if column.required]


@pytest.mark.parametrize("kind", list(FileKind))
def test_kind_is_recognised_from_its_russian_headers(kind):
    assert detect_kind([column.header_ru for column in required(kind)]) is kind
    assert detect_kind([column.header_ru for column in kind.columns]) is kind


@pytest.mark.parametrize("kind", list(FileKind))
def test_kind_is_recognised_from_its_code_names(kind):
    assert detect_kind([column.name for column in required(kind)]) is kind
    assert detect_kind([column.name for column in kind.columns]) is kind


def test_ledger_file_as_a_billing_system_exports_it_is_recognised():
    header = [
        "\ufeffЛицевой счет",
        "ПЕРИОД",
        "Код услуги",
        "  Сальдо   входящее ",
        "Начислено",
        "Перерасчёт",
        "Оплачено",
        "Сальдо исходящее",
    ]
    assert detect_kind(header) is FileKind.LEDGER
    assert column_index(FileKind.LEDGER, header) == {
        "account": 0,
        "period": 1,
        "service": 2,
        "opening": 3,
        "charged": 4,
        "recalculation": 5,
        "paid": 6,
        "closing": 7,
    }


def test_russian_and_code_name_headers_may_be_mixed():
    header = ["payment", "Лицевой счёт", "date", "Сумма"]
    assert detect_kind(header) is FileKind.PAYMENTS
    assert column_index(FileKind.PAYMENTS, header) == {
        "payment": 0,
        "account": 1,
        "date": 2,
        "amount": 3,
    }


@pytest.mark.parametrize(
    "header", [[], ["что-то"], ["Лицевой счёт", "Период"], ["house", "address"]]
)
def test_header_of_no_known_kind_is_not_recognised(header):
    assert detect_kind(header) is None


def test_most_specific_kind_wins_when_a_header_has_the_columns_of_two():
    houses_and_accounts = [c.header_ru for c in FileKind.HOUSES.columns + FileKind.ACCOUNTS.columns]
    assert detect_kind(houses_and_accounts) is FileKind.ACCOUNTS


def test_missing_required_column_is_named_in_russian_and_by_code():
    header = [c.header_ru for c in required(FileKind.LEDGER) if c.name != "paid"]
    with pytest.raises(ValueError, match="нет столбца «Оплачено» \\(paid\\)"):
        column_index(FileKind.LEDGER, header)


def test_missing_optional_columns_are_simply_absent():
    positions = column_index(FileKind.SERVICES, ["Код услуги", "Наименование услуги"])
    assert positions == {"service": 0, "name": 1}


def test_kinds_load_in_dependency_order():
    assert sorted(FileKind, key=lambda kind: kind.order) == [
        FileKind.HOUSES,
        FileKind.SERVICES,
        FileKind.ACCOUNTS,
        FileKind.METERS,
        FileKind.LEDGER,
        FileKind.PAYMENTS,
        FileKind.READINGS,
    ]


def test_every_kind_has_columns_with_unique_names_and_headers():
    for kind, columns in COLUMNS.items():
        assert kind.columns is columns
        assert len({c.name for c in columns}) == len(columns)
        assert len({c.header_ru.casefold() for c in columns}) == len(columns)


def spelled_as_typed(data, text: str) -> str:
    """The header as a billing system might print it: case, ё/е and spacing vary."""
    if data.draw(st.booleans()):
        text = text.upper()
    if data.draw(st.booleans()):
        text = text.replace("ё", "е").replace("Ё", "Е")
    padding = data.draw(st.sampled_from(["", " ", "  "]))
    return padding + text.replace(" ", data.draw(st.sampled_from([" ", "  "]))) + padding


@given(st.sampled_from(FileKind), st.data())
def test_any_spelling_and_order_of_a_kinds_columns_is_recognised(kind, data):
    columns = [c for c in kind.columns if c.required or data.draw(st.booleans())]
    columns = data.draw(st.permutations(columns))
    header = [
        spelled_as_typed(data, data.draw(st.sampled_from([c.name, c.header_ru]))) for c in columns
    ]
    assert detect_kind(header) is kind
    assert column_index(kind, header) == {c.name: i for i, c in enumerate(columns)}

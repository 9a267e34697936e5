"""Reading a bank's registry file (F24): every problem named by line and column, and what
a line holds fits the columns that store it (issue 17)."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from lk_adapters.registries import SBERBANK, RegistryFileError, RegistryFormatError, read_registry
from lk_adapters.registries.formats import bank_format

LINE = (
    "02-03-2026;10-15-22;8607;8607999V;{operation};100234-А;{payer};Г ТВЕРЬ УЛ СОВЕТСКАЯ 12-5;"
    "032026;1500,00;1485,00;15,00;{order}"
)


def line(operation: str = "510011", payer: str = "КОРОЛЁВА АННА", order: str = "") -> str:
    return LINE.format(operation=operation, payer=payer, order=order)


def problems_of(
    tmp_path: Path, *lines: str, encoding: str = "cp1251"
) -> list[tuple[int, int, str]]:
    path = tmp_path / "r.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    with pytest.raises(RegistryFileError) as error:
        read_registry(path, attrs.evolve(SBERBANK, encoding=encoding))
    return error.value.problems


@pytest.mark.parametrize(
    ("payer", "named"),
    [("КОРОЛЁВА\x00АННА", "U+0000, знак 9"), ("\x1b[2JКОРОЛЁВА", "U+001B, знак 1")],
)
def test_a_control_character_in_a_field_is_named_by_line_and_column(
    tmp_path: Path, payer: str, named: str
) -> None:
    assert problems_of(tmp_path, line(), line("510012", payer)) == [
        (2, 7, f"управляющий символ ({named}): такие символы не допускаются")
    ]


def test_a_control_character_ends_no_line_so_the_lines_after_keep_their_numbers(
    tmp_path: Path,
) -> None:
    # str.splitlines() ends a line at U+001C or U+0085 as well as at a line break.
    found = problems_of(
        tmp_path, line(payer="КОРОЛЁВА\x1cАННА"), line("5", payer="И\x85Я"),
        line("6", order="a" * 65), encoding="utf-8",
    )  # fmt: skip
    assert [(number, column) for number, column, _ in found] == [(1, 7), (2, 7), (3, 13)]


def test_an_operation_named_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    assert problems_of(tmp_path, line(), line("510012"), line()) == [
        (3, 5, "операция 510011 уже есть в строке 1")
    ]


def test_an_operation_number_or_order_too_long_for_its_column_is_refused_not_cut(
    tmp_path: Path,
) -> None:
    assert problems_of(tmp_path, line("5" * 65), line("6", order="a" * 65)) == [
        (1, 5, "номер операции длиннее 64 знаков"),
        (2, 13, "номер заказа длиннее 64 знаков: такого заказа нет"),
    ]


@pytest.mark.parametrize("count", ["²", "1" * 5000])
def test_a_summary_count_that_is_no_number_is_a_problem_not_a_crash(
    tmp_path: Path, count: str
) -> None:
    found = problems_of(tmp_path, line(), f"={count};1500,00", encoding="utf-8")
    assert [(number, column) for number, column, _ in found] == [(2, 1)]


def test_a_bank_name_longer_than_its_column_is_a_configuration_error() -> None:
    with pytest.raises(RegistryFormatError, match="длиннее 32"):
        bank_format("b" * 33, {"b" * 33: "date=1 line_id=2 account=3 amount=4"})

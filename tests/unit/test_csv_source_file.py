"""Billing CSV files as `SourceFile`s: encodings, kinds, line numbers, errors, progress."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from lk_adapters.billing_files import CsvSourceFile, SourceFileError, csv_files_in
from lk_adapters.billing_files.csv_source_file import PARSE_IN_CHILD_FROM_BYTES
from lk_adapters.billing_files.parsing_child import Batch, Parse
from lk_core.billing_import.fields import RowProblem
from lk_core.billing_import.kinds import FileKind

HOUSES_HEADER = "Код дома;Адрес дома;Площадь дома"
HOUSES = [
    "101;г. Тверь, ул. Советская, д. 12;3851,51",
    "102;г. Тверь, пр-т Чайковского, д. 27, корп. 1;6488,53",
]
ACCOUNTS_HEADER = "Лицевой счёт;Код дома;ФИО;Помещение;Комнат;Площадь помещения;Проживает"


def a_file(folder: Path, lines: list[str], *, encoding: str = "utf-8", name: str = "f.csv") -> Path:
    path = folder / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def rows_of(source: CsvSourceFile) -> list[tuple[int, list[str]]]:
    return list(source.rows())


def test_utf8_file_is_read_with_its_kind_and_columns(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES]))

    assert source.kind == FileKind.HOUSES.value
    assert source.columns == {"house": 0, "address": 1, "total_area": 2}
    assert rows_of(source)[0] == (2, ["101", "г. Тверь, ул. Советская, д. 12", "3851,51"])


def test_byte_order_mark_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES], encoding="utf-8-sig"))

    assert source.columns["house"] == 0
    assert rows_of(source)[1][1][1] == "г. Тверь, пр-т Чайковского, д. 27, корп. 1"


def test_byte_order_mark_is_skipped_when_utf8_is_named_explicitly(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER, *HOUSES], encoding="utf-8-sig")

    assert CsvSourceFile(path, encoding="utf-8").kind == "houses"


def test_windows_1251_file_is_recognised_and_decoded(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER, *HOUSES], encoding="cp1251")

    source = CsvSourceFile(path)

    assert source.encoding == "cp1251"
    assert rows_of(source)[0][1][1] == "г. Тверь, ул. Советская, д. 12"


def test_windows_1251_is_recognised_after_a_long_ascii_start(tmp_path: Path) -> None:
    header = "house;address;total_area"
    ascii_rows = [f"{n};Tver {n};10,00" for n in range(60_000)]
    path = a_file(
        tmp_path, [header, *ascii_rows, "9;г. Тверь, ул. Склизкова, д. 48;1,00"], encoding="cp1251"
    )

    source = CsvSourceFile(path)

    assert source.encoding == "cp1251"
    assert rows_of(source)[-1] == (60_002, ["9", "г. Тверь, ул. Склизкова, д. 48", "1,00"])


def test_an_explicit_encoding_is_used_as_given(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER, *HOUSES], encoding="cp1251")

    assert CsvSourceFile(path, encoding="windows-1251").encoding == "cp1251"


def test_an_unknown_encoding_name_is_a_clear_error(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER, *HOUSES])

    with pytest.raises(SourceFileError, match="неизвестная кодировка"):
        CsvSourceFile(path, encoding="koi-9")


def test_kind_is_recognised_by_code_names_too(tmp_path: Path) -> None:
    header = "account;period;service;opening;charged;paid"

    assert CsvSourceFile(a_file(tmp_path, [header])).kind == FileKind.LEDGER.value


def test_an_explicit_kind_is_taken_as_given(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER, *HOUSES])

    assert CsvSourceFile(path, kind=FileKind.HOUSES).kind == "houses"
    assert CsvSourceFile(path, kind="houses").kind == "houses"


def test_a_header_of_no_known_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="по заголовку не понять") as error:
        CsvSourceFile(a_file(tmp_path, ["Фамилия;Имя;Отчество", "Иванов;Иван;Иванович"]))

    assert error.value.file == "f.csv"
    assert error.value.line == 1


def test_an_explicit_kind_with_a_missing_required_column_names_the_column(tmp_path: Path) -> None:
    path = a_file(tmp_path, ["Код дома;Адрес дома", "101;г. Тверь"])

    with pytest.raises(SourceFileError, match="«Площадь дома»") as error:
        CsvSourceFile(path, kind=FileKind.HOUSES)

    assert "f.csv, строка 1" in str(error.value)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(SourceFileError, match="файл пуст"):
        CsvSourceFile(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="не открывается"):
        CsvSourceFile(tmp_path / "nowhere.csv")


def test_line_numbers_are_those_an_editor_shows(tmp_path: Path) -> None:
    lines = [
        HOUSES_HEADER,
        HOUSES[0],
        "",
        '103;"г. Тверь,\r\nул. Склизкова, д. 48";4688,51',
        HOUSES[1],
    ]

    numbers = [line for line, _fields in rows_of(CsvSourceFile(a_file(tmp_path, lines)))]

    assert numbers == [2, 4, 6]


def test_blank_lines_and_lines_of_empty_fields_are_skipped(tmp_path: Path) -> None:
    lines = [HOUSES_HEADER, "", HOUSES[0], ";;", "  ; ;", "", HOUSES[1], ";;", ""]

    rows = rows_of(CsvSourceFile(a_file(tmp_path, lines)))

    assert [(line, fields[0]) for line, fields in rows] == [(3, "101"), (7, "102")]


def test_undecodable_bytes_in_the_middle_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "houses.csv"
    good = "\r\n".join([HOUSES_HEADER, *HOUSES]).encode() + b"\r\n"
    path.write_bytes(good * 2 + "104;г. Тверь, Смоленский пер.;1,00\r\n".encode("cp1251") + good)

    source = CsvSourceFile(path)
    with pytest.raises(SourceFileError, match="не в кодировке UTF-8") as error:
        rows_of(source)

    assert error.value.line == 7
    assert "houses.csv, строка 7" in str(error.value)


def test_progress_reaches_the_file_size(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER] + [HOUSES[0]] * 50_000)
    source = CsvSourceFile(path)
    size = path.stat().st_size
    seen: list[int] = []

    for number, (_line, _fields) in enumerate(source.rows()):
        if number % 10_000 == 0:
            seen.append(source.progress()[0])

    assert source.progress() == (size, size)
    assert seen == sorted(seen)
    assert 0 < seen[1] < size


def test_rows_can_be_read_again(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES]))

    assert rows_of(source) == rows_of(source)


def test_a_reading_left_unfinished_is_closed(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES]))
    rows = source.rows()
    next(rows)

    source.close()

    assert 0 < source.progress()[0] <= source.progress()[1]


def test_every_csv_file_of_a_folder_is_opened_by_name(tmp_path: Path) -> None:
    a_file(tmp_path, [HOUSES_HEADER, *HOUSES], name="b_houses.csv")
    a_file(tmp_path, [ACCOUNTS_HEADER], name="a_accounts.csv")
    (tmp_path / "notes.txt").write_text("не файл биллинга")

    assert [(f.name, f.kind) for f in csv_files_in(tmp_path)] == [
        ("a_accounts.csv", "accounts"),
        ("b_houses.csv", "houses"),
    ]


def numbered_houses(count: int) -> list[str]:
    return [f"{n};г. Тверь, д. {n};{n},00" for n in range(1, count + 1)]


def every_batch(source: CsvSourceFile, size: int, parse: Parse | None) -> list[Batch]:
    return [
        (rows, list(records) if records is not None else None)
        for rows, records in source.batches(size, parse)
    ]


def area_unless_odd_batch(rows: list[list[str]]) -> list[tuple[str, str]] | None:
    """Records of a batch, or the batch handed back when a house code ends in 7."""
    if any(fields[0].endswith("7") for fields in rows):
        return None
    return [(fields[0], fields[2]) for fields in rows]


def test_batches_without_a_parser_are_the_rows_with_their_line_numbers(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, "", *numbered_houses(5)]))

    batches = every_batch(source, 2, None)

    assert [records for _rows, records in batches] == [None, None, None]
    assert [row for rows, _records in batches for row in rows] == rows_of(source)
    assert [len(rows) for rows, _records in batches] == [2, 2, 1]


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "in_child"])
def test_a_parsed_batch_comes_as_records_and_a_handed_back_one_as_rows(
    tmp_path: Path, in_child: bool
) -> None:
    source = CsvSourceFile(
        a_file(tmp_path, [HOUSES_HEADER, *numbered_houses(9)]), parse_in_child=in_child
    )

    batches = every_batch(source, 3, area_unless_odd_batch)

    assert batches == [
        ([], [("1", "1,00"), ("2", "2,00"), ("3", "3,00")]),
        ([], [("4", "4,00"), ("5", "5,00"), ("6", "6,00")]),
        ([(8, ["7", "г. Тверь, д. 7", "7,00"]), (9, ["8", "г. Тверь, д. 8", "8,00"]),
          (10, ["9", "г. Тверь, д. 9", "9,00"])], None),
    ]  # fmt: skip


def test_batches_parsed_in_a_child_process_are_those_parsed_here(tmp_path: Path) -> None:
    lines = [HOUSES_HEADER, *numbered_houses(2000)]
    lines[500:500] = ["", '103;"г. Тверь,\r\nул. Склизкова, д. 48";4688,51', ";;"]
    path = a_file(tmp_path, lines)

    here = every_batch(CsvSourceFile(path, parse_in_child=False), 100, area_unless_odd_batch)
    in_child = every_batch(CsvSourceFile(path, parse_in_child=True), 100, area_unless_odd_batch)

    assert in_child == here
    assert {records is None for _rows, records in here} == {True, False}


def parsing_process(rows: list[list[str]]) -> list[int]:
    return [os.getpid()] * len(rows)


def test_a_big_file_is_parsed_in_a_child_process_and_a_small_one_here(tmp_path: Path) -> None:
    small = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES], name="small.csv"))
    lines = [HOUSES_HEADER, *numbered_houses(PARSE_IN_CHILD_FROM_BYTES // 20)]
    big = CsvSourceFile(a_file(tmp_path, lines, name="big.csv"))

    [(_rows, small_pids)] = every_batch(small, 5000, parsing_process)
    big_pids = {
        pid for _rows, pids in every_batch(big, 5000, parsing_process) for pid in pids or []
    }

    assert big.size >= PARSE_IN_CHILD_FROM_BYTES
    assert set(small_pids or []) == {os.getpid()}
    assert len(big_pids) == 1
    assert os.getpid() not in big_pids


def test_undecodable_bytes_found_in_the_child_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "houses.csv"
    good = "\r\n".join([HOUSES_HEADER, *HOUSES]).encode() + b"\r\n"
    path.write_bytes(good * 2 + "104;г. Тверь, Смоленский пер.;1,00\r\n".encode("cp1251") + good)

    source = CsvSourceFile(path, parse_in_child=True)
    with pytest.raises(SourceFileError, match="не в кодировке UTF-8") as error:
        every_batch(source, 2, area_unless_odd_batch)

    assert error.value.line == 7
    assert "houses.csv, строка 7" in str(error.value)
    assert multiprocessing.active_children() == []


def failing_parse(rows: list[list[str]]) -> list[str]:
    raise ValueError(f"не разобрать {rows[0][0]}")


def test_an_error_of_the_parser_in_the_child_is_raised_to_the_caller(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES]), parse_in_child=True)

    with pytest.raises(ValueError, match="не разобрать 101") as error:
        every_batch(source, 2, failing_parse)

    assert "failing_parse" in "".join(getattr(error.value, "__notes__", []))


def dying_parse(rows: list[list[str]]) -> list[str]:
    os._exit(3)


def test_a_child_that_dies_is_a_file_error_not_a_hang(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES]), parse_in_child=True)

    with pytest.raises(SourceFileError, match=r"не дочитан.*код 3"):
        every_batch(source, 2, dying_parse)


def test_batches_left_unfinished_stop_their_child(tmp_path: Path) -> None:
    source = CsvSourceFile(
        a_file(tmp_path, [HOUSES_HEADER, *numbered_houses(50_000)]), parse_in_child=True
    )
    batches = source.batches(10, area_unless_odd_batch)
    next(batches)
    assert len(multiprocessing.active_children()) == 1

    batches.close()

    assert multiprocessing.active_children() == []


def test_closing_the_file_stops_its_child(tmp_path: Path) -> None:
    source = CsvSourceFile(
        a_file(tmp_path, [HOUSES_HEADER, *numbered_houses(50_000)]), parse_in_child=True
    )
    batches = source.batches(10, area_unless_odd_batch)
    next(batches)

    source.close()

    assert multiprocessing.active_children() == []
    assert 0 < source.progress()[0] < source.progress()[1]


def test_progress_of_a_file_parsed_in_a_child_reaches_its_size(tmp_path: Path) -> None:
    path = a_file(tmp_path, [HOUSES_HEADER, *numbered_houses(50_000)])
    source = CsvSourceFile(path, parse_in_child=True)
    seen = [source.progress()[0] for _batch in source.batches(5000, area_unless_odd_batch)]

    assert source.progress() == (path.stat().st_size, path.stat().st_size)
    assert seen == sorted(seen)
    assert 0 < seen[0] < seen[-1] <= path.stat().st_size


def parse_raising_an_error_that_cannot_be_rebuilt(rows: list[list[str]]) -> list[str]:
    raise RowProblem("opening", "сумма не указана")


def test_an_error_that_cannot_travel_from_the_child_is_described(tmp_path: Path) -> None:
    source = CsvSourceFile(a_file(tmp_path, [HOUSES_HEADER, *HOUSES]), parse_in_child=True)

    with pytest.raises(RuntimeError, match="RowProblem: opening: сумма не указана"):
        every_batch(source, 2, parse_raising_an_error_that_cannot_be_rebuilt)

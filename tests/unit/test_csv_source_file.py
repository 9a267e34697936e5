"""Billing CSV files as `SourceFile`s: encodings, kinds, line numbers, errors, progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from lk_adapters.billing_files import CsvSourceFile, SourceFileError, csv_files_in
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

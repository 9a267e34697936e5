"""The column-at-a-time ledger reader agrees with the row-by-row reader, or steps aside."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lk_core.billing_import.fields import RowProblem
from lk_core.billing_import.kinds import FileKind, column_index
from lk_core.billing_import.ledger_batches import ledger_batch_reader
from lk_core.billing_import.repeats import KeysRepeated
from lk_core.billing_import.rows import KnownKeys, ledger_key_reader, reader_for

HEADER = [column.name for column in FileKind.LEDGER.columns]
UTC = dt.UTC


def known() -> KnownKeys:
    return KnownKeys(
        houses={"H1"},
        services={"hvs", "el"},
        accounts={"100234", "100235"},
        meters=set(),
        closed_periods={202609},
    )


def amount_text(kopecks: int) -> str:
    sign = "-" if kopecks < 0 else ""
    return f"{sign}{abs(kopecks) // 100},{abs(kopecks) % 100:02d}"


amounts = st.integers(-(10**12), 10**12)
usual_amount = amounts.map(amount_text)
odd_amount = st.sampled_from(
    ["12,5", "12.50", " 1,00", "1 000,00", "", "x", "-,50", "1,000", "1,00\n2,00", "١,٠٠"]
)
decimals = st.sampled_from(
    ["", "12,345", "0,5", "7", "12.0", "007,5", "1,1234567", " 3", "1e3", "1\n2", "\n"]
)
accounts = st.sampled_from(["100234", "100235", "100234-А", " 100235", "999999"])
periods = st.sampled_from(["2026-10", "2026-10", "10.2026", "2026-09", "2026-13"])
services = st.sampled_from(["hvs", "el", "gas", " hvs"])
reasons = st.sampled_from(
    ["", "акт о протечке", " с пробелом ", "акт\nо протечке", "\u00a0", "акт\x00", "акт\tN 5"]
)


@st.composite
def ledger_rows(draw: st.DrawFn) -> list[str]:
    opening, charged, recalc, paid = (draw(amounts) for _ in range(4))
    money = [
        draw(st.one_of(st.just(amount_text(v)), odd_amount))
        for v in (opening, charged, recalc, paid)
    ]
    closing = draw(
        st.sampled_from(
            [amount_text(opening + charged + recalc - paid), amount_text(opening + 1), ""]
        )
    )
    return [
        draw(accounts), draw(periods), draw(services),
        money[0], money[1], money[2], money[3], closing,
        draw(decimals), draw(decimals), draw(reasons),
    ]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(ledger_rows(), min_size=1, max_size=6))
def test_batch_reader_gives_what_the_row_reader_gives_or_hands_the_batch_back(batch):
    columns = column_index(FileKind.LEDGER, HEADER)
    keys = [key for key in map(ledger_key_reader(columns, known()), batch) if key is not None]
    if len(set(keys)) != len(keys):
        with pytest.raises(KeysRepeated):
            ledger_batch_reader(columns, known())(batch)
        return
    by_batch = ledger_batch_reader(columns, known())(batch)
    row_reader = reader_for(FileKind.LEDGER, columns, known(), UTC)
    by_row = []
    for fields in batch:
        try:
            by_row.append(row_reader(fields))
        except RowProblem:
            by_row.append(None)
    if by_batch is not None:
        assert by_batch == by_row


@st.composite
def usual_ledger_rows(draw: st.DrawFn) -> list[str]:
    opening, charged, recalc, paid = (draw(amounts) for _ in range(4))
    return [
        draw(st.sampled_from(["100234", "100235"])),
        draw(st.sampled_from(["2026-10", "2026-11", "12.2026", "2027-01", "2027-02"])),
        draw(st.sampled_from(["hvs", "el"])),
        amount_text(opening), amount_text(charged), amount_text(recalc), amount_text(paid),
        amount_text(opening + charged + recalc - paid),
        draw(st.sampled_from(["", "12,345", "0,5", "7", "12.0"])),
        draw(st.sampled_from(["", "45,67", "5.5"])),
        draw(st.sampled_from(["", "акт о протечке"])),
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(usual_ledger_rows(), min_size=1, max_size=20, unique_by=lambda row: tuple(row[:3])))
def test_usual_rows_are_read_in_bulk_exactly_as_row_by_row(batch):
    columns = column_index(FileKind.LEDGER, HEADER)
    row_reader = reader_for(FileKind.LEDGER, columns, known(), UTC)
    assert ledger_batch_reader(columns, known())(batch) == [row_reader(f) for f in batch]


def test_a_batch_of_usual_rows_is_read_in_bulk():
    columns = column_index(FileKind.LEDGER, HEADER)
    rows = [
        ["100234", "2026-10", "hvs", "100,00", "250,50", "0,00", "100,00", "250,50",
         "5,5", "45,67", ""],
        ["100235", "2026-10", "el", "0,00", "120,00", "-10,00", "0,00", "110,00",
         "", "", "акт"],
    ]  # fmt: skip
    assert ledger_batch_reader(columns, known())(rows) == [
        ("100234", 202610, "hvs", 10000, 25050, 0, 10000, "5.5", "45.67", ""),
        ("100235", 202610, "el", 0, 12000, -1000, 0, None, None, "акт"),
    ]


def test_a_batch_with_a_closed_period_is_handed_to_the_row_reader():
    columns = column_index(FileKind.LEDGER, HEADER)
    rows = [["100234", "2026-09", "hvs", "0,00", "1,00", "0,00", "0,00", "1,00", "", "", ""]]
    assert ledger_batch_reader(columns, known())(rows) is None


def test_a_line_break_inside_an_amount_or_volume_hands_the_batch_back():
    columns = column_index(FileKind.LEDGER, HEADER)
    usual = ["100234", "2026-10", "hvs", "0,00", "1,00", "0,00", "0,00", "1,00", "", "", ""]
    in_amount = [*usual[:4], "1,00\n2,00", *usual[5:]]
    in_volume = [*usual[:8], "1\n2", *usual[9:]]
    other = ["100235", *usual[1:]]

    assert ledger_batch_reader(columns, known())([usual, other]) is not None
    assert ledger_batch_reader(columns, known())([other, in_amount]) is None
    assert ledger_batch_reader(columns, known())([other, in_volume]) is None


# --- one row per account, period and service (issue 17) ----------------------------------

USUAL = ["100234", "2026-10", "hvs", "0,00", "1,00", "0,00", "0,00", "1,00", "", "", ""]


def test_a_key_named_twice_in_a_batch_or_in_a_later_one_raises_keys_repeated():
    columns = column_index(FileKind.LEDGER, HEADER)
    other = ["100235", *USUAL[1:]]
    with pytest.raises(KeysRepeated):
        ledger_batch_reader(columns, known())([USUAL, other, USUAL])
    read = ledger_batch_reader(columns, known())
    assert read([USUAL]) is not None
    assert read([other]) is not None
    with pytest.raises(KeysRepeated):
        read([other])


def test_a_key_repeated_on_a_row_the_batch_hands_back_is_noticed_too():
    # `100234-А` is account 100234 as billing prints it; its batch goes to the row reader.
    columns = column_index(FileKind.LEDGER, HEADER)
    read = ledger_batch_reader(columns, known())
    assert read([USUAL]) is not None
    with pytest.raises(KeysRepeated):
        read([["100234-А", "10.2026", " hvs", *USUAL[3:]]])


def test_a_control_character_in_a_reason_hands_the_batch_to_the_row_reader():
    columns = column_index(FileKind.LEDGER, HEADER)
    assert ledger_batch_reader(columns, known())([[*USUAL[:10], "акт\x00"]]) is None
    assert ledger_batch_reader(columns, known())([[*USUAL[:10], "акт\tN 5"]]) is not None


@settings(max_examples=300, deadline=None)
@given(ledger_rows())
def test_the_key_of_a_row_the_row_reader_reads_is_the_start_of_its_record(fields):
    columns = column_index(FileKind.LEDGER, HEADER)
    try:
        record = reader_for(FileKind.LEDGER, columns, known(), UTC)(fields)
    except RowProblem:
        return
    assert ledger_key_reader(columns, known())(fields) == record[:3]

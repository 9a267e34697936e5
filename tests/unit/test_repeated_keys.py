"""One row per key in a billing file (issue 17): what the key bitmap of ledger files
remembers, and how a key's first line is found."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.repeats import (
    LINE_NOT_KEPT,
    FirstLines,
    LedgerKeys,
    first_lines,
    repeated,
)

ledger_keys = st.tuples(
    st.sampled_from([str(100_000 + n) for n in range(40)]),
    st.sampled_from([202610, 202611, 203012]),
    st.sampled_from(["hvs", "el", "gas"]),
)


@given(st.lists(st.lists(ledger_keys, max_size=8), max_size=6))
def test_the_bitmap_says_a_batch_repeats_a_key_exactly_when_a_set_would(batches):
    bitmap, seen = LedgerKeys(), set()
    for batch in batches:
        expected = len(set(batch)) == len(batch) and seen.isdisjoint(batch)
        assert bitmap.add(batch) is expected
        seen.update(batch)


def test_first_lines_remember_the_line_of_a_key_and_a_ledger_only_that_it_was_met():
    accounts = FirstLines(FileKind.ACCOUNTS)
    assert [accounts.note("100234", line) for line in (2, 3, 7)] == [None, 2, 2]
    ledger = FirstLines(FileKind.LEDGER)
    key = ("100234", 202610, "hvs")
    assert [ledger.note(key, line) for line in (2, 3)] == [None, LINE_NOT_KEPT]


def test_the_first_line_of_each_key_is_found_reading_no_further_than_needed():
    rows = iter([(2, ["a"]), (3, ["b"]), (5, ["a"]), (6, ["c"]), (7, ["d"])])

    found = first_lines(rows, lambda fields: fields[0], {"a", "c"})

    assert found == {"a": 2, "c": 6}
    assert next(rows) == (7, ["d"])


def test_a_repeated_key_is_named_with_the_line_it_was_first_named_on():
    assert repeated(FileKind.ACCOUNTS, "100234", 2) == "лицевой счёт 100234 уже есть в строке 2"
    assert repeated(FileKind.LEDGER, ("100234", 202610, "hvs"), 5) == (
        "лицевой счёт 100234, период 2026-10, услуга hvs уже есть в строке 5"
    )

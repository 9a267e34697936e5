"""Which demo accounts to suggest to a newcomer for the first visit (F2)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

from lk_adapters.billing_files import CsvSourceFile
from lk_core.billing_import.kinds import FileKind

HOW_MANY = 5


def _no_account_is_taken(number: str) -> bool:
    return False


def demo_accounts_to_try(
    folder: Path, taken: Callable[[str], bool] = _no_account_is_taken
) -> list[tuple[str, str]]:
    """(account number as printed, payer's surname) for a few accounts of the demo files
    that are not `taken` (registered already): plain ones first, then one whose surname
    has «ё» and one with a letter index."""
    source = CsvSourceFile(folder / f"{FileKind.ACCOUNTS.value}.csv", kind=FileKind.ACCOUNTS)
    account, payer = source.columns["account"], source.columns["payer"]
    plain: list[tuple[str, str]] = []
    with_yo: list[tuple[str, str]] = []
    with_letter: list[tuple[str, str]] = []
    for _line, fields in source.rows():
        pair = (fields[account].strip(), fields[payer].split()[0])
        if not pair[0].isdigit():
            with_letter.append(pair)
        elif "ё" in pair[1]:
            with_yo.append(pair)
        else:
            plain.append(pair)

    def free(pairs: Iterable[tuple[str, str]], how_many: int) -> list[tuple[str, str]]:
        # Lazily: `taken` asks the database, once per account looked at.
        return list(islice((pair for pair in pairs if not taken(pair[0])), how_many))

    special = free(with_yo, 1) + free(with_letter, 1)
    return free(plain, HOW_MANY - len(special)) + special

"""Receipts as files: `<folder>/<YYYY-MM>/<account>.pdf`, each written whole.

A receipt is written to a hidden temporary file in the same folder and renamed into
place, so a reader (or a rerun after `kill -9`) sees either the whole file or none.
Temporary files left by a killed writer are never taken for receipts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lk_core.kernel.periods import Period

_NAME = re.compile(r"^([0-9]{1,20})\.pdf$")
_PERIOD = re.compile(r"^[0-9]{4}-[0-9]{2}$")


class FilesystemReceiptStore:
    """The default receipt store, in a configurable folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, account_key: str, period: Period) -> Path:
        if not account_key.isdigit():
            raise ValueError(f"not an account key: {account_key!r}")
        return self.folder / str(period) / f"{account_key}.pdf"

    def put(self, account_key: str, period: Period, pdf: bytes) -> None:
        path = self._path(account_key, period)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{account_key}.{os.getpid()}.tmp")
        with open(temporary, "wb") as file:
            file.write(pdf)
        os.replace(temporary, path)

    def get(self, account_key: str, period: Period) -> bytes | None:
        try:
            return self._path(account_key, period).read_bytes()
        except FileNotFoundError:
            return None

    def periods_of(self, account_key: str) -> list[Period]:
        # Every main page asks: plain strings and one stat per month folder.
        if not account_key.isdigit():
            raise ValueError(f"not an account key: {account_key!r}")
        try:
            months = [entry.name for entry in os.scandir(self.folder) if _PERIOD.match(entry.name)]
        except (FileNotFoundError, NotADirectoryError):
            return []
        folder, name = str(self.folder), f"{account_key}.pdf"
        months.sort(reverse=True)  # YYYY-MM sorts as the months do
        return [
            Period.parse(month)
            for month in months
            if os.path.exists(os.path.join(folder, month, name))
        ]

    def accounts_with(self, period: Period) -> set[str]:
        folder = self.folder / str(period)
        if not folder.is_dir():
            return set()
        return {m[1] for entry in os.scandir(folder) if (m := _NAME.match(entry.name))}

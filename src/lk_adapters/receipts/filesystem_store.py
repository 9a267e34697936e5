"""Receipts as files: `<folder>/<YYYY-MM>/<account>.pdf`, each written whole.

A receipt is written to a temporary file in the hidden folder `<folder>/.writing` and
renamed into its month folder (the same file system, so the rename is atomic): a month
folder only ever holds whole receipts, whoever lists it and whenever. A writer killed
midway (`kill -9`) can leave a temporary file in `.writing`, never in a month folder;
hidden files in a month folder (left there by older versions) are never taken for
receipts either.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from lk_core.kernel.periods import Period

_NAME = re.compile(r"^([0-9]{1,20})\.pdf$")
_PERIOD = re.compile(r"^[0-9]{4}-[0-9]{2}$")
_WRITING = ".writing"  # not a month: `periods_of` and month listings never see it


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
        writing = self.folder / _WRITING
        writing.mkdir(exist_ok=True)
        # Unique per writer (processes and threads alike); "x" never opens another's file.
        unique = f"{os.getpid()}.{secrets.token_hex(4)}"
        temporary = writing / f"{period}.{account_key}.{unique}.tmp"
        try:
            with open(temporary, "xb") as file:
                file.write(pdf)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

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

"""Receipts made elsewhere (the billing system's own PDFs) attached to accounts and closed
months: `<account>_<YYYY-MM>.pdf`, e.g. `100234-А_2026-10.pdf` (docs/formats.md).

All or nothing: every file is checked first; with any problem nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from lk_core.accounts.account import AccountNumber
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import ProgressReporter
from lk_core.receipts.ports import ReceiptStore
from lk_core.unit_of_work import UnitOfWorkFactory

NAME = re.compile(r"^(?P<account>[^_]+)_(?P<period>\d{4}-\d{2})\.pdf$", re.IGNORECASE)
MAX_BYTES = 20 * 1024 * 1024


@attrs.frozen
class ReceiptFile:
    """A file offered for import: its name and a way to read it."""

    name: str
    size: int
    read: Callable[[], bytes] = attrs.field(eq=False, repr=False)


@attrs.frozen
class ReceiptImportReport:
    imported: int
    problems: tuple[str, ...]


def looks_like_pdf(content: bytes) -> bool:
    """A whole PDF file starts with its header and ends with the end-of-file marker."""
    return content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]


def _target(name: str) -> tuple[str, Period]:
    match = NAME.match(name)
    if match is None:
        raise InvalidValue("file", name, "имя не по правилу «<лицевой счёт>_<ГГГГ-ММ>.pdf»")
    return AccountNumber.parse(match["account"]).key, Period.parse(match["period"])


def import_receipts(
    uow_factory: UnitOfWorkFactory,
    store: ReceiptStore,
    files: Sequence[ReceiptFile],
    progress: ProgressReporter,
) -> ReceiptImportReport:
    """Check every file (name, account, closed month, PDF), then store them all or none."""
    problems: list[str] = []
    targets: list[tuple[ReceiptFile, str, Period]] = []
    with uow_factory(read_only=True) as uow:
        closed = {p.period for p in uow.periods.list() if p.is_closed}
        for file in files:
            try:
                key, period = _target(file.name)
            except InvalidValue as error:
                problems.append(f"{file.name}: {error.message_ru}")
                continue
            if uow.accounts.get(key) is None:
                problems.append(f"{file.name}: нет лицевого счёта {key}")
            elif period not in closed:
                problems.append(f"{file.name}: месяц {period} не закрыт (lk period close {period})")
            elif file.size > MAX_BYTES:
                problems.append(f"{file.name}: файл больше 20 МБ")
            else:
                targets.append((file, key, period))
    checked = []
    for file, key, period in targets:
        content = file.read()
        if not looks_like_pdf(content):
            problems.append(f"{file.name}: это не PDF-файл или он записан не полностью")
        checked.append((key, period, file))
    if problems:
        return ReceiptImportReport(0, tuple(problems))
    for done, (key, period, file) in enumerate(checked, start=1):
        store.put(key, period, file.read())
        progress.advance(done, len(checked))
    return ReceiptImportReport(len(checked), ())

"""Receipts made elsewhere (F11): attached by file name to accounts and closed months,
all of them or, with any problem, none."""

from __future__ import annotations

from access_fixtures import IVANOV, SEMENOV
from lk_adapters.receipts import InMemoryReceiptStore
from lk_core.kernel.periods import BillingPeriod
from lk_core.kernel.runtime import no_progress
from lk_core.receipts.receipt_import import ReceiptFile, import_receipts
from main_page_fixtures import EARLIER, NEWEST
from receipt_fixtures import a_portal_with_ledger

A_PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def a_file(name: str, content: bytes = A_PDF) -> ReceiptFile:
    return ReceiptFile(name, len(content), lambda: content)


def closed_portal():  # type: ignore[no-untyped-def]
    portal = a_portal_with_ledger()
    with portal.uow_factory() as uow:
        for period in (EARLIER, NEWEST):
            state = BillingPeriod(period)
            state.close(portal.clock.now())
            uow.periods.save(state)
        uow.commit()
    return portal


def test_files_named_by_account_and_month_are_attached_to_them() -> None:
    portal = closed_portal()
    store = InMemoryReceiptStore()
    files = [a_file("100234-А_2026-10.pdf"), a_file("100235_2026-09.PDF")]

    report = import_receipts(portal.uow_factory, store, files, no_progress())

    assert (report.imported, report.problems) == (2, ())
    assert store.get(IVANOV, NEWEST) == A_PDF
    assert store.get(SEMENOV, EARLIER) == A_PDF


def test_any_bad_file_is_named_with_its_problem_and_nothing_is_stored() -> None:
    portal = closed_portal()
    store = InMemoryReceiptStore()
    files = [
        a_file("100234_2026-10.pdf"),
        a_file("квитанция.pdf"),
        a_file("999999_2026-10.pdf"),
        a_file("100234_2026-08.pdf"),
        a_file("100235_2026-10.pdf", b"%PDF-1.4 cut short"),
    ]

    report = import_receipts(portal.uow_factory, store, files, no_progress())

    assert report.imported == 0
    assert [p.split(":")[0] for p in report.problems] == [
        "квитанция.pdf", "999999_2026-10.pdf", "100234_2026-08.pdf", "100235_2026-10.pdf",
    ]  # fmt: skip
    assert "<лицевой счёт>_<ГГГГ-ММ>.pdf" in report.problems[0]
    assert "нет лицевого счёта 999999" in report.problems[1]
    assert "не закрыт" in report.problems[2]
    assert "не PDF" in report.problems[3]
    assert store.accounts_with(NEWEST) == set()

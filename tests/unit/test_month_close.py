"""Closing the month (F22): every account's receipt once, e-mails once, resumable."""

from __future__ import annotations

import pytest

from access_fixtures import IVANOV, PETROVA, SEMENOV
from lk_adapters.receipts import InMemoryReceiptStore, PdfReceiptRenderer
from lk_adapters.receipts.runner import InlineReceiptRunner
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.receipts.document import receipt_document
from lk_core.receipts.month_close import close_month
from main_page_fixtures import EARLIER, NEWEST
from receipt_fixtures import COMPANY, a_portal_with_ledger, decode_qr, is_whole_pdf


class Counting:
    def __init__(self) -> None:
        self.seen: list[tuple[int, int | None]] = []

    def advance(self, done: int, total: int | None) -> None:
        self.seen.append((done, total))


def close(portal, store, period=NEWEST, progress=None):  # type: ignore[no-untyped-def]
    runner = InlineReceiptRunner(
        portal.uow_factory, portal.clock, COMPANY, PdfReceiptRenderer(), store
    )
    return close_month(
        portal.uow_factory, portal.clock, COMPANY, store, runner, period, progress or no_progress(),
        batch=2,
    )  # fmt: skip


def test_closing_freezes_the_period_and_stores_every_accounts_receipt() -> None:
    portal = a_portal_with_ledger()
    store = InMemoryReceiptStore()
    progress = Counting()

    report = close(portal, store, progress=progress)

    assert (report.accounts, report.rendered, report.already_stored) == (3, 3, 0)
    with portal.uow_factory(read_only=True) as uow:
        state = uow.periods.get(NEWEST)
        assert state is not None
        assert state.is_closed
        assert not uow.periods.get(EARLIER).is_closed  # type: ignore[union-attr]
    assert store.accounts_with(NEWEST) == {IVANOV, SEMENOV, PETROVA}
    for key in (IVANOV, SEMENOV, PETROVA):
        pdf = store.get(key, NEWEST)
        assert pdf is not None
        assert is_whole_pdf(pdf)
    assert progress.seen[0] == (0, 3)
    assert progress.seen[-1] == (3, 3)


def test_the_receipt_goes_by_e_mail_to_those_who_chose_it_with_the_pdf_attached() -> None:
    portal = a_portal_with_ledger(email_for=(IVANOV,))
    store = InMemoryReceiptStore()

    close(portal, store)

    with portal.uow_factory(read_only=True) as uow:
        messages = uow.outbox.recent(10)
    assert len(messages) == 1
    message = messages[0]
    assert message.dedupe_key == f"receipt:{IVANOV}:202610"
    assert message.email is not None
    assert message.email.to == f"payer{IVANOV}@example.com"
    assert "октябрь 2026" in message.email.subject
    (attachment,) = message.email.attachments
    assert attachment.filename == "Квитанция_100234-А_2026-10.pdf"
    assert attachment.content == store.get(IVANOV, NEWEST)
    assert decode_qr(attachment.content)[0].count("PersAcc=100234-А") == 1


def test_a_second_run_renders_nothing_and_queues_no_second_e_mail() -> None:
    portal = a_portal_with_ledger(email_for=(IVANOV, PETROVA))
    store = InMemoryReceiptStore()
    close(portal, store)
    first = {key: store.get(key, NEWEST) for key in (IVANOV, SEMENOV, PETROVA)}

    report = close(portal, store)

    assert (report.rendered, report.already_stored) == (0, 3)
    assert {key: store.get(key, NEWEST) for key in first} == first
    with portal.uow_factory(read_only=True) as uow:
        assert len(uow.outbox.recent(10)) == 2


def test_a_run_stopped_after_storing_receipts_but_before_mailing_them_mails_them_on_rerun() -> None:
    portal = a_portal_with_ledger(email_for=(IVANOV,))
    store = InMemoryReceiptStore()
    # As if killed right after the renderer stored Ivanov's receipt: no e-mail was queued.
    with portal.uow_factory(read_only=True) as uow:
        document = receipt_document(uow, COMPANY, IVANOV, NEWEST)
    assert document is not None
    store.put(IVANOV, NEWEST, PdfReceiptRenderer().render(document))

    report = close(portal, store)

    assert (report.rendered, report.already_stored) == (2, 1)
    with portal.uow_factory(read_only=True) as uow:
        (message,) = uow.outbox.recent(10)
    assert message.dedupe_key == f"receipt:{IVANOV}:202610"
    assert message.email is not None
    assert message.email.attachments[0].content == store.get(IVANOV, NEWEST)


def test_an_unknown_period_is_not_found_and_nothing_is_stored() -> None:
    portal = a_portal_with_ledger()
    store = InMemoryReceiptStore()

    with pytest.raises(NotFound):
        close(portal, store, period=Period(2020, 1))
    assert store.accounts_with(Period(2020, 1)) == set()

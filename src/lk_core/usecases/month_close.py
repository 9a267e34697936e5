"""Closing the month (F22): freeze the period, make every account's receipt, mail them.

Resumable and exactly-once: a receipt is stored whole or not at all (the store writes,
then renames), an account whose receipt is stored is not rendered again, and every
e-mail has a dedupe key (account and period), so a rerun after a crash queues none twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from lk_core.accounts.account import ReceiptDelivery
from lk_core.kernel.company import Company
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import Clock, ProgressReporter
from lk_core.messaging.messages import Attachment, EmailMessage
from lk_core.messaging.outbox import queue_email
from lk_core.receipts.document import receipt_document, receipt_documents, service_names
from lk_core.receipts.ports import ReceiptBatchRunner, ReceiptRenderer, ReceiptStore
from lk_core.receipts.receipt import ReceiptDocument
from lk_core.unit_of_work import UnitOfWorkFactory

BATCH = 100


@attrs.frozen
class CloseReport:
    period: Period
    accounts: int
    rendered: int
    already_stored: int


def receipt_dedupe_key(account_key: str, period: Period) -> str:
    return f"receipt:{account_key}:{period.code}"


def receipt_filename(account_number: str, period: Period) -> str:
    """`Квитанция_100234_2026-10.pdf`: what the resident's browser saves it as."""
    return f"Квитанция_{account_number}_{period}.pdf"


def receipt_email(document: ReceiptDocument, pdf: bytes) -> EmailMessage:
    """The e-mail that carries a receipt to a resident who chose delivery by e-mail."""
    assert document.account.email is not None
    period = document.period
    company = document.company
    text = (
        f"Здравствуйте!\n\nКвитанция за {period.label_ru} по лицевому счёту "
        f"{document.account.number} во вложении.\nК оплате: {document.to_pay.format()}.\n\n"
        f"{company.name}\n"
    )
    attachment = Attachment(
        receipt_filename(str(document.account.number), period), "application/pdf", pdf
    )
    return EmailMessage(
        to=document.account.email.address,
        subject=f"Квитанция за {period.label_ru}, лицевой счёт {document.account.number}",
        text=text,
        attachments=(attachment,),
    )


def make_receipts(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    company: Company,
    renderer: ReceiptRenderer,
    store: ReceiptStore,
    period: Period,
    account_keys: Sequence[str],
) -> int:
    """Render and store the receipts of a batch of accounts, then queue the e-mails of those
    who chose e-mail delivery; return how many receipts were stored."""
    mails: list[tuple[ReceiptDocument, bytes]] = []
    stored = 0
    with uow_factory(read_only=True) as uow:
        documents = receipt_documents(uow, company, account_keys, period)
    for document in documents:
        pdf = renderer.render(document)
        store.put(document.account.key, period, pdf)
        stored += 1
        if document.account.delivery is ReceiptDelivery.EMAIL and document.account.email:
            mails.append((document, pdf))
    if mails:
        with uow_factory() as uow:
            now = clock.now()
            for document, pdf in mails:
                message = receipt_email(document, pdf)
                uow.outbox.add(
                    queue_email(message, now, receipt_dedupe_key(document.account.key, period))
                )
            uow.commit()
    return stored


def _requeue_mails(
    uow_factory: UnitOfWorkFactory, clock: Clock, company: Company, store: ReceiptStore,
    period: Period, account_keys: Sequence[str],
) -> None:  # fmt: skip
    """Queue the e-mails of receipts stored by an earlier run that may have stopped before
    queueing them; the dedupe key keeps those already queued from being queued again."""
    with uow_factory() as uow:
        names = service_names(uow)
        for key in account_keys:
            account = uow.accounts.get(key)
            if (
                account is None
                or account.delivery is not ReceiptDelivery.EMAIL
                or not account.email
            ):
                continue
            pdf = store.get(key, period)
            document = receipt_document(uow, company, key, period, names)
            if pdf is None or document is None:
                continue
            message = receipt_email(document, pdf)
            uow.outbox.add(queue_email(message, clock.now(), receipt_dedupe_key(key, period)))
        uow.commit()


def _batches(keys: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield list(keys[start : start + size])


def close_month(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    company: Company,
    store: ReceiptStore,
    runner: ReceiptBatchRunner,
    period: Period,
    progress: ProgressReporter,
    batch: int = BATCH,
) -> CloseReport:
    """Freeze the period if still open, then make the receipts it does not have yet.

    Running it again on a closed period finishes what an interrupted run left undone.
    """
    with uow_factory() as uow:
        billing_period = uow.periods.get(period)
        if billing_period is None:
            raise NotFound("period", str(period))
        if not billing_period.is_closed:
            billing_period.close(clock.now())
            uow.periods.save(billing_period)
            uow.commit()
    with uow_factory(read_only=True) as uow:
        keys = uow.ledger.accounts_in(period)
    done = store.accounts_with(period)
    earlier = [key for key in keys if key in done]
    todo = [key for key in keys if key not in done]
    for chunk in _batches(earlier, batch):
        _requeue_mails(uow_factory, clock, company, store, period, chunk)
    finished = len(earlier)
    progress.advance(finished, len(keys))
    rendered = 0
    for count in runner.run(period, _batches(todo, batch)):
        rendered += count
        finished += count
        progress.advance(finished, len(keys))
    return CloseReport(period, len(keys), rendered, len(earlier))

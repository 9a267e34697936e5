"""Receipts on the main page (F11, F27): links to the last closed months' receipts and the
payment QR code for the amount due."""

from __future__ import annotations

import attrs

from lk_core.access.context import AccessContext
from lk_core.kernel.company import Company
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.ledger.settlements import SettlementView
from lk_core.receipts.month_close import receipt_filename
from lk_core.receipts.payment_qr import PaymentRequest, payment_payload
from lk_core.receipts.ports import ReceiptStore


@attrs.frozen
class ReceiptsPanel:
    """The receipts of the last closed months (newest first) and what to pay now."""

    account_number: str
    periods: tuple[Period, ...]
    payment: PaymentRequest | None

    @property
    def payload(self) -> str | None:
        return None if self.payment is None else payment_payload(self.payment)


def _shown(ctx: AccessContext, store: ReceiptStore, account_key: str) -> list[Period]:
    with ctx.uow_factory(read_only=True) as uow:
        closed = {p.period for p in uow.periods.list() if p.is_closed}
    stored = [period for period in store.periods_of(account_key) if period in closed]
    return stored[: ctx.policies.receipts_shown]


def receipts_panel(
    ctx: AccessContext, store: ReceiptStore, company: Company, view: SettlementView
) -> ReceiptsPanel:
    """The panel for the main page's account and period, as the page already read them.

    Reads no database: receipts are stored only for closed months (month close freezes the
    month first), so the store alone lists them. The QR code pays what the page says is
    due for the period it shows.
    """
    account = view.account
    shown = tuple(store.periods_of(account.key)[: ctx.policies.receipts_shown])
    payment = None
    if view.period is not None and view.settlement is not None:
        payment = PaymentRequest(company, str(account.number), view.period, view.settlement.to_pay)
    return ReceiptsPanel(str(account.number), shown, payment)


def open_receipt(
    ctx: AccessContext, store: ReceiptStore, account_key: str, period: Period
) -> tuple[bytes, str]:
    """The receipt's PDF and the file name to save it under; only the months the main page
    lists may be opened, any other is `NotFound`."""
    if period not in _shown(ctx, store, account_key):
        raise NotFound("receipt", f"{account_key}/{period}")
    with ctx.uow_factory(read_only=True) as uow:
        account = uow.accounts.get(account_key)
    pdf = store.get(account_key, period)
    if account is None or pdf is None:
        raise NotFound("receipt", f"{account_key}/{period}")
    return pdf, receipt_filename(str(account.number), period)

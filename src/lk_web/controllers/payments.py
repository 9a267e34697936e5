"""Online payment pages (F12): choose a service and amount, leave for the provider, come
back to the order's status, and the payment history.

The account is always the one the session shows; an order of another account is a page
that does not exist. The return page only reads the order (SECURITY.md, "Payments").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import structlog
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.kernel.errors import DomainError, NotFound
from lk_core.ledger.context import LedgerContext
from lk_core.ledger.settlements import settlement_page
from lk_core.payments.errors import ProviderUnavailable
from lk_core.payments.online_payment import (
    PaymentContext,
    PaymentForm,
    order_of,
    payment_choice,
    payment_history,
    start_payment,
)
from lk_core.payments.orders import OrderStatus
from lk_web.dependencies import Portal
from lk_web.pages import NO_STORE, form_errors, page
from lk_web.resident import Resident, SignedIn

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
log = structlog.get_logger()


@dataclass
class PayFormData:
    provider: str = ""
    amount: str = ""
    email: str = ""
    readings: str = ""
    service: str = ""

    def to_form(self) -> PaymentForm:
        return PaymentForm(self.provider, self.amount, self.email, self.readings, self.service)


def _choice_page(
    ledger: LedgerContext,
    payments: PaymentContext,
    resident: SignedIn,
    data: PayFormData | None,
    service: str,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    account = resident.account
    view = settlement_page(ledger, account.key, None)
    choice = payment_choice(payments, view, service)
    if data is None:
        email = str(account.email) if account.email else ""
        first = choice.providers[0].code if choice.providers else ""
        amount = choice.due.format(currency=False) if choice.due else ""
        data = PayFormData(first, amount.replace("\u00a0", " "), email, "", service)
    return page(
        "pay.html.j2", status_code=status_code, **resident.header, view=view, choice=choice,
        form=data, errors=errors or {},
    )  # fmt: skip


class PaymentController(Controller):
    @get("/pay", sync_to_thread=True)
    def choose(
        self,
        portal: Portal,
        resident: Resident,
        service: FromQuery[str | None] = None,
    ) -> Template:
        """The payment choice: which service, how much, and through whom (F12)."""
        return _choice_page(portal.ledger, portal.payments, resident, None, service or "")

    @post("/pay", sync_to_thread=True)
    def pay(
        self,
        portal: Portal,
        resident: Resident,
        data: Annotated[PayFormData, FORM],
    ) -> Template | Redirect:
        """Store the order, then send the resident to the provider's page."""
        try:
            url = start_payment(portal.payments, resident.account.key, data.to_form())
        except ProviderUnavailable as error:
            log.warning(
                "payment_provider_unavailable", provider=error.provider, detail=error.detail
            )
            return _choice_page(
                portal.ledger, portal.payments, resident, data, data.service,
                errors={"": error.message_ru}, status_code=503,
            )  # fmt: skip
        except NotFound:
            raise  # not a form's error: the app answers 404
        except DomainError as error:
            return _choice_page(
                portal.ledger, portal.payments, resident, data, data.service,
                errors=form_errors(error), status_code=400,
            )  # fmt: skip
        return Redirect(path=url, status_code=303, headers=NO_STORE)

    @get("/pay/return/{order_id:str}", sync_to_thread=True)
    def returned(
        self,
        portal: Portal,
        resident: Resident,
        order_id: FromPath[str],
    ) -> Template:
        """The order's status as the portal knows it; coming back never marks it paid."""
        order = order_of(portal.payments, resident.account.key, order_id)
        provider = next((p for p in portal.payments.providers if p.code == order.provider), None)
        return page(
            "pay_return.html.j2", **resident.header, order=order, provider=provider,
            pending=order.status is OrderStatus.PENDING,
        )  # fmt: skip

    @get("/payments", sync_to_thread=True)
    def history(self, portal: Portal, resident: Resident) -> Template:
        """Orders made through the portal and every payment credited to the account."""
        history = payment_history(portal.payments, resident.account.key)
        names = {p.code: p.name for p in portal.payments.providers}
        return page("payments.html.j2", **resident.header, history=history, provider_names=names)

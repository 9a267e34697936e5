"""Online payment pages (F12): choose a service and amount, leave for the provider, come
back to the order's status, and the payment history.

The account is always the one the session shows; an order of another account is a page
that does not exist. The return page only reads the order (SECURITY.md, "Payments").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import structlog
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.access.context import AccessContext
from lk_core.kernel.errors import DomainError, NotFound
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
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.pages import (
    NO_STORE,
    form_errors,
    page,
    see_other,
    signed_in_header,
)

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
SIGNED_OUT = "/?notice=signed-out"
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
    access: AccessContext,
    payments: PaymentContext,
    header: dict[str, Any],
    data: PayFormData | None,
    service: str,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    account = header["resident"]
    try:
        view = settlement_page(access, account.key, None)
        choice = payment_choice(payments, view, service)
    except NotFound as error:
        raise NotFoundException() from error
    if data is None:
        email = str(account.email) if account.email else ""
        first = choice.providers[0].code if choice.providers else ""
        amount = choice.due.format(currency=False) if choice.due else ""
        data = PayFormData(first, amount.replace("\u00a0", " "), email, "", service)
    return page(
        "pay.html.j2", status_code=status_code, **header, view=view, choice=choice,
        form=data, errors=errors or {},
    )  # fmt: skip


class PaymentController(Controller):
    @get("/pay", sync_to_thread=True)
    def choose(
        self,
        request: AnyRequest,
        portal: Portal,
        service: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        """The payment choice: which service, how much, and through whom (F12)."""
        header = signed_in_header(request, portal.access, portal.client)
        if header["resident"] is None:
            return see_other(SIGNED_OUT)
        return _choice_page(portal.access, portal.payments, header, None, service or "")

    @post("/pay", sync_to_thread=True)
    def pay(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[PayFormData, FORM],
    ) -> Template | Redirect:
        """Store the order, then send the resident to the provider's page."""
        header = signed_in_header(request, portal.access, portal.client)
        if header["resident"] is None:
            return see_other(SIGNED_OUT)
        try:
            url = start_payment(portal.payments, header["resident"].key, data.to_form())
        except ProviderUnavailable as error:
            log.warning(
                "payment_provider_unavailable", provider=error.provider, detail=error.detail
            )
            return _choice_page(
                portal.access, portal.payments, header, data, data.service,
                errors={"": error.message_ru}, status_code=503,
            )  # fmt: skip
        except NotFound as error:
            raise NotFoundException() from error
        except DomainError as error:
            return _choice_page(
                portal.access, portal.payments, header, data, data.service,
                errors=form_errors(error), status_code=400,
            )  # fmt: skip
        return Redirect(path=url, status_code=303, headers=NO_STORE)

    @get("/pay/return/{order_id:str}", sync_to_thread=True)
    def returned(
        self,
        request: AnyRequest,
        portal: Portal,
        order_id: FromPath[str],
    ) -> Template | Redirect:
        """The order's status as the portal knows it; coming back never marks it paid."""
        header = signed_in_header(request, portal.access, portal.client)
        if header["resident"] is None:
            return see_other(SIGNED_OUT)
        try:
            order = order_of(portal.payments, header["resident"].key, order_id)
        except NotFound as error:
            raise NotFoundException() from error
        provider = next((p for p in portal.payments.providers if p.code == order.provider), None)
        return page(
            "pay_return.html.j2", **header, order=order, provider=provider,
            pending=order.status is OrderStatus.PENDING,
        )  # fmt: skip

    @get("/payments", sync_to_thread=True)
    def history(self, request: AnyRequest, portal: Portal) -> Template | Redirect:
        """Orders made through the portal and every payment credited to the account."""
        header = signed_in_header(request, portal.access, portal.client)
        if header["resident"] is None:
            return see_other(SIGNED_OUT)
        history = payment_history(portal.payments, header["resident"].key)
        names = {p.code: p.name for p in portal.payments.providers}
        return page("payments.html.j2", **header, history=history, provider_names=names)

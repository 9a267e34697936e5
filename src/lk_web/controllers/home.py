"""The main page («Главная»): settlements (F9) and the additional services panel (F10).

The account shown is always the one the session shows, as the header's account switcher
resolves it (the resident's own or a linked one, checked on every request); never one
named in the URL or the form, so a resident sees and changes only their own accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from lk_core.access.context import AccessContext
from lk_core.access.visitor import upkeep_due
from lk_core.accounts.account import ReceiptDelivery
from lk_core.announcements.announcement import Announcement
from lk_core.home.main_page import finish_main_page, read_main_page
from lk_core.home.summary import HomeSummary
from lk_core.kernel.errors import DomainError, NotFound
from lk_core.kernel.periods import Period
from lk_core.ledger.settlements import SettlementView
from lk_core.payments.orders import PaymentOrder
from lk_core.personal_data.additional_services import (
    AdditionalServicesForm,
    update_additional_services,
)
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.pages import form_errors, header_of, page, period_named, see_other
from lk_web.reads import read
from lk_web.resident import SIGNED_IN_ONLY, Resident, SignedOut
from lk_web.views.home_summary import summary_html
from lk_web.views.settlements_table import settlements_table

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


@dataclass
class ServicesFormData:
    """The panel as posted: an unticked checkbox is simply absent."""

    sms_informing: str = ""
    phone: str = ""
    email_informing: str = ""
    email: str = ""
    delivery: str = ReceiptDelivery.PAPER.value
    period: str = ""

    def to_form(self) -> AdditionalServicesForm:
        return AdditionalServicesForm(
            sms_informing=self.sms_informing == "yes",
            phone=self.phone,
            email_informing=self.email_informing == "yes",
            email=self.email,
            delivery=(
                ReceiptDelivery.EMAIL
                if self.delivery == ReceiptDelivery.EMAIL.value
                else ReceiptDelivery.PAPER
            ),
        )


def _period(text: str | None) -> Period | None:
    """A period from the query or form, by default (None) the newest."""
    return period_named(text) if text else None


def consent_version_ru(version: str) -> str:
    """`2025-09-01` as `01.09.2025`; a version that is not a date is shown as it is."""
    try:
        return dt.date.fromisoformat(version).strftime("%d.%m.%Y")
    except ValueError:
        return version


def last_closed_months_ru(count: int) -> str:
    """«за последние 3 закрытых месяца», agreeing in number as Russian wants."""
    if count == 1:
        return "за последний закрытый месяц"
    if count % 10 == 1 and count % 100 != 11:
        return f"за последний {count} закрытый месяц"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"за последние {count} закрытых месяца"
    return f"за последние {count} закрытых месяцев"


def render_main_page(
    access: AccessContext,
    header: dict[str, Any],
    view: SettlementView,
    orders: tuple[PaymentOrder, ...],
    summary: HomeSummary,
    form: AdditionalServicesForm,
    *,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
    announcements: tuple[Announcement, ...] = (),
) -> Template:
    context: dict[str, Any] = {
        **header,
        "resident": view.account,
        "view": view,
        "table": settlements_table(view),
        "form": form,
        "errors": errors or {},
        "saved": saved,
        "consent_version": consent_version_ru(access.consent_version),
        "receipts_period": last_closed_months_ru(access.policies.receipts_shown),
        "recent_orders": orders,
        "summary": summary,
        "summary_html": summary_html,
        "announcements": announcements,
    }
    return page("home.html.j2", status_code=status_code, **context)


class HomeController(Controller):
    # The main page reads the visitor in its own unit of work (ADR 0032), not `resident`.
    @get("/home", opt=SIGNED_IN_ONLY)
    async def home(
        self,
        request: AnyRequest,
        portal: Portal,
        period: FromQuery[str | None] = None,
        saved: FromQuery[str | None] = None,
    ) -> Template:
        """Settlements of the chosen period (by default the newest) and the services panel."""
        access = portal.access
        found = await read(
            portal, read_main_page, portal.home, portal.client.session_id(request), _period(period)
        )
        # What the read implies (a last-seen time, once a minute) is written in a thread.
        shown = (
            await sync_to_thread(finish_main_page, portal.home, found)
            if upkeep_due(access, found.visitor)
            else found.page
        )
        if shown is None:
            raise SignedOut
        view = shown.settlements
        form = AdditionalServicesForm.of_account(view.account)
        return render_main_page(
            access,
            header_of(shown.accounts),
            view,
            shown.recent_orders,
            shown.summary,
            form,
            saved=saved == "1",
            announcements=shown.announcements,
        )

    @post("/home/services", sync_to_thread=True)
    def services(
        self,
        request: AnyRequest,
        portal: Portal,
        resident: Resident,
        data: Annotated[ServicesFormData, FORM],
    ) -> Template | Redirect:
        """Save the additional services panel; each consent given or withdrawn is recorded."""
        account_key = resident.account.key
        period = _period(data.period)
        form = data.to_form()
        try:
            update_additional_services(
                portal.access, account_key, form,
                ip=portal.client.ip(request), user_agent=portal.client.user_agent(request),
            )  # fmt: skip
        except NotFound:
            raise  # not a form's error: the app answers 404
        except DomainError as error:
            shown = read_main_page(portal.home, portal.client.session_id(request), period).page
            if shown is None:
                raise SignedOut from error
            return render_main_page(
                portal.access,
                resident.header,
                shown.settlements,
                shown.recent_orders,
                shown.summary,
                form,
                errors=form_errors(error),
                status_code=400,
                announcements=shown.announcements,
            )
        query = {"period": str(period)} if period is not None else {}
        return see_other("/home?" + urlencode({**query, "saved": "1"}))

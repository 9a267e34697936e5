"""Receipts (F11): the PDF of a closed month for the account the session shows.

As on the main page, the account is the session's (the resident's own or a linked one);
the URL names only the month, so nobody can open another account's receipt.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from markupsafe import Markup

from lk_adapters.receipts.qr import qr_svg
from lk_core.access.context import AccessContext
from lk_core.kernel.company import Company
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.kernel.periods import Period
from lk_core.ledger.settlements import SettlementView
from lk_core.receipts.ports import ReceiptStore
from lk_core.receipts.resident_receipts import ReceiptsPanel, open_receipt, receipts_panel
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.pages import see_other, signed_in_header


def receipts_for_template(access: AccessContext, store: ReceiptStore, company: Company) -> Any:
    """The main page partial's `receipts_panel(view)`: links and the QR code's SVG."""

    def panel(view: SettlementView) -> dict[str, Any]:
        data: ReceiptsPanel = receipts_panel(access, store, company, view)
        payload = data.payload
        svg = None
        if payload is not None:
            svg = Markup(qr_svg(payload, "QR-код для оплаты в приложении банка"))  # noqa: S704
        return {"panel": data, "qr_svg": svg}

    return panel


class ReceiptsController(Controller):
    @get("/receipts/{month:str}", sync_to_thread=True, name="receipt")
    def receipt(
        self,
        request: AnyRequest,
        portal: Portal,
        month: FromPath[str],
    ) -> Response[bytes] | Redirect:
        """The PDF, shown in the browser's viewer (inline) with a file name worth saving."""
        header = signed_in_header(request, portal.access, portal.client)
        if header["resident"] is None:
            return see_other("/?notice=signed-out")
        try:
            period = Period.parse(month)
            pdf, filename = open_receipt(
                portal.access, portal.receipts, header["resident"].key, period
            )
        except (InvalidValue, NotFound) as error:
            raise NotFoundException() from error
        ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": (
                    f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
                ),
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

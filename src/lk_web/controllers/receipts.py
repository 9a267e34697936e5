"""Receipts (F11): the PDF of a closed month for the account the session shows.

As on the main page, the account is the session's (the resident's own or a linked one);
the URL names only the month, so nobody can open another account's receipt.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Response, get
from litestar.params import FromPath
from markupsafe import Markup

from lk_adapters.receipts.qr import qr_svg
from lk_core.kernel.company import Company
from lk_core.ledger.settlements import SettlementView
from lk_core.receipts.context import ReceiptsContext
from lk_core.receipts.ports import ReceiptStore
from lk_core.receipts.resident_receipts import ReceiptsPanel, open_receipt, receipts_panel
from lk_web.dependencies import Portal
from lk_web.pages import period_named
from lk_web.resident import Resident


def receipts_for_template(ctx: ReceiptsContext, store: ReceiptStore, company: Company) -> Any:
    """The main page partial's `receipts_panel(view)`: links and the QR code's SVG."""

    def panel(view: SettlementView) -> dict[str, Any]:
        data: ReceiptsPanel = receipts_panel(ctx, store, company, view)
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
        portal: Portal,
        resident: Resident,
        month: FromPath[str],
    ) -> Response[bytes]:
        """The PDF, shown in the browser's viewer (inline) with a file name worth saving."""
        pdf, filename = open_receipt(
            portal.receipts, portal.receipt_store, resident.account.key, period_named(month)
        )
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

"""Receipts (F11, F22, F27): the single payment document's content, the payment QR
payload (GOST R 56042), month close (freeze, render, store, mail), receipts made
elsewhere, and what a resident may open. Use cases take a `ReceiptsContext` or the
adapters they need.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.receipts.context import ReceiptsContext
from lk_core.receipts.document import Values, receipt_document, receipt_documents, service_names
from lk_core.receipts.month_close import (
    BATCH,
    CloseReport,
    close_month,
    freeze_period,
    make_receipts,
    receipt_dedupe_key,
    receipt_email,
    receipt_filename,
)
from lk_core.receipts.payment_qr import (
    HEADER,
    HOUSING_TECH_CODE,
    SEPARATORS,
    UTF8,
    PaymentRequest,
    decode_payload,
    encode_fields,
    payment_payload,
)
from lk_core.receipts.ports import (
    ReceiptBatchRunner,
    ReceiptRenderer,
    ReceiptStore,
    ReceiptsUnitOfWork,
)
from lk_core.receipts.receipt import (
    MeterLine,
    Recalculation,
    ReceiptDocument,
    ReceiptLine,
    recalculations,
    receipt_lines,
)
from lk_core.receipts.receipt_import import (
    MAX_BYTES,
    NAME,
    ReceiptFile,
    ReceiptImportReport,
    import_receipts,
    looks_like_pdf,
)
from lk_core.receipts.resident_receipts import ReceiptsPanel, open_receipt, receipts_panel

__all__ = [
    "BATCH",
    "HEADER",
    "HOUSING_TECH_CODE",
    "MAX_BYTES",
    "NAME",
    "SEPARATORS",
    "UTF8",
    "CloseReport",
    "MeterLine",
    "PaymentRequest",
    "Recalculation",
    "ReceiptBatchRunner",
    "ReceiptDocument",
    "ReceiptFile",
    "ReceiptImportReport",
    "ReceiptLine",
    "ReceiptRenderer",
    "ReceiptStore",
    "ReceiptsContext",
    "ReceiptsPanel",
    "ReceiptsUnitOfWork",
    "Values",
    "close_month",
    "decode_payload",
    "encode_fields",
    "freeze_period",
    "import_receipts",
    "looks_like_pdf",
    "make_receipts",
    "open_receipt",
    "payment_payload",
    "recalculations",
    "receipt_dedupe_key",
    "receipt_document",
    "receipt_documents",
    "receipt_email",
    "receipt_filename",
    "receipt_lines",
    "receipts_panel",
    "service_names",
]

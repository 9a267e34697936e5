"""Loading billing's files (F21, F23): file kinds and their columns, row rules,
the whole-or-nothing load, billing's answer on residents' readings, and what is loaded.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.billing_import.data_summary import DataSummary, summarise_data
from lk_core.billing_import.fields import RowProblem, date, decimal, kopecks, moment, whole, yes_no
from lk_core.billing_import.kinds import COLUMNS, Column, FileKind, column_index, detect_kind
from lk_core.billing_import.ledger_batches import BatchReader, ledger_batch_reader
from lk_core.billing_import.loader import (
    BATCH_ROWS,
    MAX_PROBLEMS,
    ImportProblem,
    ImportReport,
    known_keys,
    load_billing_files,
)
from lk_core.billing_import.ports import BillingImportUnitOfWork, SourceFile
from lk_core.billing_import.readings_exchange import (
    PendingReadingsPage,
    ResultsReport,
    import_reading_results,
    pending_readings,
    pending_readings_page,
)
from lk_core.billing_import.rows import KnownKeys, Reader, reader_for

__all__ = [
    "BATCH_ROWS",
    "COLUMNS",
    "MAX_PROBLEMS",
    "BatchReader",
    "BillingImportUnitOfWork",
    "Column",
    "DataSummary",
    "FileKind",
    "ImportProblem",
    "ImportReport",
    "KnownKeys",
    "PendingReadingsPage",
    "Reader",
    "ResultsReport",
    "RowProblem",
    "SourceFile",
    "column_index",
    "date",
    "decimal",
    "detect_kind",
    "import_reading_results",
    "known_keys",
    "kopecks",
    "ledger_batch_reader",
    "load_billing_files",
    "moment",
    "pending_readings",
    "pending_readings_page",
    "reader_for",
    "summarise_data",
    "whole",
    "yes_no",
]

"""Billing-data files on disk as `SourceFile`s: CSV with `;`, UTF-8 or Windows-1251 (F21)."""

from lk_adapters.billing_files.csv_source_file import CsvSourceFile, csv_files_in
from lk_adapters.billing_files.errors import SourceFileError
from lk_adapters.billing_files.rows_source_file import RowsSourceFile

__all__ = ["CsvSourceFile", "RowsSourceFile", "SourceFileError", "csv_files_in"]

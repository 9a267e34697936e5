"""The one error a billing file can raise before or while its rows are read."""

from __future__ import annotations


class SourceFileError(Exception):
    """A file cannot be read as billing data; `message_ru` says why, `line` where (if known)."""

    def __init__(self, file: str, message_ru: str, line: int | None = None) -> None:
        where = f"{file}, строка {line}" if line is not None else file
        super().__init__(f"{where}: {message_ru}")
        self.file = file
        self.message_ru = message_ru
        self.line = line

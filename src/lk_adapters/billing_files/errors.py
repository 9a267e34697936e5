"""The one error a billing file can raise before or while its rows are read."""

from __future__ import annotations

from typing import Any


class SourceFileError(Exception):
    """A file cannot be read as billing data; `message_ru` says why, `line` where (if known)."""

    def __init__(self, file: str, message_ru: str, line: int | None = None) -> None:
        where = f"{file}, строка {line}" if line is not None else file
        super().__init__(f"{where}: {message_ru}")
        self.file = file
        self.message_ru = message_ru
        self.line = line

    def __reduce__(self) -> tuple[Any, ...]:
        # The error may be raised in the process that parses the file and travel to the
        # one that loads it (ADR 0010): it is rebuilt from its fields, not from its text.
        return (type(self), (self.file, self.message_ru, self.line))

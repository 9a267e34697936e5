"""Rows already in memory as a `SourceFile`: what the service API receives as JSON goes
through the same readers and checks as a file billing drops in a folder (F23, F28)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from lk_core.billing_import.kinds import FileKind

Parse = Callable[[list[list[str]]], Sequence[object] | None]
Batch = tuple[list[tuple[int, list[str]]], Sequence[object] | None]


class RowsSourceFile:
    """Rows given as {column name: text}, numbered from 1; the columns are the kind's."""

    def __init__(self, name: str, kind: FileKind, rows: Sequence[dict[str, str]]) -> None:
        self.name = name
        self.kind = kind.value
        self.columns = {column.name: i for i, column in enumerate(kind.columns)}
        names = [column.name for column in kind.columns]
        self._rows = [[row.get(name, "") for name in names] for row in rows]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        yield from enumerate(self._rows, start=1)

    def batches(self, size: int, parse: Parse | None) -> Iterator[Batch]:
        for start in range(0, len(self._rows), size):
            chunk = list(enumerate(self._rows[start : start + size], start=start + 1))
            records = parse([fields for _, fields in chunk]) if parse is not None else None
            yield ([], records) if records is not None else (chunk, None)

    def progress(self) -> tuple[int, int]:
        return len(self._rows), len(self._rows)

"""`CsvSourceFile`: a billing CSV file opened for import, its rows streamed lazily."""

from __future__ import annotations

import csv
import io
import weakref
from collections.abc import Generator, Iterator
from pathlib import Path

from lk_adapters.billing_files.encoding import (
    UTF8,
    UTF8_BOM,
    detect_encoding,
    first_undecodable_line,
    has_bom,
    normalise_encoding,
)
from lk_adapters.billing_files.errors import SourceFileError
from lk_adapters.billing_files.parsing_child import (
    Batch,
    Parse,
    RawBatch,
    can_fork,
    parsed_in_child,
)
from lk_core.billing_import.kinds import FileKind, column_index, detect_kind

DELIMITER = ";"
_BUFFER = 1 << 16
_ROWS_AT_A_TIME = 1000
# Below this size a file is parsed in this process: a fork would cost more than it saves.
PARSE_IN_CHILD_FROM_BYTES = 1 << 20
_ENCODING_LABELS = {UTF8: "UTF-8", UTF8_BOM: "UTF-8", "cp1251": "Windows-1251"}


class CsvSourceFile:
    """A `;`-separated billing file: kind and columns from its header, rows read on demand."""

    def __init__(
        self,
        path: Path | str,
        *,
        kind: FileKind | str | None = None,
        encoding: str | None = None,
        parse_in_child: bool | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = self.path.name
        try:
            self.size = self.path.stat().st_size
        except OSError as error:
            raise SourceFileError(self.name, f"файл не открывается ({error.strerror})") from None
        self.encoding = self._choose_encoding(encoding)
        header = self._read_header()
        self.kind = self._choose_kind(kind, header).value
        try:
            self.columns = column_index(FileKind(self.kind), header)
        except ValueError as error:
            raise SourceFileError(self.name, str(error), line=1) from None
        # None: batches are parsed in a child process when the file is big enough.
        self.parse_in_child = parse_in_child
        self._bytes_read = 0
        self._raw: io.FileIO | None = None
        self._reading: weakref.ref[Generator[Batch, None, None]] | None = None

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        kind: FileKind | str | None = None,
        encoding: str | None = None,
        parse_in_child: bool | None = None,
    ) -> CsvSourceFile:
        """Open a file for import: the header is read and checked now, the rows later."""
        return cls(path, kind=kind, encoding=encoding, parse_in_child=parse_in_child)

    def close(self) -> None:
        """Close the file, and stop its parsing child, if a reading was left unfinished."""
        reading = self._reading() if self._reading is not None else None
        self._reading = None
        if reading is not None:
            reading.close()
        raw = self._raw
        if raw is not None and not raw.closed:
            self._bytes_read = raw.tell()
            raw.close()
        self._raw = None

    def __enter__(self) -> CsvSourceFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _choose_encoding(self, encoding: str | None) -> str:
        if encoding is None:
            return detect_encoding(self.path)
        try:
            chosen = normalise_encoding(encoding)
        except LookupError:
            raise SourceFileError(self.name, f"неизвестная кодировка «{encoding}»") from None
        # A BOM is not part of the header even when UTF-8 is named explicitly.
        return UTF8_BOM if chosen == UTF8 and has_bom(self.path) else chosen

    def _choose_kind(self, kind: FileKind | str | None, header: list[str]) -> FileKind:
        if kind is not None:
            try:
                return FileKind(kind)
            except ValueError:
                known = ", ".join(k.value for k in FileKind)
                raise SourceFileError(
                    self.name, f"неизвестный вид файла «{kind}» (возможные: {known})"
                ) from None
        detected = detect_kind(header)
        if detected is None:
            raise SourceFileError(
                self.name,
                "по заголовку не понять, что это за файл: нет обязательных столбцов ни одного "
                "вида (дома, услуги, лицевые счета, приборы учёта, начисления, платежи, "
                "показания); см. docs/formats.md",
                line=1,
            )
        return detected

    def _read_header(self) -> list[str]:
        # Only the header line is decoded here: bytes a text decoder would read ahead
        # belong to data lines, whose problems are reported with their own line numbers.
        try:
            with self.path.open("rb") as raw:
                first = raw.readline()
        except OSError as error:
            raise SourceFileError(self.name, f"файл не открывается ({error.strerror})") from None
        try:
            line = first.decode(self.encoding)
        except UnicodeDecodeError:
            raise self._undecodable() from None
        try:
            header = next(csv.reader([line], delimiter=DELIMITER), None)
        except csv.Error as error:
            raise SourceFileError(self.name, f"заголовок не читается: {error}", 1) from None
        if not header or not any(cell.strip() for cell in header):
            raise SourceFileError(self.name, "файл пуст: нет строки заголовка", line=1)
        return header

    def _open(self) -> _OpenFile:
        try:
            return _OpenFile(self.path, self.encoding)
        except OSError as error:
            raise SourceFileError(self.name, f"файл не открывается ({error.strerror})") from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Line number (header = 1, as an editor shows) and fields of every non-blank row."""
        for lines, rows, _position in self._raw_batches(_ROWS_AT_A_TIME):
            yield from zip(lines, rows, strict=True)

    def batches(self, size: int, parse: Parse | None) -> Iterator[Batch]:
        """The rows `size` at a time, each batch parsed by `parse` if given (see `SourceFile`).

        With `parse`, a file of a megabyte or more (or any file, with `parse_in_child`) is
        read and parsed in a forked child process while the caller works on the batches
        already parsed (ADR 0010).
        """
        reading = self._batches(size, parse)
        # Weakly: a caller that drops the batches half-way stops the child there and then.
        self._reading = weakref.ref(reading)
        return reading

    def _batches(self, size: int, parse: Parse | None) -> Generator[Batch, None, None]:
        if parse is not None and self._parses_in_child():
            self._bytes_read = 0
            try:
                yield from parsed_in_child(self._raw_batches(size), parse, self._reached)
            except ChildProcessError as error:
                raise SourceFileError(self.name, f"файл не дочитан: {error}") from None
            self._bytes_read = self.size
            return
        for lines, rows, _position in self._raw_batches(size):
            records = parse(rows) if parse is not None else None
            yield ([] if records is not None else list(zip(lines, rows, strict=True))), records

    def _parses_in_child(self) -> bool:
        wanted = self.parse_in_child
        if wanted is None:
            wanted = self.size >= PARSE_IN_CHILD_FROM_BYTES
        return wanted and can_fork()

    def _reached(self, position: int) -> None:
        self._bytes_read = position

    def _raw_batches(self, size: int) -> Iterator[RawBatch]:
        """Line numbers and fields of up to `size` non-blank rows, and the bytes read then."""
        self._bytes_read = 0
        with self._open() as (text, raw):
            self._raw = raw
            reader = csv.reader(text, delimiter=DELIMITER)
            lines: list[int] = []
            rows: list[list[str]] = []
            try:
                next(reader, None)
                line = reader.line_num + 1
                for fields in reader:
                    # A quoted field may hold line breaks: the row starts where the
                    # previous one ended, whatever `line_num` says about its last line.
                    if (fields and fields[0].strip()) or any(map(str.strip, fields)):
                        lines.append(line)
                        rows.append(fields)
                        if len(rows) == size:
                            yield lines, rows, raw.tell()
                            lines, rows = [], []
                    line = reader.line_num + 1
            except UnicodeDecodeError:
                raise self._undecodable() from None
            except csv.Error as error:
                raise SourceFileError(
                    self.name, f"строка не читается как CSV: {error}", reader.line_num
                ) from None
            finally:
                if not raw.closed:
                    self._bytes_read = raw.tell()
                self._raw = None
            if rows:
                yield lines, rows, self._bytes_read

    def progress(self) -> tuple[int, int]:
        """Bytes read from disk so far and the file's size."""
        raw = self._raw
        if raw is not None and not raw.closed:
            return raw.tell(), self.size
        return self._bytes_read, self.size

    def _undecodable(self) -> SourceFileError:
        label = _ENCODING_LABELS.get(self.encoding, self.encoding)
        line = first_undecodable_line(self.path, self.encoding)
        return SourceFileError(
            self.name,
            f"байты не в кодировке {label}: сохраните файл в UTF-8 или Windows-1251",
            line,
        )

    def __repr__(self) -> str:
        kind = getattr(self, "kind", None)
        return f"CsvSourceFile({str(self.path)!r}, kind={kind!r})"


class _OpenFile:
    """The file read in binary (so its position tells progress) under a text decoder."""

    def __init__(self, path: Path, encoding: str) -> None:
        self._raw = io.FileIO(path, "rb")
        buffered = io.BufferedReader(self._raw, _BUFFER)
        self._text = io.TextIOWrapper(buffered, encoding=encoding, newline="")

    def __enter__(self) -> tuple[io.TextIOWrapper, io.FileIO]:
        return self._text, self._raw

    def __exit__(self, *_exc: object) -> None:
        self._text.close()


def csv_files_in(folder: Path | str) -> list[CsvSourceFile]:
    """Every `*.csv` file of a folder, opened, by name."""
    return [CsvSourceFile(path) for path in sorted(Path(folder).glob("*.csv"))]

"""Parsing a file's batches in a forked child process while the parent writes (ADR 0010).

The child reads the file and runs the parse function on each batch of rows; the parent
receives the parsed records, or the raw rows of a batch the parse function handed back.
Fork, not spawn: the parse function is a closure over what the parent knows (the
accounts and services of this load), and fork hands it over as it is; only results
travel. A pipe holds little, so a child that runs ahead of the parent waits: memory
stays flat whatever the length of the file.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

# Line numbers, fields of the rows, and bytes of the file read once they were read.
RawBatch = tuple[list[int], list[list[str]], int]
Parse = Callable[[list[list[str]]], Sequence[Any] | None]
# The rows with their line numbers (empty when parsed), and the records (None if not).
Batch = tuple[list[tuple[int, list[str]]], Sequence[Any] | None]

_MARSHAL, _PICKLE = b"m", b"p"
_PIPE_BYTES = 1 << 20  # the most Linux gives by default; a batch of 5000 ledger rows is ~0.3 MB
_RECORDS, _ROWS, _END, _ERROR = "records", "rows", "end", "error"


def can_fork() -> bool:
    """Whether this platform starts processes by fork (Linux does; Windows cannot)."""
    return "fork" in multiprocessing.get_all_start_methods()


def parsed_in_child(
    batches: Iterator[RawBatch], parse: Parse, report: Callable[[int], None]
) -> Iterator[Batch]:
    """The batches, read and parsed in a child; `report` hears the bytes read so far.

    `batches` must not have started: the child runs it. An error in the child is raised
    here; a child that dies without a word raises `ChildProcessError`. Closing the
    iterator early stops the child.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _widen(sender)
    child = context.Process(target=_run_child, args=(batches, parse, sender, receiver), daemon=True)
    child.start()
    # Only the child writes: once it is gone, reading ends instead of waiting forever.
    sender.close()
    try:
        while True:
            try:
                payload = receiver.recv_bytes()
            except EOFError:
                child.join()
                raise ChildProcessError(
                    f"процесс разбора файла завершился без ответа (код {child.exitcode})"
                ) from None
            kind, lines, data, position = _decode(payload)
            del payload
            if kind == _END:
                return
            if kind == _ERROR:
                raise data
            report(position)
            if kind == _RECORDS:
                yield [], data
            else:
                yield list(zip(lines, data, strict=True)), None
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()
        child.close()


def _widen(pipe: Connection) -> None:
    """Room for a few batches in the pipe, so that neither side waits on the other's jitter."""
    with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux only, within limits
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _run_child(
    batches: Iterator[RawBatch], parse: Parse, sender: Connection, receiver: Connection
) -> None:
    receiver.close()
    # Ctrl-C reaches the whole process group: the parent decides, and stops the child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Every object a batch makes dies with the batch; the collector would only walk the
    # heap inherited from the parent, again and again.
    gc.disable()
    try:
        for lines, rows, position in batches:
            records = parse(rows)
            if records is None:
                payload = _encode((_ROWS, lines, rows, position))
            else:
                # Fields held by the records alone marshal without reference bookkeeping,
                # twice as fast: the rows go first (the reader holds the same list).
                rows.clear()
                payload = _encode((_RECORDS, None, records, position))
            del records
            sender.send_bytes(payload)
            del payload
        sender.send_bytes(_encode((_END, None, None, 0)))
    except BrokenPipeError:
        pass  # the parent stopped reading: nothing left to do
    except BaseException as error:
        with contextlib.suppress(OSError):
            sender.send_bytes(_encode((_ERROR, None, _transportable(error), 0)))
    finally:
        sender.close()
        # Straight out: nothing inherited from the parent (its database connection, its
        # open files, its threads' locks) is to be finalised or flushed here.
        os._exit(0)


def _transportable(error: BaseException) -> BaseException:
    try:
        # Both ways: an exception whose arguments are not those of its __init__ pickles
        # but cannot be rebuilt.
        pickle.loads(pickle.dumps(error))  # noqa: S301
    except Exception:
        transportable: BaseException = RuntimeError(f"{type(error).__name__}: {error}")
    else:
        transportable = error
    # Where it happened, for whoever reads a traceback in the parent.
    transportable.add_note("".join(traceback.format_exception(error)).rstrip())
    return transportable


def _encode(message: tuple[Any, ...]) -> bytes:
    # Strings, numbers, None, tuples and lists go by marshal, about twice as fast as
    # pickle both ways; anything else (an exception, records of other types) by pickle.
    # (marshal would turn a bytearray into bytes: no parse function returns either.)
    try:
        return _MARSHAL + marshal.dumps(message)
    except ValueError:
        return _PICKLE + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(payload: bytes) -> tuple[Any, ...]:
    body = memoryview(payload)[1:]
    # Only the child this process forked writes to this pipe.
    if payload[:1] == _MARSHAL:
        message: tuple[Any, ...] = marshal.loads(body)  # noqa: S302
    else:
        message = pickle.loads(body)  # noqa: S301
    return message

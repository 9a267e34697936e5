"""Structured logs, configured alike at both edges: the web app and the `lk` command.

One event per line on stderr: a JSON object when stderr is not a terminal (a service
manager, a container, a file), a readable line on one. Context bound through
`structlog.contextvars` (a request id) is merged into every line. See ADR 0048.
Libraries that log through the standard `logging` (uvicorn, SQLAlchemy, botocore) write
the same lines: a collector never meets a line it cannot parse (ADR 0056).
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import TextIO

import structlog


class StderrLogger:
    """Writes each line to whatever `sys.stderr` is at that moment, whole: a progress bar
    on the terminal has it print above the bar, a test runner captures it."""

    _lock = threading.Lock()

    def msg(self, message: str) -> None:
        with self._lock:
            stream = sys.stderr
            stream.write(message + "\n")
            stream.flush()

    log = debug = info = warn = warning = error = err = critical = fatal = exception = msg


def _stderr_logger(*_args: object) -> StderrLogger:
    return StderrLogger()


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The standard library's records, to whatever `sys.stderr` is at the moment."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: object) -> None:
        return None


def _route_standard_logging(renderer: structlog.typing.Processor) -> None:
    """One handler on the root logger, rendering records as structlog renders its events
    (replacing the one an earlier call installed); levels are left as they are."""
    handler = _StderrHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                structlog.contextvars.merge_contextvars,
                structlog.stdlib.add_logger_name,
                structlog.stdlib.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
            ],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    for earlier in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(earlier)
    root.addHandler(handler)


def configure_logging(*, terminal: bool | None = None) -> None:
    """JSON lines when not on a terminal, readable lines on one (`terminal` overrides)."""
    on_terminal = sys.stderr.isatty() if terminal is None else terminal
    renderer = (
        structlog.dev.ConsoleRenderer()
        if on_terminal
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=True,
    )
    _route_standard_logging(renderer)

"""Structured logs, configured alike at both edges: the web app and the `lk` command.

One event per line on stderr: a JSON object when stderr is not a terminal (a service
manager, a container, a file), a readable line on one. Context bound through
`structlog.contextvars` (a request id) is merged into every line. See ADR 0048.
"""

from __future__ import annotations

import logging
import sys
import threading

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

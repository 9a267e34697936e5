"""Demo mode delivers the outbox inside the web process (no separate worker to start)."""

from __future__ import annotations

import threading

import structlog

from lk_adapters.container import Container
from lk_core.messaging.delivery import deliver_due_messages

INTERVAL_SECONDS = 1.0


class DemoDelivery:
    """A daemon thread that hands due messages to the demo gateways every second."""

    def __init__(self, container: Container) -> None:
        self._container = container
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="demo-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        log = structlog.get_logger("lk.demo_outbox")
        c = self._container
        while not self._stop.wait(INTERVAL_SECONDS):
            try:
                deliver_due_messages(c.uow_factory(), c.mailer(), c.sms_sender(), c.clock())
            except Exception as error:
                log.warning("demo delivery failed", error_type=type(error).__name__)

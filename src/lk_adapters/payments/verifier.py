"""Stored provider notifications verified by a few threads of their own (ADR 0053).

Never in the web server's thread pool: a provider that stops answering holds at most
`workers` threads here, each for at most the fetch's timeouts, and no page waits for it.
The web process runs one (LK_PAYMENTS_VERIFY_IN_PROCESS), `lk payments verify` runs one
on its own; several at once never verify the same payment together (claims are leases).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from lk_core.payments.online_payment import PaymentContext
from lk_core.payments.verification import Verified, verify_next

Report = Callable[[Verified], None]
Failure = Callable[[Exception], None]


def _ignore(_: object) -> None:
    return None


class PaymentVerifier:
    """`workers` threads that verify what is due, then wait for the bell or `interval`.

    The bell is rung when a notification is stored in this process (`PaymentContext.
    notified`); notifications stored by another process are found within `interval`.
    """

    def __init__(
        self,
        ctx: PaymentContext,
        *,
        bell: threading.Event | None = None,
        workers: int = 2,
        interval: float = 1.0,
    ) -> None:
        self._ctx = ctx
        self._bell = bell if bell is not None else threading.Event()
        self._workers = max(1, workers)
        self._interval = interval
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, report: Report = _ignore, failed: Failure = _ignore) -> None:
        """Verify in the background until `stop()`."""
        self._stop.clear()
        self._threads = [
            threading.Thread(
                target=self._keep_verifying,
                args=(report, failed),
                name=f"payment-verifier-{n}",
                daemon=True,
            )
            for n in range(self._workers)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the threads to stop and wait for them; one in the middle of asking a
        provider may outlive `timeout` (its claim then runs out and another takes it)."""
        self._stop.set()
        self._bell.set()
        for thread in self._threads:
            thread.join(timeout=timeout / len(self._threads))
        self._threads = []

    def run_until_idle(self, report: Report = _ignore) -> int:
        """Verify everything due now with all the workers, then return how many were done.
        Verifications postponed meanwhile are left for later."""
        done: list[Verified] = []
        errors: list[Exception] = []
        lock = threading.Lock()

        def work() -> None:
            try:
                while (verified := verify_next(self._ctx)) is not None:
                    with lock:
                        done.append(verified)
                        report(verified)
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(self._workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return len(done)

    def _keep_verifying(self, report: Report, failed: Failure) -> None:
        while not self._stop.is_set():
            self._bell.clear()
            try:
                verified = verify_next(self._ctx)
            except Exception as error:  # the database went away: try again later
                failed(error)
                self._stop.wait(self._interval)
                continue
            if verified is None:
                self._bell.wait(self._interval)
            else:
                report(verified)

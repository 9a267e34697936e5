"""Demo gateways: in demo mode nothing leaves the machine, every delivery succeeds.

The outbox then shows each message as sent, and the demo pages read it from there. Each
gateway also keeps the last messages it took, as a real server's inbox would hold them,
so that what it "delivered" can be checked like any other gateway's.
"""

from __future__ import annotations

from collections import deque

from lk_core.messaging.messages import EmailMessage, SmsMessage

KEPT = 100  # a bound: a demo process runs for days


class DemoMailer:
    """Takes every e-mail and sends it nowhere; `taken` holds the last ones, oldest first."""

    def __init__(self) -> None:
        self.taken: deque[EmailMessage] = deque(maxlen=KEPT)

    def send(self, message: EmailMessage) -> None:
        self.taken.append(message)


class DemoSmsSender:
    """Takes every SMS and sends it nowhere; `taken` holds the last ones, oldest first."""

    def __init__(self) -> None:
        self.taken: deque[SmsMessage] = deque(maxlen=KEPT)

    def send(self, message: SmsMessage) -> None:
        self.taken.append(message)

"""Demo gateways: in demo mode nothing leaves the machine, every delivery succeeds.

The outbox then shows each message as sent, and the demo pages read it from there.
"""

from __future__ import annotations

from lk_core.messaging.messages import EmailMessage, SmsMessage


class DemoMailer:
    """Takes every e-mail and sends it nowhere."""

    def send(self, message: EmailMessage) -> None:
        return None


class DemoSmsSender:
    """Takes every SMS and sends it nowhere."""

    def send(self, message: SmsMessage) -> None:
        return None

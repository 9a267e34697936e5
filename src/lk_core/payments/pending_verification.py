"""A provider's notification waiting to be verified with the provider (ADR 0053)."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class PendingVerification:
    """A provider's payment that a notification named, not verified yet.

    `notices` counts the notifications that named it: one arriving while the payment is
    being verified makes the verification due again instead of being lost with it.
    """

    provider: str
    provider_payment_id: str
    received_at: dt.datetime
    next_attempt_at: dt.datetime
    notices: int = 1
    attempts: int = 0
    last_problem: str = ""

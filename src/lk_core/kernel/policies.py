"""Policies: the numbers the business may tune, given to use cases as configuration values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs


@attrs.frozen
class PasswordPolicy:
    """Length limits only, no composition rules (SECURITY.md; ADR on password length)."""

    min_length: int = attrs.field(default=8, validator=attrs.validators.ge(8))
    max_length: int = attrs.field(default=128, validator=attrs.validators.le(1024))

    def __attrs_post_init__(self) -> None:
        if self.max_length < self.min_length:
            raise ValueError("max_length is below min_length")


@attrs.frozen
class ReadingPolicy:
    """Rules for accepting meter readings (REGULATIONS.md, "Meter readings")."""

    # A lower value than before is a rollover only if the wrapped consumption is under
    # this share of the counter's range; otherwise it is a mistyped, smaller value.
    rollover_share: Decimal = Decimal("0.1")
    # Consumption above this multiple of the recent average is implausible.
    plausibility_factor: Decimal = Decimal(10)
    # Readings submitted after this day of the month count toward the next period;
    # None accepts readings for the current period on any day.
    cutoff_day: int | None = None
    # The first day of the month the company asks for readings (the main page says «с 15
    # по 25»); None is the 1st. It guides residents only: earlier readings are accepted.
    opening_day: int | None = None

    def __attrs_post_init__(self) -> None:
        if not Decimal(0) < self.rollover_share < Decimal(1):
            raise ValueError("rollover_share must lie strictly between 0 and 1")
        if self.plausibility_factor <= 0:
            raise ValueError("plausibility_factor must be positive")
        if self.cutoff_day is not None and not 1 <= self.cutoff_day <= 31:
            raise ValueError("cutoff_day must be a day of the month, 1–31")
        if self.opening_day is not None and not 1 <= self.opening_day <= 31:
            raise ValueError("opening_day must be a day of the month, 1–31")
        if self.opening_day and self.cutoff_day and self.opening_day > self.cutoff_day:
            raise ValueError("opening_day is after cutoff_day")


@attrs.frozen
class RegistrationPolicy:
    """Limits on registrations and the lifetimes of their secrets (F3–F7)."""

    accounts_per_email: int = 10
    email_link_lifetime: dt.timedelta = dt.timedelta(hours=24)
    reset_link_lifetime: dt.timedelta = dt.timedelta(hours=1)
    sms_code_lifetime: dt.timedelta = dt.timedelta(minutes=10)
    link_request_lifetime: dt.timedelta = dt.timedelta(hours=72)
    sms_code_attempts: int = 5

    def __attrs_post_init__(self) -> None:
        if self.accounts_per_email < 1 or self.sms_code_attempts < 1:
            raise ValueError("accounts_per_email and sms_code_attempts must be at least 1")


@attrs.frozen
class Policies:
    """All policies together, as the composition root builds them from configuration."""

    password: PasswordPolicy = PasswordPolicy()
    readings: ReadingPolicy = ReadingPolicy()
    registration: RegistrationPolicy = RegistrationPolicy()
    receipts_shown: int = 3
    # A period's bill is due by this day of the next month (Housing Code art. 155: the
    # 10th unless the contract sets another day).
    payment_due_day: int = attrs.field(
        default=10, validator=[attrs.validators.ge(1), attrs.validators.le(31)]
    )

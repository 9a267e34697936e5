"""Provider notifications are answered at once and verified afterwards (ADR 0053).

A notification only names a payment. It is stored as a pending verification — one per
provider's payment, however many notifications name it — and committed before the
provider gets its 200, so nothing is lost if the process stops. A verifier claims what
is due, asks the provider (`confirm_from_provider`, which credits once) and records the
outcome; a provider that cannot be asked is asked again later, with growing pauses,
until `GIVE_UP_AFTER` (the order then stays pending for the bank registry and
`lk payments reconcile`).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.payments.crediting import Effect
from lk_core.payments.errors import (
    DuplicateProviderPayment,
    PaymentMismatch,
    ProviderUnavailable,
)
from lk_core.payments.online_payment import PaymentContext, confirm_from_provider
from lk_core.payments.pending_verification import PendingVerification

RETRY_DELAYS = tuple(
    dt.timedelta(seconds=seconds) for seconds in (10, 30, 60, 120, 300, 600, 1800, 3600)
)
GIVE_UP_AFTER = dt.timedelta(days=3)
# A claimed verification is due again after this long, should its verifier have died: far
# longer than one request to a provider under the verifier's timeouts.
LEASE = dt.timedelta(minutes=2)
PROBLEM_LENGTH = 500


class VerificationOutcome(enum.Enum):
    CREDITED = "credited"  # the provider says paid: credited now
    CANCELED = "canceled"  # the provider says not paid: the order ended
    UNCHANGED = "unchanged"  # still pending, or already applied
    RETRY = "retry"  # the provider could not be asked: again later
    UNKNOWN = "unknown"  # no such payment, or not one of our orders
    MISMATCH = "mismatch"  # the provider's record contradicts the order
    GAVE_UP = "gave-up"  # the provider could not be asked for GIVE_UP_AFTER

    @property
    def label_ru(self) -> str:
        """How an operator reads it."""
        return {
            "credited": "зачислен",
            "canceled": "не оплачен",
            "unchanged": "без изменений",
            "retry": "повторим позже",
            "unknown": "неизвестный платёж",
            "mismatch": "расходится с заказом",
            "gave-up": "проверка прекращена",
        }[self.value]


@attrs.frozen
class Verified:
    """What one verification came to; `detail` says why it is not done."""

    pending: PendingVerification
    outcome: VerificationOutcome
    detail: str = ""


_EFFECTS = {
    Effect.CREDITED: VerificationOutcome.CREDITED,
    Effect.CANCELED: VerificationOutcome.CANCELED,
    Effect.UNCHANGED: VerificationOutcome.UNCHANGED,
}


def record_notification(ctx: PaymentContext, provider_code: str, payment_id: str) -> None:
    """Store a provider's notification about a payment for verification, and commit.

    Nothing in it is believed: it is only a reason to ask the provider. A provider that
    does not confirm by callback is `NotFound`.
    """
    provider = ctx.provider(provider_code)
    if not provider.confirms:
        raise NotFound("provider", provider_code)
    if not payment_id or len(payment_id) > 128:
        raise InvalidValue("payment_id", payment_id, "Неверный номер платежа")
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        uow.payment_verifications.add(PendingVerification(provider.code, payment_id, now, now))
        uow.commit()
    ctx.notified()


def verify_next(ctx: PaymentContext) -> Verified | None:
    """Claim one due verification and carry it out; None when none is due."""
    now = ctx.clock.now()
    # Looked for first without writing: an idle verifier must not queue with the writers.
    with ctx.uow_factory(read_only=True) as uow:
        soonest = uow.payment_verifications.soonest_due()
    if soonest is None or soonest > now:
        return None
    with ctx.uow_factory() as uow:
        claimed = uow.payment_verifications.claim_due(now, 1, LEASE)
        uow.commit()
    return verify(ctx, claimed[0]) if claimed else None


def verify(ctx: PaymentContext, pending: PendingVerification) -> Verified:
    """Ask the provider about a claimed verification, apply what it says, record the end."""
    try:
        effect = confirm_from_provider(ctx, pending.provider, pending.provider_payment_id)
    except ProviderUnavailable as error:
        return _postpone(ctx, pending, f"{error.provider}: {error.detail}")
    except (NotFound, InvalidValue) as error:
        return _finish(ctx, pending, VerificationOutcome.UNKNOWN, f"{error}")
    except (PaymentMismatch, DuplicateProviderPayment) as error:
        return _finish(ctx, pending, VerificationOutcome.MISMATCH, error.message_ru)
    return _finish(ctx, pending, _EFFECTS[effect])


def verification_of(
    ctx: PaymentContext, provider_code: str, payment_id: str
) -> PendingVerification | None:
    """The payment's verification while it is pending."""
    with ctx.uow_factory(read_only=True) as uow:
        return uow.payment_verifications.get(provider_code, payment_id)


def _finish(
    ctx: PaymentContext,
    pending: PendingVerification,
    outcome: VerificationOutcome,
    detail: str = "",
) -> Verified:
    with ctx.uow_factory() as uow:
        if not uow.payment_verifications.remove(pending):
            # Named again while it was verified: the news may be newer than what we saw.
            uow.payment_verifications.postpone(pending, ctx.clock.now(), pending.last_problem)
        uow.commit()
    return Verified(pending, outcome, detail)


def _postpone(ctx: PaymentContext, pending: PendingVerification, problem: str) -> Verified:
    now = ctx.clock.now()
    if now - pending.received_at >= GIVE_UP_AFTER:
        return _finish(ctx, pending, VerificationOutcome.GAVE_UP, problem)
    delay = RETRY_DELAYS[min(max(pending.attempts, 1), len(RETRY_DELAYS)) - 1]
    with ctx.uow_factory() as uow:
        uow.payment_verifications.postpone(pending, now + delay, problem[:PROBLEM_LENGTH])
        uow.commit()
    return Verified(pending, VerificationOutcome.RETRY, problem)

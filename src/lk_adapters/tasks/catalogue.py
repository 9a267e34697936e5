"""The background tasks, by name: what a worker or this process runs for each.

Each task takes the container it runs in and JSON arguments, and is safe to run twice:
it works from the database's truth (the outbox, the pending verifications, the receipts
already stored), never from the task's own arguments alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk_core.access.housekeeping import purge_expired
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.kernel.tasks import TaskArgument
from lk_core.messaging.delivery import deliver_due_messages
from lk_core.operator.audiences import Channel
from lk_core.operator.directory import Audience
from lk_core.operator.operators import Operator
from lk_core.operator.service_messages import NotifyRequest, send_service_messages
from lk_core.operator.templates import MessageTemplate
from lk_core.payments.verification import verify_next
from lk_core.receipts.month_close import make_receipts

DELIVER_OUTBOX = "outbox.deliver"
MAKE_RECEIPTS = "receipts.make_batch"
PURGE_EXPIRED = "db.purge"
VERIFY_PAYMENTS = "payments.verify"
SEND_CAMPAIGN = "operator.campaign"

OUTBOX_BATCH = 50

# A container as `lk_adapters.container.Container` builds it (not imported: it imports us).
Container = Any
TaskFunction = Callable[..., object]


def deliver_outbox(container: Container) -> int:
    """Deliver what is due in the outbox until nothing more is; return how many were tried."""
    tried = 0
    while True:
        report = deliver_due_messages(
            container.uow_factory(), container.mailer(), container.sms_sender(),
            container.clock(), batch=OUTBOX_BATCH,
        )  # fmt: skip
        tried += report.total
        if report.total < OUTBOX_BATCH:
            return tried


def make_receipt_batch(container: Container, period: str, keys: list[str]) -> int:
    """Render, store and mail one batch of a month close; return how many were stored."""
    return make_receipts(
        container.uow_factory(), container.clock(), container.company(),
        container.receipt_renderer(), container.receipt_store(), Period.parse(period), keys,
    )  # fmt: skip


def purge(container: Container) -> int:
    """Forget expired sessions and old throttle windows; return how many rows went."""
    report = purge_expired(container.access())
    return report.sessions + report.rate_windows


def verify_payments(container: Container) -> int:
    """Verify every provider notification that is due; return how many were verified."""
    done = 0
    while verify_next(container.payments()) is not None:
        done += 1
    return done


def send_campaign(
    container: Container,
    operator: str,
    template: str,
    channels: list[str],
    campaign: str,
    sms_per_minute: int,
    house: str | None = None,
    accounts: list[str] | None = None,
    min_debt_kopecks: int | None = None,
) -> int:
    """Queue a mailing's messages (ADR 0031) page by page; return how many were queued.
    Run again, its dedupe keys skip the residents already queued."""
    request = NotifyRequest(
        Audience(
            house,
            frozenset(accounts) if accounts is not None else None,
            Money(min_debt_kopecks) if min_debt_kopecks is not None else None,
        ),
        tuple(Channel(channel) for channel in channels),
        MessageTemplate.parse(template),
        container.company().name,
        campaign,
        sms_per_minute,
    )
    report = send_service_messages(
        container.uow_factory(), container.clock(), Operator(operator), request, no_progress()
    )
    return sum(counts.queued for counts in report.counts.values())


def campaign_arguments(request: NotifyRequest, operator: Operator) -> dict[str, TaskArgument]:
    """The arguments of `send_campaign` that make this mailing again in a worker."""
    audience = request.audience
    return {
        "operator": operator.name,
        "template": request.template.source,
        "channels": [channel.value for channel in request.channels],
        "campaign": request.campaign_key,
        "sms_per_minute": request.sms_per_minute,
        "house": audience.house_code,
        "accounts": sorted(audience.account_keys) if audience.account_keys is not None else None,
        "min_debt_kopecks": audience.min_debt.kopecks if audience.min_debt is not None else None,
    }


TASKS: dict[str, TaskFunction] = {
    DELIVER_OUTBOX: deliver_outbox,
    MAKE_RECEIPTS: make_receipt_batch,
    PURGE_EXPIRED: purge,
    VERIFY_PAYMENTS: verify_payments,
    SEND_CAMPAIGN: send_campaign,
}


def task_function(name: str) -> TaskFunction:
    """The function of the task with that name, or KeyError."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"no background task named {name!r}") from None

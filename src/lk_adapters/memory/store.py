"""What the in-memory adapters hold: one dict per repository."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from lk_core.access.app_devices import AppDevice, RefreshToken
from lk_core.access.audit import AuditEvent
from lk_core.access.link_requests import LinkRequest
from lk_core.access.links import AccountLink
from lk_core.access.one_time_secrets import OneTimeSecret
from lk_core.access.registration import Consent, Registration
from lk_core.access.sessions import Session
from lk_core.accounts.account import Account, House
from lk_core.announcements.announcement import Announcement
from lk_core.kernel.periods import BillingPeriod
from lk_core.ledger.lines import LedgerRow
from lk_core.ledger.services import Service
from lk_core.messaging.outbox import OutboxMessage
from lk_core.payments.orders import PaymentOrder
from lk_core.payments.payment import Payment
from lk_core.payments.pending_verification import PendingVerification
from lk_core.payments.registry import RegistryLine
from lk_core.readings.meters import Meter
from lk_core.readings.reading import Reading
from lk_core.requests.journal import Comment, HistoryEntry
from lk_core.requests.photos import RequestPhoto
from lk_core.requests.request import ServiceRequest
from lk_core.service_api.api_keys import ApiKey
from lk_core.service_api.idempotency import IdempotentRequest
from lk_core.staff.members import StaffMember
from lk_core.staff.sessions import StaffSession


@attrs.define
class InMemoryStore:
    """The data of an in-memory database.

    Stored values are never changed in place: the repositories copy mutable entities on
    the way in and out, so a shallow copy of the dicts is an independent snapshot.
    """

    houses: dict[str, House] = attrs.Factory(dict)
    accounts: dict[str, Account] = attrs.Factory(dict)
    services: dict[str, Service] = attrs.Factory(dict)
    periods: dict[int, BillingPeriod] = attrs.Factory(dict)
    ledger: dict[tuple[str, int, str], LedgerRow] = attrs.Factory(dict)
    payments: dict[tuple[str, str], Payment] = attrs.Factory(dict)
    meters: dict[str, Meter] = attrs.Factory(dict)
    readings: dict[str, Reading] = attrs.Factory(dict)
    registrations: dict[str, Registration] = attrs.Factory(dict)
    secrets: dict[str, OneTimeSecret] = attrs.Factory(dict)
    consents: dict[int, Consent] = attrs.Factory(dict)
    sessions: dict[str, Session] = attrs.Factory(dict)
    rate_counters: dict[tuple[str, dt.datetime], int] = attrs.Factory(dict)
    audit: dict[int, AuditEvent] = attrs.Factory(dict)
    outbox: dict[str, OutboxMessage] = attrs.Factory(dict)
    outbox_leases: dict[str, dt.datetime] = attrs.Factory(dict)
    linked_accounts: dict[tuple[str, str], AccountLink] = attrs.Factory(dict)
    link_requests: dict[str, LinkRequest] = attrs.Factory(dict)
    payment_orders: dict[str, PaymentOrder] = attrs.Factory(dict)
    registry_lines: dict[tuple[str, str], RegistryLine] = attrs.Factory(dict)
    payment_verifications: dict[tuple[str, str], PendingVerification] = attrs.Factory(dict)
    # --- staff's desk (F32) and announcements (F31)
    staff: dict[str, StaffMember] = attrs.Factory(dict)
    staff_sessions: dict[str, StaffSession] = attrs.Factory(dict)
    staff_recovery_codes: dict[tuple[str, str], bool] = attrs.Factory(dict)  # (login, hash)
    announcements: dict[str, Announcement] = attrs.Factory(dict)
    # --- JSON API tokens (ADR 0061)
    app_devices: dict[str, AppDevice] = attrs.Factory(dict)
    refresh_tokens: dict[str, RefreshToken] = attrs.Factory(dict)
    api_keys: dict[str, ApiKey] = attrs.Factory(dict)
    idempotent_requests: dict[tuple[str, str], IdempotentRequest] = attrs.Factory(dict)
    # service requests (F30)
    service_requests: dict[str, ServiceRequest] = attrs.Factory(dict)
    request_numbers: dict[int, str] = attrs.Factory(dict)  # number -> id (ADR 0075)
    counters: dict[str, int] = attrs.Factory(dict)  # the last value of each named counter
    request_history: dict[tuple[str, int], HistoryEntry] = attrs.Factory(dict)
    request_comments: dict[str, Comment] = attrs.Factory(dict)
    request_photos: dict[str, RequestPhoto] = attrs.Factory(dict)

    def snapshot(self) -> InMemoryStore:
        """A copy whose dicts change independently of this store's."""
        copies: dict[str, Any] = {
            field.name: dict(getattr(self, field.name)) for field in attrs.fields(InMemoryStore)
        }
        return InMemoryStore(**copies)

    def take_over(self, other: InMemoryStore) -> None:
        """Hold what `other` holds, replacing everything held so far."""
        for field in attrs.fields(InMemoryStore):
            setattr(self, field.name, getattr(other, field.name))

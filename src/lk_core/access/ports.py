"""What the access capability needs: registrations, one-time secrets, consents, sessions,
throttle counters, the audit trail, account links and the password hasher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from lk_core.access.app_devices import AppDevice, RefreshToken
from lk_core.access.audit import AuditEvent
from lk_core.access.link_requests import LinkRequest, LinkRequestState
from lk_core.access.links import AccountLink
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.access.registration import Consent, Registration
from lk_core.access.sessions import Session
from lk_core.accounts.ports import AccountRepository
from lk_core.kernel.transaction import Transaction
from lk_core.messaging.ports import OutboxRepository


class RegistrationRepository(Protocol):
    def get(self, account_key: str) -> Registration | None:
        """The registration of an account, if any."""
        ...

    def save(self, registration: Registration) -> None:
        """Add or replace the registration of its account."""
        ...

    def delete(self, account_key: str) -> None:
        """Remove an account's registration."""
        ...

    def count_with_email(self, email_key: str) -> int:
        """How many accounts are registered with this e-mail (compared case-insensitively)."""
        ...


class SecretRepository(Protocol):
    def add(self, secret: OneTimeSecret) -> None:
        """Store a newly issued secret."""
        ...

    def find(self, secret_hash: str) -> OneTimeSecret | None:
        """The secret with this hash."""
        ...

    def latest(self, subject: str, purpose: SecretPurpose) -> OneTimeSecret | None:
        """The most recently issued secret of a subject for a purpose."""
        ...

    def consume(self, secret_hash: str, purpose: SecretPurpose, at: dt.datetime) -> bool:
        """Mark the secret used at `at` if it is still usable then (this purpose, unused,
        unexpired, an attempt left), by one conditional write; whether it was. Of
        concurrent calls for one secret, exactly one succeeds."""
        ...

    def spend_attempt(self, secret_hash: str) -> bool:
        """Take one attempt from an unused secret that has one left, by one conditional
        write (never an absolute value); whether one was taken."""
        ...

    def void(self, secret_hash: str) -> None:
        """Leave the secret no attempts: it can no longer be used, nor count as used."""
        ...


class SessionRepository(Protocol):
    def add(self, session: Session) -> None:
        """Store a new session."""
        ...

    def get(self, id_hash: str) -> Session | None:
        """The session with this id hash."""
        ...

    def save(self, session: Session) -> None:
        """Store a session's changed state (last seen, accounts)."""
        ...

    def delete(self, id_hash: str) -> None:
        """Forget a session (sign-out, or a replaced id)."""
        ...

    def delete_of_registration(self, registration_key: str, keep_id_hash: str | None) -> int:
        """End every session signed in by a registration but one; return how many ended."""
        ...

    def delete_of_device(self, device_id: str) -> int:
        """Remove every session (access token) of an API device; return how many."""
        ...

    def delete_idle(self, last_seen_before: dt.datetime) -> int:
        """Forget sessions not seen since the given time; return how many."""
        ...


class RateCounterRepository(Protocol):
    def hit(self, bucket: str, window_start: dt.datetime) -> int:
        """Count one event in the bucket's window and return the window's count so far."""
        ...

    def reserve(self, bucket: str, window_start: dt.datetime, limit: int) -> bool:
        """Count one event in the bucket's window unless `limit` are counted there already,
        by one conditional write; whether it was counted. However many callers race, the
        window never counts past its limit."""
        ...

    def release(self, bucket: str, window_start: dt.datetime) -> None:
        """Take back one event counted in the window (a reserved attempt that turned out
        not to be a failure); a window with nothing counted stays at nothing."""
        ...

    def counts(self, windows: Sequence[tuple[str, dt.datetime]]) -> list[int]:
        """The events counted in each (bucket, window start), in the order asked, read at
        once: a guarded path checks several buckets before every attempt."""
        ...

    def delete_before(self, window_start: dt.datetime) -> int:
        """Forget windows that started before the given time."""
        ...


class AuditLog(Protocol):
    def record(self, event: AuditEvent) -> None:
        """Append an event; events are never changed or removed."""
        ...

    def of_account(self, account_key: str, limit: int) -> list[AuditEvent]:
        """An account's most recent events, newest first."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str:
        """A salted, slow hash of the password (argon2id)."""
        ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether the password matches the hash."""
        ...


class LinkedAccountRepository(Protocol):
    """Accounts linked to registrations (F20); links end with the registration they belong
    to, and a registration's own account is never among them."""

    def add(self, link: AccountLink) -> None:
        """Link an account to a registration; a pair already linked keeps its first link."""
        ...

    def remove(self, registration_key: str, account_key: str) -> bool:
        """Unlink an account from a registration; whether it was linked."""
        ...

    def of_registration(self, registration_key: str) -> list[AccountLink]:
        """A registration's links, oldest first (links made at once: by account)."""
        ...

    def is_linked(self, registration_key: str, account_key: str) -> bool:
        """Whether the account is linked to the registration."""
        ...

    def count_for_email(self, email_key: str) -> int:
        """How many links the registrations with this e-mail have (compared case-insensitively)."""
        ...


class LinkRequestRepository(Protocol):
    """Requests to link a registered account, waiting for its owner (F20); they end with
    the registration that asked."""

    def add(self, request: LinkRequest) -> None:
        """Store a new request."""
        ...

    def get(self, request_id: str) -> LinkRequest | None:
        """A request by its id."""
        ...

    def of_registration(self, registration_key: str) -> list[LinkRequest]:
        """The requests a registration made, newest first (made at once: by id)."""
        ...

    def for_account(self, account_key: str) -> list[LinkRequest]:
        """The requests to link an account, newest first (made at once: by id)."""
        ...

    def decide(self, request_id: str, state: LinkRequestState, at: dt.datetime) -> bool:
        """Approve or refuse a request by one conditional write: only a pending request
        not expired at `at` changes; whether this call changed it."""
        ...


class ConsentRepository(Protocol):
    """Consents given and withdrawn (152-ФЗ), at registration and on the services panel."""

    def add(self, consent: Consent) -> None:
        """Record a consent given or withdrawn; records are never changed or removed."""
        ...

    def of_account(self, account_key: str) -> list[Consent]:
        """An account's consent records, oldest first."""
        ...


class CounterUnitOfWork(Transaction, Protocol):
    """What reserving throttled attempts touches: the rate counters alone (the staff's
    sign-in counts its attempts the same way, ADR 0065)."""

    @property
    def rate_counters(self) -> RateCounterRepository: ...


class AppDeviceRepository(Protocol):
    """Devices signed in through the API and their refresh tokens (ADR 0061)."""

    def add(self, device: AppDevice) -> None:
        """Store a device that just signed in."""
        ...

    def get(self, device_id: str) -> AppDevice | None:
        """A device by its id, revoked or not."""
        ...

    def of_registration(self, registration_key: str) -> list[AppDevice]:
        """The devices of a registration not revoked, most recently used first."""
        ...

    def touch(self, device_id: str, at: dt.datetime) -> None:
        """Note that the device was used at `at`."""
        ...

    def revoke(self, device_id: str, at: dt.datetime) -> bool:
        """Revoke a device (its whole token family): False if it was revoked already."""
        ...

    def revoke_of_registration(
        self, registration_key: str, keep_id: str | None, at: dt.datetime
    ) -> list[str]:
        """Revoke every device of a registration but `keep_id`; return the ids revoked."""
        ...

    def add_refresh_token(self, token: RefreshToken) -> None:
        """Store a newly issued refresh token."""
        ...

    def refresh_token(self, token_hash: str) -> RefreshToken | None:
        """A refresh token by its hash, used or not."""
        ...

    def delete_ended(self, now: dt.datetime) -> int:
        """Forget refresh tokens past their end, then devices revoked or left without a
        token (with their tokens); return how many devices were forgotten."""
        ...

    def use_refresh_token(self, token_hash: str, at: dt.datetime) -> bool:
        """Mark a refresh token used, by one conditional write: True only for the one
        caller that found it unused, so two racing exchanges of one token never both win."""
        ...


class AuthorizationUnitOfWork(Transaction, Protocol):
    """What deciding who may see which account reads: the links of a registration."""

    @property
    def linked_accounts(self) -> LinkedAccountRepository: ...


class AccessUnitOfWork(AuthorizationUnitOfWork, Protocol):
    """One transaction over what sign-in, registration, recovery and linking touch."""

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def registrations(self) -> RegistrationRepository: ...

    @property
    def secrets(self) -> SecretRepository: ...

    @property
    def consents(self) -> ConsentRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def rate_counters(self) -> RateCounterRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def link_requests(self) -> LinkRequestRepository: ...

    @property
    def app_devices(self) -> AppDeviceRepository: ...

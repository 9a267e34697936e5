"""What the staff capability needs: staff members, their sessions and recovery codes, the
rate counters and the audit trail (shared with residents), a reader of staff events, the
TOTP checker and the sealer of TOTP keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import attrs

from lk_core.access.audit import AuditEvent
from lk_core.access.ports import AuditLog, CounterUnitOfWork
from lk_core.staff.members import StaffMember
from lk_core.staff.sessions import StaffSession


class StaffRepository(Protocol):
    def get(self, login: str) -> StaffMember | None:
        """The member with this login."""
        ...

    def add(self, member: StaffMember) -> bool:
        """Store a new member; False (nothing stored) if the login is taken."""
        ...

    def save(self, member: StaffMember) -> None:
        """Store a member's changed state (not `totp_last_step`: see `use_totp_step`)."""
        ...

    def begin_enrolment(
        self, login: str, enrolment_code_hash: str, now: dt.datetime, sealed_secret: str
    ) -> bool:
        """Use up the member's enrolment code and store a new, unconfirmed sealed key, by
        one conditional write that succeeds only if the code's hash is this one and it has
        not expired at `now`; whether it did. Of concurrent calls, at most one succeeds."""
        ...

    def confirm_totp(self, login: str, sealed_secret: str) -> bool:
        """Mark the key confirmed if it is still `sealed_secret` (no reset in between) and
        not confirmed yet; whether it was."""
        ...

    def all(self) -> list[StaffMember]:
        """Every member, by login."""
        ...

    def use_totp_step(self, login: str, step: int) -> bool:
        """Record that a code of time step `step` was accepted, by one conditional write
        that succeeds only if no code of this or a later step was; whether it did. Of
        concurrent calls with one code, exactly one succeeds."""
        ...


class StaffSessionRepository(Protocol):
    def add(self, session: StaffSession) -> None:
        """Store a new session."""
        ...

    def get(self, id_hash: str) -> StaffSession | None:
        """The session with this id hash."""
        ...

    def touch(self, id_hash: str, at: dt.datetime) -> None:
        """Set a session's last-seen time."""
        ...

    def delete(self, id_hash: str) -> None:
        """Forget a session (sign-out, a replaced id)."""
        ...

    def delete_of(self, login: str) -> int:
        """End every session of a member; return how many ended."""
        ...

    def delete_expired(self, last_seen_before: dt.datetime, created_before: dt.datetime) -> int:
        """Forget sessions not seen since, or created before, the given times; how many."""
        ...


class StaffRecoveryCodes(Protocol):
    def replace(self, login: str, code_hashes: Sequence[str]) -> None:
        """Make these (hashes of codes) the member's only recovery codes; none to forget all."""
        ...

    def use(self, login: str, code_hash: str) -> bool:
        """Use up one of the member's codes by a conditional delete; whether it was there.
        Of concurrent calls with one code, exactly one succeeds."""
        ...

    def remaining(self, login: str) -> int:
        """How many of the member's codes are left."""
        ...


@attrs.frozen
class StaffEventQuery:
    """Which staff events to list: of one member or all, within [since, until)."""

    login: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class StaffAuditTrail(Protocol):
    def staff_events(self, query: StaffEventQuery, offset: int, limit: int) -> list[AuditEvent]:
        """Events whose actor is a staff member (`staff:<login>`) the query matches,
        newest first (recorded at once: the later recorded first)."""
        ...


class StaffUnitOfWork(CounterUnitOfWork, Protocol):
    """One transaction over staff members, their sessions, counters and the audit log."""

    @property
    def staff(self) -> StaffRepository: ...

    @property
    def staff_sessions(self) -> StaffSessionRepository: ...

    @property
    def staff_recovery_codes(self) -> StaffRecoveryCodes: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def staff_audit(self) -> StaffAuditTrail: ...


class SecondFactor(Protocol):
    """Time-based one-time passwords (RFC 6238, 30-second steps)."""

    def new_secret(self) -> str:
        """A new random key, in base32."""
        ...

    def provisioning_uri(self, secret: str, login: str, issuer: str) -> str:
        """The `otpauth://` URI an authenticator app reads from a QR code."""
        ...

    def matching_step(self, secret: str, code: str, at: dt.datetime) -> int | None:
        """The time step (one before `at`'s to one after) whose code this is, or None."""
        ...


class SecretSealer(Protocol):
    """Encrypts the TOTP keys at rest; the key it uses never reaches the core."""

    def seal(self, secret: str) -> str:
        """The secret encrypted (and authenticated) under the current key, as text."""
        ...

    def unseal(self, sealed: str) -> str | None:
        """The secret back, or None if no known key opens it (or it was tampered with)."""
        ...

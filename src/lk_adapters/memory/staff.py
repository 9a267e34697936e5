"""Staff members, their sessions and the staff's audit trail, kept in memory."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.audit import AuditEvent
from lk_core.staff.members import StaffMember
from lk_core.staff.ports import StaffEventQuery
from lk_core.staff.sessions import StaffSession


class InMemoryStaff:
    """Staff members by login."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, login: str) -> StaffMember | None:
        stored = self._store.staff.get(login)
        return copy.copy(stored) if stored is not None else None

    def add(self, member: StaffMember) -> bool:
        if member.login in self._store.staff:
            return False
        self._store.staff[member.login] = copy.copy(member)
        return True

    def save(self, member: StaffMember) -> None:
        stored = self._store.staff.get(member.login)
        if stored is not None:
            saved = copy.copy(member)
            saved.totp_last_step = stored.totp_last_step
            self._store.staff[member.login] = saved

    def all(self) -> list[StaffMember]:
        return [copy.copy(self._store.staff[login]) for login in sorted(self._store.staff)]

    def begin_enrolment(
        self, login: str, enrolment_code_hash: str, now: dt.datetime, sealed_secret: str
    ) -> bool:
        stored = self._store.staff.get(login)
        if (
            stored is None
            or stored.enrolment_code_hash is None
            or stored.enrolment_code_hash != enrolment_code_hash
            or stored.enrolment_expires_at is None
            or stored.enrolment_expires_at <= now
        ):
            return False
        begun = copy.copy(stored)
        begun.enrolment_code_hash = None
        begun.enrolment_expires_at = None
        begun.totp_secret = sealed_secret
        begun.totp_confirmed = False
        self._store.staff[login] = begun
        return True

    def confirm_totp(self, login: str, sealed_secret: str) -> bool:
        stored = self._store.staff.get(login)
        if stored is None or stored.totp_confirmed or stored.totp_secret != sealed_secret:
            return False
        confirmed = copy.copy(stored)
        confirmed.totp_confirmed = True
        self._store.staff[login] = confirmed
        return True

    def use_totp_step(self, login: str, step: int) -> bool:
        stored = self._store.staff.get(login)
        if stored is None or stored.totp_last_step >= step:
            return False
        used = copy.copy(stored)
        used.totp_last_step = step
        self._store.staff[login] = used
        return True


class InMemoryStaffRecoveryCodes:
    """Hashes of the members' unused recovery codes."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def replace(self, login: str, code_hashes: Sequence[str]) -> None:
        codes = self._store.staff_recovery_codes
        for key in [key for key in codes if key[0] == login]:
            del codes[key]
        codes.update(((login, code_hash), True) for code_hash in code_hashes)

    def use(self, login: str, code_hash: str) -> bool:
        return self._store.staff_recovery_codes.pop((login, code_hash), None) is not None

    def remaining(self, login: str) -> int:
        return sum(1 for key in self._store.staff_recovery_codes if key[0] == login)


class InMemoryStaffSessions:
    """Staff sessions by id hash."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, session: StaffSession) -> None:
        if session.id_hash in self._store.staff_sessions:
            raise KeyError("a staff session with this id hash is already stored")
        self._store.staff_sessions[session.id_hash] = copy.copy(session)

    def get(self, id_hash: str) -> StaffSession | None:
        stored = self._store.staff_sessions.get(id_hash)
        return copy.copy(stored) if stored is not None else None

    def touch(self, id_hash: str, at: dt.datetime) -> None:
        stored = self._store.staff_sessions.get(id_hash)
        if stored is not None:
            touched = copy.copy(stored)
            touched.last_seen_at = at
            self._store.staff_sessions[id_hash] = touched

    def delete(self, id_hash: str) -> None:
        self._store.staff_sessions.pop(id_hash, None)

    def delete_of(self, login: str) -> int:
        doomed = [h for h, s in self._store.staff_sessions.items() if s.login == login]
        for id_hash in doomed:
            del self._store.staff_sessions[id_hash]
        return len(doomed)

    def delete_expired(self, last_seen_before: dt.datetime, created_before: dt.datetime) -> int:
        doomed = [
            h
            for h, s in self._store.staff_sessions.items()
            if s.last_seen_at < last_seen_before or s.created_at < created_before
        ]
        for id_hash in doomed:
            del self._store.staff_sessions[id_hash]
        return len(doomed)


class InMemoryStaffAuditTrail:
    """The staff's events of the audit log kept in memory."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def staff_events(self, query: StaffEventQuery, offset: int, limit: int) -> list[AuditEvent]:
        actor = f"staff:{query.login}" if query.login else None
        chosen = [
            event
            for event in reversed(self._store.audit.values())
            if event.actor.startswith("staff:")
            and (actor is None or event.actor == actor)
            and (query.since is None or event.at >= query.since)
            and (query.until is None or event.at < query.until)
        ]
        newest_first = sorted(chosen, key=lambda event: event.at, reverse=True)
        return newest_first[offset : offset + limit]

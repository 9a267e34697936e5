"""Staff members, their sessions and the staff's audit trail in SQL tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from lk_adapters.sqlalchemy.repositories.audit_log import _event
from lk_adapters.sqlalchemy.tables import (
    audit_log,
    staff_members,
    staff_recovery_codes,
    staff_sessions,
)
from lk_core.access.audit import AuditEvent
from lk_core.staff.members import StaffMember, StaffRole
from lk_core.staff.ports import StaffEventQuery
from lk_core.staff.sessions import StaffSession


def _member(row: Row[Any]) -> StaffMember:
    return StaffMember(
        login=row.login,
        name=row.name,
        role=StaffRole(row.role),
        password_hash=row.password_hash,
        created_at=row.created_at,
        disabled_at=row.disabled_at,
        totp_secret=row.totp_secret,
        totp_confirmed=row.totp_confirmed,
        totp_last_step=row.totp_last_step,
        enrolment_code_hash=row.enrolment_code_hash,
        enrolment_expires_at=row.enrolment_expires_at,
    )


def _values(member: StaffMember) -> dict[str, Any]:
    return {
        "name": member.name,
        "role": member.role.value,
        "password_hash": member.password_hash,
        "created_at": member.created_at,
        "disabled_at": member.disabled_at,
        "totp_secret": member.totp_secret,
        "totp_confirmed": member.totp_confirmed,
        "enrolment_code_hash": member.enrolment_code_hash,
        "enrolment_expires_at": member.enrolment_expires_at,
    }


class SqlAlchemyStaff:
    """Staff members by login."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, login: str) -> StaffMember | None:
        query = select(staff_members).where(staff_members.c.login == login)
        row = self._connection.execute(query).first()
        return _member(row) if row is not None else None

    def add(self, member: StaffMember) -> bool:
        values = _values(member) | {"login": member.login, "totp_last_step": member.totp_last_step}
        try:
            with self._connection.begin_nested():
                self._connection.execute(insert(staff_members).values(values))
        except IntegrityError:
            return False
        return True

    def save(self, member: StaffMember) -> None:
        statement = (
            update(staff_members)
            .where(staff_members.c.login == member.login)
            .values(_values(member))
        )
        self._connection.execute(statement)

    def all(self) -> list[StaffMember]:
        query = select(staff_members).order_by(staff_members.c.login)
        return [_member(row) for row in self._connection.execute(query)]

    def begin_enrolment(
        self, login: str, enrolment_code_hash: str, now: dt.datetime, sealed_secret: str
    ) -> bool:
        table = staff_members
        statement = (
            update(table)
            .where(
                table.c.login == login,
                table.c.enrolment_code_hash == enrolment_code_hash,
                table.c.enrolment_expires_at > now,
            )
            .values(
                enrolment_code_hash=None,
                enrolment_expires_at=None,
                totp_secret=sealed_secret,
                totp_confirmed=False,
            )
        )
        return self._connection.execute(statement).rowcount == 1

    def confirm_totp(self, login: str, sealed_secret: str) -> bool:
        table = staff_members
        statement = (
            update(table)
            .where(
                table.c.login == login,
                table.c.totp_secret == sealed_secret,
                table.c.totp_confirmed.is_(False),
            )
            .values(totp_confirmed=True)
        )
        return self._connection.execute(statement).rowcount == 1

    def use_totp_step(self, login: str, step: int) -> bool:
        statement = (
            update(staff_members)
            .where(staff_members.c.login == login, staff_members.c.totp_last_step < step)
            .values(totp_last_step=step)
        )
        return self._connection.execute(statement).rowcount == 1


class SqlAlchemyStaffRecoveryCodes:
    """Hashes of the members' unused recovery codes."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def replace(self, login: str, code_hashes: Sequence[str]) -> None:
        table = staff_recovery_codes
        self._connection.execute(delete(table).where(table.c.login == login))
        if code_hashes:
            rows = [{"login": login, "code_hash": code_hash} for code_hash in code_hashes]
            self._connection.execute(insert(table), rows)

    def use(self, login: str, code_hash: str) -> bool:
        table = staff_recovery_codes
        statement = delete(table).where(table.c.login == login, table.c.code_hash == code_hash)
        return self._connection.execute(statement).rowcount == 1

    def remaining(self, login: str) -> int:
        table = staff_recovery_codes
        query = select(func.count()).select_from(table).where(table.c.login == login)
        return int(self._connection.execute(query).scalar_one())


def _session(row: Row[Any]) -> StaffSession:
    return StaffSession(
        id_hash=row.id_hash,
        login=row.login,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        verified=row.verified,
        enrolling=row.enrolling,
    )


class SqlAlchemyStaffSessions:
    """Staff sessions by id hash."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, session: StaffSession) -> None:
        values = {
            "id_hash": session.id_hash,
            "login": session.login,
            "created_at": session.created_at,
            "last_seen_at": session.last_seen_at,
            "verified": session.verified,
            "enrolling": session.enrolling,
        }
        self._connection.execute(insert(staff_sessions).values(values))

    def get(self, id_hash: str) -> StaffSession | None:
        query = select(staff_sessions).where(staff_sessions.c.id_hash == id_hash)
        row = self._connection.execute(query).first()
        return _session(row) if row is not None else None

    def touch(self, id_hash: str, at: dt.datetime) -> None:
        statement = (
            update(staff_sessions)
            .where(staff_sessions.c.id_hash == id_hash)
            .values(last_seen_at=at)
        )
        self._connection.execute(statement)

    def delete(self, id_hash: str) -> None:
        self._connection.execute(delete(staff_sessions).where(staff_sessions.c.id_hash == id_hash))

    def delete_of(self, login: str) -> int:
        statement = delete(staff_sessions).where(staff_sessions.c.login == login)
        return self._connection.execute(statement).rowcount

    def delete_expired(self, last_seen_before: dt.datetime, created_before: dt.datetime) -> int:
        statement = delete(staff_sessions).where(
            or_(
                staff_sessions.c.last_seen_at < last_seen_before,
                staff_sessions.c.created_at < created_before,
            )
        )
        return self._connection.execute(statement).rowcount


class SqlAlchemyStaffAuditTrail:
    """The staff's events of the `audit_log` table (by the index on actor and time)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def staff_events(self, query: StaffEventQuery, offset: int, limit: int) -> list[AuditEvent]:
        table = audit_log
        statement = select(table)
        if query.login:
            statement = statement.where(table.c.actor == f"staff:{query.login}")
        else:
            statement = statement.where(table.c.actor.startswith("staff:", autoescape=True))
        if query.since is not None:
            statement = statement.where(table.c.at >= query.since)
        if query.until is not None:
            statement = statement.where(table.c.at < query.until)
        statement = (
            statement.order_by(table.c.at.desc(), table.c.id.desc()).offset(offset).limit(limit)
        )
        return [_event(row) for row in self._connection.execute(statement)]

"""Staff members of the management company: dispatchers and administrators (F32)."""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

from lk_core.kernel.errors import InvalidValue

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,31}$")


class StaffRole(enum.Enum):
    DISPATCHER = "dispatcher"
    ADMIN = "admin"

    @property
    def label_ru(self) -> str:
        return {"dispatcher": "диспетчер", "admin": "администратор"}[self.value]


def staff_login(text: str) -> str:
    """A login as stored: 2–32 Latin letters, digits and «._-», in lower case."""
    login = text.strip().lower()
    if not _LOGIN.match(login):
        raise InvalidValue("login", text, "Логин — от 2 до 32 латинских букв, цифр и знаков «._-»")
    return login


@attrs.define
class StaffMember:
    """A staff account. `totp_secret` is the second factor's key, sealed (encrypted by the
    `SecretSealer`), set once the one-time enrolment code is typed and confirmed by the
    first code that matches it; `totp_last_step` is the last time step a code was accepted
    for, so that no code is used twice. `enrolment_code_hash` is the hash of the code an
    operator issued (`lk staff create|reset`), valid until `enrolment_expires_at`."""

    login: str
    name: str
    role: StaffRole
    password_hash: str = attrs.field(repr=False)
    created_at: dt.datetime
    disabled_at: dt.datetime | None = None
    totp_secret: str | None = attrs.field(default=None, repr=False)
    totp_confirmed: bool = False
    totp_last_step: int = 0
    enrolment_code_hash: str | None = attrs.field(default=None, repr=False)
    enrolment_expires_at: dt.datetime | None = None

    @property
    def actor(self) -> str:
        """The audit log's `actor` for what this member does."""
        return f"staff:{self.login}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_admin(self) -> bool:
        return self.role is StaffRole.ADMIN

    @property
    def is_enrolled(self) -> bool:
        """Whether the second factor is set up (else the next sign-in enrols it)."""
        return self.totp_secret is not None and self.totp_confirmed

"""The personal data page's repositories on a read-only PostgreSQL unit of work: they
answer from what `ReadAhead.personal_page` read when asked exactly what it holds, and run
their own statement otherwise (ADR 0059)."""

from __future__ import annotations

from sqlalchemy import Connection

from lk_adapters.sqlalchemy.read_ahead import ReadAhead
from lk_adapters.sqlalchemy.repositories.app_devices import SqlAlchemyAppDevices
from lk_adapters.sqlalchemy.repositories.houses import SqlAlchemyHouses
from lk_adapters.sqlalchemy.repositories.link_requests import SqlAlchemyLinkRequests
from lk_adapters.sqlalchemy.repositories.registrations import SqlAlchemyRegistrations
from lk_adapters.sqlalchemy.repositories.secrets import SqlAlchemySecrets
from lk_core.access.app_devices import AppDevice
from lk_core.access.link_requests import LinkRequest
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.access.registration import Registration
from lk_core.accounts.account import House


class ReadAheadHouses(SqlAlchemyHouses):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def get(self, code: str) -> House | None:
        if code in self._ahead.houses:
            return self._ahead.houses[code]
        return super().get(code)


class ReadAheadRegistrations(SqlAlchemyRegistrations):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def get(self, account_key: str) -> Registration | None:
        if account_key in self._ahead.registrations:
            return self._ahead.registrations[account_key]
        return super().get(account_key)


class ReadAheadSecrets(SqlAlchemySecrets):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def latest(self, subject: str, purpose: SecretPurpose) -> OneTimeSecret | None:
        if purpose is SecretPurpose.EMAIL_CHANGE and subject in self._ahead.email_changes:
            return self._ahead.email_changes[subject]
        return super().latest(subject, purpose)


class ReadAheadLinkRequests(SqlAlchemyLinkRequests):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_registration(self, registration_key: str) -> list[LinkRequest]:
        found = self._ahead.requests_made.get(registration_key)
        return list(found) if found is not None else super().of_registration(registration_key)

    def for_account(self, account_key: str) -> list[LinkRequest]:
        found = self._ahead.requests_for.get(account_key)
        return list(found) if found is not None else super().for_account(account_key)


class ReadAheadAppDevices(SqlAlchemyAppDevices):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_registration(self, registration_key: str) -> list[AppDevice]:
        found = self._ahead.devices.get(registration_key)
        return list(found) if found is not None else super().of_registration(registration_key)

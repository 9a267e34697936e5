"""The operators' account directory: searches and audiences read in keyset pages.

An audience member's debt is the closing balance of the account's newest period, and its
consents are the last informing records; both are correlated subqueries on the primary
key and the consents' account index, so a page costs the same on the last page as on the
first, however many accounts there are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    ScalarSelect,
    Select,
    case,
    func,
    or_,
    select,
    true,
    update,
)

from lk_adapters.sqlalchemy.repositories.accounts import _account as account_of
from lk_adapters.sqlalchemy.tables import (
    accounts,
    consents,
    houses,
    ledger_lines,
    one_time_secrets,
    registrations,
)
from lk_core.access.registration import ConfirmationMethod, ConsentKind, RegistrationStatus
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.money import Money
from lk_core.operator.directory import (
    AccountFound,
    AccountQuery,
    Audience,
    AudienceMember,
    AudiencePage,
    QueryKind,
    RegistrationSummary,
    full_address,
)

SCAN_PAGE = 2000
_REGISTRATION = (
    registrations.c.email.label("reg_email"),
    registrations.c.phone.label("reg_phone"),
    registrations.c.method.label("reg_method"),
    registrations.c.status.label("reg_status"),
    registrations.c.created_at.label("reg_created_at"),
    registrations.c.confirmed_at.label("reg_confirmed_at"),
)


def _found(row: Row[Any]) -> AccountFound:
    registration = None
    if row.reg_email is not None:
        registration = RegistrationSummary(
            Email(row.reg_email),
            ConfirmationMethod(row.reg_method),
            RegistrationStatus(row.reg_status),
            row.reg_created_at,
            Phone(row.reg_phone) if row.reg_phone is not None else None,
            row.reg_confirmed_at,
        )
    return AccountFound(account_of(row), row.house_address or "", registration)


def _debt() -> ScalarSelect[Any]:
    newest = ledger_lines.alias("newest")
    newest_period = (
        select(func.max(newest.c.period))
        .where(newest.c.account_key == accounts.c.key)
        .correlate(accounts)
        .scalar_subquery()
    )
    line = ledger_lines
    closing = line.c.opening + line.c.charged + line.c.recalculation - line.c.paid
    return (
        select(func.coalesce(func.sum(closing), 0))
        .where(line.c.account_key == accounts.c.key, line.c.period == newest_period)
        .correlate(accounts)
        .scalar_subquery()
    )


def _consented_to(kind: ConsentKind) -> ScalarSelect[Any]:
    """The address of the account's last record of this consent, if that record gives it."""
    return (
        select(case((consents.c.given, consents.c.address), else_=None))
        .where(consents.c.account_key == accounts.c.key, consents.c.kind == kind.value)
        .order_by(consents.c.at.desc(), consents.c.id.desc())
        .limit(1)
        .correlate(accounts)
        .scalar_subquery()
    )


class SqlAlchemyAccountDirectory:
    """Searches and audiences over `accounts`, their houses, registrations and ledger."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def find(self, query: AccountQuery, limit: int) -> list[AccountFound]:
        if query.kind is QueryKind.TEXT:
            keys = self._keys_by_name_or_address(query, limit)
            return self._found_among(query, accounts.c.key.in_(keys), limit) if keys else []
        # The database narrows what it can compare exactly; the query itself decides, in
        # Python, what SQLite cannot (it lower-cases Latin letters only).
        if query.kind is QueryKind.NUMBER:
            narrowed = accounts.c.key.startswith(query.text, autoescape=True)
        elif query.text.isascii():
            narrowed = or_(
                func.lower(accounts.c.email).contains(query.text, autoescape=True),
                registrations.c.email_key.contains(query.text, autoescape=True),
            )
        else:
            narrowed = true()
        return self._found_among(query, narrowed, limit)

    def _keys_by_name_or_address(self, query: AccountQuery, limit: int) -> list[str]:
        """Scan names and addresses only, in pages: Cyrillic case and `ё` are compared in
        Python, and whole accounts are built for the matches alone."""
        narrow = (
            select(accounts.c.key, accounts.c.payer_name, accounts.c.flat, houses.c.address)
            .select_from(accounts.outerjoin(houses, houses.c.code == accounts.c.house_code))
            .order_by(accounts.c.key)
            .limit(SCAN_PAGE)
        )
        keys: list[str] = []
        after = ""
        while True:
            rows = self._connection.execute(narrow.where(accounts.c.key > after)).all()
            for key, payer_name, flat, house_address in rows:
                if query.matches_name_or_address(
                    payer_name, full_address(house_address or "", flat)
                ):
                    keys.append(key)
                    if len(keys) == limit:
                        return keys
            if len(rows) < SCAN_PAGE:
                return keys
            after = rows[-1].key

    def _found_among(
        self, query: AccountQuery, narrowed: ColumnElement[bool], limit: int
    ) -> list[AccountFound]:
        base = (
            select(accounts, houses.c.address.label("house_address"), *_REGISTRATION)
            .select_from(
                accounts.outerjoin(houses, houses.c.code == accounts.c.house_code).outerjoin(
                    registrations, registrations.c.account_key == accounts.c.key
                )
            )
            .where(narrowed)
            .order_by(accounts.c.key)
            .limit(SCAN_PAGE)
        )
        found: list[AccountFound] = []
        after = ""
        while len(found) < limit:
            rows = self._connection.execute(base.where(accounts.c.key > after)).all()
            for row in rows:
                item = _found(row)
                if query.matches(item):
                    found.append(item)
                    if len(found) == limit:
                        break
            if len(rows) < SCAN_PAGE:
                break
            after = rows[-1].key
        return sorted(found, key=lambda item: (len(item.account.key), item.account.key))

    def audience(self, audience: Audience, after_key: str, limit: int) -> AudiencePage:
        debt = _debt()
        query: Select[Any] = select(
            accounts,
            debt.label("debt"),
            houses.c.address.label("house_address"),
            _consented_to(ConsentKind.SMS_INFORMING).label("sms_consented_to"),
            _consented_to(ConsentKind.EMAIL_INFORMING).label("email_consented_to"),
        ).select_from(accounts.outerjoin(houses, houses.c.code == accounts.c.house_code))
        conditions: list[ColumnElement[bool]] = [accounts.c.key > after_key]
        listed: list[str] | None = None
        if audience.account_keys is not None:
            listed = sorted(key for key in audience.account_keys if key > after_key)[:limit]
            if not listed:
                return AudiencePage((), None)
            conditions.append(accounts.c.key.in_(listed))
        if audience.house_code is not None:
            conditions.append(accounts.c.house_code == audience.house_code)
        if audience.min_debt is not None:
            conditions.append(debt >= audience.min_debt.kopecks)
        rows = self._connection.execute(
            query.where(*conditions).order_by(accounts.c.key).limit(limit)
        ).all()
        members = tuple(
            AudienceMember(
                account_of(row),
                Money(int(row.debt)),
                row.house_address or "",
                row.sms_consented_to,
                row.email_consented_to,
            )
            for row in rows
        )
        if listed is not None:
            return AudiencePage(members, listed[-1])
        return AudiencePage(members, rows[-1].key if len(rows) == limit else None)

    def void_secrets(self, subject: str) -> int:
        table = one_time_secrets
        result = self._connection.execute(
            update(table)
            .where(
                table.c.subject == subject,
                table.c.used_at.is_(None),
                table.c.attempts_left > 0,
            )
            .values(attempts_left=0)
        )
        return result.rowcount

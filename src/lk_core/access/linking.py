"""Linked accounts (F20): link by surname or by that account's password, switch, unlink.
An account someone else registered is proved by its password only, never by its surname.

Linking checks a secret like sign-in and first visit do, so it shares their throttles
(the same counters: the form is no way around them) and their uniform answer: a wrong
number, surname or password all get one message.
"""

from __future__ import annotations

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.authorization import ensure_may_view, viewable_account_keys
from lk_core.access.context import AccessContext
from lk_core.access.errors import LinkFailed, LinkNeedsPassword, OwnAccountCannotBeUnlinked
from lk_core.access.guarding import (
    audit,
    ensure_not_throttled,
    release_attempt,
    reserve_attempt,
)
from lk_core.access.links import AccountLink, ensure_may_link
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.registration import Registration
from lk_core.access.sessions import Session
from lk_core.access.throttling import Throttled, buckets
from lk_core.accounts.account import Account, AccountNumber
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.messaging.notices import account_linked
from lk_core.messaging.outbox import queue_email


@attrs.frozen
class ResidentAccounts:
    """The account a signed-in session shows, and every account it may switch to."""

    registration_key: str
    shown: Account
    choices: tuple[Account, ...]

    @property
    def shows_own(self) -> bool:
        return self.shown.key == self.registration_key


def signed_in(session: Session | None) -> tuple[Session, str]:
    """The session and its registration; a session signed in to none sees no account."""
    if session is None or session.registration_key is None:
        raise NotFound("registration", None)
    return session, session.registration_key


def resident_accounts(ctx: AccessContext, session: Session | None) -> ResidentAccounts | None:
    """What the header's switcher lists; a shown account no longer linked (unlinked in
    another browser) falls back to the registration's own."""
    if session is None:
        return None
    with ctx.uow_factory(read_only=True) as uow:
        accounts = accounts_of_session(uow, session)
    if accounts is not None:
        remember_shown(ctx, session, accounts)
    return accounts


def accounts_of_session(uow: AccessUnitOfWork, session: Session) -> ResidentAccounts | None:
    """The accounts a signed-in session may show, read in the caller's unit of work; the
    one shown falls back to the registration's own if it is no longer linked."""
    if session.registration_key is None:
        return None
    keys = viewable_account_keys(uow, session)
    accounts = tuple(account for key in keys if (account := uow.accounts.get(key)))
    if not accounts:
        return None
    shown = next((a for a in accounts if a.key == session.account_key), accounts[0])
    return ResidentAccounts(session.registration_key, shown, accounts)


def remember_shown(ctx: AccessContext, session: Session, accounts: ResidentAccounts) -> None:
    """Store the fallback `accounts_of_session` chose, if it had to choose one."""
    if session.account_key != accounts.shown.key:
        _show(ctx, session, accounts.shown.key)


def switch_account(ctx: AccessContext, session: Session | None, number: str) -> Account:
    """Show another of the resident's accounts; anyone else's is `NotFound`."""
    key = _known_key(number)
    with ctx.uow_factory(read_only=True) as uow:
        ensure_may_view(uow, session, key)
        account = uow.accounts.get(key)
    if account is None or session is None:
        raise NotFound("account", key)
    _show(ctx, session, key)
    return account


def link_account(
    ctx: AccessContext,
    session: Session | None,
    number: str,
    *,
    surname: str = "",
    password: str = "",
    ip: str,
) -> Account:
    """Link an account proved by its own password, or by the surname it is registered to
    if nobody has registered it in the portal (SECURITY.md, "Account proof")."""
    now = ctx.clock.now()
    _, registration_key = signed_in(session)
    if not surname.strip() and not password:
        raise InvalidValue(
            "surname", "", "Укажите фамилию, на которую зарегистрирован счёт, или его пароль"
        )
    key = _typed_key(number)
    # A typed surname counts as a first visit, a typed password as a sign-in: the same
    # counters, reserved before either is checked; either kind of limit reached blocks both.
    by_surname = buckets(ctx.throttle.first_visit, account=key, ip=ip)
    by_password = buckets(ctx.throttle.sign_in, account=key, ip=ip)
    tried = (by_surname if surname.strip() else []) + (by_password if password else [])
    with ctx.uow_factory() as uow:
        _ensure_may_link(ctx, uow, registration_key, key)
        try:
            ensure_not_throttled(uow, [b for b in by_surname + by_password if b not in tried], now)
            reserve_attempt(uow, tried, now)
        except Throttled:
            audit(uow, AuditKind.SIGN_IN_THROTTLED, now, account_key=key, ip=ip,
                  during="account_link", registration=registration_key)  # fmt: skip
            uow.commit()
            raise
        account = uow.accounts.get(key)
        target = uow.registrations.get(key)
        uow.commit()
    proof = _proof(ctx, account, target, surname, password)
    with ctx.uow_factory() as uow:
        if proof is _NEEDS_PASSWORD:
            # The surname was right, as on a first visit of a registered account: not a
            # failure to count, but no proof of an account whose owner registered it.
            release_attempt(uow, tried, now)
            audit(uow, AuditKind.ACCOUNT_LINK_NEEDS_PASSWORD, now, account_key=key, ip=ip,
                  during="account_link", registration=registration_key)  # fmt: skip
            uow.commit()
            raise LinkNeedsPassword()
        if proof is None or account is None:
            kind = AuditKind.SIGN_IN_FAILED if password else AuditKind.FIRST_VISIT_FAILED
            audit(uow, kind, now, account_key=key, ip=ip, during="account_link",
                  registration=registration_key)  # fmt: skip
            uow.commit()
            raise LinkFailed()
        release_attempt(uow, tried, now)
        linker = _ensure_may_link(ctx, uow, registration_key, key)
        uow.linked_accounts.add(AccountLink(registration_key, key, now))
        audit(uow, AuditKind.ACCOUNT_LINKED, now, account_key=registration_key, ip=ip,
              account=key, by=proof)  # fmt: skip
        target = uow.registrations.get(key)
        if target is not None and target.is_confirmed and target.email.key != linker.email.key:
            # Whoever holds the account's own registration hears of it, password or not.
            by_account = uow.accounts.get(registration_key)
            uow.outbox.add(
                queue_email(
                    account_linked(
                        target.email.address, ctx.company_name, str(account.number),
                        str(by_account.number) if by_account else registration_key,
                    ),
                    now,
                )
            )  # fmt: skip
        uow.commit()
    return account


def unlink_account(
    ctx: AccessContext, session_or_none: Session | None, number: str, *, ip: str
) -> None:
    """Unlink a linked account; if it is the one shown, show the registration's own again."""
    now = ctx.clock.now()
    session, registration_key = signed_in(session_or_none)
    key = _known_key(number)
    if key == registration_key:
        raise OwnAccountCannotBeUnlinked()
    with ctx.uow_factory() as uow:
        if not uow.linked_accounts.remove(registration_key, key):
            raise NotFound("account", key)
        audit(uow, AuditKind.ACCOUNT_UNLINKED, now, account_key=registration_key, ip=ip,
              account=key)  # fmt: skip
        stored = uow.sessions.get(session.id_hash)
        if stored is not None and stored.account_key == key:
            stored.account_key = registration_key
            uow.sessions.save(stored)
        uow.commit()
    if session.account_key == key:
        session.account_key = registration_key


def _ensure_may_link(
    ctx: AccessContext, uow: AccessUnitOfWork, registration_key: str, key: str
) -> Registration:
    """The rules that need no secret; they concern the resident's own accounts only, so
    they may be answered before the proof without telling anything about `key`."""
    linker = uow.registrations.get(registration_key)
    if linker is None:
        raise NotFound("registration", registration_key)
    linked = {link.account_key for link in uow.linked_accounts.of_registration(registration_key)}
    on_email = uow.registrations.count_with_email(
        linker.email.key
    ) + uow.linked_accounts.count_for_email(linker.email.key)
    ensure_may_link(registration_key, key, linked, on_email, ctx.policies.registration)
    return linker


_NEEDS_PASSWORD = "needs password"  # noqa: S105 (a marker, not a password)


def _proof(
    ctx: AccessContext,
    account: Account | None,
    target: Registration | None,
    surname: str,
    password: str,
) -> str | None:
    """How the resident proved the account is theirs, `_NEEDS_PASSWORD` for the right
    surname of an account someone registered (surnames are printed on every receipt, so
    they prove only an account nobody has registered), or None. A typed password is always
    checked by argon2 (against a dummy hash if need be), so timing tells nothing."""
    registered = target is not None and target.is_confirmed
    surname_right = (
        account is not None and bool(surname.strip()) and account.surname_matches(surname)
    )
    if surname_right and not registered:
        return "surname"
    if password:
        usable = account is not None and target is not None and registered
        stored_hash = target.password_hash if usable and target is not None else ctx.dummy_hash
        if ctx.hasher.verify(stored_hash, password) and usable:
            return "password"
        return None
    return _NEEDS_PASSWORD if surname_right else None


def _typed_key(number: str) -> str:
    try:
        return AccountNumber.parse(number).key
    except InvalidValue:
        # Still counted: no shortcut tells a malformed number from a wrong one.
        return "?" + "".join(number.split())[:20]


def _known_key(number: str) -> str:
    try:
        return AccountNumber.parse(number).key
    except InvalidValue:
        raise NotFound("account", number) from None


def _show(ctx: AccessContext, session: Session, account_key: str) -> None:
    with ctx.uow_factory() as uow:
        stored = uow.sessions.get(session.id_hash)
        if stored is not None:
            stored.account_key = account_key
            uow.sessions.save(stored)
        uow.commit()
    session.account_key = account_key

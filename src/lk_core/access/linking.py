"""Linked accounts (F20): link by surname or by that account's password, switch, unlink.
An account someone else registered is proved by its password or its owner's approval
(link_requests.py), never by its surname alone.

Linking checks a secret like sign-in and first visit do, so it shares their throttles
(the same counters: the form is no way around them) and their uniform answer: a wrong
number, surname or password all get one message.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.authorization import ensure_may_view, viewable_account_keys
from lk_core.access.context import AccessContext
from lk_core.access.errors import (
    LinkFailed,
    LinkRequested,
    LinkRequestRefused,
    OwnAccountCannotBeUnlinked,
    TokenInvalid,
)
from lk_core.access.guarding import (
    audit,
    ensure_not_throttled,
    release_attempt,
    reserve_attempt,
)
from lk_core.access.link_requests import APPROVE, REFUSE, LinkRequest, LinkRequestState
from lk_core.access.links import AccountLink, ensure_may_link
from lk_core.access.one_time_secrets import SecretPurpose, hash_secret, issue_link_token
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.redemption import redeem_stored
from lk_core.access.registration import Registration
from lk_core.access.sessions import Session
from lk_core.access.throttling import Throttled, buckets
from lk_core.accounts.account import Account, AccountNumber
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.messaging.notices import account_linked, link_request
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
    if nobody has registered it in the portal (SECURITY.md, "Account proof"). The right
    surname of an account someone registered asks its owner instead: `LinkRequested`."""
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
        if proof is _ASK_OWNER and account is not None and target is not None:
            # The surname was right, as on a first visit of a registered account: not a
            # failure to count, but no proof of an account whose owner registered it.
            release_attempt(uow, tried, now)
            request = _ask_owner(ctx, uow, registration_key, account, target, now, ip=ip)
            uow.commit()
            raise LinkRequested(local_time(ctx, request.expires_at))
        if proof not in ("surname", "password") or account is None:
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


@attrs.frozen
class LinkRequestAnswered:
    """What the owner's link did: the request's state now, and the accounts it concerns."""

    state: LinkRequestState
    account: str
    by_account: str


@attrs.frozen
class LinkRequestAsked:
    """What the owner's link would do, shown before it is done: mail scanners that open
    links must not answer for the owner, so only the form the page shows answers."""

    approve: bool
    account: str
    by_account: str


def read_link_request(ctx: AccessContext, raw_token: str) -> LinkRequestAsked:
    """The request behind an owner's link still waiting for an answer, or why not."""
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        if secret is None or secret.purpose is not SecretPurpose.LINK_REQUEST:
            raise TokenInvalid("unknown", "Ссылка недействительна")
        refusal = secret.refusal(SecretPurpose.LINK_REQUEST, now)
        if refusal is not None:
            raise refusal
        request = uow.link_requests.get(secret.subject)
        if request is None:
            raise TokenInvalid("unknown", "Ссылка недействительна")
        if not request.is_pending(now):
            raise TokenInvalid("used", "На этот запрос уже ответили или его срок истёк")
        return LinkRequestAsked(
            secret.payload == APPROVE,
            _shown(uow, request.account_key),
            _shown(uow, request.registration_key),
        )


def answer_link_request(ctx: AccessContext, raw_token: str, *, ip: str) -> LinkRequestAnswered:
    """The owner's approve or refuse link: used once, and only one of the two works; an
    approval links the account to the registration that asked. Works signed out too."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        if secret is None or secret.purpose is not SecretPurpose.LINK_REQUEST:
            raise TokenInvalid("unknown", "Ссылка недействительна")
        redeem_stored(uow.secrets, secret, raw_token, SecretPurpose.LINK_REQUEST, now, ctx.pepper)
        request = uow.link_requests.get(secret.subject)
        if request is None:  # the registration that asked is gone
            raise TokenInvalid("unknown", "Ссылка недействительна")
        state = LinkRequestState.APPROVED if secret.payload == APPROVE else LinkRequestState.REFUSED
        if state is LinkRequestState.APPROVED:
            _ensure_may_link(ctx, uow, request.registration_key, request.account_key)
        if not uow.link_requests.decide(request.id, state, now):
            raise TokenInvalid("used", "На этот запрос уже ответили или его срок истёк")
        if state is LinkRequestState.APPROVED:
            uow.linked_accounts.add(AccountLink(request.registration_key, request.account_key, now))
            audit(uow, AuditKind.ACCOUNT_LINKED, now, account_key=request.registration_key,
                  ip=ip, account=request.account_key, by="owner")  # fmt: skip
        else:
            audit(uow, AuditKind.LINK_REQUEST_REFUSED, now, account_key=request.account_key,
                  ip=ip, registration=request.registration_key)  # fmt: skip
        answered = LinkRequestAnswered(
            state, _shown(uow, request.account_key), _shown(uow, request.registration_key)
        )
        uow.commit()
    return answered


@attrs.frozen
class LinkRequestView:
    """A request as a personal data page lists it: the other side's account number, the
    state now, and until when it waits or when it was answered (local time)."""

    account: str
    state: LinkRequestState
    when: str


@attrs.frozen
class LinkRequestsOf:
    """The requests a registration made, and those made for its own account."""

    sent: tuple[LinkRequestView, ...]
    received: tuple[LinkRequestView, ...]


def link_requests_of(
    ctx: AccessContext, registration_key: str, *, limit: int = 10
) -> LinkRequestsOf:
    """Both sides see a request's state: pending (until when), approved, refused, expired."""
    with ctx.uow_factory(read_only=True) as uow:
        return link_requests_in(ctx, uow, registration_key, ctx.clock.now(), limit=limit)


def link_requests_in(
    ctx: AccessContext,
    uow: AccessUnitOfWork,
    registration_key: str,
    now: dt.datetime,
    *,
    limit: int = 10,
) -> LinkRequestsOf:
    """`link_requests_of`, read in the caller's unit of work."""
    sent = uow.link_requests.of_registration(registration_key)[:limit]
    received = uow.link_requests.for_account(registration_key)[:limit]
    numbers = {
        key: _shown(uow, key)
        for key in {r.account_key for r in sent} | {r.registration_key for r in received}
    }

    def view(request: LinkRequest, other: str) -> LinkRequestView:
        state = request.state_at(now)
        at = request.decided_at if request.decided_at is not None else request.expires_at
        return LinkRequestView(numbers[other], state, local_time(ctx, at))

    return LinkRequestsOf(
        tuple(view(r, r.account_key) for r in sent),
        tuple(view(r, r.registration_key) for r in received),
    )


def _shown(uow: AccessUnitOfWork, key: str) -> str:
    account = uow.accounts.get(key)
    return str(account.number) if account is not None else key


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


_ASK_OWNER = "ask the owner"


def _proof(
    ctx: AccessContext,
    account: Account | None,
    target: Registration | None,
    surname: str,
    password: str,
) -> str | None:
    """How the resident proved the account is theirs, `_ASK_OWNER` for the right
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
    return _ASK_OWNER if surname_right else None


def _ask_owner(
    ctx: AccessContext,
    uow: AccessUnitOfWork,
    registration_key: str,
    account: Account,
    owner: Registration,
    now: dt.datetime,
    *,
    ip: str,
) -> LinkRequest:
    """The pending request of this resident for this account, or a new one mailed to the
    account's owner with single-use links to approve and refuse it."""
    asked = uow.link_requests.of_registration(registration_key)
    pending = next((r for r in asked if r.account_key == account.key and r.is_pending(now)), None)
    if pending is not None:
        return pending  # one letter per request: asking again mails nothing
    lifetime = ctx.policies.registration.link_request_lifetime
    refused = next((r for r in asked if r.account_key == account.key), None)
    if (
        refused is not None
        and refused.state is LinkRequestState.REFUSED
        and refused.decided_at is not None
        and now < refused.decided_at + lifetime
    ):
        raise LinkRequestRefused()  # no new letter to an owner who just said no
    request = LinkRequest(secrets.token_hex(16), registration_key, account.key, now, now + lifetime)
    uow.link_requests.add(request)
    links = {}
    for answer in (APPROVE, REFUSE):
        raw, secret = issue_link_token(
            SecretPurpose.LINK_REQUEST, request.id, now=now, lifetime=lifetime,
            pepper=ctx.pepper, payload=answer,
        )  # fmt: skip
        uow.secrets.add(secret)
        links[answer] = ctx.links.base_url.rstrip("/") + f"/personal/link-requests/{raw}"
    by_account = uow.accounts.get(registration_key)
    uow.outbox.add(
        queue_email(
            link_request(
                owner.email.address, ctx.company_name, str(account.number),
                str(by_account.number) if by_account else registration_key,
                links[APPROVE], links[REFUSE], local_time(ctx, request.expires_at),
            ),
            now,
        )
    )  # fmt: skip
    audit(uow, AuditKind.LINK_REQUESTED, now, account_key=account.key, ip=ip,
          during="account_link", registration=registration_key)  # fmt: skip
    return request


def local_time(ctx: AccessContext, at: dt.datetime) -> str:
    return at.astimezone(ZoneInfo(ctx.time_zone)).strftime("%d.%m.%Y %H:%M")


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

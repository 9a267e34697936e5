"""No targeted lockout (SECURITY.md, ADR 0050): strangers flooding a resident's account
with wrong passwords and reset requests keep its guessers at bay, yet never lock the
resident out: a browser they signed in from before signs in at once, a new one within
minutes, and their own reset request still sends them a link."""

from __future__ import annotations

import pytest

from access_fixtures import (
    IP,
    IVANOV,
    NEW_PASSWORD,
    OTHER_IP,
    PASSWORD,
    RESET_LINK,
    SEMENOV,
    Portal,
    a_portal,
)
from lk_core.access.audit import AuditKind
from lk_core.access.devices import issue_device_token
from lk_core.access.errors import SignInFailed
from lk_core.access.password_reset import request_password_reset, reset_password
from lk_core.access.sign_in import SignedIn, current_session, sign_in, sign_in_with_device
from lk_core.access.throttling import Throttled

EMAIL = "ivanov@mail.ru"
ATTACKERS = [f"203.0.113.{n}" for n in range(10, 20)]
OWNERS_NEW_ADDRESS = "198.51.100.200"


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV, email=EMAIL)
    return portal


@pytest.fixture
def owners_browser(portal: Portal) -> str:
    """The device cookie of the browser the owner signed in from last week."""
    signed_in = sign_in_with_device(
        portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None, device_cookie=None
    )
    portal.clock.advance(days=7)
    return signed_in.device_cookie


def from_browser(
    portal: Portal, cookie: str | None, password: str = PASSWORD, *, ip: str = OTHER_IP
) -> SignedIn:
    return sign_in_with_device(
        portal.ctx, IVANOV, password, ip=ip, current_session=None, device_cookie=cookie
    )


def flood(portal: Portal, per_address: int = 10) -> list[type[Exception]]:
    """Ten addresses try ten wrong passwords each on the owner's account."""
    outcomes: list[type[Exception]] = []
    for ip in ATTACKERS:
        for guess in range(per_address):
            try:
                sign_in(portal.ctx, IVANOV, f"{ip} {guess}", ip=ip, current_session=None)
            except (SignInFailed, Throttled) as error:
                outcomes.append(type(error))
    return outcomes


def per_account(portal: Portal) -> int:
    """How many failures a quarter hour reach argon2 for one account, from unknown browsers."""
    return {limit.scope: limit.count for limit in portal.ctx.throttle.sign_in}["sign_in.account"]


def signs_in(portal: Portal, signed_in: SignedIn) -> bool:
    session = current_session(portal.ctx, signed_in.session_id)
    return session is not None and session.registration_key == IVANOV


def test_during_a_flood_the_owner_signs_in_at_once_from_a_browser_known_before(
    portal: Portal, owners_browser: str
) -> None:
    flood(portal)

    assert signs_in(portal, from_browser(portal, owners_browser))


def test_during_a_flood_a_new_browser_waits_minutes_not_the_rest_of_the_hour(
    portal: Portal,
) -> None:
    flood(portal)

    with pytest.raises(Throttled) as refused:
        from_browser(portal, None, ip=OWNERS_NEW_ADDRESS)

    assert refused.value.retry_after <= portal.ctx.throttle.sign_in[1].window
    portal.clock.advance(minutes=15)
    assert signs_in(portal, from_browser(portal, None, ip=OWNERS_NEW_ADDRESS))


def test_the_flood_still_reaches_argon2_no_more_than_the_account_allows(portal: Portal) -> None:
    before = portal.hasher.verify_calls

    outcomes = flood(portal)

    assert portal.hasher.verify_calls - before == per_account(portal)
    assert outcomes.count(SignInFailed) == per_account(portal)
    assert outcomes.count(Throttled) == 100 - per_account(portal)


def test_wrong_passwords_from_a_known_browser_are_limited_for_that_browser(
    portal: Portal, owners_browser: str
) -> None:
    for guess in range(10):
        with pytest.raises(SignInFailed):
            from_browser(portal, owners_browser, f"опечатка {guess}")
    checks = portal.hasher.verify_calls
    flood(portal)
    after_flood = portal.hasher.verify_calls

    # Its own budget spent, the browser is one more unknown one: the flood blocks it too.
    with pytest.raises(Throttled):
        from_browser(portal, owners_browser)
    assert portal.hasher.verify_calls == after_flood
    assert after_flood - checks == per_account(portal)
    portal.clock.advance(minutes=15)
    assert signs_in(portal, from_browser(portal, owners_browser))


def test_a_browser_known_to_another_account_is_a_new_browser_to_this_one(
    portal: Portal,
) -> None:
    portal.register(SEMENOV)
    neighbours_browser = sign_in_with_device(
        portal.ctx, SEMENOV, PASSWORD, ip=IP, current_session=None, device_cookie=None
    ).device_cookie
    flood(portal)

    with pytest.raises(Throttled):
        from_browser(portal, neighbours_browser)


def test_a_token_the_server_did_not_make_is_no_known_browser(portal: Portal) -> None:
    forged = issue_device_token(IVANOV, now=portal.clock.now(), pepper=b"guessed secret")
    flood(portal)

    with pytest.raises(Throttled):
        from_browser(portal, forged)


def test_a_known_browser_signing_in_is_audited_as_known(
    portal: Portal, owners_browser: str
) -> None:
    from_browser(portal, owners_browser)

    [last] = [e for e in portal.audit_events() if e.kind is AuditKind.SIGN_IN][-1:]
    assert ("device", "known") in last.details


def test_after_five_attacker_reset_requests_the_owners_own_reset_mail_is_queued(
    portal: Portal,
) -> None:
    for n, ip in enumerate(ATTACKERS[:5]):
        request_password_reset(portal.ctx, IVANOV, f"guess{n}@mail.ru", ip=ip)

    request_password_reset(portal.ctx, IVANOV, EMAIL, ip=OWNERS_NEW_ADDRESS)

    mailed = [m.email.text for m in portal.emails_to(EMAIL) if m.email is not None]
    assert len([text for text in mailed if "/password/reset/" in text]) == 1


def test_together_the_two_attacks_leave_the_owner_a_way_in(portal: Portal) -> None:
    for n, ip in enumerate(ATTACKERS):
        request_password_reset(portal.ctx, IVANOV, f"guess{n}@mail.ru", ip=ip)
    flood(portal)

    request_password_reset(portal.ctx, IVANOV, EMAIL, ip=OWNERS_NEW_ADDRESS)
    reset_password(portal.ctx, portal.last_token(RESET_LINK), NEW_PASSWORD, NEW_PASSWORD, ip=IP)
    portal.clock.advance(minutes=15)

    assert signs_in(portal, from_browser(portal, None, NEW_PASSWORD, ip=OWNERS_NEW_ADDRESS))

"""Server-side sessions: a new id at sign-in, idle and absolute timeouts, sign-out (F8)."""

from __future__ import annotations

import pytest

from access_fixtures import IP, IVANOV, PASSWORD, SEMENOV, Portal, a_portal
from lk_core.access.audit import AuditKind
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import current_session, sign_in, sign_out


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV)
    return portal


def signed_in(portal: Portal, brought: str | None = None) -> str:
    return sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=brought)


def test_a_session_the_browser_brought_before_sign_in_is_deleted_and_replaced(
    portal: Portal,
) -> None:
    brought = portal.first_visit(SEMENOV)  # a live, anonymous (registering) session

    raw = signed_in(portal, brought)

    assert raw != brought
    assert session_id_hash(brought) not in portal.store.sessions
    assert current_session(portal.ctx, brought) is None


def test_an_unknown_session_id_from_a_cookie_is_never_adopted(portal: Portal) -> None:
    planted = "attacker-chose-this-session-id"

    raw = signed_in(portal, planted)

    assert raw != planted
    assert current_session(portal.ctx, planted) is None
    assert session_id_hash(planted) not in portal.store.sessions


def test_a_session_lives_while_used_and_ends_after_thirty_idle_minutes(portal: Portal) -> None:
    raw = signed_in(portal)
    portal.clock.advance(minutes=29)
    assert current_session(portal.ctx, raw) is not None  # and that use refreshes it
    portal.clock.advance(minutes=29)
    assert current_session(portal.ctx, raw) is not None

    portal.clock.advance(minutes=31)

    assert current_session(portal.ctx, raw) is None
    assert session_id_hash(raw) not in portal.store.sessions


def test_a_session_ends_twelve_hours_after_sign_in_however_busy_the_resident(
    portal: Portal,
) -> None:
    raw = signed_in(portal)
    for _ in range(36):  # twelve hours, a page every twenty minutes
        portal.clock.advance(minutes=20)
        assert current_session(portal.ctx, raw) is not None

    portal.clock.advance(minutes=20)

    assert current_session(portal.ctx, raw) is None


def test_signing_out_deletes_the_session_on_the_server(portal: Portal) -> None:
    raw = signed_in(portal)

    sign_out(portal.ctx, raw, ip=IP)

    assert current_session(portal.ctx, raw) is None
    assert session_id_hash(raw) not in portal.store.sessions
    assert AuditKind.SIGN_OUT in [event.kind for event in portal.audit_events()]


def test_signing_out_twice_or_without_a_session_is_harmless(portal: Portal) -> None:
    raw = signed_in(portal)
    other = signed_in(portal)

    sign_out(portal.ctx, raw, ip=IP)
    sign_out(portal.ctx, raw, ip=IP)
    sign_out(portal.ctx, None, ip=IP)
    sign_out(portal.ctx, "", ip=IP)

    assert current_session(portal.ctx, other) is not None
    sign_outs = [event for event in portal.audit_events() if event.kind is AuditKind.SIGN_OUT]
    assert len(sign_outs) == 1


def test_each_sign_in_gets_its_own_session(portal: Portal) -> None:
    first, second = signed_in(portal), signed_in(portal)

    assert first != second
    assert current_session(portal.ctx, first) is not None
    assert current_session(portal.ctx, second) is not None

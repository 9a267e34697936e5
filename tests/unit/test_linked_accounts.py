"""Linked accounts (F20): proved by the account's own password, or by its surname if nobody
registered it, with the uniform answer and throttles of sign-in; never twice, never the own
account, at most N accounts per e-mail; switching only among the resident's accounts;
unlinking back to the own one."""

from __future__ import annotations

import re

import pytest

from access_fixtures import (
    IP,
    IVANOV,
    OTHER_IP,
    PASSWORD,
    PETROVA,
    SEMENOV,
    SIDOROV,
    Portal,
    a_portal,
    some_accounts,
)
from lk_core.access.audit import AuditKind
from lk_core.access.authorization import ensure_may_view, may_view, viewable_account_keys
from lk_core.access.errors import (
    AccountAlreadyLinked,
    CannotLinkOwnAccount,
    LinkFailed,
    LinkRequested,
    LinkRequestRefused,
    OwnAccountCannotBeUnlinked,
    TokenInvalid,
    TooManyAccountsForEmail,
)
from lk_core.access.link_requests import LinkRequest, LinkRequestState
from lk_core.access.linking import (
    LinkRequestAnswered,
    LinkRequestAsked,
    answer_link_request,
    link_account,
    link_requests_of,
    read_link_request,
    resident_accounts,
    switch_account,
    unlink_account,
)
from lk_core.access.sessions import Session
from lk_core.access.sign_in import sign_in
from lk_core.access.throttling import Throttled
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.kernel.policies import Policies, RegistrationPolicy
from personal_data_fixtures import (
    EXTRA,
    IVANOV_EMAIL,
    SEMENOV_EMAIL,
    extra_accounts,
    link_by_surname,
    session_of,
    signed_in,
)

SEMENOV_PASSWORD = "кленовый лист в ноябре"


@pytest.fixture
def portal() -> Portal:
    portal = a_portal(accounts=[*some_accounts(), *extra_accounts()])
    portal.register(IVANOV)
    portal.register(SEMENOV, password=SEMENOV_PASSWORD)
    return portal


@pytest.fixture
def ivanov(portal: Portal) -> Session:
    return signed_in(portal)


def linked_keys(portal: Portal, registration_key: str = IVANOV) -> list[str]:
    with portal.uow_factory() as uow:
        return [link.account_key for link in uow.linked_accounts.of_registration(registration_key)]


def stored_session(portal: Portal, session: Session) -> Session:
    return portal.store.sessions[session.id_hash]


def requests_of(portal: Portal, registration_key: str = IVANOV) -> list[LinkRequest]:
    with portal.uow_factory() as uow:
        return uow.link_requests.of_registration(registration_key)


def approval_tokens(portal: Portal) -> list[str]:
    """The approve and refuse tokens of the latest letter asking an owner."""
    for message in portal.messages():
        text = message.email.text if message.email else ""
        found = re.findall(r"/personal/link-requests/([A-Za-z0-9_-]+)", text)
        if found:
            return found
    raise AssertionError("no letter asks an owner")


def refusal(portal: Portal, session: Session, number: str, **proof: str) -> LinkFailed:
    with pytest.raises(LinkFailed) as refused:
        link_account(portal.ctx, session, number, ip=IP, **proof)
    return refused.value


# --- linking ----------------------------------------------------------------------------


def test_an_account_proved_by_its_surname_is_linked_and_listed_after_the_own_one(
    portal: Portal, ivanov: Session
) -> None:
    linked = link_account(portal.ctx, ivanov, PETROVA, surname="петрова", ip=IP)

    assert linked.key == PETROVA
    assert linked_keys(portal) == [PETROVA]
    accounts = resident_accounts(portal.ctx, ivanov)
    assert accounts is not None
    assert [a.key for a in accounts.choices] == [IVANOV, PETROVA]
    assert accounts.shown.key == IVANOV


def test_an_account_proved_by_its_own_password_is_linked_without_a_surname(
    portal: Portal, ivanov: Session
) -> None:
    link_account(portal.ctx, ivanov, SEMENOV, password=SEMENOV_PASSWORD, ip=IP)

    assert linked_keys(portal) == [SEMENOV]
    [event] = [e for e in portal.audit_events() if e.kind is AuditKind.ACCOUNT_LINKED]
    assert event.account_key == IVANOV
    assert dict(event.details) == {"account": SEMENOV, "by": "password"}
    assert SEMENOV_PASSWORD not in repr(portal.audit_events())


def test_an_account_without_a_registration_of_its_own_is_linked_by_surname(
    portal: Portal, ivanov: Session
) -> None:
    with portal.uow_factory() as uow:
        assert uow.registrations.get(SIDOROV) is None

    link_by_surname(portal, ivanov, SIDOROV)

    assert linked_keys(portal) == [SIDOROV]


def test_a_registered_account_is_not_linked_by_its_surname_alone(
    portal: Portal, ivanov: Session
) -> None:
    with pytest.raises(LinkRequested) as asked:
        link_by_surname(portal, ivanov, SEMENOV)

    assert linked_keys(portal) == []
    assert asked.value.message_ru == (
        "Запрос отправлен владельцу, ждём подтверждения до 05.03.2026 12:00"
    )
    [event] = [e for e in portal.audit_events() if e.kind is AuditKind.LINK_REQUESTED]
    assert event.account_key == SEMENOV
    assert dict(event.details) == {"during": "account_link", "registration": IVANOV}
    link_account(portal.ctx, ivanov, SEMENOV, password=SEMENOV_PASSWORD, ip=IP)
    assert linked_keys(portal) == [SEMENOV]


def test_the_owner_is_mailed_one_approve_and_one_refuse_link_per_request(
    portal: Portal, ivanov: Session
) -> None:
    told = len(portal.emails_to(SEMENOV_EMAIL))
    for _ in range(3):
        with pytest.raises(LinkRequested):
            link_by_surname(portal, ivanov, SEMENOV)

    letters = portal.emails_to(SEMENOV_EMAIL)
    assert len(letters) == told + 1
    text = letters[0].email.text if letters[0].email else ""
    assert "100235" in text
    assert "100234-А" in text
    assert "05.03.2026 12:00" in text
    assert len(approval_tokens(portal)) == 2
    [request] = requests_of(portal)
    assert request.state is LinkRequestState.PENDING


def test_the_owners_approval_links_the_account_once(portal: Portal, ivanov: Session) -> None:
    with pytest.raises(LinkRequested):
        link_by_surname(portal, ivanov, SEMENOV)
    approve, refuse = approval_tokens(portal)
    assert read_link_request(portal.ctx, approve) == LinkRequestAsked(True, SEMENOV, "100234-А")
    assert read_link_request(portal.ctx, refuse).approve is False
    assert linked_keys(portal) == []  # reading the link answers nothing

    answered = answer_link_request(portal.ctx, approve, ip=OTHER_IP)

    with pytest.raises(TokenInvalid):
        read_link_request(portal.ctx, refuse)
    assert answered == LinkRequestAnswered(LinkRequestState.APPROVED, SEMENOV, "100234-А")
    assert linked_keys(portal) == [SEMENOV]
    for token in (approve, refuse):
        with pytest.raises(TokenInvalid):
            answer_link_request(portal.ctx, token, ip=OTHER_IP)
    assert linked_keys(portal) == [SEMENOV]
    [event] = [e for e in portal.audit_events() if e.kind is AuditKind.ACCOUNT_LINKED]
    assert (event.account_key, dict(event.details)) == (IVANOV, {"account": SEMENOV, "by": "owner"})
    views = link_requests_of(portal.ctx, IVANOV)
    assert [(v.account, v.state) for v in views.sent] == [(SEMENOV, LinkRequestState.APPROVED)]
    owner = link_requests_of(portal.ctx, SEMENOV)
    assert [(v.account, v.state) for v in owner.received] == [
        ("100234-А", LinkRequestState.APPROVED)
    ]


def test_the_owner_may_refuse_and_then_approving_does_nothing(
    portal: Portal, ivanov: Session
) -> None:
    with pytest.raises(LinkRequested):
        link_by_surname(portal, ivanov, SEMENOV)
    approve, refuse = approval_tokens(portal)

    answered = answer_link_request(portal.ctx, refuse, ip=OTHER_IP)

    assert answered.state is LinkRequestState.REFUSED
    with pytest.raises(TokenInvalid):
        answer_link_request(portal.ctx, approve, ip=OTHER_IP)
    assert linked_keys(portal) == []
    [event] = [e for e in portal.audit_events() if e.kind is AuditKind.LINK_REQUEST_REFUSED]
    assert (event.account_key, dict(event.details)) == (SEMENOV, {"registration": IVANOV})
    assert [v.state for v in link_requests_of(portal.ctx, IVANOV).sent] == [
        LinkRequestState.REFUSED
    ]


def test_after_a_refusal_asking_again_mails_the_owner_nothing_for_72_hours(
    portal: Portal, ivanov: Session
) -> None:
    with pytest.raises(LinkRequested):
        link_by_surname(portal, ivanov, SEMENOV)
    answer_link_request(portal.ctx, approval_tokens(portal)[1], ip=OTHER_IP)
    letters = len(portal.emails_to(SEMENOV_EMAIL))

    with pytest.raises(LinkRequestRefused):
        link_by_surname(portal, ivanov, SEMENOV)
    portal.clock.advance(hours=72)
    with pytest.raises(LinkRequested):
        link_by_surname(portal, ivanov, SEMENOV)

    assert len(portal.emails_to(SEMENOV_EMAIL)) == letters + 1
    link_account(portal.ctx, ivanov, SEMENOV, password=SEMENOV_PASSWORD, ip=IP)
    assert linked_keys(portal) == [SEMENOV]


def test_a_request_not_answered_in_72_hours_expires(portal: Portal, ivanov: Session) -> None:
    with pytest.raises(LinkRequested):
        link_by_surname(portal, ivanov, SEMENOV)
    approve, _ = approval_tokens(portal)
    portal.clock.advance(hours=72)

    with pytest.raises(TokenInvalid) as refused:
        answer_link_request(portal.ctx, approve, ip=OTHER_IP)

    assert refused.value.reason == "expired"
    assert linked_keys(portal) == []
    assert [v.state for v in link_requests_of(portal.ctx, IVANOV).sent] == [
        LinkRequestState.EXPIRED
    ]
    assert [v.state for v in link_requests_of(portal.ctx, SEMENOV).received] == [
        LinkRequestState.EXPIRED
    ]
    with pytest.raises(LinkRequested):  # asking again after it expired: a new request
        link_by_surname(portal, ivanov, SEMENOV)
    assert len(requests_of(portal)) == 2


def test_an_unknown_link_answers_nothing(portal: Portal) -> None:
    with pytest.raises(TokenInvalid) as refused:
        answer_link_request(portal.ctx, "no-such-token", ip=IP)

    assert refused.value.reason == "unknown"


def test_a_registration_not_yet_confirmed_does_not_stop_linking_by_surname() -> None:
    portal = a_portal(accounts=[*some_accounts(), *extra_accounts()])
    portal.register(IVANOV)
    portal.start_registration(PETROVA)
    ivanov = signed_in(portal)

    link_by_surname(portal, ivanov, PETROVA)

    assert linked_keys(portal) == [PETROVA]


def test_asking_the_owner_is_not_counted_as_a_failure(portal: Portal, ivanov: Session) -> None:
    for _ in range(12):
        with pytest.raises(LinkRequested):
            link_by_surname(portal, ivanov, SEMENOV)

    link_account(portal.ctx, ivanov, SEMENOV, password=SEMENOV_PASSWORD, ip=IP)
    assert linked_keys(portal) == [SEMENOV]


def test_a_number_typed_with_its_letter_index_or_separators_links_the_same_account(
    portal: Portal,
) -> None:
    semenov = signed_in(portal, SEMENOV, SEMENOV_PASSWORD)

    link_account(portal.ctx, semenov, " 100-234-а ", password=PASSWORD, ip=IP)

    assert linked_keys(portal, SEMENOV) == [IVANOV]


def test_a_wrong_number_a_wrong_surname_and_a_wrong_password_get_one_message(
    portal: Portal, ivanov: Session
) -> None:
    answers = [
        refusal(portal, ivanov, "999999", surname="Петрова"),
        refusal(portal, ivanov, "не номер", surname="Петрова"),
        refusal(portal, ivanov, PETROVA, surname="Сидорова"),
        refusal(portal, ivanov, SEMENOV, password="не тот пароль вовсе"),
        refusal(portal, ivanov, "999999", password=SEMENOV_PASSWORD),
        # An account without a registration has no password to prove it by.
        refusal(portal, ivanov, SIDOROV, password=PASSWORD),
    ]

    assert {answer.message_ru for answer in answers} == {LinkFailed().message_ru}
    assert linked_keys(portal) == []


def test_a_typed_password_always_costs_one_argon2_check_whatever_the_number(
    portal: Portal, ivanov: Session
) -> None:
    for number in ("999999", SIDOROV, SEMENOV):
        before = portal.hasher.verify_calls
        refusal(portal, ivanov, number, password="не тот пароль вовсе")
        assert portal.hasher.verify_calls == before + 1


def test_a_right_surname_with_a_wrong_password_links_a_registered_account_no_more(
    portal: Portal, ivanov: Session
) -> None:
    refusal(portal, ivanov, SEMENOV, surname="Семенов", password="что-то не то")

    assert linked_keys(portal) == []


def test_a_right_surname_with_a_wrong_password_links_an_unregistered_account(
    portal: Portal, ivanov: Session
) -> None:
    link_account(portal.ctx, ivanov, PETROVA, surname="Петрова", password="что-то не то", ip=IP)

    assert linked_keys(portal) == [PETROVA]


def test_neither_surname_nor_password_is_asked_for_and_not_counted(
    portal: Portal, ivanov: Session
) -> None:
    with pytest.raises(InvalidValue) as refused:
        link_account(portal.ctx, ivanov, PETROVA, surname="  ", ip=IP)

    assert refused.value.field == "surname"
    assert portal.store.rate_counters == {}


def test_the_own_account_cannot_be_linked(portal: Portal, ivanov: Session) -> None:
    with pytest.raises(CannotLinkOwnAccount):
        link_account(portal.ctx, ivanov, "100234-А", surname="Иванов", ip=IP)

    assert linked_keys(portal) == []


def test_an_account_cannot_be_linked_twice(portal: Portal, ivanov: Session) -> None:
    link_by_surname(portal, ivanov, PETROVA)

    with pytest.raises(AccountAlreadyLinked):
        link_by_surname(portal, ivanov, PETROVA)

    assert linked_keys(portal) == [PETROVA]


def test_the_same_account_may_be_linked_by_two_residents(portal: Portal, ivanov: Session) -> None:
    semenov = signed_in(portal, SEMENOV, SEMENOV_PASSWORD)

    link_by_surname(portal, ivanov, PETROVA)
    link_by_surname(portal, semenov, PETROVA)

    assert linked_keys(portal, IVANOV) == linked_keys(portal, SEMENOV) == [PETROVA]


def test_an_email_holds_ten_accounts_its_own_one_and_nine_linked(
    portal: Portal, ivanov: Session
) -> None:
    for number in EXTRA[:9]:
        link_by_surname(portal, ivanov, number)

    with pytest.raises(TooManyAccountsForEmail) as refused:
        link_by_surname(portal, ivanov, EXTRA[9])

    assert "не более 10 лицевых счетов" in refused.value.message_ru
    assert len(linked_keys(portal)) == 9


def test_every_registration_with_the_email_counts_against_its_limit() -> None:
    portal = a_portal(
        policies=Policies(registration=RegistrationPolicy(accounts_per_email=3)),
        accounts=[*some_accounts(), *extra_accounts()],
    )
    portal.register(IVANOV, email=IVANOV_EMAIL)
    portal.register(SEMENOV, email=IVANOV_EMAIL.upper())
    semenov = signed_in(portal, SEMENOV)
    ivanov = signed_in(portal, IVANOV)
    link_by_surname(portal, semenov, EXTRA[0])

    with pytest.raises(TooManyAccountsForEmail):
        link_by_surname(portal, ivanov, EXTRA[1])


def test_failed_links_are_throttled_like_first_visits_before_argon2_runs(
    portal: Portal, ivanov: Session
) -> None:
    for _ in range(10):
        refusal(portal, ivanov, PETROVA, surname="Сидорова")
    checks = portal.hasher.verify_calls

    with pytest.raises(Throttled):
        link_by_surname(portal, ivanov, PETROVA)
    with pytest.raises(Throttled):
        link_account(portal.ctx, ivanov, PETROVA, password="пароль наугад", ip=IP)

    assert portal.hasher.verify_calls == checks
    assert linked_keys(portal) == []
    link_by_surname(portal, ivanov, PETROVA, ip=OTHER_IP)
    assert linked_keys(portal) == [PETROVA]


def test_wrong_passwords_on_the_link_form_count_against_signing_in_to_that_account(
    portal: Portal, ivanov: Session
) -> None:
    for _ in range(10):
        refusal(portal, ivanov, SEMENOV, password="пароль наугад")

    with pytest.raises(Throttled):
        sign_in(portal.ctx, SEMENOV, SEMENOV_PASSWORD, ip=IP, current_session=None)


def test_failures_and_throttling_are_audited_against_the_account_tried(
    portal: Portal, ivanov: Session
) -> None:
    refusal(portal, ivanov, PETROVA, surname="Сидорова")
    refusal(portal, ivanov, SEMENOV, password="пароль наугад")

    failures = [
        e
        for e in portal.audit_events()
        if e.kind in (AuditKind.FIRST_VISIT_FAILED, AuditKind.SIGN_IN_FAILED)
    ]
    assert [(e.kind, e.account_key, dict(e.details)) for e in failures] == [
        (AuditKind.FIRST_VISIT_FAILED, PETROVA, {"during": "account_link", "registration": IVANOV}),
        (AuditKind.SIGN_IN_FAILED, SEMENOV, {"during": "account_link", "registration": IVANOV}),
    ]
    assert "пароль наугад" not in repr(portal.audit_events())


def test_the_registered_owner_of_a_linked_account_is_told_by_email(
    portal: Portal, ivanov: Session
) -> None:
    link_account(portal.ctx, ivanov, SEMENOV, password=SEMENOV_PASSWORD, ip=IP)
    link_by_surname(portal, ivanov, SIDOROV)  # no registration: nobody to tell

    [notice] = portal.emails_to(SEMENOV_EMAIL)[:1]
    assert notice.email is not None
    assert "100235 привязан" in notice.email.text
    assert "100234-А" in notice.email.text
    assert (
        len([m for m in portal.messages() if "привязан" in (m.email.text if m.email else "")]) == 1
    )


# --- who may see what -------------------------------------------------------------------


def test_a_resident_may_view_the_own_and_linked_accounts_only(
    portal: Portal, ivanov: Session
) -> None:
    link_by_surname(portal, ivanov, PETROVA)

    with portal.uow_factory() as uow:
        assert viewable_account_keys(uow, ivanov) == [IVANOV, PETROVA]
        ensure_may_view(uow, ivanov, IVANOV)
        ensure_may_view(uow, ivanov, PETROVA)
        for other in (SEMENOV, SIDOROV, "999999"):
            with pytest.raises(NotFound):
                ensure_may_view(uow, ivanov, other)
        assert not may_view(uow, None, IVANOV)


def test_a_session_not_signed_in_may_view_no_account(portal: Portal) -> None:
    pending = session_of(portal, portal.first_visit(PETROVA))

    with portal.uow_factory() as uow, pytest.raises(NotFound):
        ensure_may_view(uow, pending, PETROVA)


# --- switching --------------------------------------------------------------------------


def test_switching_shows_the_chosen_linked_account_from_then_on(
    portal: Portal, ivanov: Session
) -> None:
    link_by_surname(portal, ivanov, PETROVA)

    switch_account(portal.ctx, ivanov, PETROVA)

    stored = stored_session(portal, ivanov)
    assert stored.account_key == PETROVA
    assert stored.registration_key == IVANOV
    accounts = resident_accounts(portal.ctx, stored)
    assert accounts is not None
    assert accounts.shown.key == PETROVA
    assert not accounts.shows_own


@pytest.mark.parametrize("number", [SEMENOV, SIDOROV, "999999", "не номер", ""])
def test_switching_to_an_account_not_the_residents_is_not_found_and_changes_nothing(
    portal: Portal, ivanov: Session, number: str
) -> None:
    with pytest.raises(NotFound):
        switch_account(portal.ctx, ivanov, number)

    assert portal.store.sessions[ivanov.id_hash].account_key == IVANOV


def test_switching_back_to_the_own_account(portal: Portal, ivanov: Session) -> None:
    link_by_surname(portal, ivanov, PETROVA)
    switch_account(portal.ctx, ivanov, PETROVA)

    switch_account(portal.ctx, ivanov, "100234-А")

    assert portal.store.sessions[ivanov.id_hash].account_key == IVANOV


# --- unlinking --------------------------------------------------------------------------


def test_unlinking_removes_the_link_and_is_audited(portal: Portal, ivanov: Session) -> None:
    link_by_surname(portal, ivanov, PETROVA)
    link_by_surname(portal, ivanov, SIDOROV)

    unlink_account(portal.ctx, ivanov, PETROVA, ip=IP)

    assert linked_keys(portal) == [SIDOROV]
    [event] = [e for e in portal.audit_events() if e.kind is AuditKind.ACCOUNT_UNLINKED]
    assert (event.account_key, dict(event.details)) == (IVANOV, {"account": PETROVA})


def test_unlinking_the_account_shown_shows_the_own_account_again(
    portal: Portal, ivanov: Session
) -> None:
    link_by_surname(portal, ivanov, PETROVA)
    switch_account(portal.ctx, ivanov, PETROVA)

    unlink_account(portal.ctx, ivanov, PETROVA, ip=IP)

    assert ivanov.account_key == IVANOV
    assert portal.store.sessions[ivanov.id_hash].account_key == IVANOV


def test_a_session_showing_an_account_unlinked_elsewhere_falls_back_to_the_own_one(
    portal: Portal, ivanov: Session
) -> None:
    elsewhere = signed_in(portal)
    link_by_surname(portal, ivanov, PETROVA)
    switch_account(portal.ctx, elsewhere, PETROVA)

    unlink_account(portal.ctx, ivanov, PETROVA, ip=IP)

    stale = stored_session(portal, elsewhere)
    accounts = resident_accounts(portal.ctx, stale)
    assert accounts is not None
    assert accounts.shown.key == IVANOV
    assert portal.store.sessions[elsewhere.id_hash].account_key == IVANOV


def test_the_own_account_cannot_be_unlinked(portal: Portal, ivanov: Session) -> None:
    with pytest.raises(OwnAccountCannotBeUnlinked):
        unlink_account(portal.ctx, ivanov, IVANOV, ip=IP)


@pytest.mark.parametrize("number", [PETROVA, SEMENOV, "не номер"])
def test_unlinking_an_account_not_linked_is_not_found(
    portal: Portal, ivanov: Session, number: str
) -> None:
    semenov = signed_in(portal, SEMENOV, SEMENOV_PASSWORD)
    link_by_surname(portal, semenov, PETROVA)

    with pytest.raises(NotFound):
        unlink_account(portal.ctx, ivanov, number, ip=IP)

    assert linked_keys(portal, SEMENOV) == [PETROVA]

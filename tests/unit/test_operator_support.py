"""Operator support (F25): an operator finds an account, sees its registration, resets it
so the resident can register again, and resends a pending confirmation; every view and
action goes to the audit log under the operator's name."""

from __future__ import annotations

import pytest

from access_fixtures import (
    IP,
    IVANOV,
    NEW_PASSWORD,
    PETROVA,
    REGISTRATION_LINK,
    RESET_LINK,
    SEMENOV,
    SIDOROV,
    Portal,
    a_portal,
)
from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.errors import TokenInvalid
from lk_core.access.first_visit import confirm_registration_link
from lk_core.access.password_reset import request_password_reset, reset_password
from lk_core.access.registration import ConfirmationMethod
from lk_core.kernel.errors import InvalidValue
from lk_core.operator.errors import AccountNotFound, NothingToResend, NotRegistered
from lk_core.operator.operators import Operator
from lk_core.operator.support import (
    account_card,
    find_accounts,
    resend_confirmation,
    reset_registration,
)
from personal_data_fixtures import link_by_surname, session_of

OPERATOR = Operator("petrova.o")


@pytest.fixture
def portal() -> Portal:
    return a_portal()


def operator_events(portal: Portal) -> list[AuditEvent]:
    return [e for e in portal.audit_events() if e.actor == "operator:petrova.o"]


def test_an_operator_name_is_a_login_without_spaces() -> None:
    assert Operator("ivanova-a").actor == "operator:ivanova-a"
    with pytest.raises(InvalidValue):
        Operator("Иванова А. А.")
    with pytest.raises(InvalidValue):
        Operator("")


def test_found_accounts_are_each_recorded_as_viewed_by_the_operator(portal: Portal) -> None:
    found = find_accounts(portal.uow_factory, portal.clock, OPERATOR, "1002", 2)

    assert [item.account.key for item in found] == [IVANOV, SEMENOV]
    events = operator_events(portal)
    assert [(e.kind, e.account_key) for e in events] == [
        (AuditKind.OPERATOR_VIEW, IVANOV),
        (AuditKind.OPERATOR_VIEW, SEMENOV),
    ]
    assert dict(events[0].details) == {"command": "accounts find"}


def test_a_one_letter_search_is_refused(portal: Portal) -> None:
    with pytest.raises(InvalidValue):
        find_accounts(portal.uow_factory, portal.clock, OPERATOR, " и ", 10)
    assert operator_events(portal) == []


def test_the_card_shows_registration_links_events_and_consents_but_no_secret(
    portal: Portal,
) -> None:
    raw = portal.register(PETROVA)
    link_by_surname(portal, session_of(portal, raw), SIDOROV)

    card = account_card(portal.uow_factory, portal.clock, OPERATOR, PETROVA)

    assert card.found.registration is not None
    assert card.found.registration.is_confirmed
    assert str(card.found.registration.email) == f"resident{PETROVA}@mail.ru"
    assert [link.account_key for link in card.links] == [SIDOROV]
    kinds = {event.kind for event in card.events}
    assert {AuditKind.REGISTRATION_STARTED, AuditKind.REGISTRATION_CONFIRMED} <= kinds
    assert [c.kind.value for c in card.consents] == ["personal_data"]
    password_hash = portal.store.registrations[PETROVA].password_hash
    assert password_hash not in repr(card)
    assert operator_events(portal)[-1].kind is AuditKind.OPERATOR_VIEW
    assert dict(operator_events(portal)[-1].details) == {"command": "accounts show"}


def test_the_card_of_an_unknown_account_is_not_found(portal: Portal) -> None:
    with pytest.raises(AccountNotFound):
        account_card(portal.uow_factory, portal.clock, OPERATOR, "999999")


def test_a_reset_lets_the_resident_register_again_with_a_new_email(portal: Portal) -> None:
    portal.register(IVANOV)
    request_password_reset(portal.ctx, IVANOV, f"resident{IVANOV}@mail.ru", ip=IP)
    old_reset_link = portal.last_token(RESET_LINK)

    done = reset_registration(
        portal.uow_factory, portal.clock, OPERATOR, "100234-А", "сменился e-mail, паспорт"
    )

    assert done.sessions_ended == 1
    assert done.secrets_voided == 1
    assert done.email_masked == "r***@m***.ru"
    assert IVANOV not in portal.store.registrations
    assert all(s.registration_key != IVANOV for s in portal.sessions())
    with pytest.raises(TokenInvalid):
        reset_password(portal.ctx, old_reset_link, NEW_PASSWORD, NEW_PASSWORD, ip=IP)
    portal.register(IVANOV, email="new.ivanov@yandex.ru")
    assert portal.store.registrations[IVANOV].email.address == "new.ivanov@yandex.ru"


def test_a_reset_is_audited_with_the_operator_and_the_reason(portal: Portal) -> None:
    portal.register(IVANOV)

    reset_registration(portal.uow_factory, portal.clock, OPERATOR, IVANOV, "  сменился  e-mail ")

    [event] = [e for e in operator_events(portal) if e.kind is AuditKind.OPERATOR_ACTION]
    assert event.account_key == IVANOV
    assert dict(event.details) == {
        "action": "registration_reset",
        "reason": "сменился e-mail",
        "sessions_ended": "1",
        "secrets_voided": "0",
        "links_removed": "0",
    }


def test_a_reset_removes_the_accounts_the_registration_had_linked(portal: Portal) -> None:
    raw = portal.register(IVANOV)
    link_by_surname(portal, session_of(portal, raw), SIDOROV)

    done = reset_registration(portal.uow_factory, portal.clock, OPERATOR, IVANOV, "просьба")

    assert done.links_removed == 1
    assert portal.store.linked_accounts == {}


def test_resetting_an_unregistered_or_unknown_account_or_without_reason_changes_nothing(
    portal: Portal,
) -> None:
    portal.register(IVANOV)
    with pytest.raises(NotRegistered):
        reset_registration(portal.uow_factory, portal.clock, OPERATOR, SEMENOV, "просьба")
    with pytest.raises(AccountNotFound):
        reset_registration(portal.uow_factory, portal.clock, OPERATOR, "777", "просьба")
    with pytest.raises(InvalidValue):
        reset_registration(portal.uow_factory, portal.clock, OPERATOR, IVANOV, "   ")
    assert IVANOV in portal.store.registrations
    assert operator_events(portal) == []


def test_a_resent_confirmation_link_works_and_the_earlier_one_does_not(portal: Portal) -> None:
    raw = portal.start_registration(IVANOV)
    first_link = portal.last_token(REGISTRATION_LINK)
    portal.clock.advance(hours=2)

    sent_to = resend_confirmation(portal.ctx, OPERATOR, IVANOV)

    assert sent_to == "r***@m***.ru"
    second_link = portal.last_token(REGISTRATION_LINK)
    assert second_link != first_link
    assert portal.messages()[0].email is not None
    assert portal.messages()[0].email.to == f"resident{IVANOV}@mail.ru"
    with pytest.raises(TokenInvalid):
        confirm_registration_link(portal.ctx, first_link, ip=IP, current_session=raw)
    confirm_registration_link(portal.ctx, second_link, ip=IP, current_session=raw)
    assert portal.store.registrations[IVANOV].is_confirmed
    [event] = [e for e in operator_events(portal) if e.kind is AuditKind.OPERATOR_ACTION]
    assert dict(event.details) == {"action": "confirmation_resent", "method": "email"}


def test_there_is_nothing_to_resend_when_confirmed_by_sms_or_not_registered(
    portal: Portal,
) -> None:
    portal.register(IVANOV)
    portal.start_registration(SEMENOV, method=ConfirmationMethod.SMS)
    queued = len(portal.messages())

    with pytest.raises(NothingToResend, match="уже подтверждена"):
        resend_confirmation(portal.ctx, OPERATOR, IVANOV)
    with pytest.raises(NothingToResend, match="смс"):
        resend_confirmation(portal.ctx, OPERATOR, SEMENOV)
    with pytest.raises(NotRegistered):
        resend_confirmation(portal.ctx, OPERATOR, PETROVA)
    assert len(portal.messages()) == queued
    assert operator_events(portal) == []

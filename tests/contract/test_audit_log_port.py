"""The audit log: security events appended, an account's read back newest first."""

from __future__ import annotations

from lk_core.access.audit import AuditKind
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, an_audit_event, at


def test_a_recorded_event_is_read_back_whole_with_its_details_in_order(
    uow_factory: UnitOfWorkFactory,
) -> None:
    event = an_audit_event(
        AuditKind.EMAIL_CHANGED,
        at=at(5).astimezone(MOSCOW),
        account_key="100234",
        ip="2001:db8::1",
        actor="operator:petrova",
        details=(("to", "новый@почта.рф"), ("from", "old@mail.ru"), ("via", "\"form\" & 'link'")),
    )

    with uow_factory() as uow:
        uow.audit.record(event)
        uow.commit()

    with uow_factory() as uow:
        assert uow.audit.of_account("100234", limit=10) == [event]


def test_an_event_without_details_is_read_back_without_details(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(an_audit_event(details=()))

        assert [e.details for e in uow.audit.of_account("100234", limit=10)] == [()]


def test_an_accounts_most_recent_events_are_listed_newest_first_up_to_the_limit(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(an_audit_event(AuditKind.SIGN_IN_FAILED, at=at(1)))
        uow.audit.record(an_audit_event(AuditKind.PASSWORD_CHANGED, at=at(3)))
        uow.audit.record(an_audit_event(AuditKind.SIGN_IN, at=at(2)))
        uow.audit.record(an_audit_event(AuditKind.SIGN_OUT, at=at(0)))
        uow.commit()

    with uow_factory() as uow:
        listed = uow.audit.of_account("100234", limit=3)

    assert [event.kind for event in listed] == [
        AuditKind.PASSWORD_CHANGED,
        AuditKind.SIGN_IN,
        AuditKind.SIGN_IN_FAILED,
    ]


def test_events_of_the_same_moment_are_listed_latest_recorded_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(an_audit_event(AuditKind.REGISTRATION_CONFIRMED, at=at(0)))
        uow.audit.record(an_audit_event(AuditKind.SIGN_IN, at=at(0)))
        listed = uow.audit.of_account("100234", limit=10)

    assert [event.kind for event in listed] == [AuditKind.SIGN_IN, AuditKind.REGISTRATION_CONFIRMED]


def test_events_of_other_accounts_or_of_none_are_not_listed_for_an_account(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(an_audit_event(AuditKind.SIGN_IN, account_key="100234"))
        uow.audit.record(an_audit_event(AuditKind.SIGN_IN, account_key="100235"))
        uow.audit.record(an_audit_event(AuditKind.FIRST_VISIT_FAILED, account_key=None))

        assert [e.account_key for e in uow.audit.of_account("100234", limit=10)] == ["100234"]
        assert uow.audit.of_account("100236", limit=10) == []


def test_an_event_recorded_in_a_rolled_back_unit_of_work_is_not_kept(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(an_audit_event(AuditKind.SIGN_IN, at=at(0)))
        uow.commit()
        uow.audit.record(an_audit_event(AuditKind.SIGN_OUT, at=at(1)))
        uow.rollback()

    with uow_factory() as uow:
        assert [e.kind for e in uow.audit.of_account("100234", limit=10)] == [AuditKind.SIGN_IN]

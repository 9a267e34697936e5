"""The staff ports: members by login (enrolment and confirmation by conditional writes),
their sessions apart from residents', their recovery codes, the staff's part of the audit
log; the same behaviour over every adapter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_adapters.sealing import FernetSecretSealer
from lk_core.access.audit import AuditKind
from lk_core.staff.members import StaffMember, StaffRole
from lk_core.staff.ports import StaffEventQuery
from lk_core.staff.sessions import StaffSession

from .builders import MOSCOW, an_audit_event, at


def a_member(login: str = "ivanova", **changes: Any) -> StaffMember:
    values: dict[str, Any] = {
        "name": "Иванова Мария",
        "role": StaffRole.DISPATCHER,
        "password_hash": "$argon2id$fake",
        "created_at": at(0),
    }
    return StaffMember(login, **(values | changes))


def a_staff_session(id_hash: str = "h1", login: str = "ivanova", **changes: Any) -> StaffSession:
    values: dict[str, Any] = {"created_at": at(0), "last_seen_at": at(0), "verified": True}
    return StaffSession(id_hash, login, **(values | changes))


def test_an_added_member_is_found_by_login_with_every_field(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    member = a_member(
        role=StaffRole.ADMIN,
        created_at=at(5).astimezone(MOSCOW),
        disabled_at=at(9),
        # A sealed key of the longest kind stored: 32 base32 characters under Fernet.
        totp_secret=FernetSecretSealer(["k" * 32]).seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        totp_confirmed=True,
        enrolment_code_hash="a" * 64,
        enrolment_expires_at=at(30),
    )
    with uow_factory() as uow:
        assert uow.staff.add(member)
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff.get("ivanova") == member
        assert uow.staff.get("petrov") is None


def test_a_taken_login_is_not_added_twice(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.staff.add(a_member(name="Первая"))
        assert not uow.staff.add(a_member(name="Вторая"))
        uow.commit()

    with uow_factory() as uow:
        found = uow.staff.get("ivanova")
        assert found is not None
        assert found.name == "Первая"


def test_saving_changes_a_member_but_not_the_last_code_step(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        assert uow.staff.use_totp_step("ivanova", 100)
        uow.commit()

    with uow_factory() as uow:
        changed = a_member(name="Иванова М.", totp_secret="ABC", totp_last_step=0)
        uow.staff.save(changed)
        uow.commit()

    with uow_factory() as uow:
        found = uow.staff.get("ivanova")
    assert found is not None
    assert (found.name, found.totp_secret, found.totp_last_step) == ("Иванова М.", "ABC", 100)


def test_a_code_step_is_used_once_and_never_an_earlier_one(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff.use_totp_step("ivanova", 57_000_000)
        assert not uow.staff.use_totp_step("ivanova", 57_000_000)
        assert not uow.staff.use_totp_step("ivanova", 56_999_999)
        assert uow.staff.use_totp_step("ivanova", 57_000_001)
        assert not uow.staff.use_totp_step("nobody", 57_000_002)
        uow.commit()


def test_every_member_is_listed_by_login(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        for login in ("petrov", "admin", "ivanova"):
            uow.staff.add(a_member(login))
        uow.commit()

    with uow_factory() as uow:
        assert [member.login for member in uow.staff.all()] == ["admin", "ivanova", "petrov"]


def test_staff_sessions_are_added_found_touched_and_ended(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff.add(a_member("petrov"))
        uow.staff_sessions.add(a_staff_session("h1", verified=False))
        uow.staff_sessions.add(a_staff_session("h2"))
        uow.staff_sessions.add(a_staff_session("h3", "petrov"))
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_sessions.get("h1") == a_staff_session("h1", verified=False)
        uow.staff_sessions.touch("h2", at(7))
        uow.staff_sessions.delete("h1")
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_sessions.get("h1") is None
        assert uow.staff_sessions.get("h2") == a_staff_session("h2", last_seen_at=at(7))
        assert uow.staff_sessions.delete_of("ivanova") == 1
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_sessions.get("h2") is None
        assert uow.staff_sessions.get("h3") is not None


def test_a_staff_session_is_not_a_residents_session_nor_the_other_way(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    from .builders import a_session

    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff_sessions.add(a_staff_session("same"))
        uow.sessions.add(a_session("other"))
        uow.commit()

    with uow_factory() as uow:
        assert uow.sessions.get("same") is None
        assert uow.staff_sessions.get("other") is None


def staff_event(login: str, minutes: int, **details: str) -> Any:
    return an_audit_event(
        AuditKind.STAFF_ACTION,
        at=at(minutes),
        account_key=None,
        actor=f"staff:{login}",
        details=tuple(details.items()),
    )


def test_staff_events_are_listed_newest_first_by_member_and_time_in_pages(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(staff_event("ivanova", 1, n="1"))
        uow.audit.record(staff_event("petrov", 2, n="2"))
        uow.audit.record(an_audit_event(at=at(3), actor="operator:root"))
        uow.audit.record(an_audit_event(at=at(3)))
        uow.audit.record(staff_event("ivanova", 4, n="4"))
        uow.audit.record(staff_event("ivanova", 4, n="5"))
        uow.commit()

    with uow_factory() as uow:
        trail = uow.staff_audit

        def numbers(query: StaffEventQuery, offset: int = 0, limit: int = 10) -> list[str]:
            return [dict(e.details)["n"] for e in trail.staff_events(query, offset, limit)]

        assert numbers(StaffEventQuery()) == ["5", "4", "2", "1"]
        assert numbers(StaffEventQuery(login="ivanova")) == ["5", "4", "1"]
        assert numbers(StaffEventQuery(since=at(2), until=at(4))) == ["2"]
        assert numbers(StaffEventQuery(), offset=1, limit=2) == ["4", "2"]


def test_a_member_name_with_like_wildcards_matches_only_itself(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.record(staff_event("a_b", 1, n="1"))
        uow.audit.record(staff_event("axb", 2, n="2"))
        uow.commit()

    with uow_factory() as uow:
        found = uow.staff_audit.staff_events(StaffEventQuery(login="a_b"), 0, 10)
    assert [dict(e.details)["n"] for e in found] == ["1"]
    assert found[0].at == at(1)
    assert isinstance(found[0].at, dt.datetime)


def test_expired_staff_sessions_are_forgotten_by_idleness_or_age(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff_sessions.add(a_staff_session("idle", last_seen_at=at(0), created_at=at(0)))
        uow.staff_sessions.add(a_staff_session("old", last_seen_at=at(50), created_at=at(1)))
        uow.staff_sessions.add(a_staff_session("live", last_seen_at=at(50), created_at=at(20)))
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_sessions.delete_expired(at(10), at(5)) == 2
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_sessions.get("live") is not None
        assert uow.staff_sessions.get("idle") is None
        assert uow.staff_sessions.get("old") is None


def test_of_requests_using_one_code_at_once_exactly_one_succeeds(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    from .test_concurrent_readings import at_once

    with sql_uow_factory() as uow:
        uow.staff.add(a_member())
        uow.commit()

    def use(_: int) -> object:
        with sql_uow_factory() as uow:
            used = uow.staff.use_totp_step("ivanova", 57_000_000)
            uow.commit()
            return used

    results = at_once(6, use)

    assert sorted(map(str, results)) == ["False"] * 5 + ["True"]


def an_invited_member(uow_factory: PortalUnitOfWorkFactory, expires_at: dt.datetime) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member(enrolment_code_hash="c" * 64, enrolment_expires_at=expires_at))
        uow.commit()


def test_an_enrolment_code_begins_one_enrolment_and_is_used_up(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    an_invited_member(uow_factory, at(60))

    with uow_factory() as uow:
        assert not uow.staff.begin_enrolment("ivanova", "d" * 64, at(10), "sealed-1")
        assert not uow.staff.begin_enrolment("nobody", "c" * 64, at(10), "sealed-1")
        assert uow.staff.begin_enrolment("ivanova", "c" * 64, at(10), "sealed-1")
        assert not uow.staff.begin_enrolment("ivanova", "c" * 64, at(11), "sealed-2")
        uow.commit()

    with uow_factory() as uow:
        found = uow.staff.get("ivanova")
    assert found is not None
    assert (found.totp_secret, found.totp_confirmed) == ("sealed-1", False)
    assert (found.enrolment_code_hash, found.enrolment_expires_at) == (None, None)


def test_an_expired_enrolment_code_begins_nothing(uow_factory: PortalUnitOfWorkFactory) -> None:
    an_invited_member(uow_factory, at(60))

    with uow_factory() as uow:
        assert not uow.staff.begin_enrolment("ivanova", "c" * 64, at(60), "sealed-1")
        uow.commit()

    with uow_factory() as uow:
        found = uow.staff.get("ivanova")
    assert found is not None
    assert found.totp_secret is None
    assert found.enrolment_code_hash == "c" * 64


def test_a_key_is_confirmed_once_and_only_if_it_is_still_the_stored_one(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member(totp_secret="sealed-1"))
        uow.commit()

    with uow_factory() as uow:
        assert not uow.staff.confirm_totp("ivanova", "sealed-0")
        assert uow.staff.confirm_totp("ivanova", "sealed-1")
        assert not uow.staff.confirm_totp("ivanova", "sealed-1")
        assert not uow.staff.confirm_totp("nobody", "sealed-1")
        uow.commit()

    with uow_factory() as uow:
        found = uow.staff.get("ivanova")
    assert found is not None
    assert found.is_enrolled


def test_recovery_codes_are_replaced_counted_and_each_used_once(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff.add(a_member("petrov"))
        uow.staff_recovery_codes.replace("ivanova", ["h1", "h2", "h3"])
        uow.staff_recovery_codes.replace("petrov", ["h1", "p2"])
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_recovery_codes.use("ivanova", "h2")
        assert not uow.staff_recovery_codes.use("ivanova", "h2")
        assert not uow.staff_recovery_codes.use("ivanova", "p2")
        assert (uow.staff_recovery_codes.remaining("ivanova"),
                uow.staff_recovery_codes.remaining("petrov")) == (2, 2)  # fmt: skip
        uow.commit()

    with uow_factory() as uow:
        uow.staff_recovery_codes.replace("ivanova", ["n1"])
        uow.commit()

    with uow_factory() as uow:
        assert not uow.staff_recovery_codes.use("ivanova", "h1")
        assert uow.staff_recovery_codes.use("ivanova", "n1")
        assert uow.staff_recovery_codes.use("petrov", "h1")
        uow.staff_recovery_codes.replace("petrov", [])
        assert uow.staff_recovery_codes.remaining("petrov") == 0
        assert uow.staff_recovery_codes.remaining("nobody") == 0


def test_a_used_recovery_code_is_back_if_its_transaction_is_rolled_back(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff_recovery_codes.replace("ivanova", ["h1"])
        uow.commit()

    with uow_factory() as uow:
        assert uow.staff_recovery_codes.use("ivanova", "h1")

    with uow_factory() as uow:
        assert uow.staff_recovery_codes.remaining("ivanova") == 1


def test_an_enrolling_session_is_stored_as_such(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff_sessions.add(a_staff_session("e", verified=False, enrolling=True))
        uow.staff_sessions.add(a_staff_session("p", verified=False))
        uow.commit()

    with uow_factory() as uow:
        enrolling, pending = uow.staff_sessions.get("e"), uow.staff_sessions.get("p")
    assert enrolling is not None
    assert pending is not None
    assert (enrolling.enrolling, pending.enrolling) == (True, False)


def test_of_requests_using_one_enrolment_code_at_once_exactly_one_succeeds(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    from .test_concurrent_readings import at_once

    an_invited_member(sql_uow_factory, at(60))

    def begin(index: int) -> object:
        with sql_uow_factory() as uow:
            begun = uow.staff.begin_enrolment("ivanova", "c" * 64, at(1), f"sealed-{index}")
            uow.commit()
            return begun

    results = at_once(6, begin)

    assert sorted(map(str, results)) == ["False"] * 5 + ["True"]
    with sql_uow_factory() as uow:
        found = uow.staff.get("ivanova")
    assert found is not None
    assert found.totp_secret == f"sealed-{results.index(True)}"


def test_of_requests_using_one_recovery_code_at_once_exactly_one_succeeds(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    from .test_concurrent_readings import at_once

    with sql_uow_factory() as uow:
        uow.staff.add(a_member())
        uow.staff_recovery_codes.replace("ivanova", ["h1", "h2"])
        uow.commit()

    def use(_: int) -> object:
        with sql_uow_factory() as uow:
            used = uow.staff_recovery_codes.use("ivanova", "h1")
            uow.commit()
            return used

    results = at_once(6, use)

    assert sorted(map(str, results)) == ["False"] * 5 + ["True"]
    with sql_uow_factory() as uow:
        assert uow.staff_recovery_codes.remaining("ivanova") == 1

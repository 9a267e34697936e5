"""The session repository: server-side sessions by id hash, ended one by one or in bulk."""

from __future__ import annotations

from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, a_session, at


def id_hashes(uow_factory: UnitOfWorkFactory, *candidates: str) -> set[str]:
    with uow_factory() as uow:
        return {id_hash for id_hash in candidates if uow.sessions.get(id_hash) is not None}


def test_an_added_session_is_found_by_its_id_hash(uow_factory: UnitOfWorkFactory) -> None:
    session = a_session(
        "s1",
        created_at=at(0).astimezone(MOSCOW),
        last_seen_at=at(7),
        registration_key="100234",
        account_key="100235",
        pending_account_key="100236",
    )

    with uow_factory() as uow:
        uow.sessions.add(session)
        uow.sessions.add(a_session("s2"))
        uow.commit()

    with uow_factory() as uow:
        assert uow.sessions.get("s1") == session


def test_an_anonymous_session_keeps_its_empty_accounts(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1"))
        found = uow.sessions.get("s1")

    assert found == a_session("s1")
    assert found is not None
    assert not found.is_signed_in


def test_an_unknown_id_hash_finds_no_session(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1"))
        assert uow.sessions.get("s2") is None


def test_saving_a_session_stores_when_it_was_seen_and_its_accounts(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1", pending_account_key="100234"))
        uow.sessions.add(a_session("s2"))
        uow.commit()

    with uow_factory() as uow:
        session = uow.sessions.get("s1")
        assert session is not None
        session.last_seen_at = at(12)
        session.registration_key = "100234"
        session.account_key = "100235"
        session.pending_account_key = None
        uow.sessions.save(session)
        uow.commit()

    with uow_factory() as uow:
        assert uow.sessions.get("s1") == session
        assert uow.sessions.get("s2") == a_session("s2")


def test_changing_a_session_found_changes_nothing_until_it_is_saved(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1"))
        found = uow.sessions.get("s1")
        assert found is not None
        found.registration_key = "100234"

        assert uow.sessions.get("s1") == a_session("s1")


def test_a_deleted_session_is_gone_and_the_others_stay(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1"))
        uow.sessions.add(a_session("s2"))
        uow.commit()

    with uow_factory() as uow:
        uow.sessions.delete("s1")
        uow.sessions.delete("never-there")
        uow.commit()

    assert id_hashes(uow_factory, "s1", "s2") == {"s2"}


def test_ending_a_registrations_sessions_keeps_the_one_named_and_everyone_elses(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("mine-here", registration_key="100234"))
        uow.sessions.add(a_session("mine-there", registration_key="100234"))
        uow.sessions.add(a_session("mine-elsewhere", registration_key="100234"))
        uow.sessions.add(a_session("theirs", registration_key="100235"))
        uow.sessions.add(a_session("filling-in-mine", pending_account_key="100234"))
        ended = uow.sessions.delete_of_registration("100234", keep_id_hash="mine-here")
        uow.commit()

    assert ended == 2
    assert id_hashes(
        uow_factory, "mine-here", "mine-there", "mine-elsewhere", "theirs", "filling-in-mine"
    ) == {"mine-here", "theirs", "filling-in-mine"}


def test_ending_a_registrations_sessions_keeping_none_ends_them_all(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1", registration_key="100234"))
        uow.sessions.add(a_session("s2", registration_key="100234"))
        uow.sessions.add(a_session("s3", registration_key="100235"))
        ended = uow.sessions.delete_of_registration("100234", keep_id_hash=None)
        uow.commit()

    assert ended == 2
    assert id_hashes(uow_factory, "s1", "s2", "s3") == {"s3"}


def test_ending_the_sessions_of_a_registration_without_any_ends_none(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1", registration_key="100235"))
        assert uow.sessions.delete_of_registration("100234", keep_id_hash=None) == 0


def test_sessions_not_seen_since_the_given_time_are_forgotten_and_counted(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("long-idle", created_at=at(-90), last_seen_at=at(-60)))
        uow.sessions.add(a_session("just-idle", created_at=at(-90), last_seen_at=at(-31)))
        uow.sessions.add(a_session("seen-at-the-limit", created_at=at(-90), last_seen_at=at(-30)))
        uow.sessions.add(a_session("busy", created_at=at(-90), last_seen_at=at(0)))
        forgotten = uow.sessions.delete_idle(at(-30))
        uow.commit()

    assert forgotten == 2
    assert id_hashes(uow_factory, "long-idle", "just-idle", "seen-at-the-limit", "busy") == {
        "seen-at-the-limit",
        "busy",
    }


def test_a_session_added_in_a_rolled_back_unit_of_work_is_not_kept(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.sessions.add(a_session("s1"))
        uow.rollback()

    assert id_hashes(uow_factory, "s1") == set()

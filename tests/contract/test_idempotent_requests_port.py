"""The idempotent request repository: one claim per caller and key, its answer kept until
it expires, a claim without an answer released or taken over."""

from __future__ import annotations

import datetime as dt

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.service_api.idempotency import IdempotentRequest, StoredAnswer

from .builders import at

CREATED = StoredAnswer(
    201, (("content-type", "application/json"), ("location", "/api/v1/x/1")), b'{"id":"1"}'
)


def a_request(caller: str = "key:aaa", key: str = "k-1", minute: int = 0) -> IdempotentRequest:
    return IdempotentRequest(caller, key, "h" * 64, at(minute), at(minute) + dt.timedelta(hours=24))


def test_a_claimed_request_is_found_without_an_answer(uow_factory: PortalUnitOfWorkFactory) -> None:
    request = a_request()
    with uow_factory() as uow:
        assert uow.idempotency.claim(request)
        uow.commit()

    with uow_factory() as uow:
        assert uow.idempotency.get("key:aaa", "k-1") == request
        assert uow.idempotency.get("key:aaa", "k-2") is None


def test_a_key_is_claimed_once_per_caller(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.idempotency.claim(a_request("key:aaa", "k-1"))
        assert not uow.idempotency.claim(a_request("key:aaa", "k-1", minute=1))
        assert uow.idempotency.claim(a_request("key:bbb", "k-1"))
        assert uow.idempotency.claim(a_request("resident:100234", "k-1"))
        uow.commit()

    with uow_factory() as uow:
        first = uow.idempotency.get("key:aaa", "k-1")
    assert first is not None
    assert first.claimed_at == at(0)


def test_an_answer_is_kept_with_its_status_headers_and_body(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim(a_request())
        uow.idempotency.answer("key:aaa", "k-1", CREATED)
        uow.commit()

    with uow_factory() as uow:
        stored = uow.idempotency.get("key:aaa", "k-1")
    assert stored is not None
    assert stored.answer == CREATED


def test_an_empty_body_is_kept_as_empty(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim(a_request())
        uow.idempotency.answer("key:aaa", "k-1", StoredAnswer(204, (), b""))
        uow.commit()

    with uow_factory() as uow:
        stored = uow.idempotency.get("key:aaa", "k-1")
    assert stored is not None
    assert stored.answer == StoredAnswer(204, (), b"")


def test_releasing_forgets_a_claim_without_an_answer_but_never_an_answered_one(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim(a_request(key="running"))
        uow.idempotency.claim(a_request(key="answered"))
        uow.idempotency.answer("key:aaa", "answered", CREATED)
        uow.idempotency.release("key:aaa", "running")
        uow.idempotency.release("key:aaa", "answered")
        uow.commit()

    with uow_factory() as uow:
        assert uow.idempotency.get("key:aaa", "running") is None
        assert uow.idempotency.get("key:aaa", "answered") is not None


def test_only_an_old_unanswered_claim_of_the_same_request_is_taken_over(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim(a_request(key="old", minute=0))
        uow.idempotency.claim(a_request(key="fresh", minute=20))
        uow.idempotency.claim(a_request(key="answered", minute=0))
        uow.idempotency.answer("key:aaa", "answered", CREATED)
        uow.commit()

    with uow_factory() as uow:
        assert not uow.idempotency.take_over("key:aaa", "old", "x" * 64, at(15), at(30))
        assert not uow.idempotency.take_over("key:aaa", "fresh", "h" * 64, at(15), at(30))
        assert not uow.idempotency.take_over("key:aaa", "answered", "h" * 64, at(15), at(30))
        assert uow.idempotency.take_over("key:aaa", "old", "h" * 64, at(15), at(30))
        assert not uow.idempotency.take_over("key:aaa", "old", "h" * 64, at(15), at(31))
        uow.commit()

    with uow_factory() as uow:
        taken = uow.idempotency.get("key:aaa", "old")
    assert taken is not None
    assert taken.claimed_at == at(30)


def test_expired_requests_are_deleted_and_counted(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim(a_request(key="day-old", minute=0))
        uow.idempotency.claim(a_request(key="recent", minute=60))
        uow.commit()

    with uow_factory() as uow:
        assert uow.idempotency.delete_expired(at(0) + dt.timedelta(hours=24, minutes=1)) == 1
        uow.commit()

    with uow_factory() as uow:
        assert uow.idempotency.get("key:aaa", "day-old") is None
        assert uow.idempotency.get("key:aaa", "recent") is not None

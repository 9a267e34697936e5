"""The service-request repositories (F30): requests read back whole, changed only over the
version read, listed per account and as the dispatcher's filtered queue; history, comments
and photo records in order. The same tests over memory, SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import attrs
import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.requests import (
    Actor,
    ChangeKind,
    Comment,
    ConfiguredExecutors,
    ExecutorRoster,
    HistoryEntry,
    QueueFilter,
    Rating,
    RequestPhoto,
    RequestStatus,
    ServiceRequest,
)

from .builders import MOSCOW, a_house, an_account, at, given

OWN, OTHER = "100234", "100235"
_NUMBERS = itertools.count(1000)


def with_two_flats(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1"), a_house("H2")],
        accounts=[an_account(OWN, house_code="H1"), an_account(OTHER, house_code="H2")],
    )
    return uow_factory


@pytest.fixture
def factory(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    return with_two_flats(uow_factory)


def a_request(
    account: str = OWN,
    minutes: int = 0,
    *,
    house: str = "H1",
    category: str = "plumbing",
    emergency: bool = False,
    due_in: int = 480,
    status: RequestStatus = RequestStatus.NEW,
    number: int | None = None,
) -> ServiceRequest:
    made, _ = ServiceRequest.create(
        id=uuid.uuid4().hex,
        number=number if number is not None else next(_NUMBERS),
        account_key=account,
        house_code=house,
        category=category,
        emergency=emergency,
        description="Течёт кран",
        visit_window="после 18:00",
        contact_phone="+79123456789",
        at=at(minutes),
        due_at=at(minutes + due_in),
    )
    return attrs.evolve(made, status=status)


def stored(factory: PortalUnitOfWorkFactory, *requests: ServiceRequest) -> None:
    with factory() as uow:
        for request in requests:
            uow.service_requests.add(request)
        uow.commit()


def test_a_request_is_read_back_with_everything_it_records(
    factory: PortalUnitOfWorkFactory,
) -> None:
    made = attrs.evolve(
        a_request(),
        status=RequestStatus.DONE,
        executor="Слесарь Кузнецов",
        completed_at=at(30).astimezone(MOSCOW),
        rating=Rating(4, "Быстро"),
        version=5,
        emergency=True,
    )
    stored(factory, made)

    with factory() as uow:
        found = uow.service_requests.get(made.id)
        assert uow.service_requests.get(uuid.uuid4().hex) is None

    assert found == attrs.evolve(made, completed_at=at(30))
    assert found is not None
    assert found.completed_at is not None
    assert found.completed_at.tzinfo is not None


def test_a_change_is_saved_only_over_the_version_it_was_read_at(
    factory: PortalUnitOfWorkFactory,
) -> None:
    made = a_request()
    stored(factory, made)
    first = attrs.evolve(made)
    entry = first.move_to(RequestStatus.ACCEPTED, at(5), Actor.dispatcher("Петрова"))
    late = attrs.evolve(made)
    roster = ExecutorRoster.of(ConfiguredExecutors(("Кузнецов",)), [])
    late.assign("Кузнецов", at(6), Actor.dispatcher("Сидорова"), roster)

    with factory() as uow:
        assert uow.service_requests.save(first, made.version)
        assert not uow.service_requests.save(late, made.version)
        uow.commit()

    with factory() as uow:
        found = uow.service_requests.get(made.id)
    assert found is not None
    assert (found.status, found.executor, found.version) == (RequestStatus.ACCEPTED, "", entry.seq)


def test_an_accounts_requests_are_listed_newest_first_and_counted_since_a_moment(
    factory: PortalUnitOfWorkFactory,
) -> None:
    old, new, others = a_request(OWN, 0), a_request(OWN, 60), a_request(OTHER, 30, house="H2")
    stored(factory, old, new, others)

    with factory() as uow:
        assert [r.id for r in uow.service_requests.of_account(OWN)] == [new.id, old.id]
        assert uow.service_requests.count_created_since(OWN, at(0)) == 2
        assert uow.service_requests.count_created_since(OWN, at(1)) == 1
        assert uow.service_requests.count_created_since(OTHER, at(31)) == 0


def test_the_queue_puts_emergencies_first_then_the_earliest_deadline_and_pages(
    factory: PortalUnitOfWorkFactory,
) -> None:
    late = a_request(minutes=0, due_in=600)
    soon = a_request(minutes=1, due_in=60)
    emergency = a_request(minutes=2, due_in=120, emergency=True)
    stored(factory, late, soon, emergency)

    with factory() as uow:
        everything = uow.service_requests.queue(QueueFilter(), 0, 10)
        second_page = uow.service_requests.queue(QueueFilter(), 1, 1)

    assert [r.id for r in everything] == [emergency.id, soon.id, late.id]
    assert [r.id for r in second_page] == [soon.id]


def test_the_queue_filters_by_house_status_category_emergency_and_overdue(
    factory: PortalUnitOfWorkFactory,
) -> None:
    plumbing = a_request(OWN, 0, due_in=60)
    lift = a_request(OWN, 1, category="lift", due_in=600, status=RequestStatus.ACCEPTED)
    elsewhere = a_request(OTHER, 2, house="H2", emergency=True, due_in=30)
    done_late = a_request(OWN, 3, due_in=10, status=RequestStatus.DONE)
    stored(factory, plumbing, lift, elsewhere, done_late)

    def ids(where: QueueFilter) -> set[str]:
        with factory() as uow:
            return {r.id for r in uow.service_requests.queue(where, 0, 100)}

    assert ids(QueueFilter(house_code="H2")) == {elsewhere.id}
    assert ids(QueueFilter(statuses=frozenset({RequestStatus.ACCEPTED}))) == {lift.id}
    assert ids(QueueFilter(category="lift")) == {lift.id}
    assert ids(QueueFilter(emergency=True)) == {elsewhere.id}
    assert ids(QueueFilter(emergency=False, house_code="H1")) == {
        plumbing.id,
        lift.id,
        done_late.id,
    }
    # At noon + 2 h the plumbing (due +1 h) and the emergency (due +32 min) are overdue;
    # the done one is late but closed, so never overdue.
    assert ids(QueueFilter(overdue_at=at(120))) == {plumbing.id, elsewhere.id}
    # Each filter agrees with the rule the core states.
    every = [plumbing, lift, elsewhere, done_late]
    for where in (
        QueueFilter(overdue_at=at(120), house_code="H1"),
        QueueFilter(category="plumbing"),
    ):
        assert ids(where) == {r.id for r in every if where.matches(r)}


def test_history_and_comments_are_kept_in_order(factory: PortalUnitOfWorkFactory) -> None:
    made = a_request()
    stored(factory, made)
    dispatcher = Actor.dispatcher("Петрова")
    created = HistoryEntry(
        made.id, 1, at(0), Actor.resident(), ChangeKind.CREATED, RequestStatus.NEW
    )
    accepted = HistoryEntry(
        made.id, 2, at(5), dispatcher, ChangeKind.STATUS, RequestStatus.ACCEPTED, "Принята"
    )
    question = Comment(uuid.uuid4().hex, made.id, at(7), dispatcher, "Когда вы дома?")
    answer = Comment(uuid.uuid4().hex, made.id, at(9), Actor.resident(), "После 18:00")

    with factory() as uow:
        uow.request_journal.record(accepted)
        uow.request_journal.record(created)
        uow.request_journal.add_comment(answer)
        uow.request_journal.add_comment(question)
        uow.commit()

    with factory() as uow:
        assert uow.request_journal.history(made.id) == [created, accepted]
        assert uow.request_journal.comments(made.id) == [question, answer]
        assert uow.request_journal.history(uuid.uuid4().hex) == []


def test_a_history_entry_number_is_taken_once(factory: PortalUnitOfWorkFactory) -> None:
    made = a_request()
    stored(factory, made)
    entry = HistoryEntry(made.id, 1, at(0), Actor.resident(), ChangeKind.CREATED, RequestStatus.NEW)

    with factory() as uow:
        uow.request_journal.record(entry)
        uow.commit()
    with factory() as uow, pytest.raises(Exception):  # noqa: B017, PT011 (each adapter's own)
        uow.request_journal.record(attrs.evolve(entry, text="again"))


def test_photo_records_are_listed_in_the_order_attached(factory: PortalUnitOfWorkFactory) -> None:
    made = a_request()
    stored(factory, made)
    photos = [
        RequestPhoto(uuid.uuid4().hex, made.id, position, 1920, 1080, 300_000, "heic", at(0))
        for position in (2, 1, 3)
    ]

    with factory() as uow:
        for photo in photos:
            uow.request_photos.add(photo)
        uow.commit()

    with factory() as uow:
        found = uow.request_photos.of_request(made.id)
    assert [p.position for p in found] == [1, 2, 3]
    assert found[0] == photos[1]


def test_nothing_is_kept_when_the_transaction_is_not_committed(
    factory: PortalUnitOfWorkFactory,
) -> None:
    made = a_request()
    with factory() as uow:
        uow.service_requests.add(made)

    with factory() as uow:
        assert uow.service_requests.get(made.id) is None
        assert uow.service_requests.of_account(OWN) == []


def test_times_come_back_as_the_same_instant(factory: PortalUnitOfWorkFactory) -> None:
    made = attrs.evolve(a_request(), created_at=at(0).astimezone(MOSCOW))
    stored(factory, made)
    with factory() as uow:
        found = uow.service_requests.get(made.id)
    assert found is not None
    assert found.created_at == at(0)
    assert found.created_at.tzinfo is not None


def test_numbers_are_given_in_order_and_name_their_request(
    factory: PortalUnitOfWorkFactory,
) -> None:
    with factory() as uow:
        first = a_request(number=uow.service_requests.next_number())
        uow.service_requests.add(first)
        uow.commit()
    with factory() as uow:
        second = a_request(OTHER, 1, house="H2", number=uow.service_requests.next_number())
        uow.service_requests.add(second)
        uow.commit()

    with factory() as uow:
        assert uow.service_requests.by_number(first.number) == first
        assert uow.service_requests.by_number(second.number) == second
        assert uow.service_requests.by_number(second.number + 1) is None
    assert 1 <= first.number < second.number


def test_a_number_taken_by_another_request_is_refused(factory: PortalUnitOfWorkFactory) -> None:
    stored(factory, a_request(number=7))

    with factory() as uow, pytest.raises(Exception):  # noqa: B017, PT011 (each adapter's own)
        uow.service_requests.add(a_request(OTHER, 1, house="H2", number=7))


def test_a_changed_request_keeps_its_number(factory: PortalUnitOfWorkFactory) -> None:
    made = a_request(number=42)
    stored(factory, made)
    changed = attrs.evolve(made)
    roster = ExecutorRoster.of(ConfiguredExecutors(("Кузнецов",)), [])
    changed.assign("Кузнецов", at(5), Actor.dispatcher("Петрова"), roster)

    with factory() as uow:
        assert uow.service_requests.save(changed, made.version)
        uow.commit()

    with factory() as uow:
        found = uow.service_requests.by_number(42)
    assert found is not None
    assert (found.id, found.executor) == (made.id, "Кузнецов")


AT_ONCE = 8


def test_requests_made_at_once_get_different_numbers(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    # Real threads, each its own connection and transaction (the in-memory store does not
    # merge concurrent transactions, so only the databases are asked).
    factory = with_two_flats(sql_uow_factory)
    start = threading.Barrier(AT_ONCE)

    def make(turn: int) -> ServiceRequest:
        account, house = (OWN, "H1") if turn % 2 else (OTHER, "H2")
        start.wait(timeout=30)
        with factory() as uow:
            made = a_request(account, turn, house=house, number=uow.service_requests.next_number())
            uow.service_requests.add(made)
            uow.commit()
        return made

    with ThreadPoolExecutor(AT_ONCE) as pool:
        made = list(pool.map(make, range(AT_ONCE)))

    numbers = {request.number for request in made}
    assert len(numbers) == AT_ONCE
    with factory(read_only=True) as uow:
        found = [uow.service_requests.by_number(n) for n in numbers]
    assert sorted(r.id for r in found if r is not None) == sorted(r.id for r in made)

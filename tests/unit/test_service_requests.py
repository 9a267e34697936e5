"""Service requests through the use cases: a resident makes one with photos, follows it,
rates and reopens it; the dispatcher works it and the resident is told by the channels
they chose; another account never sees it."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.requests import (
    ChangeKind,
    PhotoRejected,
    PhotoUpload,
    QueueFilter,
    ReopenWindowClosed,
    RequestPolicy,
    RequestStatus,
    TooManyRequestsToday,
    assign_executor,
    change_status,
    comment_as_dispatcher,
    create_request,
    rate_request,
    reject_request,
    reopen_request,
    request_photo,
    request_queue,
    request_view,
    resident_requests,
)
from requests_fixtures import (
    IVANOV,
    SEMENOV,
    START,
    MovableClock,
    a_form,
    a_photo,
    requests_context,
)


def photo(name: str = "кран.jpg") -> PhotoUpload:
    return PhotoUpload(name, io.BytesIO(a_photo()))


def test_a_request_belongs_to_the_flat_and_is_due_by_its_categorys_sla() -> None:
    ctx = requests_context()

    made = create_request(ctx, IVANOV, a_form("lift"), [photo(), photo()])

    assert (made.account_key, made.house_code, made.status) == (IVANOV, "T-1", RequestStatus.NEW)
    assert made.contact_phone == "+79123456789"
    # Tuesday 10:00 Moscow + 4 working hours (lift).
    assert made.due_at == START + dt.timedelta(hours=4)
    view = request_view(ctx, made.id, IVANOV)
    assert [p.position for p in view.photos] == [1, 2]
    assert view.history[0].kind is ChangeKind.CREATED
    assert resident_requests(ctx, IVANOV) == [made]
    assert resident_requests(ctx, SEMENOV) == []


def test_an_emergency_is_due_by_the_clock() -> None:
    ctx = requests_context()

    made = create_request(ctx, IVANOV, a_form("yard", emergency=True))

    assert made.due_at == START + dt.timedelta(hours=2)
    assert made.emergency


def test_another_account_never_sees_a_request_or_its_photos() -> None:
    ctx = requests_context()
    made = create_request(ctx, IVANOV, a_form(), [photo()])
    photo_id = request_view(ctx, made.id, IVANOV).photos[0].id

    with pytest.raises(NotFound):
        request_view(ctx, made.id, SEMENOV)
    with pytest.raises(NotFound):
        request_photo(ctx, made.id, photo_id, account_key=SEMENOV)
    with pytest.raises(NotFound):
        rate_request(ctx, SEMENOV, made.id, 5)
    thumbnail = request_photo(ctx, made.id, photo_id, thumbnail=True, account_key=IVANOV)
    assert thumbnail.startswith(b"\xff\xd8")


def test_a_refused_photo_stores_nothing() -> None:
    ctx = requests_context()

    with pytest.raises(PhotoRejected, match=r"«письмо\.txt»: это не фотография"):
        create_request(
            ctx, IVANOV, a_form(), [photo(), PhotoUpload("письмо.txt", io.BytesIO(b"hi"))]
        )

    assert resident_requests(ctx, IVANOV) == []
    assert ctx.photo_store.keys() == set()  # type: ignore[attr-defined]


def test_more_than_five_photos_are_refused() -> None:
    ctx = requests_context()

    with pytest.raises(InvalidValue, match="не больше 5 фотографий"):
        create_request(ctx, IVANOV, a_form(), [photo() for _ in range(6)])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "garden", "Выберите категорию"),
        ("description", "   ", "Опишите, что случилось"),
        ("contact_phone", "", "Укажите телефон"),
        ("contact_phone", "12", "в формате"),
    ],
)
def test_a_form_with_a_mistake_is_refused_with_its_message(
    field: str, value: str, message: str
) -> None:
    import attrs

    ctx = requests_context()
    with pytest.raises(InvalidValue, match=message):
        create_request(ctx, IVANOV, attrs.evolve(a_form(), **{field: value}))


def test_an_account_may_make_only_so_many_requests_a_day() -> None:
    clock = MovableClock()
    ctx = requests_context(clock, policy=RequestPolicy(per_account_per_day=2))
    create_request(ctx, IVANOV, a_form())
    create_request(ctx, IVANOV, a_form())

    with pytest.raises(TooManyRequestsToday, match="не более 2 заявок в день"):
        create_request(ctx, IVANOV, a_form())
    create_request(ctx, SEMENOV, a_form())  # another flat has its own limit

    clock.advance(days=1)
    create_request(ctx, IVANOV, a_form())


def test_status_changes_and_comments_reach_the_resident_by_the_chosen_channels() -> None:
    factory = InMemoryUnitOfWorkFactory()
    ctx = requests_context(factory=factory)
    made = create_request(ctx, IVANOV, a_form())

    change_status(ctx, made.id, RequestStatus.ACCEPTED, "Слесарь придёт завтра", "Петрова")
    comment_as_dispatcher(ctx, made.id, "Откройте, пожалуйста, подвал", "Петрова")

    with factory() as uow:
        messages = uow.outbox.recent(10)
    emails = [m.email for m in messages if m.email is not None]
    sms = [m.sms for m in messages if m.sms is not None]
    assert len(emails) == 2
    assert len(sms) == 2
    assert any("принята" in e.text and "Слесарь придёт завтра" in e.text for e in emails)
    assert any("Откройте, пожалуйста, подвал" in s.text for s in sms)
    assert all(e.to == "ivanov@example.ru" for e in emails)


def test_a_resident_who_chose_no_channel_is_not_messaged() -> None:
    factory = InMemoryUnitOfWorkFactory()
    ctx = requests_context(factory=factory)
    made = create_request(ctx, SEMENOV, a_form())

    reject_request(ctx, made.id, "Это зона ответственности собственника", "Петрова")

    with factory() as uow:
        assert uow.outbox.recent(10) == []
    assert request_view(ctx, made.id).request.reject_reason.startswith("Это зона")


def test_a_rejection_needs_a_reason() -> None:
    ctx = requests_context()
    made = create_request(ctx, IVANOV, a_form())

    with pytest.raises(InvalidValue, match="причину отказа"):
        reject_request(ctx, made.id, "  ", "Петрова")


def test_a_done_request_is_rated_once_and_reopened_within_seven_days() -> None:
    clock = MovableClock()
    ctx = requests_context(clock)
    made = create_request(ctx, IVANOV, a_form())
    assign_executor(ctx, made.id, "Слесарь Кузнецов", "Петрова")
    change_status(ctx, made.id, RequestStatus.ACCEPTED, "", "Петрова")
    change_status(ctx, made.id, RequestStatus.IN_PROGRESS, "", "Петрова")
    change_status(ctx, made.id, RequestStatus.DONE, "Заменили прокладку", "Петрова")

    rated = rate_request(ctx, IVANOV, made.id, 2, "Снова капает")
    assert rated.rating is not None
    assert rated.rating.score == 2
    clock.advance(days=6)
    reopened = reopen_request(ctx, IVANOV, made.id, "Кран снова течёт")

    assert (reopened.status, reopened.rating, reopened.executor) == (
        RequestStatus.NEW,
        None,
        "Слесарь Кузнецов",
    )
    assert reopened.due_at > clock.now()
    kinds = [e.kind for e in request_view(ctx, made.id).history]
    assert kinds[-2:] == [ChangeKind.RATED, ChangeKind.REOPENED]


def test_a_request_done_more_than_seven_days_ago_cannot_be_reopened() -> None:
    clock = MovableClock()
    ctx = requests_context(clock)
    made = create_request(ctx, IVANOV, a_form())
    change_status(ctx, made.id, RequestStatus.ACCEPTED, "", "Петрова")
    change_status(ctx, made.id, RequestStatus.DONE, "", "Петрова")

    clock.advance(days=7, seconds=1)
    with pytest.raises(ReopenWindowClosed, match=r"в течение 7 дн\."):
        reopen_request(ctx, IVANOV, made.id, "Кран снова течёт")


def test_the_queue_shows_overdue_requests_after_their_deadline() -> None:
    clock = MovableClock()
    ctx = requests_context(clock)
    lift = create_request(ctx, IVANOV, a_form("lift"))
    yard = create_request(ctx, SEMENOV, a_form("yard"))

    clock.advance(hours=5)  # past the lift's 4 working hours, well within the yard's 5 days
    page = request_queue(ctx, QueueFilter(overdue_at=clock.now()))

    assert [r.id for r in page.requests] == [lift.id]
    assert not page.has_more
    both = request_queue(ctx, QueueFilter(), limit=1)
    assert both.has_more
    assert len(both.requests) == 1
    assert {r.id for r in request_queue(ctx, QueueFilter(house_code="T-2")).requests} == {yard.id}

"""Correcting and withdrawing an announcement (F31, ADR 0071): only an active or planned
one, over the revision the editor was opened at, each step recorded and audited; a
withdrawn one leaves the main page; nothing is re-sent unless staff ask."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from lk_core.accounts.account import House
from lk_core.announcements import (
    Announcement,
    AnnouncementChanged,
    AnnouncementClosed,
    AnnouncementDraft,
    AnnouncementInvalid,
    AnnouncementKind,
    AnnouncementsContext,
    AnnouncementState,
    NothingToSend,
    active_announcements,
    draft_of,
    edit_announcement,
    post_announcement,
    send_correction,
    send_withdrawal_notice,
    withdraw_announcement,
)
from lk_core.announcements.sending import correction_template, withdrawal_template
from lk_core.staff.members import StaffMember, StaffRole
from lk_core.staff.ports import StaffEventQuery

NOON = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)  # 12:00 in Moscow
TODAY = dt.date(2026, 12, 10)


class HeldClock:
    def __init__(self) -> None:
        self.at = NOON

    def now(self) -> dt.datetime:
        return self.at


def a_member(login: str) -> StaffMember:
    return StaffMember(login, login.capitalize(), StaffRole.DISPATCHER, "x", NOON)


IVANOVA, PETROV = a_member("ivanova"), a_member("petrov")


@pytest.fixture
def ctx() -> AnnouncementsContext:
    factory = InMemoryUnitOfWorkFactory()
    with factory() as uow:
        uow.houses.upsert_many([House(code, f"ул. Советская, д. {n}", Decimal(100))
                                for n, code in enumerate(("H1", "H2"), 1)])  # fmt: skip
        uow.commit()
    return AnnouncementsContext(factory, HeldClock(), "УК «Дом»")


def a_draft(**changes: object) -> AnnouncementDraft:
    fields: dict[str, object] = {
        "kind": "planned_outage", "title": "Горячая вода", "text": "Ремонт теплотрассы.",
        "starts_on": "2026-12-10", "ends_on": "2026-12-12", "house_codes": ("H1",),
    }  # fmt: skip
    return AnnouncementDraft(**(fields | changes))  # type: ignore[arg-type]


def posted(ctx: AnnouncementsContext, **changes: object) -> Announcement:
    return post_announcement(ctx, IVANOVA, a_draft(**changes), ip="10.0.0.1")


def stored(ctx: AnnouncementsContext, announcement_id: str) -> Announcement:
    with ctx.uow_factory(read_only=True) as uow:
        found = uow.announcements.get(announcement_id)
    assert found is not None
    return found


def on_main_page(ctx: AnnouncementsContext, house: str) -> list[str]:
    with ctx.uow_factory(read_only=True) as uow:
        found = active_announcements(uow, house, ctx.clock.now(), ctx.time_zone)
    return [item.title for item in found]


def staff_actions(ctx: AnnouncementsContext) -> list[dict[str, str]]:
    with ctx.uow_factory(read_only=True) as uow:
        events = uow.staff_audit.staff_events(StaffEventQuery(), 0, 50)
    return [dict(event.details) | {"actor": event.actor or ""} for event in events]


def later(ctx: AnnouncementsContext, **delta: float) -> None:
    assert isinstance(ctx.clock, HeldClock)
    ctx.clock.at += dt.timedelta(**delta)


# --- editing -------------------------------------------------------------------------------


def test_an_edit_is_stored_as_the_next_revision_with_who_and_when_and_audited(
    ctx: AnnouncementsContext,
) -> None:
    original = posted(ctx)
    later(ctx, minutes=5)

    edited = edit_announcement(ctx, PETROV, original.id, 1,
                               a_draft(title="Горячая  вода и отопление", house_codes=("H1", "H2")),
                               ip="10.0.0.2")  # fmt: skip

    now = stored(ctx, original.id)
    assert now == edited.announcement
    assert (now.title, now.house_codes, now.revision) == (
        "Горячая вода и отопление",
        frozenset({"H1", "H2"}),
        2,
    )
    assert (now.updated_by, now.updated_at, now.author) == (
        "petrov",
        NOON + dt.timedelta(minutes=5),
        "ivanova",
    )
    assert edited.changed == ("title", "house_codes")
    assert edited.message_changed
    assert on_main_page(ctx, "H2") == ["Горячая вода и отопление"]
    last = staff_actions(ctx)[0]
    assert last == {
        "action": "announcement_edited", "announcement": original.id, "revision": "2",
        "changed": "title,house_codes", "actor": "staff:petrov",
    }  # fmt: skip


def test_changing_only_the_houses_leaves_the_message_as_it_was(ctx: AnnouncementsContext) -> None:
    original = posted(ctx)

    edited = edit_announcement(ctx, PETROV, original.id, 1, a_draft(house_codes=("H2",)),
                               ip="10.0.0.2")  # fmt: skip

    assert edited.changed == ("house_codes",)
    assert not edited.message_changed


def test_an_unchanged_form_stores_and_audits_nothing(ctx: AnnouncementsContext) -> None:
    original = posted(ctx)

    edited = edit_announcement(ctx, PETROV, original.id, 1, draft_of(original), ip="10.0.0.2")

    assert edited.changed == ()
    assert stored(ctx, original.id).revision == 1
    assert [a["action"] for a in staff_actions(ctx)] == ["announcement_posted"]


def test_of_two_staff_editing_at_once_the_later_is_refused_and_told_who(
    ctx: AnnouncementsContext,
) -> None:
    original = posted(ctx)
    edit_announcement(ctx, PETROV, original.id, 1, a_draft(title="Правка Петрова"), ip="1.1.1.1")

    with pytest.raises(AnnouncementChanged) as refused:
        edit_announcement(ctx, IVANOVA, original.id, 1, a_draft(title="Правка Ивановой"),
                          ip="1.1.1.2")  # fmt: skip

    assert "petrov" in refused.value.message_ru
    assert stored(ctx, original.id).title == "Правка Петрова"


def test_a_wrong_edit_is_refused_with_every_reason_and_changes_nothing(
    ctx: AnnouncementsContext,
) -> None:
    original = posted(ctx)

    with pytest.raises(AnnouncementInvalid) as refused:
        edit_announcement(ctx, PETROV, original.id, 1,
                          a_draft(title=" ", house_codes=("H9",), ends_on="2026-12-01"),
                          ip="1.1.1.1")  # fmt: skip

    assert set(refused.value.problems) == {"title", "houses", "ends_on"}
    assert stored(ctx, original.id) == original


def test_an_ended_announcement_is_neither_edited_nor_withdrawn(ctx: AnnouncementsContext) -> None:
    original = posted(ctx)
    later(ctx, days=3)  # past 12 December

    with pytest.raises(AnnouncementClosed):
        edit_announcement(ctx, PETROV, original.id, 1, a_draft(ends_on="2026-12-20"),
                          ip="1.1.1.1")  # fmt: skip
    with pytest.raises(AnnouncementClosed):
        withdraw_announcement(ctx, PETROV, original.id, 1, "Поздно", ip="1.1.1.1")
    assert stored(ctx, original.id) == original


def test_a_planned_announcement_may_be_corrected(ctx: AnnouncementsContext) -> None:
    original = posted(ctx, starts_on="2026-12-20", ends_on="2026-12-21")

    edited = edit_announcement(ctx, PETROV, original.id, 1,
                               a_draft(starts_on="2026-12-21", ends_on="2026-12-22"),
                               ip="1.1.1.1")  # fmt: skip

    assert edited.announcement.state_on(TODAY) is AnnouncementState.PLANNED
    assert edited.message_changed  # the dates are in the SMS


# --- withdrawing ---------------------------------------------------------------------------


def test_a_withdrawn_announcement_leaves_the_main_page_and_records_who_when_and_why(
    ctx: AnnouncementsContext,
) -> None:
    original = posted(ctx)
    later(ctx, minutes=1)

    withdrawn = withdraw_announcement(ctx, PETROV, original.id, 1, " Работы  перенесли ",
                                      ip="10.0.0.2")  # fmt: skip

    assert stored(ctx, original.id) == withdrawn
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_at, withdrawn.withdraw_reason) == (
        "petrov",
        NOON + dt.timedelta(minutes=1),
        "Работы перенесли",
    )
    assert withdrawn.state_on(TODAY) is AnnouncementState.WITHDRAWN
    assert on_main_page(ctx, "H1") == []
    assert staff_actions(ctx)[0] == {
        "action": "announcement_withdrawn", "announcement": original.id, "revision": "2",
        "reason": "Работы перенесли", "actor": "staff:petrov",
    }  # fmt: skip


def test_a_withdrawal_needs_a_reason(ctx: AnnouncementsContext) -> None:
    original = posted(ctx)

    with pytest.raises(AnnouncementInvalid) as refused:
        withdraw_announcement(ctx, PETROV, original.id, 1, "  ", ip="1.1.1.1")

    assert refused.value.problems == {"reason": "Укажите причину снятия"}
    assert on_main_page(ctx, "H1") == ["Горячая вода"]


def test_a_withdrawn_announcement_cannot_be_edited_or_withdrawn_again(
    ctx: AnnouncementsContext,
) -> None:
    original = posted(ctx)
    withdraw_announcement(ctx, PETROV, original.id, 1, "Отменили", ip="1.1.1.1")

    with pytest.raises(AnnouncementClosed):
        edit_announcement(ctx, IVANOVA, original.id, 2, a_draft(title="Ещё"), ip="1.1.1.1")
    with pytest.raises(AnnouncementChanged):  # opened before it was withdrawn
        withdraw_announcement(ctx, IVANOVA, original.id, 1, "Тоже", ip="1.1.1.1")


# --- what may be sent afterwards -----------------------------------------------------------


def test_a_correction_says_so_and_is_only_for_a_corrected_announcement(
    ctx: AnnouncementsContext,
) -> None:
    original = posted(ctx)
    with pytest.raises(NothingToSend):
        send_correction(ctx, IVANOVA, original.id)

    edited = edit_announcement(ctx, PETROV, original.id, 1, a_draft(ends_on="2026-12-13"),
                               ip="1.1.1.1")  # fmt: skip

    template = correction_template(edited.announcement)
    assert template.render_body({}) == (
        "Исправление. Плановое отключение 10.12–13.12: Горячая вода. Ремонт теплотрассы."
    )
    assert template.render_subject({}) == "Исправление: Плановое отключение: Горячая вода"
    assert send_correction(ctx, IVANOVA, original.id).selected == 0  # no residents here


def test_a_withdrawal_notice_is_only_for_a_withdrawn_outage(ctx: AnnouncementsContext) -> None:
    outage, news = posted(ctx), posted(ctx, kind="news", title="Субботник")
    with pytest.raises(NothingToSend):
        send_withdrawal_notice(ctx, IVANOVA, outage.id)
    withdrawn = withdraw_announcement(ctx, PETROV, outage.id, 1, "Работы перенесли на январь",
                                      ip="1.1.1.1")  # fmt: skip
    withdraw_announcement(ctx, PETROV, news.id, 1, "Дождь", ip="1.1.1.1")

    assert withdrawal_template(withdrawn).render_body({}) == (
        "Отменено: Плановое отключение 10.12–12.12: Горячая вода. Работы перенесли на январь"
    )
    with pytest.raises(NothingToSend):
        send_withdrawal_notice(ctx, IVANOVA, news.id)
    with pytest.raises(AnnouncementClosed):
        send_correction(ctx, IVANOVA, outage.id)


# --- laws ----------------------------------------------------------------------------------

DAYS = st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31))


@given(DAYS, st.integers(0, 400), DAYS, st.booleans())
def test_an_announcement_is_shown_exactly_when_active_and_changeable_until_it_ends(
    starts: dt.date, length: int, day: dt.date, withdrawn: bool
) -> None:
    announcement = Announcement(
        "a1", AnnouncementKind.NEWS, "Т", "Т", starts, starts + dt.timedelta(days=length),
        frozenset(), "ivanova", NOON, withdrawn_at=NOON if withdrawn else None,
    )  # fmt: skip

    state = announcement.state_on(day)

    assert announcement.is_active_on(day) == (state is AnnouncementState.ACTIVE)
    assert state.can_change == (not withdrawn and day <= announcement.ends_on)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=8))
def test_an_edit_is_stored_exactly_when_made_from_the_stored_revision(
    opened_at: list[int],
) -> None:
    factory = InMemoryUnitOfWorkFactory()
    with factory() as uow:
        uow.houses.upsert_many([House("H1", "ул. Советская, д. 1", Decimal(100))])
        uow.commit()
    ctx = AnnouncementsContext(factory, HeldClock(), "УК «Дом»")
    original = posted(ctx)
    revision = 1
    for n, opened in enumerate(opened_at):
        draft = a_draft(title=f"Правка {n}")
        if opened == revision:
            edit_announcement(ctx, PETROV, original.id, opened, draft, ip="1.1.1.1")
            revision += 1
        else:
            with pytest.raises(AnnouncementChanged):
                edit_announcement(ctx, PETROV, original.id, opened, draft, ip="1.1.1.1")
    assert stored(ctx, original.id).revision == revision

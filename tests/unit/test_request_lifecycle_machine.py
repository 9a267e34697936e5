"""The request lifecycle as a state machine: whatever the resident and the dispatcher do,
in any order, a request never reaches an invalid state, and a refused action changes
nothing (hypothesis stateful testing over the use cases and the in-memory store)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from lk_core.kernel.errors import DomainError
from lk_core.requests import (
    ChangeKind,
    RequestStatus,
    ServiceRequest,
    assign_executor,
    change_status,
    comment_as_dispatcher,
    comment_as_resident,
    create_request,
    rate_request,
    reopen_request,
    request_view,
)
from lk_core.requests.policy import RequestPolicy
from lk_core.staff.members import StaffMember, StaffRole
from requests_fixtures import EXECUTOR, IVANOV, SEMENOV, MovableClock, a_form, requests_context

TEXTS = st.sampled_from(["", "  ", "Готово", "Нет доступа в квартиру", "x" * 2001])
LOGINS = ["kuzmin", "belov"]
EXECUTORS = ["", EXECUTOR, "Кто-нибудь", *(f"Мастер {login}" for login in LOGINS)]


class RequestLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = MovableClock()
        self.ctx = requests_context(self.clock, policy=RequestPolicy(per_account_per_day=3))
        self.ids: list[str] = []
        self.created_today: dict[str, int] = {}

    def _read(self, request_id: str) -> ServiceRequest:
        return request_view(self.ctx, request_id).request

    def _attempt(self, request_id: str, action: object) -> None:
        """Run an action; if it is refused, nothing about the request changed."""
        before = self._read(request_id)
        try:
            action()  # type: ignore[operator]
        except DomainError:
            assert self._read(request_id) == before

    @rule(account=st.sampled_from([IVANOV, SEMENOV]), emergency=st.booleans())
    def create(self, account: str, emergency: bool) -> None:
        try:
            made = create_request(self.ctx, account, a_form(emergency=emergency))
        except DomainError:
            assert self.created_today.get(account, 0) >= 3
            return
        self.created_today[account] = self.created_today.get(account, 0) + 1
        assert self.created_today[account] <= 3
        self.ids.append(made.id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), to=st.sampled_from(list(RequestStatus)), text=TEXTS)
    def dispatcher_moves(self, data: st.DataObject, to: RequestStatus, text: str) -> None:
        request_id = data.draw(st.sampled_from(self.ids))
        before = self._read(request_id)
        allowed = (
            before.status.can_move_to(to)
            and len(text.strip()) <= 2000
            and (to is not RequestStatus.REJECTED or bool(text.strip()))
        )
        try:
            change_status(self.ctx, request_id, to, text, by="Петрова")
        except DomainError:
            assert not allowed
            assert self._read(request_id) == before
            return
        assert allowed
        assert self._read(request_id).status is to
        event(f"moved to {to.value}")

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def dispatcher_advances(self, data: st.DataObject) -> None:
        """The usual next step, so that done, rated and reopened requests are common."""
        request_id = data.draw(st.sampled_from(self.ids))
        current = self._read(request_id).status
        following = {
            RequestStatus.NEW: RequestStatus.ACCEPTED,
            RequestStatus.ACCEPTED: RequestStatus.IN_PROGRESS,
            RequestStatus.IN_PROGRESS: RequestStatus.DONE,
        }.get(current)
        if following is None:
            with pytest.raises(DomainError):
                change_status(self.ctx, request_id, RequestStatus.DONE, "Готово", by="Петрова")
            return
        change_status(self.ctx, request_id, following, "Готово", by="Петрова")
        event(f"moved to {following.value}")

    @rule(login=st.sampled_from(LOGINS))
    def staff_member_joins(self, login: str) -> None:
        with self.ctx.uow_factory() as uow:
            uow.staff.add(StaffMember(login, f"Мастер {login}", StaffRole.DISPATCHER, "-",
                                      self.clock.now()))  # fmt: skip
            uow.commit()

    @rule(login=st.sampled_from(LOGINS))
    def staff_member_is_disabled(self, login: str) -> None:
        with self.ctx.uow_factory() as uow:
            member = uow.staff.get(login)
            if member is not None:
                member.disabled_at = self.clock.now()
                uow.staff.save(member)
                uow.commit()

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), executor=st.sampled_from(EXECUTORS))
    def dispatcher_assigns(self, data: st.DataObject, executor: str) -> None:
        """An assignment is made exactly when the request is open and the executor is
        configured or an active staff member; otherwise nothing changes."""
        request_id = data.draw(st.sampled_from(self.ids))
        before = self._read(request_id)
        with self.ctx.uow_factory(read_only=True) as uow:
            active = {f"Мастер {m.login}" for m in uow.staff.all() if m.is_active}
        allowed = before.status.is_open and executor in {EXECUTOR} | active
        try:
            assign_executor(self.ctx, request_id, executor, "Петрова")
        except DomainError:
            assert not allowed
            assert self._read(request_id) == before
            return
        assert allowed
        assert self._read(request_id).executor == executor
        event("assigned a staff member" if executor in active else "assigned")

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), score=st.integers(min_value=0, max_value=6), by_owner=st.booleans())
    def resident_rates(self, data: st.DataObject, score: int, by_owner: bool) -> None:
        request_id = data.draw(st.sampled_from(self.ids))
        owner = self._read(request_id).account_key
        account = owner if by_owner else ({IVANOV, SEMENOV} - {owner}).pop()
        before = self._read(request_id)
        self._attempt(request_id, lambda: rate_request(self.ctx, account, request_id, score, "ок"))
        if self._read(request_id).rating is not None and before.rating is None:
            event("rated")

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), reason=TEXTS, by_owner=st.booleans())
    def resident_reopens(self, data: st.DataObject, reason: str, by_owner: bool) -> None:
        request_id = data.draw(st.sampled_from(self.ids))
        before = self._read(request_id)
        owner = before.account_key
        account = owner if by_owner else ({IVANOV, SEMENOV} - {owner}).pop()
        try:
            reopen_request(self.ctx, account, request_id, reason)
        except DomainError:
            assert self._read(request_id) == before
            return
        event("reopened")
        assert by_owner
        assert before.status is RequestStatus.DONE
        assert before.completed_at is not None
        assert self.clock.now() - before.completed_at <= self.ctx.policy.reopen_within

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), score=st.integers(min_value=1, max_value=5))
    def owner_rates_a_done_request(self, data: st.DataObject, score: int) -> None:
        """The owner rates a done request: once per completion, never twice."""
        done = [i for i in self.ids if self._read(i).status is RequestStatus.DONE]
        if not done:
            return
        request_id = data.draw(st.sampled_from(done))
        before = self._read(request_id)
        try:
            rate_request(self.ctx, before.account_key, request_id, score, "Спасибо")
        except DomainError:
            assert before.rating is not None
            assert self._read(request_id) == before
            return
        assert before.rating is None
        after = self._read(request_id).rating
        assert after is not None
        assert after.score == score
        event("rated")

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def owner_reopens_a_done_request(self, data: st.DataObject) -> None:
        """The owner reopens a done request: it works exactly within the window."""
        done = [i for i in self.ids if self._read(i).status is RequestStatus.DONE]
        if not done:
            return
        request_id = data.draw(st.sampled_from(done))
        before = self._read(request_id)
        assert before.completed_at is not None
        in_window = self.clock.now() - before.completed_at <= self.ctx.policy.reopen_within
        try:
            reopen_request(self.ctx, before.account_key, request_id, "Снова течёт")
        except DomainError:
            assert not in_window
            assert self._read(request_id) == before
            return
        assert in_window
        assert self._read(request_id).status is RequestStatus.NEW
        event("reopened")

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), text=TEXTS, dispatcher=st.booleans())
    def someone_comments(self, data: st.DataObject, text: str, dispatcher: bool) -> None:
        request_id = data.draw(st.sampled_from(self.ids))
        owner = self._read(request_id).account_key
        try:
            if dispatcher:
                comment_as_dispatcher(self.ctx, request_id, text, "Петрова")
            else:
                comment_as_resident(self.ctx, owner, request_id, text)
        except DomainError:
            assert not text.strip() or len(text.strip()) > 2000

    @rule(days=st.integers(min_value=0, max_value=9), hours=st.integers(min_value=0, max_value=23))
    def time_passes(self, days: int, hours: int) -> None:
        before = self.clock.now()
        self.clock.advance(days=days, hours=hours)
        if before.date() != self.clock.now().date():
            self.created_today.clear()

    @invariant()
    def every_request_is_in_a_valid_state(self) -> None:
        for request_id in self.ids:
            view = request_view(self.ctx, request_id)
            request = view.request
            assert request.status in RequestStatus
            assert (request.status is RequestStatus.REJECTED) == bool(request.reject_reason)
            assert (request.status is RequestStatus.DONE) == (request.completed_at is not None)
            assert request.rating is None or request.status is RequestStatus.DONE
            assert request.due_at >= request.created_at
            # The history numbers every change from 1 and ends in the current status.
            assert [e.seq for e in view.history] == list(range(1, request.version + 1))
            assert view.history[0].kind is ChangeKind.CREATED
            assert view.history[-1].status is request.status
            assert all(c.text.strip() and len(c.text) <= 2000 for c in view.comments)
            assert all(len(e.text) <= 2000 for e in view.history)


RequestLifecycle.TestCase.settings = settings(
    max_examples=100, stateful_step_count=40, deadline=dt.timedelta(seconds=2)
)
TestRequestLifecycle = RequestLifecycle.TestCase

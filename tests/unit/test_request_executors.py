"""The roster of executors (ADR 0069): the configured names and the active staff members,
no two names alike; an assignment names someone on it, or is refused and changes nothing;
a request assigned before keeps its free-text executor."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.kernel.errors import InvalidValue
from lk_core.requests import (
    ConfiguredExecutors,
    ExecutorNotOnRoster,
    ExecutorRoster,
    ExecutorSource,
    RequestClosed,
    RequestStatus,
    assign_executor,
    change_status,
    create_request,
    executor_roster,
    request_view,
)
from lk_core.staff.members import StaffMember, StaffRole
from requests_fixtures import EXECUTOR, IVANOV, START, a_form, requests_context


@attrs.frozen
class Member:
    """A staff member as the requests read one."""

    login: str
    name: str
    is_active: bool = True


def member(login: str, name: str, *, disabled: bool = False) -> StaffMember:
    return StaffMember(login, name, StaffRole.DISPATCHER, "-", START,
                       disabled_at=START if disabled else None)  # fmt: skip


def with_staff(factory: InMemoryUnitOfWorkFactory, *members: StaffMember) -> None:
    with factory() as uow:
        for m in members:
            uow.staff.add(m)
        uow.commit()


def test_the_roster_is_the_configured_names_then_the_active_staff_by_login() -> None:
    roster = ExecutorRoster.of(
        ConfiguredExecutors(("ООО «Лифтсервис»", "Бригада №2")),
        [Member("sidorov", "Сидоров Пётр"), Member("belov", "Белов Сергей"),
         Member("gone", "Уволенный", is_active=False)],
    )  # fmt: skip

    assert roster.names == ("ООО «Лифтсервис»", "Бригада №2", "Белов Сергей", "Сидоров Пётр")
    assert [e.source for e in roster.executors] == [ExecutorSource.CONFIGURED] * 2 + [
        ExecutorSource.STAFF
    ] * 2
    assert roster.of_source(ExecutorSource.STAFF)[0].login == "belov"


def test_a_name_two_members_share_or_configuration_has_is_told_apart_by_the_login() -> None:
    roster = ExecutorRoster.of(
        ConfiguredExecutors(("Белов Сергей",)),
        [Member("ivanova", "Иванова Мария"), Member("ivanova.m", "иванова  мария"),
         Member("belov", "Белов Сергей"), Member("petrov", "")],
    )  # fmt: skip

    assert roster.names == ("Белов Сергей", "Белов Сергей (belov)", "Иванова Мария (ivanova)",
                            "иванова мария (ivanova.m)", "petrov")  # fmt: skip


def test_a_name_is_found_whatever_its_case_and_spaces_and_kept_as_the_roster_has_it() -> None:
    roster = ExecutorRoster.of(ConfiguredExecutors(("Бригада  №2 ",)), [])

    assert roster.names == ("Бригада №2",)
    assert roster.checked("  бригада №2") == "Бригада №2"


def test_an_empty_or_unknown_executor_is_refused_with_a_russian_message() -> None:
    roster = ExecutorRoster.of(ConfiguredExecutors((EXECUTOR,)), [])

    with pytest.raises(InvalidValue, match="Выберите исполнителя из списка"):
        roster.checked("  ")
    with pytest.raises(ExecutorNotOnRoster) as refused:
        roster.checked("Сосед дядя Вася")
    assert refused.value.message_ru == (
        "Исполнителя «Сосед дядя Вася» нет в списке исполнителей. Выберите исполнителя из списка"
    )


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("Бригада", "бригада "), "Исполнитель «бригада» указан дважды"),
        (("x" * 201,), "от 1 до 200 знаков"),
        (("  ",), "от 1 до 200 знаков"),
    ],
)
def test_configuration_lists_distinct_names_of_at_most_200_characters(
    names: tuple[str, ...], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        ConfiguredExecutors(names)


# --- assigning ---------------------------------------------------------------------------


def test_a_staff_member_is_assigned_by_the_name_the_roster_shows() -> None:
    factory = InMemoryUnitOfWorkFactory()
    ctx = requests_context(factory=factory)
    with_staff(factory, member("belov", "Белов Сергей"))
    made = create_request(ctx, IVANOV, a_form())

    assigned = assign_executor(ctx, made.id, "белов сергей", "Петрова")

    assert assigned.executor == "Белов Сергей"
    assert executor_roster(ctx).names == (EXECUTOR, "Белов Сергей")
    assert request_view(ctx, made.id).history[-1].text == "Белов Сергей"


@pytest.mark.parametrize("executor", ["Сосед дядя Вася", "Уволенный Мастер", ""])
def test_an_executor_not_on_the_roster_is_refused_and_nothing_changes(executor: str) -> None:
    factory = InMemoryUnitOfWorkFactory()
    ctx = requests_context(factory=factory)
    with_staff(factory, member("gone", "Уволенный Мастер", disabled=True))
    made = create_request(ctx, IVANOV, a_form())
    before = request_view(ctx, made.id)

    with pytest.raises((ExecutorNotOnRoster, InvalidValue)):
        assign_executor(ctx, made.id, executor, "Петрова")

    after = request_view(ctx, made.id)
    assert (after.request, after.history) == (before.request, before.history)


def test_a_closed_request_takes_no_executor_even_from_the_roster() -> None:
    ctx = requests_context()
    made = create_request(ctx, IVANOV, a_form())
    change_status(ctx, made.id, RequestStatus.REJECTED, "Дубликат", "Петрова")

    with pytest.raises(RequestClosed, match="только незакрытой заявке"):
        assign_executor(ctx, made.id, EXECUTOR, "Петрова")


def test_a_free_text_executor_assigned_before_the_roster_stays_as_it_was_written() -> None:
    factory = InMemoryUnitOfWorkFactory()
    ctx = requests_context(factory=factory)
    made = create_request(ctx, IVANOV, a_form())
    with factory() as uow:  # as a request assigned before ADR 0069 was stored
        old = uow.service_requests.get(made.id)
        assert old is not None
        old.executor = "Вася из ЖЭКа"
        assert uow.service_requests.save(old, old.version)
        uow.commit()

    view = request_view(ctx, made.id)
    assert view.request.executor == "Вася из ЖЭКа"
    with pytest.raises(ExecutorNotOnRoster):
        assign_executor(ctx, made.id, "Вася из ЖЭКа", "Петрова")
    assert assign_executor(ctx, made.id, EXECUTOR, "Петрова").executor == EXECUTOR


# --- the law of the roster ---------------------------------------------------------------

NAMES = st.text(alphabet="Аа Бб()x", min_size=0, max_size=12)
LOGIN = st.from_regex(r"[a-z]{2,6}", fullmatch=True)


@given(
    configured=st.lists(NAMES.filter(str.strip), max_size=5, unique_by=lambda n: " ".join(
        n.split()).casefold()),
    staff=st.lists(st.builds(Member, LOGIN, NAMES, st.booleans()), max_size=8,
                   unique_by=lambda m: m.login),
)  # fmt: skip
def test_every_name_on_the_roster_is_distinct_and_names_exactly_one_choice(
    configured: list[str], staff: list[Member]
) -> None:
    roster = ExecutorRoster.of(ConfiguredExecutors(tuple(configured)), staff)
    folded = [" ".join(name.split()).casefold() for name in roster.names]

    assert len(set(folded)) == len(folded)
    assert all(0 < len(name) <= 200 for name in roster.names)
    assert [e.name for e in roster.of_source(ExecutorSource.CONFIGURED)] == [
        " ".join(n.split()) for n in configured
    ]
    assert sorted(e.login for e in roster.of_source(ExecutorSource.STAFF)) == sorted(
        m.login for m in staff if m.is_active
    )
    assert all(roster.find(e.name) == e for e in roster.executors)


def test_a_configured_name_written_as_a_members_name_with_login_is_still_told_apart() -> None:
    roster = ExecutorRoster.of(
        ConfiguredExecutors(("Иванова (ivanova)", "Иванова")),
        [Member("ivanova", "Иванова")],
    )

    assert roster.names == ("Иванова (ivanova)", "Иванова", "Иванова (ivanova, 2)")

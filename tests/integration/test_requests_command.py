"""`lk requests list|show|executors|assign|status|comment` as an operator or a script runs
them (F30): click's CliRunner over a real SQLite file and a PostgreSQL schema; each view and
action is in the audit log under the operator's name; the resident is told of changes; only
someone on the roster of executors is assigned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from company_env import A_COMPANY
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.main import cli
from lk_core.access.audit import AuditKind
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.accounts.contacts import Email
from lk_core.requests import RequestForm, RequestStatus, create_request
from lk_core.staff.administration import create_staff, disable_staff
from lk_core.staff.members import StaffRole

from .test_operator_commands import database_url

__all__ = ["database_url"]

IVANOV, SEMENOV = "100234", "100235"


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "LK_DATABASE_URL": database_url,
        "LK_SECRET_KEY": "k" * 40,
        "LK_REQUESTS_PHOTO_FOLDER": str(tmp_path / "photos"),
        "LK_REQUESTS_EXECUTORS": "Слесарь Кузнецов\nООО «Лифтсервис»",
        **A_COMPANY,
        "COLUMNS": "200",
    }


@pytest.fixture
def made(env: dict[str, str]) -> Iterator[tuple[object, list[str]]]:
    """Two requests of Иванов (one an emergency in house T-1) and one of Семёнов (T-2)."""
    container = build_container(load_settings(env))
    upgrade_database(container.engine())
    with container.uow_factory()() as uow:
        uow.houses.upsert_many([House("T-1", "ул. Тверская, 1", Decimal(1)),
                                House("T-2", "ул. Тверская, 2", Decimal(1))])  # fmt: skip
        ivanov = Account(AccountNumber(IVANOV), "T-1", "Иванов Иван", "1", 1, Decimal(30), 1,
                         email=Email.parse("ivanov@example.ru"), email_informing=True)  # fmt: skip
        semenov = Account(AccountNumber(SEMENOV), "T-2", "Семёнов Пётр", "2", 1, Decimal(30), 1)
        uow.accounts.upsert_from_billing([ivanov, semenov])
        uow.accounts.save(ivanov)
        uow.commit()
    ctx = container.requests()
    ids = [
        create_request(ctx, IVANOV, RequestForm("plumbing", "Течёт кран", "+79123456789")).id,
        create_request(
            ctx, IVANOV, RequestForm("lift", "Застрял лифт", "+79123456789", emergency=True)
        ).id,
        create_request(ctx, SEMENOV, RequestForm("yard", "Яма во дворе", "+79001112233")).id,
    ]
    try:
        yield container, ids
    finally:
        container.engine().dispose()


def lk(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def test_list_gives_json_for_scripts_emergencies_first(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    _, ids = made
    result = lk(env, "requests", "list", "--json", "--operator", "petrova.o")

    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert listed["requests"][0]["id"] == ids[1]
    assert {r["id"] for r in listed["requests"]} == set(ids)
    assert listed["has_more"] is False


def test_list_filters_by_house_category_status_and_emergency(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    _, ids = made

    def listed(*options: str) -> set[str]:
        result = lk(env, "requests", "list", "--json", *options)
        assert result.exit_code == 0, result.output
        return {r["id"] for r in json.loads(result.output)["requests"]}

    assert listed("--house", "T-2") == {ids[2]}
    assert listed("--category", "plumbing") == {ids[0]}
    assert listed("--emergency") == {ids[1]}
    assert listed("--not-emergency", "--house", "T-1") == {ids[0]}
    assert listed("--status", "done") == set()
    assert listed("--overdue") == set()
    assert listed("--limit", "1", "--offset", "1") <= set(ids)


def test_list_prints_a_table(env: dict[str, str], made: tuple[object, list[str]]) -> None:
    result = lk(env, "requests", "list")

    assert result.exit_code == 0, result.output
    assert "Лифт (аварийная)" in result.output
    assert "новая" in result.output


def test_assign_status_and_comment_change_the_request_and_are_audited(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    container, ids = made
    request_id = ids[0]

    assert (
        lk(
            env, "requests", "assign", request_id, "Слесарь Кузнецов", "--operator", "petrova.o"
        ).exit_code
        == 0
    )
    accepted = lk(env, "requests", "status", request_id, "accepted", "--comment", "Завтра в 10",
                  "--operator", "petrova.o")  # fmt: skip
    assert accepted.exit_code == 0, accepted.output
    assert "принята" in accepted.output
    commented = lk(
        env, "requests", "comment", request_id, "Откройте подвал", "--operator", "petrova.o"
    )
    assert commented.exit_code == 0, commented.output

    shown = lk(env, "requests", "show", request_id, "--json", "--operator", "petrova.o")
    view = json.loads(shown.output)
    assert view["status"] == "accepted"
    assert view["executor"] == "Слесарь Кузнецов"
    assert [h["kind"] for h in view["history"]] == ["created", "assigned", "status"]
    assert view["comments"][0]["text"] == "Откройте подвал"
    assert view["comments"][0]["author"] == "Диспетчер petrova.o"

    with container.uow_factory()() as uow:  # type: ignore[attr-defined]
        events = uow.audit.of_account(IVANOV, 50)
        outbox = uow.outbox.recent(10)
    commands = {dict(e.details).get("command") for e in events if e.actor == "operator:petrova.o"}
    assert {"requests assign", "requests status", "requests comment", "requests show"} <= commands
    assert all(e.kind in (AuditKind.OPERATOR_ACTION, AuditKind.OPERATOR_VIEW) for e in events)
    assert any(m.email is not None and "Завтра в 10" in m.email.text for m in outbox)


def test_a_rejection_without_a_reason_is_refused_with_exit_1(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    _, ids = made
    result = lk(env, "requests", "status", ids[2], "rejected")

    assert result.exit_code == 1
    assert "Укажите причину отказа" in result.output
    view = json.loads(lk(env, "requests", "show", ids[2], "--json").output)
    assert view["status"] == RequestStatus.NEW.value


def test_an_unknown_request_is_not_found(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    result = lk(env, "requests", "show", "0" * 32)

    assert result.exit_code == 1
    assert "Не найдено" in result.output


# --- executors -------------------------------------------------------------------------------

STAFF_PASSWORD = "диспетчерская смена 7"


def staff_of(container: object, login: str, name: str) -> None:
    create_staff(container.staff(), "operator:test", login, name,  # type: ignore[attr-defined]
                 StaffRole.DISPATCHER, STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip


def test_executors_lists_the_configured_names_and_the_active_staff_for_scripts(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    container, _ = made
    staff_of(container, "belov", "Белов Сергей")
    staff_of(container, "gone", "Уволенный Мастер")
    disable_staff(container.staff(), "operator:test", "gone")  # type: ignore[attr-defined]

    listed = lk(env, "requests", "executors", "--json")
    table = lk(env, "requests", "executors")

    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == {"executors": [
        {"name": "Слесарь Кузнецов", "source": "configured", "login": None},
        {"name": "ООО «Лифтсервис»", "source": "configured", "login": None},
        {"name": "Белов Сергей", "source": "staff", "login": "belov"},
    ]}  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "ООО «Лифтсервис»" in table.output
    assert "сотрудник" in table.output
    assert "Уволенный" not in table.output


def test_assign_takes_a_staff_member_by_name_whatever_its_case(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    container, ids = made
    staff_of(container, "belov", "Белов Сергей")

    result = lk(env, "requests", "assign", ids[0], "белов  сергей", "--operator", "petrova.o")

    assert result.exit_code == 0, result.output
    assert "исполнитель Белов Сергей" in result.output
    view = json.loads(lk(env, "requests", "show", ids[0], "--json").output)
    assert view["executor"] == "Белов Сергей"


def test_assign_refuses_an_executor_not_on_the_roster_with_exit_1_and_changes_nothing(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    container, ids = made
    staff_of(container, "gone", "Уволенный Мастер")
    disable_staff(container.staff(), "operator:test", "gone")  # type: ignore[attr-defined]

    unknown = lk(env, "requests", "assign", ids[0], "Сосед дядя Вася", "--operator", "petrova.o")
    disabled = lk(env, "requests", "assign", ids[0], "Уволенный Мастер", "--operator", "petrova.o")

    assert unknown.exit_code == 1
    assert "Исполнителя «Сосед дядя Вася» нет в списке исполнителей" in unknown.output
    assert disabled.exit_code == 1
    view = json.loads(lk(env, "requests", "show", ids[0], "--json").output)
    assert view["executor"] == ""
    assert [h["kind"] for h in view["history"]] == ["created"]


def test_list_and_show_name_requests_by_their_numbers_in_digits(
    env: dict[str, str], made: tuple[object, list[str]]
) -> None:
    _, ids = made

    listed = json.loads(lk(env, "requests", "list", "--json").output)["requests"]
    table = lk(env, "requests", "list").output

    assert {r["id"]: r["number"] for r in listed} == {ids[0]: "1", ids[1]: "2", ids[2]: "3"}
    lift = next(line for line in table.splitlines() if "Лифт (аварийная)" in line)
    assert lift.split("│")[1].strip() == "2"


@pytest.mark.parametrize("typed", ["2", "№2", "№ 2"])
def test_show_opens_a_request_by_its_number_and_audits_it(
    env: dict[str, str], made: tuple[object, list[str]], typed: str
) -> None:
    container, ids = made

    shown = lk(env, "requests", "show", typed, "--json", "--operator", "petrova.o")
    printed = lk(env, "requests", "show", typed)

    assert shown.exit_code == 0, shown.output
    assert (json.loads(shown.output)["id"], json.loads(shown.output)["number"]) == (ids[1], "2")
    assert printed.exit_code == 0, printed.output
    assert "Заявка №2" in printed.output
    assert ids[1] in printed.output
    with container.uow_factory()() as uow:  # type: ignore[attr-defined]
        events = uow.audit.of_account(IVANOV, 50)
    assert any(dict(e.details) == {"command": "requests show", "request": ids[1]}
               for e in events if e.actor == "operator:petrova.o")  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "message"),
    [("9", "Заявки №9 нет. Проверьте номер"), ("7E8059CC", "только из цифр")],
)
def test_show_with_a_number_no_request_has_says_so_with_exit_1(
    env: dict[str, str], made: tuple[object, list[str]], typed: str, message: str
) -> None:
    result = lk(env, "requests", "show", typed)

    assert result.exit_code == 1
    assert message in result.output

"""`lk accounts …` and `lk notify` as an operator runs them (F25, F26): click's CliRunner
over a real SQLite file and a PostgreSQL schema, and for delivery a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from company_env import A_COMPANY
from conftest import SQL_DATABASES, postgres_url
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_cli.main import cli
from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.one_time_secrets import SecretPurpose, issue_link_token
from lk_core.access.registration import (
    ConfirmationMethod,
    Consent,
    ConsentKind,
    Registration,
    RegistrationStatus,
)
from lk_core.access.sessions import Session
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.accounts.contacts import Email, Phone
from lk_core.ledger.services import Service
from lk_core.messaging.outbox import OutboxMessage
from lk_core.unit_of_work import UnitOfWork, UnitOfWorkFactory

from .test_outbox_command import Inbox, production_env, sms_ru, smtp_inbox

__all__ = ["sms_ru", "smtp_inbox"]

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$SECRETHASHSECRETHASH"
PEPPER = b"unused-here"
IVANOV, SEMENOV, PETROVA = "100234", "100235", "100236"


@pytest.fixture(params=SQL_DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lk.sqlite3'}"
        yield url
        return
    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        scoped = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


class Database:
    """The database the commands work on, read and written by the tests directly."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        upgrade_database(self.engine)
        self.uow_factory: UnitOfWorkFactory = SqlAlchemyUnitOfWorkFactory(self.engine)

    def __call__(self) -> UnitOfWork:
        return self.uow_factory()

    def outbox(self) -> list[OutboxMessage]:
        with self() as uow:
            return uow.outbox.recent(1000)

    def operator_events(self, key: str | None = None) -> list[AuditEvent]:
        with self() as uow:
            events = uow.audit.of_account(key, 100) if key else []
        return [e for e in events if e.actor.startswith("operator:")]


def an_account(key: str, name: str, flat: str, **contacts: Any) -> Account:
    return Account(
        AccountNumber(key, "А" if key == IVANOV else ""), "H1", name, flat, 2,
        Decimal("54.30"), 2, **contacts,
    )  # fmt: skip


def informing_consent(key: str, kind: ConsentKind, address: str) -> Consent:
    return Consent(key, kind, "2025-09-01", True, NOW, "198.51.100.7", "Firefox", address)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """Ivanov registered (with a session and a pending reset link) and opted in to e-mail
    and SMS; Semenov registering by e-mail, opted in to e-mail; Petrova nothing."""
    database = Database(database_url)
    ivanov_email, semenov_email = "ivanov@example.ru", "semenov@example.ru"
    with database() as uow:
        uow.houses.upsert_many([House("H1", "г. Тверь, ул. Советская, д. 1", Decimal("4210.55"))])
        uow.services.upsert_many([Service("HW", "Горячая вода", "м³", "")])
        uow.accounts.upsert_from_billing(
            [
                an_account(IVANOV, "Иванов Иван Иванович", "12"),
                an_account(SEMENOV, "Семёнов Пётр Алексеевич", "13"),
                an_account(PETROVA, "Петрова Анна Сергеевна", "14"),
            ]
        )
        for key, email, phone in (
            (IVANOV, ivanov_email, "+79120000001"),
            (SEMENOV, semenov_email, None),
        ):
            account = uow.accounts.get(key)
            assert account is not None
            account.email = Email(email)
            account.email_informing = True
            uow.consents.add(informing_consent(key, ConsentKind.EMAIL_INFORMING, email))
            if phone:
                account.phone = Phone(phone)
                account.sms_informing = True
                uow.consents.add(informing_consent(key, ConsentKind.SMS_INFORMING, phone))
            uow.accounts.save(account)
        uow.registrations.save(
            Registration(
                IVANOV, Email(ivanov_email), PASSWORD_HASH, ConfirmationMethod.EMAIL,
                NOW, RegistrationStatus.CONFIRMED, confirmed_at=NOW,
            )
        )  # fmt: skip
        uow.registrations.save(
            Registration(
                SEMENOV, Email(semenov_email), PASSWORD_HASH, ConfirmationMethod.EMAIL, NOW
            )
        )
        uow.sessions.add(Session("a" * 64, NOW, NOW, registration_key=IVANOV, account_key=IVANOV))
        for key, purpose in ((IVANOV, SecretPurpose.PASSWORD_RESET),
                             (SEMENOV, SecretPurpose.REGISTRATION)):  # fmt: skip
            _, secret = issue_link_token(
                purpose, key, now=NOW, lifetime=dt.timedelta(hours=24), pepper=PEPPER
            )
            uow.secrets.add(secret)
        uow.ledger.upsert_rows([(IVANOV, 202602, "HW", 0, 612_345, 0, 0, None, None, "")])
        uow.commit()
    try:
        yield database
    finally:
        database.engine.dispose()


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    return {
        "LK_DATABASE_URL": database_url,
        "LK_SECRET_KEY": "k" * 40,
        **A_COMPANY,
        "COLUMNS": "200",
    }


def lk(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def assert_no_secret_in(output: str) -> None:
    assert PASSWORD_HASH not in output
    assert "argon2" not in output
    assert "secret_hash" not in output


# --- accounts find / show --------------------------------------------------------------


def test_find_prints_a_table_of_matches_with_their_registration(
    db: Database, env: dict[str, str]
) -> None:
    result = lk(env, "accounts", "find", "семенов", "--operator", "petrova.o")

    assert result.exit_code == 0, result.output
    assert "100235" in result.output
    assert "Семёнов Пётр Алексеевич" in result.output
    assert "ул. Советская, д. 1, кв. 13" in result.output
    assert "ждёт подтверждения по e-mail" in result.output
    assert "Иванов" not in result.output
    [event] = db.operator_events(SEMENOV)
    assert (event.kind, event.actor) == (AuditKind.OPERATOR_VIEW, "operator:petrova.o")


def test_find_gives_json_for_scripts(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "find", "ivanov@EXAMPLE", "--json")

    assert result.exit_code == 0, result.output
    [found] = json.loads(result.output)
    assert found["number"] == "100234-А"
    assert found["registration"]["confirmed"] is True
    assert found["registration"]["email"] == "ivanov@example.ru"
    assert_no_secret_in(result.output)


def test_find_without_matches_says_so(db: Database, env: dict[str, str]) -> None:
    assert "Ничего не найдено." in lk(env, "accounts", "find", "Кузнецов").output
    assert json.loads(lk(env, "accounts", "find", "Кузнецов", "--json").output) == []


def test_show_prints_the_account_its_registration_events_and_consents(
    db: Database, env: dict[str, str]
) -> None:
    lk(env, "accounts", "find", IVANOV, "--operator", "earlier.op")

    result = lk(env, "accounts", "show", "100234-А", "--operator", "petrova.o")

    assert result.exit_code == 0, result.output
    for shown in (
        "Лицевой счёт 100234-А", "Иванов Иван Иванович", "6 123,45", "подтверждена",
        "ivanov@example.ru", "operator:earlier.op", "просмотр оператором",
        "информирование по e-mail", "смс-информирование",
    ):  # fmt: skip
        assert shown in result.output.replace("\u00a0", " ")
    assert_no_secret_in(result.output)


def test_show_as_json_holds_everything_but_secrets(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "show", IVANOV, "--json")

    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["debt"] == "6123.45"
    assert card["email_informing"] is True
    assert card["registration"]["confirmed"] is True
    assert {c["kind"] for c in card["consents"]} == {"email_informing", "sms_informing"}
    assert card["linked_accounts"] == []
    assert_no_secret_in(result.output)


def test_show_of_an_unknown_account_exits_1_with_a_message(
    env: dict[str, str], db: Database
) -> None:
    result = lk(env, "accounts", "show", "777")

    assert result.exit_code == 1
    assert "Лицевой счёт 777 не найден" in result.output


# --- accounts reset / resend -----------------------------------------------------------


def test_reset_asks_first_and_a_no_changes_nothing(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "reset", IVANOV, "--reason", "сменился e-mail", input="n\n")

    assert result.exit_code == 1
    with db() as uow:
        assert uow.registrations.get(IVANOV) is not None
    assert db.operator_events(IVANOV) == []


def test_reset_removes_the_registration_sessions_and_pending_links(
    db: Database, env: dict[str, str]
) -> None:
    result = lk(
        env, "accounts", "reset", "100234-А", "--reason", "сменился e-mail, паспорт предъявлен",
        "--operator", "petrova.o", input="y\n",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "сброшена" in result.output
    assert "Завершено сеансов: 1, аннулировано ссылок и кодов: 1" in result.output
    with db() as uow:
        assert uow.registrations.get(IVANOV) is None
        assert uow.sessions.get("a" * 64) is None
        assert uow.secrets.latest(IVANOV, SecretPurpose.PASSWORD_RESET).attempts_left == 0  # type: ignore[union-attr]
    [event] = db.operator_events(IVANOV)
    assert event.kind is AuditKind.OPERATOR_ACTION
    assert event.actor == "operator:petrova.o"
    assert dict(event.details)["reason"] == "сменился e-mail, паспорт предъявлен"


def test_reset_with_yes_and_json_asks_nothing(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "reset", IVANOV, "--reason", "просьба", "--yes", "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "number": IVANOV, "reset": True, "email": "i***@e***.ru",
        "sessions_ended": 1, "secrets_voided": 1, "links_removed": 0,
    }  # fmt: skip


def test_reset_needs_a_reason(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "reset", IVANOV, "--yes")

    assert result.exit_code == 2
    assert "--reason" in result.output


def test_resetting_an_unregistered_account_exits_1(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "reset", PETROVA, "--reason", "просьба", "--yes")

    assert result.exit_code == 1
    assert "не зарегистрирован" in result.output


def test_resend_queues_a_fresh_link_and_voids_the_earlier_one(
    db: Database, env: dict[str, str]
) -> None:
    result = lk(env, "accounts", "resend", SEMENOV, "--yes", "--operator", "petrova.o")

    assert result.exit_code == 0, result.output
    assert "s***@e***.ru" in result.output
    [message] = db.outbox()
    assert message.email is not None
    assert message.email.to == "semenov@example.ru"
    assert "/register/confirm/" in message.email.text
    with db() as uow:
        latest = uow.secrets.latest(SEMENOV, SecretPurpose.REGISTRATION)
    assert latest is not None
    assert latest.is_usable(dt.datetime.now(dt.UTC))
    [event] = db.operator_events(SEMENOV)
    assert dict(event.details) == {"action": "confirmation_resent", "method": "email"}


def test_resend_for_a_confirmed_registration_exits_1(db: Database, env: dict[str, str]) -> None:
    result = lk(env, "accounts", "resend", IVANOV, "--yes")

    assert result.exit_code == 1
    assert "уже подтверждена" in result.output
    assert db.outbox() == []


# --- notify ----------------------------------------------------------------------------

TEMPLATE = "Тема: Задолженность по счёту {number}\n\nЗдравствуйте, {name}! Ваш долг: {debt}.\n"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "debt.txt"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def test_a_dry_run_counts_and_shows_a_sample_but_queues_nothing(
    db: Database, env: dict[str, str], template: Path
) -> None:
    result = lk(env, "notify", "--all", "--email", "--sms", "--template", str(template),
                "--dry-run", "--json")  # fmt: skip

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["selected"] == 3
    assert report["channels"]["email"] == {
        "queued": 2, "already_queued": 0, "opted_out": 1, "no_contact": 0,
    }  # fmt: skip
    assert report["channels"]["sms"]["queued"] == 1
    assert report["sample"]["text"] == (
        "Здравствуйте, Иванов Иван Иванович! Ваш долг: 6\u00a0123,45\u00a0₽."
    )
    assert report["sample"]["to"] == "+7 ••• •••-00-01"
    assert db.outbox() == []


def test_a_dry_run_on_a_terminal_prints_a_table_and_the_sample(
    db: Database, env: dict[str, str], template: Path
) -> None:
    result = lk(env, "notify", "--min-debt", "1000", "--email", "--template", str(template),
                "--dry-run")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Выбрано счетов (пробный прогон): 1" in result.output
    assert "Задолженность по счёту 100234-А" in result.output


def test_notify_asks_before_queueing_and_queues_once_however_often_it_runs(
    db: Database, env: dict[str, str], template: Path
) -> None:
    args = ("notify", "--house", "H1", "--email", "--sms", "--template", str(template))

    first = lk(env, *args, input="y\n")
    again = lk(env, *args, "--yes", "--json")

    assert first.exit_code == 0, first.output
    assert "Поставить в очередь сообщений: 3?" in first.output
    assert len(db.outbox()) == 3
    assert again.exit_code == 0, again.output
    report = json.loads(again.output)
    assert report["channels"]["email"]["already_queued"] == 2
    assert report["channels"]["email"]["queued"] == 0
    assert len(db.outbox()) == 3
    keys = {tuple(m.dedupe_key.split(":")[2:]) for m in db.outbox() if m.dedupe_key}
    assert keys == {("email", IVANOV), ("email", SEMENOV), ("sms", IVANOV)}


def test_notify_to_a_list_of_accounts_from_a_file(
    db: Database, env: dict[str, str], tmp_path: Path
) -> None:
    listed = tmp_path / "accounts.txt"
    listed.write_text("# должники\n100235\n100236\n", encoding="utf-8")

    result = lk(env, "notify", "--accounts-file", str(listed), "--email", "--text",
                "Отключение воды 3 июня, {company}.", "--yes", "--json")  # fmt: skip

    assert result.exit_code == 0, result.output
    [message] = db.outbox()
    assert message.email is not None
    assert message.email.to == "semenov@example.ru"
    assert message.email.subject == "Сообщение от ООО «УК Пример»"
    assert message.email.text == "Отключение воды 3 июня, ООО «УК Пример».\n"


def test_a_template_mistake_exits_3_naming_file_line_and_column(
    db: Database, env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("Тема: Долг\n\nЗдравствуйте, {имя}!\n", encoding="utf-8")

    result = lk(env, "notify", "--all", "--email", "--template", str(bad), "--yes")

    assert result.exit_code == 3
    assert f"{bad}:3:15: неизвестное поле «{{имя}}»" in result.output
    assert db.outbox() == []


def test_a_bad_account_number_in_a_list_exits_3_naming_line_and_column(
    db: Database, env: dict[str, str], tmp_path: Path
) -> None:
    listed = tmp_path / "accounts.txt"
    listed.write_text("100235\n  12-ab-34\n", encoding="utf-8")

    result = lk(env, "notify", "--accounts-file", str(listed), "--email", "--text", "x", "--yes")

    assert result.exit_code == 3
    assert f"{listed}:2:3:" in result.output


def test_notify_needs_a_channel_and_an_audience(db: Database, env: dict[str, str]) -> None:
    assert lk(env, "notify", "--all", "--text", "x").exit_code == 2
    no_audience = lk(env, "notify", "--email", "--text", "x")
    assert no_audience.exit_code == 2
    assert "--all" in no_audience.output


def test_notify_emails_reach_a_real_smtp_server_through_the_outbox_worker(
    db: Database, database_url: str, template: Path,
    smtp_inbox: tuple[Inbox, int], sms_ru: tuple[list[dict[str, list[str]]], str],
) -> None:  # fmt: skip
    (inbox, smtp_port), (forms, sms_url) = smtp_inbox, sms_ru
    env = production_env(database_url, smtp_port, sms_url)

    queued = lk(env, "notify", "--all", "--email", "--sms", "--template", str(template), "--yes")
    delivered = lk(env, "outbox", "run", "--once")
    rerun = lk(env, "notify", "--all", "--email", "--sms", "--template", str(template), "--yes")
    delivered_again = lk(env, "outbox", "run", "--once")

    assert queued.exit_code == 0, queued.output
    assert delivered.exit_code == 0, delivered.output
    assert "отправлено: 3" in delivered.output
    assert rerun.exit_code == 0
    assert delivered_again.exit_code == 0
    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == [
        "ivanov@example.ru", "semenov@example.ru",
    ]  # fmt: skip
    to_ivanov = next(e for e in inbox.envelopes if e.rcpt_tos == ["ivanov@example.ru"])
    parsed = email.message_from_bytes(to_ivanov.content, policy=default)
    assert parsed["Subject"] == "Задолженность по счёту 100234-А"
    body = parsed.get_body(("plain",))
    assert body is not None
    assert (
        "Здравствуйте, Иванов Иван Иванович! Ваш долг: 6\u00a0123,45\u00a0₽." in body.get_content()
    )
    [form] = forms
    assert form["to"] == ["79120000001"]

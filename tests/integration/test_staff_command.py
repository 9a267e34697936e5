"""`lk staff create|disable|reset|list|reseal` as an operator runs them (F32): passwords at
a hidden prompt or from stdin, the residents' password rules, one-time enrolment codes
printed once and stored hashed, TOTP keys re-encrypted after a key rotation, every change
audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lk_adapters.sealing import FernetSecretSealer
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_cli.main import cli
from lk_core.staff.codes import code_hash
from lk_core.staff.members import StaffMember, StaffRole
from lk_core.staff.sessions import new_staff_session

PASSWORD = "диспетчерская смена 7"
ENROLMENT_CODE = re.compile(r"Код подключения \(действует 24 часа[^)]*\): ([A-Z2-7-]+)")
OLD_KEY = "an-old-secret-key-of-at-least-32-characters"
NEW_KEY = "a-new-secret-key-of-at-least-32-characters!"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[SqlAlchemyUnitOfWorkFactory]:
    engine = make_engine(f"sqlite:///{tmp_path / 'lk.sqlite3'}")
    upgrade_database(engine)
    yield SqlAlchemyUnitOfWorkFactory(engine)
    engine.dispose()


def lk(
    database: SqlAlchemyUnitOfWorkFactory,
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    env = {"LK_DATABASE_URL": str(database.engine.url), "LK_DEMO": "1", **(env or {})}
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def member(database: SqlAlchemyUnitOfWorkFactory, login: str) -> StaffMember | None:
    with database() as uow:
        return uow.staff.get(login)


def operator_actions(database: SqlAlchemyUnitOfWorkFactory) -> list[dict[str, str]]:
    with database.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT actor, details FROM audit_log WHERE kind = 'operator_action' ORDER BY id"
        ).all()
    return [{"actor": actor, "details": details} for actor, details in found]


def test_create_asks_for_the_password_twice_and_stores_only_its_hash(
    database: SqlAlchemyUnitOfWorkFactory,
) -> None:
    result = lk(database, "staff", "create", "Ivanova", "--name", "Иванова Мария",
                "--operator", "root", input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Сотрудник ivanova (диспетчер) создан." in result.output
    created = member(database, "ivanova")
    assert created is not None
    assert created.role is StaffRole.DISPATCHER
    assert created.password_hash.startswith("$argon2id$")
    assert not created.is_enrolled
    assert PASSWORD not in result.output
    printed = ENROLMENT_CODE.search(result.output)
    assert printed is not None
    assert len(printed[1].replace("-", "")) * 5 >= 128  # bits
    assert created.enrolment_code_hash == code_hash(printed[1])
    assert created.enrolment_expires_at == created.created_at + dt.timedelta(hours=24)
    assert printed[1] not in str(operator_actions(database))
    actions = operator_actions(database)
    assert actions[-1]["actor"] == "operator:root"
    assert "staff_create" in actions[-1]["details"]


def test_the_residents_password_rules_hold_for_staff(
    database: SqlAlchemyUnitOfWorkFactory,
) -> None:
    short = lk(database, "staff", "create", "petrov", "--password-stdin", input="корот\n")
    common = lk(database, "staff", "create", "petrov", "--password-stdin", input="password1\n")

    assert short.exit_code == common.exit_code == 1
    assert "Пароль должен быть не короче 8 символов" in short.output
    assert "слишком распространён" in common.output
    assert member(database, "petrov") is None


def test_a_login_is_created_once(database: SqlAlchemyUnitOfWorkFactory) -> None:
    lk(database, "staff", "create", "boss", "--role", "admin", "--password-stdin",
       input=PASSWORD + "\n")  # fmt: skip
    again = lk(database, "staff", "create", "boss", "--password-stdin", input=PASSWORD + "\n")

    assert again.exit_code == 1
    assert "уже есть" in again.output
    found = member(database, "boss")
    assert found is not None
    assert found.role is StaffRole.ADMIN


def test_disable_and_reset_end_the_sessions_and_reset_clears_the_second_factor(
    database: SqlAlchemyUnitOfWorkFactory,
) -> None:
    lk(database, "staff", "create", "ivanova", "--password-stdin", input=PASSWORD + "\n")
    with database() as uow:
        enrolled = uow.staff.get("ivanova")
        assert enrolled is not None
        enrolled.totp_secret, enrolled.totp_confirmed = "JBSWY3DPEHPK3PXP", True
        uow.staff.save(enrolled)
        uow.staff_sessions.add(new_staff_session("ivanova", enrolled.created_at, verified=True)[1])
        uow.commit()

    reset = lk(database, "staff", "reset", "ivanova", "--password-stdin",
               input="новый пароль диспетчера\n")  # fmt: skip
    disabled = lk(database, "staff", "disable", "ivanova")
    listed = lk(database, "staff", "list")

    assert reset.exit_code == 0, reset.output
    assert "завершено сеансов: 1" in reset.output
    after = member(database, "ivanova")
    assert after is not None
    assert after.totp_secret is None
    assert not after.totp_confirmed
    printed = ENROLMENT_CODE.search(reset.output)
    assert printed is not None
    assert after.enrolment_code_hash == code_hash(printed[1])
    assert not after.is_active
    assert disabled.exit_code == 0
    assert "отключён" in listed.output
    assert [a["details"].count("staff_") for a in operator_actions(database)] == [1, 1, 1]


def test_an_unknown_login_is_an_error(database: SqlAlchemyUnitOfWorkFactory) -> None:
    result = lk(database, "staff", "disable", "nobody")

    assert result.exit_code == 1
    assert "Сотрудника с логином «nobody» нет" in result.output


def test_reseal_re_encrypts_the_keys_under_the_new_secret_key_after_a_rotation(
    database: SqlAlchemyUnitOfWorkFactory,
) -> None:
    lk(database, "staff", "create", "ivanova", "--password-stdin", input=PASSWORD + "\n")
    with database() as uow:
        enrolled = uow.staff.get("ivanova")
        assert enrolled is not None
        enrolled.totp_secret = FernetSecretSealer([OLD_KEY]).seal("JBSWY3DPEHPK3PXP")
        enrolled.totp_confirmed = True
        uow.staff.save(enrolled)
        uow.commit()

    rotated = {"LK_SECRET_KEY": NEW_KEY, "LK_PREVIOUS_SECRET_KEYS": OLD_KEY}
    result = lk(database, "staff", "reseal", "--operator", "root", env=rotated)

    assert result.exit_code == 0, result.output
    assert "Перешифровано ключей: 1." in result.output
    after = member(database, "ivanova")
    assert after is not None
    assert after.totp_secret is not None
    assert FernetSecretSealer([NEW_KEY]).unseal(after.totp_secret) == "JBSWY3DPEHPK3PXP"
    assert FernetSecretSealer([OLD_KEY]).unseal(after.totp_secret) is None
    assert "staff_reseal" in operator_actions(database)[-1]["details"]

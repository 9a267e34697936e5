"""Configuration is read from LK_ variables over a TOML file, and every bad value is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from company_env import A_COMPANY
from lk_adapters.demo import demo_executors
from lk_adapters.requests_setup import configured_executors
from lk_adapters.settings import SettingsError, load_settings

GOOD_KEY = "k" * 40


def test_defaults_give_the_embedded_sqlite_database_in_var() -> None:
    settings = load_settings({"LK_DEMO": "1"})
    assert settings.database_url == "sqlite:///var/lk.sqlite3"
    assert settings.policies.accounts_per_email == 10
    assert settings.uses_https is False


def test_https_is_on_by_default_outside_demo_mode() -> None:
    assert load_settings({"LK_SECRET_KEY": GOOD_KEY, **A_COMPANY}).uses_https is True


def test_outside_demo_mode_the_company_is_required() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_SECRET_KEY": GOOD_KEY})
    assert raised.value.problems[0].startswith("LK_COMPANY_NAME")


def test_a_company_inn_that_fails_its_check_digits_is_named() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_SECRET_KEY": GOOD_KEY, **A_COMPANY, "LK_COMPANY_INN": "7707083894"})
    assert raised.value.problems == ["LK_COMPANY_INN: ИНН не прошёл проверку контрольных цифр"]


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    config = tmp_path / "lk.toml"
    config.write_text(
        'base_url = "https://lk.example.ru"\n[company]\ntime_zone = "Asia/Yekaterinburg"\n'
        "[policies]\naccounts_per_email = 5\n",
        encoding="utf-8",
    )
    settings = load_settings(
        {
            "LK_DEMO": "true",
            "LK_CONFIG_FILE": str(config),
            "LK_POLICIES_ACCOUNTS_PER_EMAIL": "7",
        }
    )
    assert settings.company.time_zone == "Asia/Yekaterinburg"
    assert settings.base_url == "https://lk.example.ru"
    assert settings.policies.accounts_per_email == 7


def test_every_bad_value_is_reported_with_its_variable() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            {
                "LK_DEMO": "1",
                "LK_HTTPS": "maybe",
                "LK_POLICIES_ACCOUNTS_PER_EMAIL": "ten",
                "LK_TYPO": "1",
            }
        )
    assert sorted(raised.value.problems) == [
        "LK_HTTPS: 'maybe' — ожидается true или false",
        "LK_POLICIES_ACCOUNTS_PER_EMAIL: 'ten' — ожидается целое число",
        "LK_TYPO: неизвестная настройка",
    ]


def test_switches_and_numbers_read_as_an_operator_writes_them() -> None:
    settings = load_settings(
        {"LK_DEMO": "да", "LK_HTTPS": "", "LK_MAIL_STARTTLS": "Off", "LK_MAIL_PORT": " 25 "}
    )
    assert settings.demo is True
    assert settings.https is None  # empty: the default rule (HTTPS outside demo mode)
    assert settings.mail.starttls is False
    assert settings.mail.port == 25


def test_a_bad_value_in_the_file_is_named_by_its_variable_and_where_it_was_written(
    tmp_path: Path,
) -> None:
    config = tmp_path / "lk.toml"
    config.write_text(
        'demo = "perhaps"\n[policies]\naccounts_per_email = 2.5\nsession_idle_minutes = true\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_CONFIG_FILE": str(config)})
    assert sorted(raised.value.problems) == [
        f"LK_DEMO (demo в файле {config}): 'perhaps' — ожидается true или false",
        f"LK_POLICIES_ACCOUNTS_PER_EMAIL (policies.accounts_per_email в файле {config}): "
        "2.5 — ожидается целое число",
        f"LK_POLICIES_SESSION_IDLE_MINUTES (policies.session_idle_minutes в файле {config}): "
        "True — ожидается целое число",
    ]


def test_an_unknown_key_in_the_file_is_named_with_its_section(tmp_path: Path) -> None:
    config = tmp_path / "lk.toml"
    config.write_text("demo = true\nbase_ulr = 'x'\n[mail]\nhots = 'smtp'\n", encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_CONFIG_FILE": str(config)})
    assert sorted(raised.value.problems) == [
        f"LK_CONFIG_FILE: {config}: [mail] неизвестная настройка: hots",
        f"LK_CONFIG_FILE: {config}: неизвестная настройка: base_ulr",
    ]


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("LK_DATABASE_URL", "mysql://root@localhost/lk", "LK_DATABASE_URL"),
        ("LK_BASE_URL", "portal.example", "LK_BASE_URL"),
        ("LK_COMPANY_TIME_ZONE", "Mars/Olympus", "LK_COMPANY_TIME_ZONE"),
        ("LK_POLICIES_PASSWORD_MIN_LENGTH", "4", "LK_POLICIES_PASSWORD_MIN_LENGTH"),
        ("LK_POLICIES_READING_CUTOFF_DAY", "40", "LK_POLICIES_READING_CUTOFF_DAY"),
        ("LK_PAYMENTS_CALLBACK_SOURCES", "yookassa, yookassa.ru", "«yookassa.ru» — не адрес"),
        ("LK_PAYMENTS_CALLBACK_RATE", "0", "LK_PAYMENTS_CALLBACK_RATE"),
        ("LK_PAYMENTS_VERIFY_WORKERS", "0", "LK_PAYMENTS_VERIFY_WORKERS"),
        ("LK_PAYMENTS_VERIFY_READ_TIMEOUT", "600", "LK_PAYMENTS_VERIFY_READ_TIMEOUT"),
    ],
)
def test_a_value_out_of_its_range_is_refused(variable: str, value: str, fragment: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_DEMO": "1", variable: value})
    assert any(fragment in problem for problem in raised.value.problems)


def test_outside_demo_mode_a_secret_key_is_required() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({})
    assert any("LK_SECRET_KEY" in problem for problem in raised.value.problems)


def test_plain_database_urls_get_the_projects_drivers() -> None:
    from lk_adapters.sqlalchemy.engine import normalise_url

    assert normalise_url("postgresql://postgres@127.0.0.1/test").drivername == (
        "postgresql+psycopg"
    )
    assert normalise_url("sqlite:///var/lk.sqlite3").drivername == "sqlite+pysqlite"


def test_only_sqlite_counts_as_an_embedded_database() -> None:
    from lk_adapters.sqlalchemy.engine import database_is_embedded

    assert database_is_embedded("sqlite:///var/lk.sqlite3")
    assert not database_is_embedded("postgresql://postgres@127.0.0.1/test")


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_DEMO": "1", "LK_CONFIG_FILE": str(tmp_path / "absent.toml")})
    assert "LK_CONFIG_FILE" in raised.value.problems[0]


def test_the_main_page_summary_settings_are_checked() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            {
                "LK_DEMO": "1",
                "LK_POLICIES_READING_CUTOFF_DAY": "20",
                "LK_POLICIES_READING_OPENING_DAY": "25",
                "LK_POLICIES_PAYMENT_DUE_DAY": "0",
                "LK_COMPANY_COLOUR": "blue",
            }
        )
    named = [problem.split(":")[0] for problem in raised.value.problems]
    assert named == [
        "LK_POLICIES_READING_OPENING_DAY",
        "LK_POLICIES_PAYMENT_DUE_DAY",
        "LK_COMPANY_COLOUR",
    ]


def test_the_summary_settings_reach_the_policies() -> None:
    from lk_adapters.container import build_policies

    settings = load_settings(
        {
            "LK_DEMO": "1",
            "LK_POLICIES_READING_OPENING_DAY": "15",
            "LK_POLICIES_PAYMENT_DUE_DAY": "5",
        }
    )
    policies = build_policies(settings)
    assert policies.readings.opening_day == 15
    assert policies.payment_due_day == 5


def test_executors_are_read_one_a_line_and_demo_mode_has_its_crews() -> None:
    configured = load_settings(
        {
            "LK_SECRET_KEY": GOOD_KEY,
            **A_COMPANY,
            "LK_REQUESTS_EXECUTORS": " Бригада №1\n\nООО «Лифт» ",
        }
    )

    assert configured_executors(configured).names == ("Бригада №1", "ООО «Лифт»")
    assert configured_executors(load_settings({"LK_SECRET_KEY": GOOD_KEY, **A_COMPANY})).names == ()
    assert configured_executors(load_settings({"LK_DEMO": "1"})).names == demo_executors()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "Бригада №1\nбригада  №1",
            "LK_REQUESTS_EXECUTORS: Исполнитель «бригада №1» указан дважды",
        ),
        ("x" * 201, "LK_REQUESTS_EXECUTORS: Имя исполнителя — от 1 до 200 знаков"),
    ],
)
def test_executors_named_twice_or_too_long_are_refused(value: str, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_DEMO": "1", "LK_REQUESTS_EXECUTORS": value})
    assert raised.value.problems == [message]

"""Configuration is read from LK_ variables over a TOML file, and every bad value is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from company_env import A_COMPANY
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
    text = "\n".join(raised.value.problems)
    assert "LK_HTTPS" in text
    assert "LK_POLICIES_ACCOUNTS_PER_EMAIL" in text
    assert "ожидается целое число" in text
    assert "LK_TYPO: неизвестная настройка" in text


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

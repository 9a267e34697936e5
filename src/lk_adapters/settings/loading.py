"""Reading settings from a TOML file and `LK_` environment variables, with clear errors.

A nested setting `company.inn` is `LK_COMPANY_INN` in the environment and `inn` under
`[company]` in the file; the environment wins. Both give one tree of raw values, which
cattrs structures into the settings classes: its hooks read the words and numbers an
operator writes, and `cattrs.transform_error` turns every failure into a line naming the
variable (ADR 0047). Every bad value is reported at once.
"""

from __future__ import annotations

import os
import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError

from lk_adapters.settings.model import Settings

_TRUE = {"1", "true", "yes", "on", "да"}
_FALSE = {"0", "false", "no", "off", "нет", ""}


class SettingsError(Exception):
    """The configuration has bad values; `problems` lists each, naming its variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Ошибки в настройках:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


class _Unreadable(ValueError):
    """A value as written that is not what its setting takes; the text says what is."""

    def __init__(self, value: object, expected: str) -> None:
        super().__init__(f"{value!r} — {expected}")


def _env_name(path: tuple[str, ...]) -> str:
    return "LK_" + "_".join(path).upper()


def _fields(cls: type, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every leaf setting."""
    leaves: list[tuple[str, ...]] = []
    for field in attrs.fields(attrs.resolve_types(cls)):
        path = (*prefix, field.name)
        leaves.extend(_fields(field.type, path) if attrs.has(field.type) else [path])
    return leaves


def _boolean(value: object, _: object) -> bool:
    """A TOML boolean, or a word: 1/true/yes/on/да, 0/false/no/off/нет or nothing."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _Unreadable(value, "ожидается true или false")


def _boolean_or_unset(value: object, kind: object) -> bool | None:
    """As `_boolean`, but nothing at all (an empty variable) leaves the default rule."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _boolean(value, kind)


def _whole(value: object, _: object) -> int:
    """A TOML integer or digits written in a variable; not a boolean, not a fraction."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _Unreadable(value, "ожидается целое число")


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(int, _whole)
    converter.register_structure_hook_func(lambda kind: kind == bool | None, _boolean_or_unset)
    return converter


_UNKNOWN = "неизвестная настройка"


def _explain(error: BaseException, kind: type | None) -> str:
    if isinstance(error, _Unreadable):
        return str(error)
    if isinstance(error, ForbiddenExtraKeysError):
        return f"{_UNKNOWN}: " + ", ".join(sorted(error.extra_fields))
    if isinstance(error, AttributeError) and "'items'" in str(error):
        return "ожидается таблица"
    return cattrs.v.format_exception(error, kind)


def _problem(line: str, from_environment: set[str], config_file: str) -> str:
    """`transform_error`'s "message @ $.policies.accounts_per_email" as
    "LK_POLICIES_ACCOUNTS_PER_EMAIL: message", saying so when the value came from the file;
    unknown keys, which only the file can hold, as the file's problem."""
    message, _, where = line.rpartition(" @ ")
    path = tuple(part for part in where.split("[")[0].split(".")[1:] if part)
    if not path or message.startswith(_UNKNOWN):
        section = f"[{'.'.join(path)}] " if path else ""
        return f"LK_CONFIG_FILE: {config_file}: {section}{message}"
    name = _env_name(path)
    if name in from_environment or not config_file:
        return f"{name}: {message}"
    return f"{name} ({'.'.join(path)} в файле {config_file}): {message}"


def _put(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


def _read_file(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(f"LK_CONFIG_FILE: файла {path} нет")
    except tomllib.TOMLDecodeError as error:
        problems.append(f"{path}: не TOML ({error})")
    return {}


def _check(settings: Settings, problems: list[str]) -> None:
    from lk_adapters.sqlalchemy.engine import normalise_url

    try:
        normalise_url(settings.database_url)
    except Exception as error:
        problems.append(f"LK_DATABASE_URL: {settings.database_url!r} — {error}")
    if not settings.base_url.startswith(("http://", "https://")):
        problems.append("LK_BASE_URL: адрес портала должен начинаться с http:// или https://")
    try:
        zoneinfo.ZoneInfo(settings.company.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(f"LK_COMPANY_TIME_ZONE: нет часового пояса {settings.company.time_zone!r}")
    policies = settings.policies
    if policies.password_min_length < 8:
        problems.append("LK_POLICIES_PASSWORD_MIN_LENGTH: не меньше 8 (SECURITY.md)")
    if policies.password_max_length < policies.password_min_length:
        problems.append("LK_POLICIES_PASSWORD_MAX_LENGTH: меньше минимальной длины")
    if not 0 <= policies.reading_cutoff_day <= 31:
        problems.append("LK_POLICIES_READING_CUTOFF_DAY: от 0 (любой день) до 31")
    if policies.accounts_per_email < 1:
        problems.append("LK_POLICIES_ACCOUNTS_PER_EMAIL: не меньше 1")
    if not 0 <= policies.reading_opening_day <= 31 or (
        policies.reading_opening_day
        and policies.reading_opening_day > policies.reading_cutoff_day > 0
    ):
        problems.append(
            "LK_POLICIES_READING_OPENING_DAY: от 0 (с 1-го) до 31, не позже дня окончания приёма"
        )
    if not 1 <= policies.payment_due_day <= 31:
        problems.append("LK_POLICIES_PAYMENT_DUE_DAY: от 1 до 31")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", settings.company.colour):
        problems.append("LK_COMPANY_COLOUR: цвет в виде #rrggbb, например #0b5cad")
    _check_company(settings, problems)
    _check_callbacks(settings, problems)
    _check_receipt_store(settings, problems)
    _check_executors(settings, problems)
    if not 0 <= settings.metrics.port <= 65535:
        problems.append("LK_METRICS_PORT: от 1 до 65535 (0 — метрики выключены)")
    if not settings.demo and len(settings.secret_key) < 32:
        problems.append(
            "LK_SECRET_KEY: нужен случайный ключ не короче 32 знаков "
            "(например, python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )


def _check_company(settings: Settings, problems: list[str]) -> None:
    """Outside demo mode the payee must be configured, and its requisites must check out."""
    from lk_core.kernel.company import Company
    from lk_core.kernel.errors import InvalidValue

    c = settings.company
    if settings.demo and not c.name:
        return
    if not c.name:
        problems.append(
            "LK_COMPANY_NAME (и LK_COMPANY_INN, _KPP, _BANK_NAME, _BIC, _SETTLEMENT_ACCOUNT, "
            "_CORRESPONDENT_ACCOUNT): реквизиты управляющей компании обязательны вне демо-режима"
        )
        return
    try:
        Company(**attrs.asdict(c, filter=lambda field, _value: field.name != "colour"))
    except InvalidValue as error:
        problems.append(f"LK_COMPANY_{error.field.upper()}: {error.message_ru}")


def _check_callbacks(settings: Settings, problems: list[str]) -> None:
    """Where callbacks are taken from, how often, and how they are verified (ADR 0053)."""
    from lk_adapters.payments.configured import callback_networks
    from lk_core.kernel.errors import InvalidValue

    p = settings.payments
    try:
        callback_networks(settings)
    except InvalidValue as error:
        problems.append(f"LK_PAYMENTS_CALLBACK_SOURCES: {error.message_ru}")
    if p.callback_rate < 1:
        problems.append("LK_PAYMENTS_CALLBACK_RATE: не меньше 1 уведомления в минуту")
    if not 1 <= p.verify_workers <= 16:
        problems.append("LK_PAYMENTS_VERIFY_WORKERS: от 1 до 16")
    if not 1 <= p.verify_connect_timeout <= 60:
        problems.append("LK_PAYMENTS_VERIFY_CONNECT_TIMEOUT: от 1 до 60 секунд")
    if not 1 <= p.verify_read_timeout <= 60:
        problems.append("LK_PAYMENTS_VERIFY_READ_TIMEOUT: от 1 до 60 секунд")


def _check_receipt_store(settings: Settings, problems: list[str]) -> None:
    """An `s3://` store names its bucket (ADR 0055); any other value is a folder."""
    from lk_adapters.receipts.s3_store import S3Location

    store = settings.receipts.store.strip()
    if store.lower().startswith("s3:") and not store.startswith("s3://"):
        problems.append(f"LK_RECEIPTS_STORE: {store!r} — ожидается s3://корзина/префикс")
    elif store.startswith("s3://"):
        try:
            S3Location.parse(store)
        except ValueError:
            problems.append(f"LK_RECEIPTS_STORE: {store!r} — не указана корзина (s3://корзина/…)")


def _check_executors(settings: Settings, problems: list[str]) -> None:
    """Executors are distinct names of at most 200 characters (ADR 0069)."""
    from lk_adapters.requests_setup import configured_executors
    from lk_core.kernel.errors import InvalidValue

    try:
        configured_executors(settings)
    except InvalidValue as error:
        problems.append(f"LK_REQUESTS_EXECUTORS: {error.message_ru}")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from `LK_CONFIG_FILE` (if given) overlaid with `LK_` variables."""
    env = os.environ if environ is None else environ
    problems: list[str] = []
    tree: dict[str, Any] = {}
    config_file = env.get("LK_CONFIG_FILE", "")
    if config_file:
        tree = _read_file(Path(config_file), problems)
    known = {_env_name(path): path for path in _fields(Settings)}
    for name, path in known.items():
        if name in env:
            _put(tree, path, env[name])
    problems.extend(
        f"{name}: {_UNKNOWN}"
        for name in env
        if name.startswith("LK_")
        and name not in known
        and name != "LK_CONFIG_FILE"
        and not name.startswith("LK_TEST_")
        and not name.startswith("LK_BENCH_")
    )
    try:
        settings = _converter().structure(tree, Settings)
    except Exception as error:
        from_environment = {name for name in known if name in env}
        problems.extend(
            _problem(line, from_environment, config_file)
            for line in cattrs.transform_error(error, format_exception=_explain)
        )
        raise SettingsError(problems) from None
    if problems:
        raise SettingsError(problems)
    _check(settings, problems)
    if problems:
        raise SettingsError(problems)
    return settings

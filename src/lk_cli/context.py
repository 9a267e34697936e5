"""Building the container for a command, turning configuration errors into clear exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from lk_adapters.container import Container, build_container
from lk_adapters.settings import SettingsError, load_settings
from lk_cli.literal import visible
from lk_core.kernel.errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_DOMAIN_ERROR = 1
EXIT_CONFIG_ERROR = 2
EXIT_BAD_DATA = 3


def container_from_environment() -> Container:
    """Settings from the environment, or exit 2 listing what is wrong."""
    try:
        settings = load_settings()
    except SettingsError as error:
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(EXIT_CONFIG_ERROR) from None
    return build_container(settings)


def domain_errors_exit(command: F) -> F:
    """Show a domain error's Russian message and exit 1, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            click.secho(visible(f"Ошибка: {error.message_ru}"), fg="red", err=True)
            raise SystemExit(EXIT_DOMAIN_ERROR) from None

    return wrapper  # type: ignore[return-value]

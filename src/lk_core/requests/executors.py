"""Who may be assigned to a request: the executors configuration names (crews, contractors)
and the company's active staff members, as one roster in which every name is distinct."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from lk_core.kernel.errors import InvalidValue
from lk_core.requests.errors import ExecutorNotOnRoster

# The request's `executor` column holds 200 characters.
EXECUTOR_MAX_LENGTH = 200


class StaffMemberNamed(Protocol):
    """What requests read of a staff member to offer them as an executor."""

    @property
    def login(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def is_active(self) -> bool: ...


class ExecutorSource(enum.Enum):
    CONFIGURED = "configured"
    STAFF = "staff"

    @property
    def label_ru(self) -> str:
        """The heading of the desk's group of executors from this source."""
        return {"configured": "Из справочника", "staff": "Сотрудники"}[self.value]


def _key(name: str) -> str:
    """Names that differ only in case and spaces are one name to a reader."""
    return " ".join(name.split()).casefold()


def _configured(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(" ".join(name.split()) for name in names)


@attrs.frozen
class ConfiguredExecutors:
    """The executors configuration lists, in its order: distinct, each 1–200 characters."""

    names: tuple[str, ...] = attrs.field(default=(), converter=_configured)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for name in self.names:
            if not name or len(name) > EXECUTOR_MAX_LENGTH:
                raise InvalidValue(
                    "executors", name, f"Имя исполнителя — от 1 до {EXECUTOR_MAX_LENGTH} знаков"
                )
            if _key(name) in seen:
                raise InvalidValue("executors", name, f"Исполнитель «{name}» указан дважды")
            seen.add(_key(name))


@attrs.frozen
class Executor:
    """One choice of the roster: `name` is what the request keeps and everyone reads;
    `login` is the staff member's, for a staff executor."""

    name: str
    source: ExecutorSource
    login: str = ""


def _staff_names(staff: Sequence[StaffMemberNamed], taken: set[str]) -> list[Executor]:
    """Active members by their names; a name another member or the configuration also
    has is followed by the login, which no other member has (ADR 0069)."""
    active = sorted((m for m in staff if m.is_active), key=lambda m: m.login)
    shared = Counter(_key(_shown(m)) for m in active)
    found = []
    for member in active:
        name = _shown(member)
        if shared[_key(name)] > 1 or _key(name) in taken:
            name = _with_login(_shown(member), member.login)
        attempt = 1
        while _key(name) in taken:  # only a configured name written as «Имя (login)»
            attempt += 1
            name = _with_login(_shown(member), f"{member.login}, {attempt}")
        taken.add(_key(name))
        found.append(Executor(name, ExecutorSource.STAFF, member.login))
    return found


def _shown(member: StaffMemberNamed) -> str:
    name = " ".join(member.name.split()) or member.login
    return name[:EXECUTOR_MAX_LENGTH]


def _with_login(name: str, login: str) -> str:
    suffix = f" ({login})"
    return name[: EXECUTOR_MAX_LENGTH - len(suffix)].rstrip() + suffix


@attrs.frozen
class ExecutorRoster:
    """Everyone a dispatcher may assign, the configured first; no two names alike."""

    executors: tuple[Executor, ...]

    @classmethod
    def of(
        cls, configured: ConfiguredExecutors, staff: Sequence[StaffMemberNamed]
    ) -> ExecutorRoster:
        """The configured names, then the active staff members (disabled ones are not
        offered)."""
        listed = [Executor(name, ExecutorSource.CONFIGURED) for name in configured.names]
        taken = {_key(name) for name in configured.names}
        return cls((*listed, *_staff_names(staff, taken)))

    def of_source(self, source: ExecutorSource) -> tuple[Executor, ...]:
        return tuple(e for e in self.executors if e.source is source)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.executors)

    def find(self, name: str) -> Executor | None:
        """The executor of that name (case and spaces aside), if on the roster."""
        key = _key(name)
        return next((e for e in self.executors if _key(e.name) == key), None)

    def checked(self, name: str) -> str:
        """The name as the roster has it; an empty one or one not on it is refused."""
        if not name.strip():
            raise InvalidValue("executor", name, "Выберите исполнителя из списка")
        found = self.find(name)
        if found is None:
            raise ExecutorNotOnRoster(name)
        return found.name

"""Who acted on a request, the history of its changes, and its comment thread."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.requests.status import RequestStatus


class ActorKind(enum.Enum):
    RESIDENT = "resident"
    DISPATCHER = "dispatcher"


@attrs.frozen
class Actor:
    """The resident of the account, or a dispatcher by name (a staff login, an operator)."""

    kind: ActorKind
    name: str

    @classmethod
    def resident(cls) -> Actor:
        return cls(ActorKind.RESIDENT, "")

    @classmethod
    def dispatcher(cls, name: str) -> Actor:
        if not name.strip():
            raise ValueError("a dispatcher acts under a name")
        return cls(ActorKind.DISPATCHER, name.strip())

    @property
    def shown_ru(self) -> str:
        return "Житель" if self.kind is ActorKind.RESIDENT else f"Диспетчер {self.name}"


class ChangeKind(enum.Enum):
    CREATED = "created"
    STATUS = "status"
    ASSIGNED = "assigned"
    RATED = "rated"
    REOPENED = "reopened"

    @property
    def label_ru(self) -> str:
        return {
            "created": "Заявка создана",
            "status": "Статус изменён",
            "assigned": "Назначен исполнитель",
            "rated": "Оценка",
            "reopened": "Заявка возобновлена",
        }[self.value]


@attrs.frozen
class HistoryEntry:
    """One change of a request; `seq` numbers a request's changes from 1 without gaps."""

    request_id: str
    seq: int
    at: dt.datetime
    actor: Actor
    kind: ChangeKind
    status: RequestStatus
    text: str = ""


@attrs.frozen
class Comment:
    """A message in a request's thread between the resident and the dispatcher."""

    id: str
    request_id: str
    at: dt.datetime
    author: Actor
    text: str

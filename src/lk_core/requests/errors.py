"""What can go wrong with a request, each with the Russian message the resident or the
dispatcher reads."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError
from lk_core.requests.status import RequestStatus


class StatusChangeNotAllowed(DomainError):
    """The lifecycle has no such move from the request's status."""

    code = "status_change_not_allowed"

    def __init__(self, current: RequestStatus, target: RequestStatus) -> None:
        super().__init__(
            f"Заявку в статусе «{current.label_ru}» нельзя перевести в «{target.label_ru}»"
        )
        self.current = current
        self.target = target


class RequestClosed(DomainError):
    """A done or rejected request takes no executor and no rating it cannot have."""

    code = "request_closed"

    def __init__(self, action_ru: str) -> None:
        super().__init__(action_ru)


class ReopenWindowClosed(DomainError):
    """A done request may be reopened only within the configured days of its completion."""

    code = "reopen_window_closed"

    def __init__(self, days: int) -> None:
        super().__init__(
            f"Заявку можно возобновить в течение {days} дн. после выполнения; "
            "этот срок прошёл — создайте новую заявку"
        )
        self.days = days


class TooManyRequestsToday(DomainError):
    """An account has made today's allowed number of requests (a guard against floods)."""

    code = "too_many_requests_today"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"С одного лицевого счёта можно подать не более {limit} заявок в день. "
            "Если случилась авария, позвоните в аварийно-диспетчерскую службу"
        )
        self.limit = limit


class RequestChanged(DomainError):
    """Someone changed the request since it was read: the change was not made."""

    code = "request_changed"

    def __init__(self) -> None:
        super().__init__("Заявку только что изменили. Обновите страницу и повторите действие")


class PhotoRejected(DomainError):
    """An upload is not a photo the portal keeps; the message says why."""

    code = "photo_rejected"

    def __init__(self, filename: str, reason_ru: str) -> None:
        shown = filename or "файл"
        super().__init__(f"«{shown}»: {reason_ru}")
        self.filename = filename
        self.reason_ru = reason_ru


class ExecutorNotOnRoster(DomainError):
    """Only someone on the roster of executors (configuration and active staff) is
    assigned; a name typed otherwise, or of a member since disabled, is refused."""

    code = "executor_not_on_roster"

    def __init__(self, executor: str) -> None:
        super().__init__(
            f"Исполнителя «{' '.join(executor.split())[:200]}» нет в списке исполнителей. "
            "Выберите исполнителя из списка"
        )
        self.executor = executor


class UnknownRequestNumber(DomainError):
    """No request has the number a dispatcher typed."""

    code = "unknown_request_number"

    def __init__(self, number: int) -> None:
        super().__init__(f"Заявки №{number} нет. Проверьте номер")
        self.number = number

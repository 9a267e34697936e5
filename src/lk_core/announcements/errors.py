"""What can go wrong with an announcement."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class AnnouncementInvalid(DomainError):
    """The editor's form has mistakes: `problems` maps each field to its message."""

    code = "announcement_invalid"

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("Исправьте ошибки в объявлении")
        self.problems = problems


class AnnouncementChanged(DomainError):
    """Someone else changed or withdrew the announcement since the editor was opened: the
    change was not made (the form's revision is stale)."""

    code = "announcement_changed"

    def __init__(self, by: str | None) -> None:
        who = f" ({by})" if by else ""
        super().__init__(
            f"Объявление только что изменил другой сотрудник{who}. Ваши правки не сохранены: "
            "откройте объявление заново и повторите их"
        )
        self.by = by


class AnnouncementClosed(DomainError):
    """An ended or withdrawn announcement is history: it is neither edited nor withdrawn."""

    code = "announcement_closed"

    def __init__(self, withdrawn: bool) -> None:
        super().__init__(
            "Объявление уже снято — его нельзя изменить"
            if withdrawn
            else "Объявление уже закончилось — его нельзя изменить или снять"
        )
        self.withdrawn = withdrawn


class NothingToSend(DomainError):
    """A correction of an announcement never corrected, a withdrawal notice of one not
    withdrawn or of news: there is no such message to send."""

    code = "announcement_nothing_to_send"

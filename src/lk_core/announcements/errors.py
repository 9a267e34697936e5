"""What can go wrong with an announcement."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class AnnouncementInvalid(DomainError):
    """The editor's form has mistakes: `problems` maps each field to its message."""

    code = "announcement_invalid"

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("Исправьте ошибки в объявлении")
        self.problems = problems

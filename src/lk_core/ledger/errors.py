"""ledger: errors."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class LedgerIdentityBroken(DomainError):
    """A ledger line whose stated closing balance disagrees with its parts."""

    code = "ledger_identity_broken"

    def __init__(self, stated_kopecks: int, computed_kopecks: int) -> None:
        super().__init__(
            "Исходящее сальдо не равно входящему сальдо + начислено + перерасчёт − оплачено"
        )
        self.stated_kopecks = stated_kopecks
        self.computed_kopecks = computed_kopecks

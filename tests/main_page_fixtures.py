"""Builders the main page tests share: services, ledger rows, and loading them."""

from __future__ import annotations

from collections.abc import Sequence

from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerRow
from lk_core.ledger.services import Service
from lk_core.unit_of_work import UnitOfWorkFactory

NEWEST = Period(2026, 10)
EARLIER = Period(2026, 9)
OLDEST = Period(2026, 8)

SERVICES = (
    Service("SOD", "Содержание и ремонт МКД", "м²"),
    Service("HVS", "Холодное водоснабжение", "м³"),
    Service("EE", "Электроэнергия", "кВт·ч"),
)
SERVICE_NAMES = {service.code: service.name for service in SERVICES}


def a_row(
    account: str,
    period: Period,
    service: str,
    *,
    opening: int = 0,
    charged: int = 0,
    recalculation: int = 0,
    paid: int = 0,
    volume: str | None = None,
    reason: str = "",
) -> LedgerRow:
    """A ledger row as the billing import stores it; amounts in kopecks."""
    return (
        account, period.code, service, opening, charged, recalculation, paid, volume, None, reason,
    )  # fmt: skip


def three_periods_of_rows(account: str) -> list[LedgerRow]:
    """Three periods: a debt carried into the newest, an advance on electricity, a
    recalculation, and amounts past a thousand rubles to show digit grouping."""
    return [
        a_row(account, OLDEST, "SOD", opening=0, charged=128_879, paid=0),
        a_row(account, OLDEST, "HVS", opening=0, charged=41_164, paid=41_164, volume="9.207"),
        a_row(account, EARLIER, "SOD", opening=128_879, charged=128_879, paid=128_879),
        a_row(account, EARLIER, "HVS", opening=0, charged=48_649, paid=40_000, volume="10.881"),
        a_row(account, EARLIER, "EE", opening=0, charged=102_093, paid=150_000, volume="155.2"),
        a_row(account, NEWEST, "SOD", opening=128_879, charged=128_879, paid=100_000),
        a_row(
            account,
            NEWEST,
            "HVS",
            opening=8_649,
            charged=42_273,
            recalculation=-1_234,
            paid=8_649,
            volume="9.455",
            reason="Перерасчёт по показаниям за сентябрь",
        ),
        a_row(account, NEWEST, "EE", opening=-47_907, charged=101_720, paid=0, volume="182.2"),
    ]


def load_ledger(
    uow_factory: UnitOfWorkFactory,
    rows: Sequence[LedgerRow],
    services: Sequence[Service] = SERVICES,
) -> None:
    with uow_factory() as uow:
        uow.services.upsert_many(list(services))
        uow.ledger.upsert_rows(list(rows))
        uow.commit()

"""The registry line repository: a bank's operation is loaded once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lk_core.kernel.money import Money
from lk_core.payments.registry import RegistryLine, RegistryOutcome
from lk_core.unit_of_work import UnitOfWorkFactory


def a_line(line_id: str = "L1", **changes: Any) -> RegistryLine:
    fields: dict[str, Any] = {
        "bank": "sberbank",
        "registry": "reestr.csv",
        "line_no": 1,
        "account_key": "100234",
        "paid_on": dt.date(2026, 11, 3),
        "amount": Money(150_000),
        "order_id": "",
        "payer": "Иванов И. И.",
        "outcome": RegistryOutcome.CREDITED,
    }
    return RegistryLine(line_id=line_id, **(fields | changes))


def test_lines_are_stored_once_per_bank_and_operation(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.registry_lines.add_many([a_line("L1"), a_line("L2")]) == 2
        uow.commit()

    with uow_factory() as uow:
        new = uow.registry_lines.add_many([a_line("L2"), a_line("L3"), a_line("L1", bank="vtb")])
        uow.commit()

    assert new == 2
    with uow_factory() as uow:
        assert uow.registry_lines.known("sberbank", ["L1", "L3", "L9"]) == {"L1", "L3"}
        assert uow.registry_lines.known("vtb", ["L1", "L2"]) == {"L1"}


def test_lines_of_a_day_are_read_back_whole_in_key_order(uow_factory: UnitOfWorkFactory) -> None:
    matched = a_line("L2", order_id="o1", outcome=RegistryOutcome.CONFIRMED_ORDER, line_no=7)
    with uow_factory() as uow:
        uow.registry_lines.add_many(
            [matched, a_line("L1"), a_line("L3", paid_on=dt.date(2026, 11, 4))]
        )
        uow.commit()

    with uow_factory() as uow:
        assert uow.registry_lines.paid_on(dt.date(2026, 11, 3)) == [a_line("L1"), matched]
        assert uow.registry_lines.paid_on(dt.date(2026, 11, 5)) == []

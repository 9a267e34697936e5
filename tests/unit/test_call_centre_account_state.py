"""An account's state for the call centre: the period's settlements, the address, the
registration without its password hash, and an audit record naming the key that asked."""

from __future__ import annotations

import pytest

from access_fixtures import IVANOV, PETROVA, MovableClock, load_accounts, some_accounts
from contract.builders import a_registration
from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.access.audit import AuditKind
from lk_core.access.registration import RegistrationStatus
from lk_core.kernel.errors import NotFound
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.service_api import Scope, account_state
from lk_core.service_api.api_keys import issue_api_key
from main_page_fixtures import EARLIER, NEWEST, load_ledger, three_periods_of_rows

CALL_CENTRE = issue_api_key(
    "call centre", frozenset({Scope.ACCOUNTS_READ}), "operator:anna", MovableClock().now()
).key


@pytest.fixture
def portal() -> InMemoryUnitOfWorkFactory:
    factory = InMemoryUnitOfWorkFactory()
    load_accounts(factory, some_accounts())
    load_ledger(factory, three_periods_of_rows(IVANOV))
    with factory() as uow:
        uow.registrations.save(
            a_registration(IVANOV, status=RegistrationStatus.CONFIRMED, phone="+7 912 345-67-89")
        )
        uow.commit()
    return factory


def test_the_state_shows_the_newest_settlements_and_the_registration(
    portal: InMemoryUnitOfWorkFactory,
) -> None:
    state = account_state(portal, MovableClock(), CALL_CENTRE, IVANOV, None)

    assert state.settlements.period == NEWEST
    assert state.settlements.settlement is not None
    assert state.settlements.settlement.closing > Money(0)
    assert "кв. 12" in state.address
    assert state.registration is not None
    assert state.registration.is_confirmed
    assert "password" not in repr(state)
    assert "argon2" not in repr(state)


def test_an_earlier_period_is_shown_when_asked(portal: InMemoryUnitOfWorkFactory) -> None:
    state = account_state(portal, MovableClock(), CALL_CENTRE, IVANOV, EARLIER)

    assert state.settlements.period == EARLIER


def test_an_account_never_registered_nor_billed_has_no_registration_and_no_ledger(
    portal: InMemoryUnitOfWorkFactory,
) -> None:
    state = account_state(portal, MovableClock(), CALL_CENTRE, PETROVA, None)

    assert state.registration is None
    assert not state.settlements.has_ledger


def test_an_unknown_account_or_period_is_not_found(portal: InMemoryUnitOfWorkFactory) -> None:
    with pytest.raises(NotFound):
        account_state(portal, MovableClock(), CALL_CENTRE, "999999", None)
    with pytest.raises(NotFound):
        account_state(portal, MovableClock(), CALL_CENTRE, IVANOV, Period(2020, 1))


def test_every_view_is_audited_with_the_key_that_asked(portal: InMemoryUnitOfWorkFactory) -> None:
    account_state(portal, MovableClock(), CALL_CENTRE, IVANOV, None)

    with portal() as uow:
        [event] = uow.audit.of_account(IVANOV, 10)
    assert event.kind is AuditKind.OPERATOR_VIEW
    assert event.actor == f"operator:api-key-{CALL_CENTRE.id}"
    assert dict(event.details)["key_name"] == "call centre"

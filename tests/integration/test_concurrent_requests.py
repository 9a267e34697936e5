"""The daily limit of service requests holds on PostgreSQL against requests made at once
from one flat (a resident tapping «Отправить» on several devices, or a script); requests
made at once from several flats get numbers of their own (ADR 0075)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from access_fixtures import MovableClock
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.requests import RequestPolicy, ServiceRequest, TooManyRequestsToday, create_request
from requests_fixtures import IVANOV, SEMENOV, a_form, requests_context

pytestmark = pytest.mark.postgres
LIMIT, AT_ONCE = 3, 12


def test_requests_made_at_once_stop_at_the_daily_limit(
    postgres_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    ctx = requests_context(
        MovableClock(), postgres_uow_factory,  # type: ignore[arg-type]
        policy=RequestPolicy(per_account_per_day=LIMIT),
    )  # fmt: skip
    start = threading.Barrier(AT_ONCE)

    def make(_: int) -> object:
        start.wait(timeout=30)
        try:
            return create_request(ctx, IVANOV, a_form())
        except TooManyRequestsToday as refused:
            return refused

    with ThreadPoolExecutor(AT_ONCE) as pool:
        outcomes = list(pool.map(make, range(AT_ONCE)))

    refused = [o for o in outcomes if isinstance(o, TooManyRequestsToday)]
    assert len(outcomes) - len(refused) == LIMIT
    with postgres_uow_factory(read_only=True) as uow:
        assert len(uow.service_requests.of_account(IVANOV)) == LIMIT


def test_requests_made_at_once_from_several_flats_get_different_numbers(
    postgres_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    ctx = requests_context(
        MovableClock(), postgres_uow_factory,  # type: ignore[arg-type]
        policy=RequestPolicy(per_account_per_day=AT_ONCE),
    )  # fmt: skip
    start = threading.Barrier(AT_ONCE)

    def make(turn: int) -> ServiceRequest:
        start.wait(timeout=30)
        return create_request(ctx, (IVANOV, SEMENOV)[turn % 2], a_form())

    with ThreadPoolExecutor(AT_ONCE) as pool:
        made = list(pool.map(make, range(AT_ONCE)))

    assert len({request.number for request in made}) == AT_ONCE
    with postgres_uow_factory(read_only=True) as uow:
        for request in made:
            found = uow.service_requests.by_number(request.number)
            assert found is not None
            assert found.id == request.id

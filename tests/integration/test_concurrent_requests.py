"""The daily limit of service requests holds on PostgreSQL against requests made at once
from one flat (a resident tapping «Отправить» on several devices, or a script)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from access_fixtures import MovableClock
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.requests import RequestPolicy, TooManyRequestsToday, create_request
from requests_fixtures import IVANOV, a_form, requests_context

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

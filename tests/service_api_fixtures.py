"""The service API's tests share: a portal with meters, a ledger and a resident who takes
SMS, keys of each scope, and calls with `X-Api-Key`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from httpx import Response

from access_fixtures import IVANOV, SIDOROV
from lk_core.access.registration import Consent, ConsentKind
from lk_core.operator.operators import Operator
from lk_core.service_api import Scope, create_api_key
from main_page_fixtures import load_ledger, three_periods_of_rows
from personal_site import Site, a_site
from readings_fixtures import load_meters

ANNA = Operator("anna")
SMS_PHONE = "+79001112233"


def a_key(site: Site, *scopes: Scope, name: str = "billing") -> str:
    return create_api_key(site.container.service_api(), ANNA, name, frozenset(scopes)).secret


def call(site: Site, method: str, path: str, key: str | None, **kwargs: Any) -> Response:
    headers = dict(kwargs.pop("headers", {}))
    if key is not None:
        headers["X-Api-Key"] = key
    return site.client.request(method, path, headers=headers, follow_redirects=False, **kwargs)


def with_service_data(site: Site) -> Site:
    """Meters and readings, Иванов's ledger, and Сидоров taking SMS (consented)."""
    factory = site.container.uow_factory()
    load_meters(factory)
    load_ledger(factory, three_periods_of_rows(IVANOV))
    with factory() as uow:
        sidorov = uow.accounts.get(SIDOROV)
        assert sidorov is not None
        sidorov.set_sms_informing(True)
        uow.accounts.save(sidorov)
        uow.consents.add(
            Consent(SIDOROV, ConsentKind.SMS_INFORMING, "2025-09-01", True,
                    site.clock.now() - dt.timedelta(days=1), "10.0.0.1", "test", SMS_PHONE)
        )  # fmt: skip
        uow.commit()
    return site


def service_site(folder: Path) -> Iterator[Site]:
    with a_site(folder) as site:
        yield with_service_data(site)

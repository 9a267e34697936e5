"""The real app over a SQLite file for the JSON API's tests: Иванов and Петрова registered,
a ledger of three months (two closed, with receipts), meters with readings; and a client
helper that signs in through the API and carries the bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
from httpx import Response

from access_fixtures import IVANOV, PASSWORD, PETROVA
from lk_adapters.receipts.runner import InlineReceiptRunner
from lk_core.kernel.periods import BillingPeriod
from lk_core.kernel.runtime import no_progress
from lk_core.receipts.month_close import close_month
from main_page_fixtures import EARLIER, NEWEST, OLDEST, a_row, load_ledger, three_periods_of_rows
from personal_site import Site, a_site
from readings_fixtures import load_meters

API = "/api/v1"


@attrs.define
class ApiClient:
    """A phone app on the portal: its tokens, sent as `Authorization: Bearer`."""

    site: Site
    access_token: str = ""
    refresh_token: str = ""
    device_id: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"} if self.access_token else {}

    def sign_in(self, number: str, password: str = PASSWORD, device: str = "Телефон") -> Response:
        answer = self.site.client.post(
            f"{API}/tokens", json={"account": number, "password": password, "device_name": device}
        )
        if answer.status_code == 201:
            self.keep(answer.json())
        return answer

    def keep(self, tokens: dict[str, Any]) -> None:
        self.access_token = tokens["access_token"]
        self.refresh_token = tokens["refresh_token"]
        self.device_id = tokens["device_id"]

    def get(self, path: str, **kwargs: Any) -> Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.site.client.get(API + path, headers=headers, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Response:
        return self.site.client.post(API + path, json=json, headers=self.headers, **kwargs)

    def delete(self, path: str) -> Response:
        return self.site.client.delete(API + path, headers=self.headers)


def load_portal_data(site: Site, folder: Path) -> None:
    """Ledger, meters and two closed months with receipts; Иванов and Петрова registered."""
    container = site.container
    uow_factory = container.uow_factory()
    petrova = [a_row(PETROVA, p, "SOD", charged=5_000) for p in (EARLIER, NEWEST)]
    load_ledger(uow_factory, [*three_periods_of_rows(IVANOV), *petrova])
    load_meters(uow_factory)
    with uow_factory() as uow:
        for period in (OLDEST, EARLIER, NEWEST):
            uow.periods.save(BillingPeriod(period))
        uow.commit()
    store, company = container.receipt_store(), container.company()
    runner = InlineReceiptRunner(
        uow_factory, container.clock(), company, container.receipt_renderer(), store
    )
    for period in (EARLIER, NEWEST):
        close_month(uow_factory, container.clock(), company, store, runner, period, no_progress())
    site.register(IVANOV, "ivanov@mail.ru", PASSWORD)
    site.register(PETROVA, "petrova@mail.ru", PASSWORD)


@contextmanager
def an_api_site(folder: Path, **env: str) -> Iterator[Site]:
    with a_site(folder, LK_RECEIPTS_FOLDER=str(folder / "receipts"), **env) as site:
        load_portal_data(site, folder)
        yield site

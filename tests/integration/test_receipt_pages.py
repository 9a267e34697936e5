"""Receipts through the real app over a SQLite file (F11): the links of the last closed
months, the PDF shown inline under a meaningful name, and only for the session's account;
all of it with receipts in a folder and in S3 (ADR 0055)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from litestar.testing import TestClient

from access_fixtures import IVANOV, PETROVA, SURNAMES, load_accounts
from access_fixtures import some_accounts as access_accounts
from lk_adapters.container import build_container
from lk_adapters.receipts.runner import InlineReceiptRunner
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.access.linking import link_account, switch_account
from lk_core.access.sign_in import current_session
from lk_core.kernel.periods import BillingPeriod
from lk_core.kernel.runtime import no_progress
from lk_core.receipts.month_close import close_month
from lk_web.app import create_app
from main_page_fixtures import EARLIER, NEWEST, OLDEST, a_row, load_ledger, three_periods_of_rows
from receipt_fixtures import decode_qr, is_whole_pdf
from s3_server import S3Server

from .test_main_page import BASE, Site


@pytest.fixture(params=["folder", "s3"])
def ivanov(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """Иванов signed in; the two newer of three months closed with their receipts."""
    saved_logging = structlog.get_config()
    store: dict[str, str] = {"LK_RECEIPTS_FOLDER": str(tmp_path / "receipts")}
    if request.param == "s3":
        s3: S3Server = request.getfixturevalue("s3")
        store = s3.environment(s3.new_bucket())
    settings = load_settings(
        {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}",
         "LK_BASE_URL": BASE, **store}
    )  # fmt: skip
    container = build_container(settings)
    upgrade_database(container.engine())
    uow_factory = container.uow_factory()
    load_accounts(uow_factory, access_accounts())
    load_ledger(
        uow_factory,
        [
            *three_periods_of_rows(IVANOV),
            *(a_row(PETROVA, p, "SOD", charged=5_000) for p in (EARLIER, NEWEST)),
        ],
    )
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
    with TestClient(app=create_app(container), base_url=BASE) as client:
        site = Site(client, container)
        site.sign_in(IVANOV)
        yield site
    structlog.configure(**saved_logging)
    container.engine().dispose()


def test_the_main_page_links_the_closed_months_receipts_newest_first(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text

    assert page.index('href="/receipts/2026-10"') < page.index('href="/receipts/2026-09"')
    assert 'href="/receipts/2026-08"' not in page  # still open: no receipt yet
    assert 'target="_blank"' in page
    assert "<svg" in page
    assert "QR-код для оплаты" in page


def test_a_receipt_opens_inline_with_its_file_name_and_private_caching(ivanov: Site) -> None:
    answer = ivanov.client.get("/receipts/2026-10")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('inline; filename="')
    assert (
        "filename*=UTF-8''%D0%9A%D0%B2%D0%B8%D1%82%D0%B0%D0%BD%D1%86%D0%B8%D1%8F_100234-%D0%90_2026-10.pdf"
        in disposition
    )
    assert answer.headers["cache-control"] == "private, no-store"
    assert is_whole_pdf(answer.content)
    assert "PersAcc=100234-А" in decode_qr(answer.content)[0]


def test_the_receipt_downloaded_is_the_one_in_the_configured_store(ivanov: Site) -> None:
    store = ivanov.container.receipt_store()

    answer = ivanov.client.get("/receipts/2026-10")

    assert answer.content == store.get("100234", NEWEST)
    in_s3 = ivanov.container.settings().receipts.store.startswith("s3://")
    assert type(store).__name__ == ("S3ReceiptStore" if in_s3 else "FilesystemReceiptStore")


def test_an_open_month_another_month_or_gibberish_is_not_found(ivanov: Site) -> None:
    for path in (
        "/receipts/2026-08",
        "/receipts/2020-01",
        "/receipts/..%2F..",
        "/receipts/2026-13",
    ):
        assert ivanov.client.get(path).status_code == 404, path


def test_a_linked_account_shows_its_own_receipt_and_never_another(ivanov: Site) -> None:
    own = ivanov.client.get("/receipts/2026-10").content
    access = ivanov.container.access()
    session = current_session(access, ivanov.client.cookies["lk_session"])
    link_account(access, session, PETROVA, surname=SURNAMES[PETROVA], ip="10.0.0.1")
    switch_account(access, session, PETROVA)

    linked = ivanov.client.get("/receipts/2026-10").content

    assert "PersAcc=100236" in decode_qr(linked)[0]
    assert linked != own
    with ivanov.container.uow_factory()() as uow:  # unlinked in another browser
        uow.linked_accounts.remove(IVANOV, PETROVA)
        uow.commit()
    after = ivanov.client.get("/receipts/2026-10")

    assert after.status_code == 200
    assert "PersAcc=100234-А" in decode_qr(after.content)[0]  # back to the resident's own


def test_a_signed_out_visitor_gets_no_receipt(ivanov: Site) -> None:
    ivanov.client.cookies.clear()

    answer = ivanov.client.get("/receipts/2026-10", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/?notice=signed-out"

"""The main page through the real app over a SQLite file: the imported ledger to the kopeck,
the period selector, the additional services form with its consents, and who may see what."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
import structlog
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import event, func, select

from access_fixtures import (
    IVANOV,
    PASSWORD,
    PETROVA,
    SEMENOV,
    SURNAMES,
    load_accounts,
)
from access_fixtures import some_accounts as access_accounts
from lk_adapters.container import Container, build_container
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy import tables
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.linking import link_account, switch_account
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sign_in import current_session
from lk_core.accounts.account import Account, ReceiptDelivery
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.context import LedgerContext
from lk_core.ledger.lines import LedgerLine
from lk_core.ledger.settlements import settlement_page
from lk_web.app import create_app
from lk_web.views.settlements_table import COLUMNS
from main_page_fixtures import (
    EARLIER,
    NEWEST,
    SERVICE_NAMES,
    a_row,
    load_ledger,
    three_periods_of_rows,
)

BASE = "http://testserver.local"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
NBSP = "\u00a0"
# Петрова's charges: an amount that must never appear on anyone else's page.
PETROVA_CHARGE = 987_654_32


@attrs.define
class Site:
    """A browser on the portal, and the portal's insides for checking what happened."""

    client: TestClient  # type: ignore[type-arg]
    container: Container

    def csrf(self) -> str:
        found = CSRF_INPUT.search(self.client.get("/").text)
        assert found is not None
        return found[1]

    def post(self, path: str, data: dict[str, str]) -> Response:
        return self.client.post(
            path, data={**data, "_csrf_token": self.csrf()}, follow_redirects=False
        )

    def register(self, number: str) -> None:
        """A confirmed registration, made through the use cases to keep the tests short."""
        access = self.container.access()
        email = f"resident{number}@mail.ru"
        raw = first_visit(access, number, SURNAMES[number], ip="10.0.0.1", current_session=None)
        form = RegistrationForm(
            SURNAMES[number], email, PASSWORD, PASSWORD, True, ConfirmationMethod.EMAIL
        )
        submit_registration(access, raw, form, ip="10.0.0.1", user_agent="test")
        with self.container.uow_factory()() as uow:
            [text] = [m.email.text for m in uow.outbox.recent(100) if m.recipient == email]
        token = re.search(r"/register/confirm/([A-Za-z0-9_-]+)", text)
        assert token is not None
        confirm_registration_link(access, token[1], ip="10.0.0.1", current_session=None)

    def sign_in(self, number: str) -> None:
        self.register(number)
        answer = self.post("/sign-in", {"account": number, "password": PASSWORD})
        assert answer.status_code == 303

    def ledger(self, number: str, period: Period) -> list[LedgerLine]:
        with self.container.uow_factory()(read_only=True) as uow:
            return uow.ledger.lines(number, period)

    def account(self, number: str) -> Account:
        with self.container.uow_factory()(read_only=True) as uow:
            account = uow.accounts.get(number)
        assert account is not None
        return account

    def count(self, table: Any) -> int:
        with self.container.engine().connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    saved_logging = structlog.get_config()
    settings = load_settings(
        {
            "LK_DEMO": "1",
            "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}",
            "LK_BASE_URL": BASE,
        }
    )
    container = build_container(settings)
    upgrade_database(container.engine())
    load_accounts(container.uow_factory(), access_accounts())
    load_ledger(
        container.uow_factory(),
        [
            *three_periods_of_rows(IVANOV),
            a_row(PETROVA, NEWEST, "SOD", charged=PETROVA_CHARGE),
        ],
    )
    with TestClient(app=create_app(container), base_url=BASE) as client:
        yield Site(client, container)
    structlog.configure(**saved_logging)
    container.engine().dispose()


@pytest.fixture
def ivanov(site: Site) -> Site:
    """The site with Иванов (100234-А) signed in."""
    site.sign_in(IVANOV)
    return site


class SettlementTable(HTMLParser):
    """The rows of the settlements table as a resident reads them: the words of each cell,
    without the labels that only phones show (they are hidden from screen readers)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.caption = ""
        self._in_table = False
        self._in_caption = False
        self._cell: list[str] | None = None
        self._hidden_depth = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and "home-settlements" in (found.get("class") or ""):
            self._in_table = True
        if not self._in_table:
            return
        self._depth += 1
        if self._hidden_depth or found.get("aria-hidden") == "true":
            self._hidden_depth += 1
        if tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self._in_table:
            return
        self._depth -= 1
        if self._hidden_depth:
            self._hidden_depth -= 1
        if tag == "table":
            self._in_table = False
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(re.sub(r"[ \t\r\n]+", " ", " ".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.caption += data
        elif self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def settlement_table(page: str) -> SettlementTable:
    table = SettlementTable()
    table.feed(page)
    return table


def balance(amount: Money, *, debt_is_marked: bool = True) -> str:
    """A balance cell as shown: the amount, and «долг» or «аванс» in words."""
    if amount.kopecks < 0:
        return f"{amount.format()} аванс"
    if amount.kopecks > 0 and debt_is_marked:
        return f"{amount.format()} долг"
    return amount.format()


def expected_rows(lines: list[LedgerLine]) -> list[list[str]]:
    return [
        [
            SERVICE_NAMES[line.service_code],
            balance(line.opening),
            line.charged.format(),
            f"{line.recalculation.format()} {line.recalculation_reason}".strip(),
            line.paid.format(),
            balance(line.closing, debt_is_marked=False),
        ]
        for line in sorted(lines, key=lambda line: SERVICE_NAMES[line.service_code])
    ]


def shown_rows(page: str) -> list[list[str]]:
    """The table's service rows, the service cell cut to the service's name."""
    table = settlement_table(page)
    header, *rows, total = table.rows
    assert header == [
        "Услуга",
        "Входящее сальдо",
        "Начислено",
        "Перерасчёт",
        "Оплачено",
        "К оплате",
    ]
    assert total[0] == "Итого к оплате"
    names = set(SERVICE_NAMES.values())
    return [[next(name for name in names if row[0].startswith(name)), *row[1:]] for row in rows]


# --- the settlements --------------------------------------------------------------------


def test_after_sign_in_the_main_page_shows_the_newest_period_to_the_kopeck(ivanov: Site) -> None:
    page = ivanov.client.get("/home")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    lines = ivanov.ledger(IVANOV, NEWEST)
    assert len(lines) == 3
    assert shown_rows(page.text) == expected_rows(lines)
    assert "за октябрь 2026" in settlement_table(page.text).caption


@pytest.mark.parametrize("period", [EARLIER, Period(2026, 8)])
def test_an_earlier_period_chosen_in_the_selector_shows_its_own_ledger(
    ivanov: Site, period: Period
) -> None:
    page = ivanov.client.get("/home", params={"period": str(period)})

    assert page.status_code == 200
    assert shown_rows(page.text) == expected_rows(ivanov.ledger(IVANOV, period))
    assert f'<option value="{period}" selected>{period.label_ru}</option>' in page.text


def test_the_total_row_sums_every_column(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text
    lines = ivanov.ledger(IVANOV, NEWEST)

    total = settlement_table(page).rows[-1]

    def sum_of(part: str) -> Money:
        return Money(sum(getattr(line, part).kopecks for line in lines))

    assert total == [
        "Итого к оплате",
        balance(sum_of("opening")),
        sum_of("charged").format(),
        sum_of("recalculation").format(),
        sum_of("paid").format(),
        balance(sum_of("closing"), debt_is_marked=False),
    ]
    assert f"К оплате за октябрь 2026: {sum_of('closing').format()}" in re.sub(r"<[^>]+>", "", page)


def test_money_is_written_the_russian_way_with_non_breaking_spaces(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text

    assert f"1{NBSP}288,79{NBSP}₽" in page  # содержание: 128 879 kopecks
    assert f"−479,07{NBSP}₽" in page  # an advance on electricity
    assert f"−12,34{NBSP}₽" in page  # a recalculation down
    assert "1288.79" not in page
    assert "1 288,79" not in page  # an ordinary space would let the amount break


def test_debt_and_advance_are_said_in_words_not_colour_alone(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text

    assert '<span class="home-mark home-mark-debt">долг</span>' in page
    assert '<span class="home-mark home-mark-advance">аванс</span>' in page


def test_the_period_selector_lists_the_accounts_periods_newest_first_and_works_without_js(
    ivanov: Site,
) -> None:
    page = ivanov.client.get("/home").text

    form = page[page.index('<form method="get" action="/home"') :]
    form = form[: form.index("</form>")]
    assert re.findall(r'<option value="([0-9-]+)"', form) == ["2026-10", "2026-09", "2026-08"]
    assert re.findall(r">([а-я]+ \d{4})</option>", form) == [
        "октябрь 2026",
        "сентябрь 2026",
        "август 2026",
    ]
    assert 'name="period"' in form
    assert '<label for="period">' in form
    assert 'type="submit"' in form


@pytest.mark.parametrize("period", ["2026-11", "2019-01", "не период", "2026-13"])
def test_a_period_the_account_has_no_ledger_for_is_not_found(ivanov: Site, period: str) -> None:
    page = ivanov.client.get("/home", params={"period": period})

    assert page.status_code == 404
    assert "Страница не найдена" in page.text


def test_the_account_shown_comes_only_from_the_session(ivanov: Site) -> None:
    page = ivanov.client.get("/home", params={"account": PETROVA, "account_key": PETROVA})

    assert page.status_code == 200
    assert "100234-А" in page.text
    assert Money(PETROVA_CHARGE).format() not in page.text
    assert shown_rows(page.text) == expected_rows(ivanov.ledger(IVANOV, NEWEST))


def test_the_page_follows_the_account_switcher_but_never_to_an_unlinked_account(
    ivanov: Site,
) -> None:
    access = ivanov.container.access()
    session = current_session(access, ivanov.client.cookies["lk_session"])
    link_account(access, session, PETROVA, surname=SURNAMES[PETROVA], ip="10.0.0.1")
    switch_account(access, session, PETROVA)

    linked = ivanov.client.get("/home").text
    with ivanov.container.uow_factory()() as uow:  # unlinked in another browser
        uow.linked_accounts.remove(IVANOV, PETROVA)
        uow.commit()
    unlinked = ivanov.client.get("/home").text

    assert Money(PETROVA_CHARGE).format() in linked
    assert Money(PETROVA_CHARGE).format() not in unlinked
    assert shown_rows(unlinked) == expected_rows(ivanov.ledger(IVANOV, NEWEST))


def test_an_account_without_a_ledger_gets_a_friendly_empty_state(site: Site) -> None:
    site.sign_in(SEMENOV)

    page = site.client.get("/home")

    assert page.status_code == 200
    assert "Начислений по этому лицевому счёту пока нет" in page.text
    assert "<table" not in page.text
    assert 'action="/home/services#services"' in page.text


def test_no_place_on_the_main_page_says_it_is_coming_any_more(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text

    assert "Скоро здесь" not in page
    for title in ("Квитанции", "Приборы учёта", "Оплатить"):
        assert f">{title}</h2>" in page


def test_the_readings_card_leads_to_the_readings_and_the_houses_meters(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text
    section = page[page.index(">Приборы учёта</h2>") :]
    section = section[: section.index("</section>")]

    assert 'href="/readings"' in section
    assert 'href="/readings/house"' in section


def test_a_signed_out_visitor_is_sent_to_the_front_page(site: Site) -> None:
    page = site.client.get("/home", follow_redirects=False)
    post = site.post("/home/services", {"sms_informing": "yes", "phone": "+79123456789"})

    for answer in (page, post):
        assert answer.status_code == 303
        assert answer.headers["location"] == "/?notice=signed-out"
    assert site.count(tables.consents) == 0


def statements_of(site: Site, path: str) -> list[str]:
    """Every SQL statement a page load ran, in order, as SQLite itself saw them: those run
    through SQLAlchemy Core and those run on the driver's cursor alike."""
    statements: list[str] = []

    def trace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    def untrace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(None)

    engine = site.container.engine()
    assert engine.dialect.name == "sqlite"
    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        assert site.client.get(path).status_code == 200
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
    return statements


def test_the_page_reads_one_periods_ledger_and_nothing_per_service(ivanov: Site) -> None:
    statements = statements_of(ivanov, f"/home?period={EARLIER}")
    control = [s for s in statements if s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
    reads = [s for s in statements if s not in control]
    read = [re.search(r"\bFROM (\w+)", s)[1] for s in reads]  # type: ignore[index]

    # The periods list and one period's lines; nothing per line or per service.
    assert read.count("ledger_lines") == 2
    assert read.count("services") <= 1
    assert read.count("sessions") == 1
    # The session, the accounts the resident may switch to (the links, then each
    # account), the periods, the lines, the service names; and the account's few
    # newest payment orders (one indexed read, for the «Оплатить» panel).
    assert read.count("payment_orders") == 1
    # The house's announcements of the day (F31): one indexed read when there are none.
    assert read.count("announcements") == 1
    # The summary (ADR 0067): the account's meters in use and how many are read this
    # month, counted in one statement.
    assert sum("FROM meters" in s for s in reads) == 1
    assert len(read) <= 9, read  # 7, the announcements and the summary's meter count
    assert all(s.lstrip().upper().startswith("SELECT") for s in reads)
    # All of it in one read-only transaction (the session's last-seen time was written
    # when it signed in, less than a minute ago, so nothing is written).
    assert control == ["BEGIN", "ROLLBACK"], control


# --- the additional services form -------------------------------------------------------

SERVICES_FORM = {
    "sms_informing": "yes",
    "phone": "8 912 345-67-89",
    "email_informing": "yes",
    "email": "ivanov@mail.ru",
    "delivery": "email",
}


def test_the_services_form_is_pre_filled_from_the_account(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text

    assert 'action="/home/services#services"' in page
    assert len(CSRF_INPUT.findall(page)) >= 2  # sign-out and the services form
    assert 'name="email" type="email" value="resident100234@mail.ru"' in page
    assert 'name="phone" type="tel" value=""' in page
    assert 'name="delivery" value="paper" checked' in page
    assert "Сохранить изменения" in page
    assert "редакция от 01.09.2025" in page


def test_saving_the_services_form_stores_the_choices_and_a_consent_for_each(
    ivanov: Site,
) -> None:
    before = ivanov.count(tables.consents)

    saved = ivanov.post("/home/services", {**SERVICES_FORM, "period": str(EARLIER)})

    assert saved.status_code == 303
    assert saved.headers["location"] == f"/home?period={EARLIER}&saved=1"
    page = ivanov.client.get(saved.headers["location"]).text
    assert "Изменения сохранены" in page
    assert 'name="sms_informing" value="yes" checked' in page
    assert 'name="email_informing" value="yes" checked' in page
    assert 'name="delivery" value="email" checked' in page
    assert 'value="+7 912 345-67-89"' in page
    account = ivanov.account(IVANOV)
    assert account.sms_informing
    assert account.email_informing
    assert account.delivery is ReceiptDelivery.EMAIL
    assert ivanov.count(tables.consents) == before + 3

    again = ivanov.post("/home/services", SERVICES_FORM)
    assert again.status_code == 303
    assert ivanov.count(tables.consents) == before + 3

    off = ivanov.post("/home/services", {**SERVICES_FORM, "sms_informing": ""})
    assert off.headers["location"] == "/home?saved=1"
    assert not ivanov.account(IVANOV).sms_informing
    assert ivanov.count(tables.consents) == before + 4
    with ivanov.container.uow_factory()(read_only=True) as uow:
        last = uow.consents.of_account(IVANOV)[-1]
    assert (last.kind.value, last.given, last.address) == ("sms_informing", False, "+79123456789")


def test_an_invalid_phone_is_shown_next_to_its_field_and_nothing_is_saved(ivanov: Site) -> None:
    before = ivanov.count(tables.consents)

    refused = ivanov.post("/home/services", {**SERVICES_FORM, "phone": "12-34"})

    assert refused.status_code == 400
    page = refused.text
    message = "Укажите номер телефона в формате +7 XXX XXX-XX-XX"
    assert page.index('<label for="phone">') < page.index(message) < page.index('for="email"')
    assert 'aria-invalid="true" aria-describedby="phone-error' in page
    assert "Изменения не сохранены" in page
    assert "Изменения сохранены" not in page
    assert 'value="12-34"' in page
    assert shown_rows(page) == expected_rows(ivanov.ledger(IVANOV, NEWEST))
    assert ivanov.count(tables.consents) == before
    account = ivanov.account(IVANOV)
    assert (account.sms_informing, account.phone, account.delivery) == (
        False,
        None,
        ReceiptDelivery.PAPER,
    )


def test_e_mail_receipts_without_an_e_mail_are_refused_next_to_the_e_mail_field(
    ivanov: Site,
) -> None:
    refused = ivanov.post("/home/services", {"email": "", "delivery": "email"})

    assert refused.status_code == 400
    assert 'aria-describedby="email-error' in refused.text
    assert ivanov.account(IVANOV).delivery is ReceiptDelivery.PAPER


def test_a_services_post_without_the_csrf_token_is_refused(ivanov: Site) -> None:
    before = ivanov.count(tables.consents)

    refused = ivanov.client.post("/home/services", data=SERVICES_FORM, follow_redirects=False)

    assert refused.status_code == 403
    assert ivanov.count(tables.consents) == before
    assert not ivanov.account(IVANOV).sms_informing


# --- a phone's screen -------------------------------------------------------------------


def main_page_block(stylesheet: str) -> str:
    """The main page's rules: from `/* Main page */` to the next block's heading comment."""
    block = stylesheet[stylesheet.index("/* Main page */") :]
    following = re.search(r"\n/\* (?!Below this width)", block)
    return block[: following.start()] if following else block


def test_on_a_phone_every_amount_keeps_its_column_name_in_the_service_lines(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text
    stylesheet = ivanov.client.get("/static/portal.css").text
    main_page_css = main_page_block(stylesheet)

    lines = re.findall(r'<details class="svc">(.*?)</details>', page, flags=re.S)
    rows = re.findall(r"<tr\b[^>]*>", page.split("<tbody", 1)[1].split("</tbody>")[0])
    assert len(lines) == len(rows) + 1  # each service, and the total
    for line in lines:
        assert re.findall(r"<dt>([^<]*)</dt>", line)[:5] == list(COLUMNS)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media (max-width:" in main_page_css
    # Nothing on the page is laid out wider than a 360-px screen.
    widths = [int(px) for px in re.findall(r"(?<![\w-])(?:min-)?width:\s*(\d+)px", main_page_css)]
    assert all(px <= 360 for px in widths)
    assert "nowrap" not in re.sub(
        r"\.home-(amount|mark)[^}]*}", "", main_page_css.split("@media")[0]
    )


# --- every store reads alike ------------------------------------------------------------


def test_the_settlements_read_the_same_from_every_store(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    load_accounts(uow_factory, access_accounts())
    load_ledger(uow_factory, three_periods_of_rows(IVANOV))
    ctx = LedgerContext(uow_factory)

    view = settlement_page(ctx, IVANOV, None)
    earlier = settlement_page(ctx, IVANOV, EARLIER)

    assert view.periods == (NEWEST, EARLIER, Period(2026, 8))
    assert [(line.service_name, line.volume_ru) for line in view.lines] == [
        ("Содержание и ремонт МКД", ""),
        ("Холодное водоснабжение", "9,455"),
        ("Электроэнергия", "182,2"),
    ]
    assert view.settlement is not None
    assert earlier.settlement is not None
    assert (view.settlement.closing, earlier.settlement.closing) == (
        Money(252_610),
        Money(89_621),
    )


# --- page weight and static files (ADR 0067) ------------------------------------------

WEIGHT_BUDGET = 60 * 1024
ASSET_LINK = re.compile(r'(?:href|src)="(/assets/[0-9a-f]{12}/[\w.-]+)"')


def test_the_main_page_with_its_css_and_script_weighs_under_60_kb_compressed(
    ivanov: Site,
) -> None:
    page = ivanov.client.get("/home")
    assets = ASSET_LINK.findall(page.text)
    assert {a.rsplit("/", 1)[1] for a in assets} == {"portal.css", "portal.js"}

    bodies = [page.content] + [ivanov.client.get(a).content for a in assets]
    compressed = sum(len(gzip.compress(body, compresslevel=6)) for body in bodies)

    assert compressed < WEIGHT_BUDGET, f"{compressed} bytes compressed"


def test_the_stylesheet_loads_no_web_font_so_nothing_shifts_when_fonts_load(
    ivanov: Site,
) -> None:
    css = ivanov.client.get("/static/portal.css").text

    assert "@font-face" not in css
    assert "@import" not in css


def test_versioned_static_files_are_kept_a_year_and_unversioned_ones_revalidated(
    ivanov: Site,
) -> None:
    css_url = next(a for a in ASSET_LINK.findall(ivanov.client.get("/home").text) if "css" in a)

    versioned = ivanov.client.get(css_url)
    assert versioned.status_code == 200
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["content-type"].startswith("text/css")
    unversioned = ivanov.client.get("/static/portal.css")
    assert unversioned.content == versioned.content
    assert unversioned.headers["cache-control"] == "no-cache"
    # The address names the content: another version is not served under it.
    assert ivanov.client.get("/assets/000000000000/portal.css").status_code == 404
    assert ivanov.client.get(css_url.rsplit("/", 1)[0] + "/secret.txt").status_code == 404


def test_the_manifest_names_the_company_and_its_icons_are_served(site: Site) -> None:
    manifest = site.client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    document = manifest.json()
    company = site.container.company().name
    assert company in document["name"]
    assert document["theme_color"] == site.container.settings().company.colour
    assert document["start_url"] == "/home"

    for icon in document["icons"]:
        answer = site.client.get(icon["src"])
        assert answer.status_code == 200
        assert answer.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            size = int(icon["sizes"].split("x")[0])
            assert answer.content.startswith(b"\x89PNG\r\n\x1a\n")
            assert answer.content[16:24] == size.to_bytes(4, "big") * 2
    assert site.client.get("/icons/64.png").status_code == 404
    page = site.client.get("/").text
    assert 'rel="manifest" href="/manifest.webmanifest"' in page

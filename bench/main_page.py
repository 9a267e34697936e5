"""Benchmark: the signed-in main page (GET /home, F9) under load, PostgreSQL against SQLite.

Run with no arguments: `python bench/main_page.py` (about 5 to 6 minutes on 2 cores;
`--quick` scales everything down to about 1.5 minutes; `--accounts`, `--rounds`,
`--round-seconds`, `--open-seconds`, `--clients`, `--workers`, `--large`, `--no-postgres`,
`--profile DIR`, `--keep`: see `--help`). Servers, files and the PostgreSQL databases it
makes are removed at the end, on Ctrl-C and on SIGTERM too.

The goals (issue 18 §4: PostgreSQL as the production path), with 50,000 accounts and 12
months of ledger, the same server settings, in the same run: on PostgreSQL the signed-in
main page serves at least 0.75× the requests per second it serves on SQLite; its p99
latency at 32 concurrent connections stays under 50 ms on both (and, ADR 0073, under
50 ms at half the measured capacity offered at a fixed rate); SQLite does not regress,
checked against BASELINE below, which shares the run and its noise: SQLite served 0.19×
BASELINE before PostgreSQL's pages were read in one round trip (ADR 0059), and must stay
at 0.17× or more (a tenth off for a shared machine's noise); and the page's latency with
1,000,000 accounts stays within 1.2× of 1,000. (These replace the earlier goal of 40 % of
BASELINE's requests per second: that measured Litestar and Jinja more than our own work.)

WHY TWO p99 LINES. The issue's goal, p99 under 50 ms at 32 connections, is printed as
the issue states it (`main_page_p99_ms_<db>`, met or missed), but it measures the queue
more than the page: with 32 connections kept busy the mean latency is 32 ÷ requests per
second (Little's law), whatever the page costs, so a p99 under 50 ms needs well over 640
req/s, and 2 shared cores give the page about 700 at best; the bench prints that mean
from the measured rate beside the measured one. ADR 0073 adds the goal that measures the
page: p99 under 50 ms at an offered load of half the capacity measured in the same run,
from an open-loop client (`main_page_p99_at_half_capacity_<db>`). Both are printed so that
the issue's figure stays visible and honest while the goal that can tell a slow page
from a full queue decides.

DATA. Houses, services, `--accounts` accounts and `--months` months × 6 services of ledger
lines are written as billing files (docs/formats.md) and loaded by `lk import`, at the
same time, into a fresh SQLite file and a fresh PostgreSQL database. `--clients` accounts,
spread over the key range, are registered through the registration use cases and signed
in once each through the sign-in use case: one session cookie per connection, sent with
the CSRF cookie the first page set, as a browser would.

BASELINE, the yardstick of SQLite's regression check, is a bare Litestar app defined in
this file (no middleware, no database, no session), rendering with Litestar's Jinja
engine a template of the same structure as the main page (a period selector, a table of
six services, a form) from constants, padded to the byte size of the real page as
served. OURS is `lk serve` over each database. All
three are uvicorn with `--workers` processes and `lk serve`'s uvicorn settings, outside
demo mode (HTTPS cookies and headers as in production; the server itself speaks HTTP).

LOAD. One thread of this process keeps `--clients` keep-alive HTTP/1.1 connections to
127.0.0.1 busy (raw sockets and a selector, so that the client's own CPU stays small:
it shares the cores with the server), each sending GET /home with its session cookie
and the next request as soon as the answer is complete. The connections are spread
evenly over each server's workers (a connection that lands on a worker holding its share
already is made again; /proc tells which worker holds it): uvicorn's workers share one
listening socket, and left alone one of them often accepted nearly all. After a warm-up, the answers
completed within `--round-seconds` count; the targets take turns for `--rounds` rounds
and the best round of each is reported (a busy machine only slows).

FIXED RATE. Then each database is offered half its best round's requests per second by
an open-loop client (`support.load.offer`): one request every 1/rate s for
`--open-seconds` after the warm-up, over at most `--clients` connections, whatever the
answers. A request due while every connection is busy waits for the first free one, and
its latency runs from the time it was due, not from when it was sent: a client that
sends only when answered, or times from the send, leaves out exactly the requests a
stall held up (coordinated omission). BASELINE is offered the highest of those rates
too: its tail is what the machine (shared with other work) and the framework add to any
page's. CPU time per request
is reported for the server's processes, for PostgreSQL's and for the load generator:
on a shared machine it is steadier than requests per second. `--profile DIR` adds a
round per server under `py-spy record --gil` and sums up where the time goes.

GROWTH. The latency of the main page's data access, the `settlement_page` use case for
a random account, in this process, one call at a time, at 1,000 and at 1,000,000
accounts. To fit the time budget the large databases are filled directly (the same
rows the loader writes, by the driver's bulk path: executemany on SQLite, COPY on
PostgreSQL): every account has the newest month of 6 services, and 1,000 accounts spread
over the key range have the full 12 months × 6 services like every account of the small
database. Only those are measured, so each call reads exactly the same rows in both: the
difference is the size of the indexes and tables around them (about 6 million ledger
lines rather than 72 million: at most one level less of B-tree).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from litestar import Litestar, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from support.load import (
    LK,
    Load,
    Offered,
    Server,
    cores,
    drive,
    fetch,
    free_port,
    lk_serve,
    offer,
    postmaster_pid,
    running,
)
from support.portal import portal_environment, registered_sessions

GOAL_POSTGRES_VS_SQLITE, GOAL_P99_MS, GOAL_GROWTH = 0.75, 50.0, 1.2
OPEN_LOAD_SHARE = 0.5  # of each database's measured req/s, offered at a fixed rate (ADR 0073)
# SQLite against BASELINE: 0.19 before ADR 0059 (issue 4's notes), less a tenth for noise.
SQLITE_VS_BASELINE_BEFORE, GOAL_SQLITE_VS_BASELINE = 0.19, 0.17
PY_SPY = str(Path(sys.executable).parent / "py-spy")
POSTGRES_URL = os.environ.get("LK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BASELINE_DIR_VARIABLE = "MAIN_PAGE_BASELINE_DIR"
FIRST_ACCOUNT = 2_000_000
ACCOUNTS_PER_HOUSE = 100
PROFILES = 257  # distinct ledger histories, dealt out to the accounts in turn

# code, name, unit, tariff in kopecks, what the volume is
SERVICES = (
    ("SOD", "Содержание и ремонт МКД", "м²", 2845, "area"),
    ("HVS", "Холодное водоснабжение", "м³", 4471, "metered"),
    ("GVS", "Горячее водоснабжение", "м³", 23860, "metered"),
    ("VOD", "Водоотведение", "м³", 3805, "metered"),
    ("EE", "Электроэнергия", "кВт·ч", 658, "metered"),
    ("TKO", "Обращение с ТКО", "чел.", 12920, "residents"),
)
PEOPLE = (
    ("Иванов", "Иван Иванович"),
    ("Смирнова", "Анна Сергеевна"),
    ("Кузнецов", "Пётр Алексеевич"),
    ("Попова", "Мария Викторовна"),
    ("Васильев", "Олег Петрович"),
    ("Соколова", "Елена Андреевна"),
    ("Михайлов", "Роман Константинович"),
    ("Новикова", "Ольга Игоревна"),
    ("Фёдоров", "Сергей Николаевич"),
    ("Морозова", "Надежда Леонидовна"),
    ("Волков", "Андрей Юрьевич"),
)
LEDGER_HEADER = (
    "Лицевой счёт;Период;Код услуги;Сальдо входящее;Начислено;Перерасчёт;Оплачено;"
    "Сальдо исходящее;Объём;Тариф;Основание перерасчёта"
)
REASON = "Перерасчёт за период временного отсутствия (справка о пребывании)"


# --- Generated data ------------------------------------------------------------------------


def recent_periods(months: int) -> list[tuple[int, int]]:
    """The `months` months before the current one, oldest first, as (year, month)."""
    today = dt.datetime.now(dt.UTC).date()
    year, month = today.year, today.month
    periods = []
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        periods.append((year, month))
    return periods[::-1]


def _rubles(kopecks: int) -> str:
    sign = "-" if kopecks < 0 else ""
    return f"{sign}{abs(kopecks) // 100},{abs(kopecks) % 100:02d}"


# One ledger line without its account: period code, service, opening, charged,
# recalculation, paid, closing (kopecks), volume and tariff (exact text), reason.
Line = tuple[int, str, int, int, int, int, int, str, str, str]


def ledger_profiles(months: int, count: int = PROFILES) -> list[list[Line]]:
    """`count` ledger histories of `months` months × 6 services, balances carried over."""
    periods = recent_periods(months)
    profiles = []
    for n in range(count):
        area = 3000 + (n * 37) % 6000  # hundredths of m²
        residents = 1 + n % 4
        closing = [0] * len(SERVICES)
        lines: list[Line] = []
        for p, (year, month) in enumerate(periods):
            for s, (code, _name, _unit, tariff, kind) in enumerate(SERVICES):
                x = (n * 7919 + p * 104_729 + s * 31) % 1000
                if kind == "area":
                    hundredths = area
                elif kind == "residents":
                    hundredths = 100 * residents
                else:
                    hundredths = 150 + x * 2
                volume = f"{hundredths // 100}.{hundredths % 100:02d}"
                charged = hundredths * tariff // 100
                opening = closing[s]
                paid = opening if x % 7 else 0  # now and then a month is left unpaid
                recalculation = -(charged // 3) if x % 41 == 5 else 0
                closing[s] = opening + charged + recalculation - paid
                lines.append((
                    year * 100 + month, code, opening, charged, recalculation, paid,
                    closing[s], volume, f"{tariff // 100}.{tariff % 100:02d}",
                    REASON if recalculation else "",
                ))  # fmt: skip
        profiles.append(lines)
    return profiles


def payer(n: int) -> str:
    surname, names = PEOPLE[n % len(PEOPLE)]
    return f"{surname} {names}"


def account_key(n: int) -> str:
    return str(FIRST_ACCOUNT + n)


def write_billing_files(folder: Path, accounts: int, months: int) -> list[Path]:
    """Houses, services, accounts and ledger files in the formats of docs/formats.md."""
    folder.mkdir(parents=True, exist_ok=True)
    houses, services = folder / "houses.csv", folder / "services.csv"
    accounts_file, ledger = folder / "accounts.csv", folder / "ledger.csv"
    house_count = -(-accounts // ACCOUNTS_PER_HOUSE)
    with houses.open("w", encoding="utf-8", newline="") as file:
        file.write("Код дома;Адрес дома;Площадь дома\r\n")
        for h in range(1, house_count + 1):
            file.write(f"{h};г. Тверь, ул. Советская, д. {h};6400,00\r\n")
    with services.open("w", encoding="utf-8", newline="") as file:
        file.write("Код услуги;Наименование услуги;Ед. изм.\r\n")
        file.writelines(f"{code};{name};{unit}\r\n" for code, name, unit, *_ in SERVICES)
    with accounts_file.open("w", encoding="utf-8", newline="") as file:
        file.write("Лицевой счёт;Код дома;ФИО;Помещение;Комнат;Площадь помещения;Проживает\r\n")
        for n in range(accounts):
            file.write(
                f"{account_key(n)};{n // ACCOUNTS_PER_HOUSE + 1};{payer(n)};"
                f"{n % ACCOUNTS_PER_HOUSE + 1};2;54,30;{1 + n % 4}\r\n"
            )
    blocks = [
        [
            f"{code % 100:02d}.{code // 100};{service};{_rubles(opening)};{_rubles(charged)};"
            f"{_rubles(recalc)};{_rubles(paid)};{_rubles(closing)};{volume.replace('.', ',')};"
            f"{tariff.replace('.', ',')};{reason}"
            for code, service, opening, charged, recalc, paid, closing, volume, tariff, reason
            in profile
        ]
        for profile in ledger_profiles(months)
    ]  # fmt: skip
    with ledger.open("w", encoding="utf-8", newline="") as file:
        file.write(LEDGER_HEADER + "\r\n")
        for n in range(accounts):
            prefix = account_key(n) + ";"
            file.write(prefix + ("\r\n" + prefix).join(blocks[n % PROFILES]) + "\r\n")
    return [houses, services, accounts_file, ledger]


# --- Settings, databases, and the accounts that sign in --------------------------------------


def admin_connection() -> Any:
    import psycopg

    return psycopg.connect(POSTGRES_URL, autocommit=True)


def create_database(name: str) -> str:
    """A new, empty database; its URL."""
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_database(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_import(env: dict[str, str], files: list[Path], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [LK, "import", *map(str, files)], env=env, stdout=output, stderr=subprocess.STDOUT
        )


# --- The large and small databases of the growth check, filled directly ---------------------


def fill_directly(url: str, accounts: int, full_accounts: int, months: int) -> list[str]:
    """A fresh schema with `accounts` accounts. `full_accounts` of them, evenly spread,
    get `months` months × 6 services of ledger; the others the newest month only. The same
    rows the loader writes, by the driver's bulk path. Returns the full accounts' keys."""
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.migrations import upgrade_database
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.accounts.account import House
    from lk_core.kernel.periods import BillingPeriod, Period
    from lk_core.ledger.services import Service

    engine = make_engine(url)
    upgrade_database(engine)
    postgres = engine.dialect.name == "postgresql"
    house_count = -(-accounts // ACCOUNTS_PER_HOUSE)
    with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
        uow.houses.upsert_many([
            House(str(h), f"г. Тверь, ул. Советская, д. {h}", Decimal("6400.00"))
            for h in range(1, house_count + 1)
        ])  # fmt: skip
        uow.services.upsert_many([Service(c, name, unit) for c, name, unit, *_ in SERVICES])
        for year, month in recent_periods(months):
            uow.periods.save(BillingPeriod(Period(year, month)))
        uow.commit()
    stride = max(accounts // full_accounts, 1)
    full = set(range(stride // 2, accounts, stride))
    profiles = ledger_profiles(months)
    newest = [profile[-len(SERVICES) :] for profile in profiles]

    def account_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(accounts):
            yield (
                account_key(n), "", str(n // ACCOUNTS_PER_HOUSE + 1), payer(n),
                str(n % ACCOUNTS_PER_HOUSE + 1), 2, "54.30", 1 + n % 4, "paper", False, False,
            )  # fmt: skip

    def ledger_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(accounts):
            key = account_key(n)
            lines = profiles[n % PROFILES] if n in full else newest[n % PROFILES]
            for code, service, opening, charged, recalc, paid, _c, volume, tariff, reason in lines:
                yield (key, code, service, opening, charged, recalc, paid, volume, tariff, reason)

    account_columns = (
        "key, letter, house_code, payer_name, flat, rooms, area, residents, delivery, "
        "sms_informing, email_informing"
    )
    ledger_columns = (
        "account_key, period, service_code, opening, charged, recalculation, paid, volume, "
        "tariff, recalculation_reason"
    )
    with engine.begin() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        if postgres:
            with driver.cursor() as cursor:
                for table, columns, rows in (
                    ("accounts", account_columns, account_rows()),
                    ("ledger_lines", ledger_columns, ledger_rows()),
                ):
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
        else:
            driver.executemany(
                f"INSERT INTO accounts ({account_columns}) VALUES ({', '.join('?' * 11)})",
                account_rows(),
            )
            driver.executemany(
                f"INSERT INTO ledger_lines ({ledger_columns}) VALUES ({', '.join('?' * 10)})",
                ledger_rows(),
            )
    if postgres:  # as autovacuum would soon after a load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return [account_key(n) for n in sorted(full)]


# --- BASELINE: a bare Litestar app rendering a template of the same size from constants ----

BASELINE_TEMPLATE = """<!doctype html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Главная — {{ company }}</title>
  <link rel="stylesheet" href="/static/portal.css">
</head>
<body>
  <header class="site-header"><div class="wrap header-row">
    <a class="brand" href="/"><span class="brand-name">{{ company }}</span></a>
    <nav class="site-nav"><a href="/home" aria-current="page">Главная</a>
      <a href="/personal">Личные данные</a></nav>
    <span class="who-account">Лицевой счёт <strong>{{ account }}</strong></span>
    <form method="post" action="/sign-out"><input type="hidden" name="_csrf_token"
      value="{{ token }}"><button type="submit">Выход</button></form>
  </div></header>
  <main id="main" class="wrap">
  <h1 class="page-title">Главная</h1>
  <p class="home-account">Лицевой счёт <strong>{{ account }}</strong> · {{ payer }}</p>
  <section class="card"><h2>Состояние расчётов за {{ period }}</h2>
    <form method="get" action="/home"><select id="period" name="period">
      {% for p in periods %}
      <option value="{{ p.value }}"{% if loop.last %} selected{% endif %}>{{ p.label }}</option>
      {% endfor %}
    </select><button type="submit">Показать</button></form>
    <table class="home-settlements" role="table"><thead><tr><th>Услуга</th>
      <th>Входящее сальдо</th><th>Начислено</th><th>Перерасчёт</th><th>Оплачено</th>
      <th>К оплате</th></tr></thead><tbody>
      {% for row in rows %}
      <tr role="row"><th scope="row">{{ row.name }}<span class="home-note">объём {{ row.volume }}
        {{ row.unit }}</span></th>
        <td role="cell"><span class="home-cell-label">Входящее сальдо</span> {{ row.opening }}</td>
        <td role="cell"><span class="home-cell-label">Начислено</span> {{ row.charged }}</td>
        <td role="cell"><span class="home-cell-label">Перерасчёт</span> {{ row.recalc }}</td>
        <td role="cell"><span class="home-cell-label">Оплачено</span> {{ row.paid }}</td>
        <td role="cell"><span class="home-cell-label">К оплате</span> {{ row.closing }}</td></tr>
      {% endfor %}
    </tbody></table>
    <p class="home-due">К оплате за {{ period }}: <strong>{{ total }}</strong></p>
  </section>
  <section class="card home-services"><h2>Дополнительные услуги</h2>
    <form method="post" action="/home/services"><input type="hidden" name="_csrf_token"
      value="{{ token }}">
      <label><input type="checkbox" name="sms_informing" value="yes"> Смс-информирование
        от {{ company }}</label>
      <input type="tel" name="phone" value="{{ phone }}">
      <label><input type="checkbox" name="email_informing" value="yes" checked> E-mail
        от {{ company }}</label>
      <input type="email" name="email" value="{{ email }}">
      <button type="submit">Сохранить изменения</button></form>
  </section>
@@FILLER@@
  </main>
  <footer class="site-footer"><p>{{ company }} · {{ address }}</p></footer>
</body>
</html>
"""

BASELINE_CONTEXT: dict[str, Any] = {
    "company": "ООО «УК Тверской дом»",
    "address": "170100, г. Тверь, ул. Вольного Новгорода, д. 8, офис 14",
    "account": "2025000",
    "payer": "Иванов Иван Иванович",
    "token": "x" * 64,
    "phone": "+7 912 345-67-89",
    "email": "bench2025000@example.ru",
    "period": "октябрь 2026",
    "total": "7 863,65",
    "periods": [{"value": f"2026-{m:02d}", "label": f"месяц {m} 2026"} for m in range(1, 13)],
    "rows": [
        {
            "name": name, "unit": unit, "volume": "12,34", "opening": "1 171,46 долг",
            "charged": "1 171,46", "recalc": "0,00", "paid": "1 171,46", "closing": "1 171,46",
        }
        for _code, name, unit, *_ in SERVICES
    ],
}  # fmt: skip


def write_baseline_template(folder: Path, page_bytes: int) -> int:
    """The template padded with static text to render `page_bytes` bytes; what it renders."""
    import jinja2

    def rendered(filler: str) -> int:
        template = jinja2.Environment(autoescape=True).from_string(
            BASELINE_TEMPLATE.replace("@@FILLER@@", filler)
        )
        return len(template.render(BASELINE_CONTEXT).encode())

    sentence = "Скоро здесь можно будет передать показания приборов учёта и оплатить счёт. "
    missing = page_bytes - rendered("")
    paragraphs = []
    while missing > 0:
        text = (sentence * 4)[: max(missing // 2 - 20, 1)]
        paragraph = f'  <p class="aside">{text}</p>\n'
        paragraphs.append(paragraph)
        missing -= len(paragraph.encode())
    folder.mkdir(parents=True, exist_ok=True)
    filler = "".join(paragraphs)
    (folder / "page.html.j2").write_text(BASELINE_TEMPLATE.replace("@@FILLER@@", filler))
    return rendered(filler)


def baseline_app() -> Litestar:
    """The BASELINE server's app (uvicorn imports it by name, `main_page:baseline_app`)."""

    @get("/home", sync_to_thread=False)
    def home() -> Template:
        return Template(
            template_name="page.html.j2",
            context=BASELINE_CONTEXT,
            headers={"Cache-Control": "no-store"},
        )

    @get("/healthz", sync_to_thread=False)
    def healthz() -> str:
        return "ok"

    return Litestar(
        route_handlers=[home, healthz],
        template_config=TemplateConfig(
            directory=Path(os.environ[BASELINE_DIR_VARIABLE]), engine=JinjaTemplateEngine
        ),
        debug=False,
    )


def serve_baseline(port: int, workers: int) -> None:
    import uvicorn

    # The settings `lk serve` gives uvicorn.
    uvicorn.run(
        "main_page:baseline_app", factory=True, host="127.0.0.1", port=port, workers=workers,
        log_level="warning", proxy_headers=False,
    )  # fmt: skip


# --- Profiling the servers with py-spy ---------------------------------------------------------


def profile_round(
    server: Server, cookies: list[str], seconds: float, folder: Path
) -> tuple[Load, Path]:
    """A round (not counted) with py-spy sampling every worker of the server: only threads
    holding the GIL, so that threads waiting for it do not count as busy."""
    output = folder / f"{server.name.lower()}.txt"
    spy = subprocess.Popen(
        [PY_SPY, "record", "--pid", str(server.process.pid), "--subprocesses", "--nonblocking",
         "--gil", "--rate", "250", "--duration", str(int(seconds) + 2), "--format", "raw",
         "--output", str(output)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1)
    load = drive(server, cookies, seconds, warmup=0.5)
    spy.wait(timeout=seconds + 30)
    return load, output


# Innermost frame → what it belongs to (the first marker found wins).
GROUPS = (
    (".html.j2", "templates"),
    ("jinja2/", "Jinja"),
    ("markupsafe/", "Jinja"),
    ("sqlalchemy/", "SQLAlchemy"),
    ("psycopg/", "psycopg"),
    ("litestar/", "Litestar"),
    ("uvicorn/", "uvicorn"),
    ("anyio/", "threads"),
    ("concurrent/futures", "threads"),
    ("threading.py", "threads"),
    ("asyncio/", "asyncio"),
    ("structlog/", "structlog"),
    ("lk_core/", "lk_core"),
    ("lk_adapters/", "lk_adapters"),
    ("lk_web/", "lk_web"),
    ("attr", "attrs"),
)
# A frame anywhere in the stack → the time spent in it and in what it calls.
INCLUSIVE = (
    ("current_session (lk_core", "current_session"),
    ("resident_accounts (lk_core", "resident_accounts"),
    ("settlement_page (lk_core", "settlement_page"),
    ("Template.render (jinja2", "template rendering"),
    ("SqlAlchemyUnitOfWork.__enter__", "unit of work opened"),
    ("SqlAlchemyUnitOfWork.__exit__", "unit of work closed"),
    ("_ConnectionFairy._checkout", "pool checkout"),
    ("ClauseElement._compile_w_cache", "statement compile/cache"),
    ("DefaultDialect.do_execute ", "driver execute"),
    ("sync_to_thread (litestar", "handing to a thread"),
    ("KwargsModel.resolve_dependencies", "dependency injection"),
    ("log_response (lk_web", "request log line"),
)


def summarise_profile(path: Path) -> list[str]:
    """Shares of the sampled time: by what the innermost frame belongs to, and for a few
    functions including what they call."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        own[next((label for marker, label in GROUPS if marker in frames[-1]), "other")] += count
        for marker, label in INCLUSIVE:
            if any(marker in frame for frame in frames):
                inclusive[label] += count
    if not total:
        return ["  (no samples)"]
    shares = [
        f"{label} {100 * n / total:.0f}%" for label, n in own.most_common() if n / total > 0.005
    ]
    calls = [
        f"{label} {100 * inclusive[label] / total:.0f}%"
        for _m, label in INCLUSIVE
        if inclusive[label]
    ]
    return ["  innermost frame: " + ", ".join(shares), "  with callees: " + ", ".join(calls)]


# --- The growth check: settlement_page at 1,000 and at 1,000,000 accounts ---------------------


@dataclass
class Growth:
    label: str
    accounts: int
    samples: list[float] = field(default_factory=list)
    round_medians: list[float] = field(default_factory=list)

    def ms(self, q: float) -> float:
        ordered = sorted(self.samples)
        return 1000 * ordered[min(int(q * len(ordered)), len(ordered) - 1)]

    @property
    def best_median_ms(self) -> float:
        """The median of the least disturbed round (a busy machine only slows)."""
        return 1000 * min(self.round_medians)


def measure_growth(cases: list[tuple[Growth, str, list[str]]], calls: int, rounds: int) -> None:
    """settlement_page for random accounts, one call at a time, the cases taking turns."""
    from lk_adapters.container import build_container
    from lk_adapters.settings import load_settings
    from lk_core.ledger.settlements import settlement_page

    contexts = []
    for growth, url, keys in cases:
        container = build_container(load_settings(portal_environment(url)))
        ledger = container.ledger()
        chooser = random.Random(7)
        for _ in range(200):  # warm: connections, compiled statements, pages
            settlement_page(ledger, chooser.choice(keys), None)
        contexts.append((growth, ledger, keys, container))
    per_round = max(calls // rounds, 1)
    for r in range(rounds):
        for growth, ledger, keys, _container in contexts:
            chooser = random.Random(r)
            picks = [chooser.choice(keys) for _ in range(per_round)]
            clock = time.perf_counter
            times = []
            for key in picks:
                started = clock()
                view = settlement_page(ledger, key, None)
                times.append(clock() - started)
            growth.samples += times
            growth.round_medians.append(statistics.median(times))
            assert len(view.lines) == len(SERVICES)
            assert len(view.periods) >= 2
    for *_rest, container in contexts:
        container.engine().dispose()


# --- The whole run -------------------------------------------------------------------------------


def _goal(met: bool) -> str:
    return "met" if met else "missed"


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=None, help="default 50,000")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="5,000 accounts, shorter rounds")
    parser.add_argument("--rounds", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--round-seconds", type=float, default=None, help="default 4")
    parser.add_argument("--warmup-seconds", type=float, default=1.5)
    parser.add_argument(
        "--open-seconds", type=float, default=None,
        help="the fixed-rate phase per database, default 10 (5 with --quick)",
    )  # fmt: skip
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=cores(), help="uvicorn workers")
    parser.add_argument("--small", type=int, default=1_000, help="growth check: small case")
    parser.add_argument("--large", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--calls", type=int, default=None, help="growth check calls per case")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy the servers here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--serve-baseline", type=int, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args()
    quick = options.quick
    options.accounts = options.accounts or (5_000 if quick else 50_000)
    options.rounds = options.rounds or (1 if quick else 3)
    options.round_seconds = options.round_seconds or (3.0 if quick else 4.0)
    options.open_seconds = options.open_seconds or (5.0 if quick else 10.0)
    options.large = options.large or (100_000 if quick else 1_000_000)
    options.calls = options.calls or (1_500 if quick else 4_000)
    return options


def _terminate(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


class Run:
    """One run's temporary folder, PostgreSQL databases and clock; `close` removes them."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.started = time.monotonic()
        self.folder = Path(tempfile.mkdtemp(prefix="lk-bench-main-page-"))
        self.postgres = not options.no_postgres
        self.databases: list[str] = []
        self.imports: list[subprocess.Popen[bytes]] = []

    def step(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:4.0f} s] {text}", flush=True)

    def database(self, label: str) -> str:
        """A fresh PostgreSQL database of this run, dropped by `close`."""
        name = f"lk_bench_{os.getpid()}_{label}"
        self.databases.append(name)
        return create_database(name)

    def close(self) -> None:
        for process in self.imports:
            if process.poll() is None:
                process.terminate()
                process.wait()
        for name in self.databases:
            try:
                drop_database(name)
            except Exception as error:
                print(f"could not drop database {name}: {error}", file=sys.stderr)
        if self.options.keep:
            print(f"kept {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


GrowthCase = tuple[Growth, str, list[str]]


def prepare(run: Run) -> tuple[dict[str, str], list[GrowthCase]]:
    """The loaded databases (by `lk import`, into both at once) and, meanwhile, the
    directly filled ones of the growth check."""
    options, folder = run.options, run.folder
    run.step("writing billing files …")
    files = write_billing_files(folder / "files", options.accounts, options.months)
    lines = options.accounts * options.months * len(SERVICES)
    urls = {"SQLite": f"sqlite:///{folder / 'main.sqlite3'}"}
    if run.postgres:
        urls["PostgreSQL"] = run.database("main")
    run.step(f"ledger.csv: {lines:,} lines, {files[-1].stat().st_size / 1e6:.0f} MB; "
             f"`lk import` into {' and '.join(urls)} at once …")  # fmt: skip
    finished: dict[str, float] = {}

    def timed(name: str, process: subprocess.Popen[bytes], began: float) -> None:
        process.wait()
        finished[name] = time.monotonic() - began

    waiters = []
    for name, url in urls.items():
        process = start_import(portal_environment(url), files, folder / f"import-{name}.log")
        run.imports.append(process)
        waiters.append(threading.Thread(target=timed, args=(name, process, time.monotonic())))
        waiters[-1].start()

    cases: list[GrowthCase] = []
    for label, count in (("small", options.small), ("large", options.large)):
        targets = [("SQLite", f"sqlite:///{folder / f'{label}.sqlite3'}")]
        if run.postgres:
            targets.append(("PostgreSQL", run.database(label)))
        for backend, url in targets:
            began = time.monotonic()
            keys = fill_directly(url, count, min(1_000, count), options.months)
            run.step(f"growth check: {backend} with {count:,} accounts filled in "
                     f"{time.monotonic() - began:.0f} s")  # fmt: skip
            cases.append((Growth(f"{backend} {count:,}", count), url, keys))

    for waiter in waiters:
        waiter.join()
    for (name, _url), process in zip(urls.items(), run.imports, strict=True):
        if process.returncode != 0:
            log = (folder / f"import-{name}.log").read_text()[-3000:]
            raise SystemExit(f"lk import into {name} failed:\n{log}")
    run.step("`lk import` done: " + ", ".join(
        f"{name} in {seconds:.0f} s ({lines / seconds:,.0f} ledger lines/s)"
        for name, seconds in finished.items()
    ) + " (sharing the cores with each other and with the fills above)")  # fmt: skip
    return urls, cases


def sign_in_everywhere(run: Run, urls: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """One account per connection, spread over the key range, registered and signed in
    once on each database: the keys, and each database's session cookies."""
    options = run.options
    numbers = [(i * options.accounts) // options.clients + 7 for i in range(options.clients)]
    keys = [account_key(n) for n in numbers]
    surnames = [PEOPLE[n % len(PEOPLE)][0] for n in numbers]
    from lk_web.client import SESSION_COOKIE_SECURE

    cookies = {}
    for name, url in urls.items():
        sessions = registered_sessions(portal_environment(url), keys, surnames)
        cookies[name] = [f"{SESSION_COOKIE_SECURE}={raw}" for raw in sessions]
    run.step(f"{options.clients} accounts registered and signed in on each database")
    return keys, cookies


def start_servers(
    run: Run, stack: ExitStack, urls: dict[str, str], keys: list[str], cookies: dict[str, list[str]]
) -> tuple[dict[str, Server], dict[str, int]]:
    """`lk serve` over each database, then BASELINE with a page of their size; the
    servers, and the bytes of their pages. Each connection's cookies get the CSRF cookie
    a browser would have sent back since its first page."""
    options, folder = run.options, run.folder
    servers: dict[str, Server] = {}
    for name, url in urls.items():
        port = free_port()
        command = lk_serve(port, options.workers)
        log = folder / f"server-{name}.log"
        servers[name] = stack.enter_context(
            running(name, port, command, portal_environment(url, port), log)
        )
        if name == "PostgreSQL":
            servers[name].database_pid = postmaster_pid()
    page_bytes = {}
    for name, server in servers.items():
        for i, cookie in enumerate(cookies[name]):
            status, body, set_cookies = fetch(server.port, "/home", cookie)
            text = body.decode()
            if status != 200 or "Итого к оплате" not in text or keys[i] not in text:
                raise SystemExit(f"{name}: GET /home answered {status}:\n{text[:2000]}")
            cookies[name][i] = "; ".join([cookie, *set_cookies])
            page_bytes[name] = len(body)
    rendered = write_baseline_template(folder / "baseline", max(page_bytes.values()))
    port = free_port()
    command = [sys.executable, __file__, "--serve-baseline", str(port)]
    command += ["--workers", str(options.workers)]
    env = {**os.environ, BASELINE_DIR_VARIABLE: str(folder / "baseline")}
    baseline = stack.enter_context(
        running("BASELINE", port, command, env, folder / "server-BASELINE.log")
    )
    status, body, _set = fetch(port, "/home", "")
    if status != 200 or len(body) != rendered:
        raise SystemExit(f"BASELINE answered {status} with {len(body)} bytes, not {rendered}")
    page_bytes["BASELINE"] = len(body)
    cookies["BASELINE"] = cookies["SQLite"]  # requests of the same size; it reads none
    run.step("pages: " + ", ".join(f"{n} {b:,} bytes" for n, b in page_bytes.items())
             + f"; {options.clients} connections, GET /home")  # fmt: skip
    return {"BASELINE": baseline, **servers}, page_bytes


def main() -> None:
    options = parse_options()
    if options.serve_baseline is not None:
        serve_baseline(options.serve_baseline, options.workers)
        return
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started ignoring it
    run = Run(options)
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before the run: {load_average}")
    print(f"cores: {cores()}; server workers: {options.workers}; connections: "
          f"{options.clients}; {options.rounds} round(s) of {options.round_seconds:g} s per "
          f"target; {options.accounts:,} accounts × {options.months} months × "
          f"{len(SERVICES)} services; temporary folder {run.folder}")  # fmt: skip
    try:
        urls, growth_cases = prepare(run)
        keys, cookies = sign_in_everywhere(run, urls)
        rounds: list[dict[str, Load]] = []
        profiles: dict[str, tuple[Load, Path]] = {}
        opened: dict[str, Offered] = {}
        with ExitStack() as stack:
            servers, page_bytes = start_servers(run, stack, urls, keys, cookies)
            # The targets take turns, so that whatever else the machine runs weighs on all.
            for r in range(options.rounds):
                rounds.append({})
                for name, server in servers.items():
                    load = drive(server, cookies[name], options.round_seconds,
                                 options.warmup_seconds)  # fmt: skip
                    rounds[-1][name] = load
                    errors = f"  errors {dict(load.errors)}" if load.errors else ""
                    run.step(f"round {r + 1} {name:<10} {load.rate:7.1f} req/s  p50 "
                             f"{load.percentile(0.5):6.1f} ms  p99 "
                             f"{load.percentile(0.99):6.1f} ms  connections per worker "
                             f"{server.split}{errors}")  # fmt: skip
            # Each database at half the capacity it just showed; then BASELINE at the
            # highest of those rates: the tail of the machine and the framework alone.
            for name in [*urls, "BASELINE"]:
                if name == "BASELINE":
                    rate = max(load.offered_rate for load in opened.values())
                else:
                    rate = OPEN_LOAD_SHARE * max(r[name].rate for r in rounds)
                opened[name] = offer(servers[name], cookies[name], rate,
                                     options.open_seconds, options.warmup_seconds)  # fmt: skip
                run.step(f"fixed rate {name:<10} {_open_line(opened[name])}")
            if options.profile is not None:
                options.profile.mkdir(parents=True, exist_ok=True)
                for name, server in servers.items():
                    profiles[name] = profile_round(
                        server, cookies[name], options.round_seconds, options.profile
                    )
                    run.step(f"profiled {name}: {profiles[name][1]}")
        run.step(f"growth check: settlement_page, {options.calls:,} calls per case …")
        measure_growth(growth_cases, options.calls, rounds=10)
        run.step("done")
        report(options, rounds, opened, page_bytes, growth_cases, profiles)
    finally:
        run.close()


def _open_line(load: Offered) -> str:
    errors = f"  errors {dict(load.errors)}" if load.errors else ""
    return (f"offered {load.offered_rate:6.1f} req/s, answered {load.rate:6.1f} req/s  p50 "
            f"{load.percentile(0.5):6.1f} ms  p90 {load.percentile(0.9):6.1f} ms  p99 "
            f"{load.percentile(0.99):6.1f} ms  max {load.percentile(1.0):6.1f} ms  waited "
            f"for a connection {load.waited}{errors}")  # fmt: skip


def report(
    options: argparse.Namespace,
    rounds: list[dict[str, Load]],
    opened: dict[str, Offered],
    page_bytes: dict[str, int],
    growth_cases: list[GrowthCase],
    profiles: dict[str, tuple[Load, Path]],
) -> None:
    best = {name: max((r[name] for r in rounds), key=lambda load: load.rate) for name in rounds[0]}
    base = best["BASELINE"]
    print()
    print(f"{'':12}{'req/s':>9}{'×BASE':>7}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
          f"{'errors':>7}{'bytes':>8}{'server CPU':>12}{'cores':>6}{'client CPU':>12}")  # fmt: skip
    for name, load in best.items():
        print(f"{name:<12}{load.rate:>9.1f}{load.rate / base.rate:>7.2f}"
              f"{load.percentile(0.5):>8.1f}{load.percentile(0.99):>8.1f}"
              f"{load.percentile(1.0):>8.1f}{sum(load.errors.values()):>7}"
              f"{page_bytes[name]:>8,}"
              f"{1000 * load.server_cpu / max(load.done, 1):>9.2f} ms"
              f"{load.server_cpu / load.seconds:>6.2f}"
              f"{1000 * load.client_cpu / max(load.done, 1):>9.2f} ms")  # fmt: skip
    print(f"Best of {len(rounds)} round(s) of {options.round_seconds:g} s each, after a "
          f"{options.warmup_seconds:g} s warm-up; {options.clients} keep-alive connections "
          f"from one thread of this process; uvicorn with {options.workers} worker(s) each. "
          "CPU per request: in the server's processes (PostgreSQL's own not counted) and in "
          "the load generator; cores: the server's CPU seconds per second.")  # fmt: skip
    base_cpu = base.server_cpu / max(base.done, 1)
    steadier = []
    for name, load in best.items():
        if name != "BASELINE":
            cpu = (load.server_cpu + (load.database_cpu or 0.0)) / max(load.done, 1)
            steadier.append(f"{name} {base_cpu / cpu:.2f}")
    print("Steadier on a shared machine, BASELINE's CPU per request / OURS' (PostgreSQL's "
          "processes included): " + ", ".join(steadier))  # fmt: skip
    for name, load in best.items():
        if load.database_cpu is not None:
            per_request = 1000 * load.database_cpu / max(load.done, 1)
            print(f"{name}: the database server's processes used {per_request:.2f} ms CPU per "
                  f"request more ({load.database_cpu / load.seconds:.2f} cores; all of them, so "
                  "anything else it served meanwhile counts too).")  # fmt: skip
    print()
    print(f"{'fixed rate':<12}{'offered':>9}{'answered':>9}{'p50 ms':>8}{'p90 ms':>8}"
          f"{'p99 ms':>8}{'max ms':>8}{'waited':>7}{'late p99':>9}{'errors':>7}"
          f"{'server CPU':>12}{'cores':>6}")  # fmt: skip
    for name, load in opened.items():
        cpu = load.server_cpu + (load.database_cpu or 0.0)
        print(f"{name:<12}{load.offered_rate:>9.1f}{load.rate:>9.1f}"
              f"{load.percentile(0.5):>8.1f}{load.percentile(0.9):>8.1f}"
              f"{load.percentile(0.99):>8.1f}{load.percentile(1.0):>8.1f}{load.waited:>7}"
              f"{load.late_ms(0.99):>9.1f}{sum(load.errors.values()):>7}"
              f"{1000 * cpu / max(load.answered, 1):>9.2f} ms"
              f"{cpu / load.seconds:>6.2f}")  # fmt: skip
    print(f"Open loop: {OPEN_LOAD_SHARE:.0%} of each database's best req/s above, one request "
          f"every 1/rate s for {options.open_seconds:g} s after a {options.warmup_seconds:g} s "
          f"warm-up, over at most {options.clients} connections; latency from each request's "
          "scheduled time, so a request that waited for a free connection counts its wait "
          "('waited': how many did; 'late': how long before they went out, ms). Server CPU "
          "includes PostgreSQL's processes. BASELINE "
          "at the highest of the databases' rates: what the machine and the framework add "
          "to any page's tail.")  # fmt: skip
    for name, load in best.items():
        if name in opened:
            floor = 1000 * options.clients / load.rate
            print(f"Little's law, {name}: {options.clients} busy connections at "
                  f"{load.rate:.0f} req/s make the mean latency {floor:.1f} ms (measured: "
                  f"{1000 * statistics.fmean(load.latencies):.1f} ms) before any tail; a p99 "
                  f"under {GOAL_P99_MS:g} ms at {options.clients} connections needs well over "
                  f"{1000 * options.clients / GOAL_P99_MS:.0f} req/s.")  # fmt: skip
    for name, (load, path) in profiles.items():
        print(f"py-spy, {name} ({load.rate:.0f} req/s while sampled; {path}):")
        print("\n".join(summarise_profile(path)))

    print()
    print(f"{'settlement_page':<24}{'calls':>7}{'p50 ms':>8}{'mean ms':>9}{'p99 ms':>8}"
          f"{'best round p50':>16}")  # fmt: skip
    by_label = {growth.label: growth for growth, _url, _keys in growth_cases}
    for growth in by_label.values():
        mean = 1000 * statistics.fmean(growth.samples)
        print(f"{growth.label:<24}{len(growth.samples):>7}{growth.ms(0.5):>8.3f}"
              f"{mean:>9.3f}{growth.ms(0.99):>8.3f}{growth.best_median_ms:>13.3f} ms")  # fmt: skip
    print(f"Random accounts among the {min(1_000, options.small):,} with {options.months} "
          f"months × {len(SERVICES)} services in each database (the large ones' other "
          "accounts have the newest month only); one call at a time, in this process, the "
          "cases taking turns for 10 rounds; compared: the median of each case's least "
          "disturbed round.")  # fmt: skip
    growth_ratios = {}
    for backend in ("SQLite", "PostgreSQL"):
        small = by_label.get(f"{backend} {options.small:,}")
        large = by_label.get(f"{backend} {options.large:,}")
        if small and large:
            growth_ratios[backend] = large.best_median_ms / small.best_median_ms
            print(f"{backend}: latency at {options.large:,} / at {options.small:,} accounts = "
                  f"{growth_ratios[backend]:.2f} (all calls' p50: "
                  f"{large.ms(0.5) / small.ms(0.5):.2f})")  # fmt: skip

    print()
    metrics = {"SQLite": "sqlite", "PostgreSQL": "postgres"}
    sqlite = best["SQLite"]
    if "PostgreSQL" in best:
        postgres = best["PostgreSQL"]
        ratio = postgres.rate / sqlite.rate
        met = ratio >= GOAL_POSTGRES_VS_SQLITE and not postgres.errors and not sqlite.errors
        print(f"RESULT main_page_postgres_vs_sqlite {ratio:.2f} goal {GOAL_POSTGRES_VS_SQLITE} "
              f"{_goal(met)}")  # fmt: skip
    ratio = sqlite.rate / base.rate
    met = ratio >= GOAL_SQLITE_VS_BASELINE and not sqlite.errors
    print(f"RESULT main_page_sqlite_vs_baseline {ratio:.2f} goal {GOAL_SQLITE_VS_BASELINE} "
          f"{_goal(met)} (before: {SQLITE_VS_BASELINE_BEFORE})")  # fmt: skip
    for name, metric in metrics.items():
        if name in best:
            p99 = best[name].percentile(0.99)
            print(f"RESULT main_page_p99_ms_{metric} {p99:.1f} goal {GOAL_P99_MS:g} "
                  f"{_goal(p99 < GOAL_P99_MS)} (at {options.clients} connections, the "
                  "issue's goal)")  # fmt: skip
    for name, metric in metrics.items():
        if name in opened:
            load = opened[name]
            p99 = load.percentile(0.99)
            met = p99 < GOAL_P99_MS and not load.errors
            print(f"RESULT main_page_p99_at_half_capacity_{metric} {p99:.1f} goal "
                  f"{GOAL_P99_MS:g} {_goal(met)} (offered {load.offered_rate:.0f} req/s, "
                  f"answered {load.rate:.0f})")  # fmt: skip
    if growth_ratios:
        worst = max(growth_ratios.values())
        print(f"RESULT main_page_latency_growth_1m_vs_1k {worst:.2f} goal {GOAL_GROWTH} "
              f"{_goal(worst <= GOAL_GROWTH)}")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: servers stopped, databases dropped, files removed", file=sys.stderr)
        sys.exit(130)

"""Reading a page ahead changes how many round trips it takes, never what it reads.

Each case reads a page's repositories twice: in a read-only unit of work told what it
reads (`lk_core.kernel.read_ahead.expect`: on PostgreSQL one statement answers all of
it) and in a writable one, which never reads ahead. Both must see the same values, whatever the
session, its links and the account's ledger and orders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWork, PortalUnitOfWorkFactory
from lk_core.access.app_devices import AppDevice
from lk_core.access.link_requests import LinkRequest, LinkRequestState
from lk_core.access.links import AccountLink
from lk_core.access.one_time_secrets import SecretPurpose
from lk_core.announcements.announcement import Announcement, AnnouncementKind
from lk_core.home.ports import MainPageReads
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.kernel.read_ahead import expect
from lk_core.ledger.ports import SettlementReads
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.payments.ports import PaymentHistoryReads
from lk_core.personal_data.ports import PersonalPageReads
from lk_core.readings.meters import TariffZone
from lk_core.readings.ports import ReadingsFormReads
from lk_core.readings.reading import EntryStatus

from .builders import (
    MOSCOW,
    OCTOBER,
    a_common_meter,
    a_house,
    a_ledger_row,
    a_meter,
    a_payment,
    a_reading,
    a_registration,
    a_secret,
    a_service,
    a_session,
    an_account,
    at,
    given,
)

OWN, OTHER, THIRD, GONE = "100234", "100235", "100236", "100299"
SEPTEMBER = Period(2026, 9)
TODAY = dt.date(2026, 10, 15)


def an_announcement(
    announcement_id: str, houses: str, starts_on: dt.date, ends_on: dt.date, **changes: Any
) -> Announcement:
    fields: dict[str, Any] = {
        "kind": AnnouncementKind.NEWS,
        "title": "Отключение воды",
        "text": "Горячей воды не будет с 10:00 до 18:00.\nПриносим извинения.",
        "author": "operator",
        "created_at": at(1),
    }
    fields |= changes
    return Announcement(
        announcement_id, starts_on=starts_on, ends_on=ends_on,
        house_codes=frozenset(houses.split()), **fields,
    )  # fmt: skip


def an_order(order_id: str, account_key: str, minutes: int, **changes: Any) -> PaymentOrder:
    fields: dict[str, Any] = {
        "provider": "demo",
        "amount": Money(150_000),
        "created_at": at(minutes),
        "service_code": "HW",
        "email": "ivanov@mail.ru",
    }
    return PaymentOrder(order_id, account_key, **(fields | changes))


@pytest.fixture
def portal(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1"), a_house("H2")],
        services=[a_service("HW"), a_service("EL", name="Электроэнергия", unit="кВт·ч"),
                  a_service("Б", name="Вывоз мусора", unit="")],
        accounts=[an_account(OWN, letter="А", area=Decimal("54.30"), email="ivanov@mail.ru"),
                  an_account(OTHER, phone="+7 912 345-67-89", sms_informing=True,
                             house_code="H2"),
                  an_account(THIRD)],
    )  # fmt: skip
    given(
        uow_factory,
        meters=[
            a_meter("M-HW", serial="б-2"), a_meter("M-HW2", serial="a-1"),
            a_meter("M-EL", service_code="EL", zones=(TariffZone.DAY, TariffZone.NIGHT),
                    installed_on=None, next_verification_on=None),
            a_meter("M-OLD", archived=True), a_meter("M-THIRD", account_key=THIRD),
            a_common_meter("C-1"),
        ],
    )  # fmt: skip
    with uow_factory() as uow:
        uow.readings.upsert_many([
            a_reading("r1", meter_id="M-HW", value=Decimal("12.500"), taken_at=at(3)),
            a_reading("r0", meter_id="M-HW", taken_at=at(3).astimezone(MOSCOW),
                      status=EntryStatus.CALCULATED),
            a_reading("r2", meter_id="M-HW", status=EntryStatus.REPLACED),
            a_reading("r3", meter_id="M-HW", status=EntryStatus.DELETED, period=SEPTEMBER),
            a_reading("r4", meter_id="M-HW2", status=EntryStatus.CALCULATED, period=SEPTEMBER),
            a_reading("r5", meter_id="M-EL", zone=TariffZone.NIGHT, value=Decimal("7")),
            a_reading("r6", meter_id="M-OLD"),
            a_reading("r7", meter_id="M-THIRD"),
            a_reading("r8", meter_id="C-1", status=EntryStatus.REJECTED,
                      rejection_reason="Меньше предыдущего"),
        ])  # fmt: skip
        uow.registrations.save(a_registration(OWN, email="ivanov@mail.ru"))
        for link in (
            AccountLink(OWN, THIRD, at(5).astimezone(MOSCOW)),
            AccountLink(OWN, OTHER, at(5)),
        ):
            uow.linked_accounts.add(link)
        uow.ledger.upsert_rows([
            a_ledger_row(OWN, OCTOBER, "HW", volume=Decimal("3.250")),
            a_ledger_row(OWN, OCTOBER, "EL", volume=None, tariff=None, opening=-4_790),
            a_ledger_row(OWN, OCTOBER, "Б", reason="Перерасчёт"),
            a_ledger_row(OWN, SEPTEMBER, "HW", charged=1),
            a_ledger_row(OTHER, OCTOBER, "HW", charged=7),
        ])  # fmt: skip
        uow.payments.add_many([
            a_payment("P1", account_key=OWN, paid_on=dt.date(2026, 10, 5)),
            a_payment("P2", account_key=OWN, paid_on=dt.date(2026, 10, 5), amount=Money(1)),
            a_payment("P3", account_key=OWN, paid_on=dt.date(2026, 9, 30), payer=""),
            a_payment("P4", account_key=OTHER),
        ])  # fmt: skip
        for n in range(5):
            uow.payment_orders.add(an_order(f"o{n}", OWN, n % 3))
        uow.payment_orders.add(
            an_order("paid", OTHER, 9, status=OrderStatus.SUCCEEDED, provider_payment_id="p-1",
                     confirmed_at=at(11).astimezone(MOSCOW), confirmed_by="callback")
        )  # fmt: skip
        october, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
        for announcement in (
            an_announcement("all", "", october, end),
            an_announcement(
                "both",
                "H1 H2",
                TODAY,
                TODAY,
                kind=AnnouncementKind.EMERGENCY,
                created_at=at(2).astimezone(MOSCOW),
            ),
            an_announcement("h2", "H2", october, TODAY, kind=AnnouncementKind.PLANNED_OUTAGE),
            an_announcement("past", "H1", dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
            an_announcement("later", "", dt.date(2026, 10, 16), end),
            an_announcement("gone", "H1 H2", october, end, kind=AnnouncementKind.EMERGENCY),
            an_announcement("fixed", "H2", october, end),
        ):
            uow.announcements.add(announcement)
        # Corrected (to other houses), and withdrawn: the main page shows the one as it
        # stands now, not the other (ADR 0071).
        gone = uow.announcements.get("gone")
        fixed = uow.announcements.get("fixed")
        assert gone is not None
        assert fixed is not None
        uow.announcements.save(
            attrs.evolve(gone, revision=2, withdrawn_at=at(5).astimezone(MOSCOW),
                         withdrawn_by="petrov", withdraw_reason="Отменили"), 1,
        )  # fmt: skip
        uow.announcements.save(
            attrs.evolve(fixed, title="Исправлено", house_codes=frozenset({"H1"}), revision=2,
                         updated_at=at(4).astimezone(MOSCOW), updated_by="petrov"), 1,
        )  # fmt: skip
        uow.registrations.save(
            a_registration(THIRD, email="petrov@mail.ru", phone="+7 912 000-11-22",
                           confirmed_at=at(4).astimezone(MOSCOW))
        )  # fmt: skip
        for secret in (
            a_secret("e" * 64, purpose=SecretPurpose.EMAIL_CHANGE, subject=OWN,
                     payload="new@mail.ru", issued_at=at(6).astimezone(MOSCOW)),
            a_secret("f" * 64, purpose=SecretPurpose.EMAIL_CHANGE, subject=OWN,
                     payload="older@mail.ru", used_at=at(2)),
            a_secret("g" * 64, purpose=SecretPurpose.PASSWORD_RESET, subject=OWN,
                     issued_at=at(9)),
        ):  # fmt: skip
            uow.secrets.add(secret)
        for request in (
            LinkRequest("q1", OWN, OTHER, at(1), at(60).astimezone(MOSCOW)),
            LinkRequest("q2", OWN, OTHER, at(1), at(61), LinkRequestState.REFUSED, at(3)),
            LinkRequest("q3", THIRD, OWN, at(7), at(67)),
            LinkRequest("q4", THIRD, OTHER, at(8), at(68)),
        ):
            uow.link_requests.add(request)
        for device in (
            AppDevice("d1", OWN, "Телефон", at(1), at(8).astimezone(MOSCOW)),
            AppDevice("d2", OWN, "Планшет", at(2), at(8)),
            AppDevice("d3", OWN, "Старый", at(0), at(9), revoked_at=at(10)),
            AppDevice("d4", THIRD, "Чужой", at(0), at(9)),
        ):
            uow.app_devices.add(device)
        uow.sessions.add(a_session("own", registration_key=OWN, account_key=OWN))
        uow.sessions.add(a_session("other", registration_key=OWN, account_key=OTHER))
        uow.sessions.add(a_session("unlinked", registration_key=OWN, account_key=GONE))
        uow.sessions.add(a_session("anonymous", pending_account_key=OTHER))
        uow.commit()
    return uow_factory


def main_page_reads(
    uow: PortalUnitOfWork, id_hash: str, period: Period | None, today: dt.date = TODAY
) -> list[Any]:
    """What `read_main_page` asks of the repositories, in its order, then what it does not
    ask (another house, day or month), which the repositories read on their own."""
    session = uow.sessions.get(id_hash)
    if session is None or session.registration_key is None:
        return [session]
    own = session.registration_key
    links = uow.linked_accounts.of_registration(own)
    accounts = [uow.accounts.get(key) for key in (own, *(link.account_key for link in links))]
    shown = next((a for a in accounts if a and a.key == session.account_key), accounts[0])
    assert shown is not None
    periods = uow.ledger.periods_of(shown.key)
    chosen = period or (periods[0] if periods else None)
    lines = uow.ledger.lines(shown.key, chosen) if chosen else []
    return [
        session, links, accounts, uow.payment_orders.of_account(shown.key, 3), periods, lines,
        uow.services.list(), uow.meters.count_read(shown.key, Period.of(today)),
        announcements(uow, shown.house_code, today),
        uow.ledger.lines(OWN, SEPTEMBER), uow.payment_orders.of_account(shown.key, 2),
        uow.meters.count_read(shown.key, SEPTEMBER), uow.meters.count_read(THIRD, OCTOBER),
        announcements(uow, "H2", today), announcements(uow, shown.house_code, END_OF_SEPTEMBER),
    ]  # fmt: skip


END_OF_SEPTEMBER = dt.date(2026, 9, 30)


def announcements(uow: PortalUnitOfWork, house_code: str, day: dt.date) -> list[Announcement]:
    """Those that apply on `day`, by id (the repository's order is any)."""
    return sorted(uow.announcements.active_for_house(house_code, day), key=lambda a: a.id)


@pytest.mark.parametrize(
    ("id_hash", "period", "today"),
    [("own", None, TODAY), ("own", SEPTEMBER, TODAY), ("own", Period(2025, 1), TODAY),
     ("own", None, END_OF_SEPTEMBER), ("other", None, TODAY), ("unlinked", None, TODAY),
     ("anonymous", None, TODAY), ("unknown", None, TODAY)],
)  # fmt: skip
def test_a_main_page_read_ahead_reads_what_the_repositories_read(
    portal: PortalUnitOfWorkFactory, id_hash: str, period: Period | None, today: dt.date
) -> None:
    with portal() as uow:
        expected = main_page_reads(uow, id_hash, period, today)
    with portal(read_only=True) as uow:
        expect(uow, MainPageReads(id_hash, period, 3, today))
        read_ahead = main_page_reads(uow, id_hash, period, today)

    assert read_ahead == expected


def test_a_main_page_read_ahead_without_a_day_reads_the_same(
    portal: PortalUnitOfWorkFactory,
) -> None:
    with portal() as uow:
        expected = main_page_reads(uow, "own", None)
    with portal(read_only=True) as uow:
        expect(uow, MainPageReads("own", None, 3))
        read_ahead = main_page_reads(uow, "own", None)

    assert read_ahead == expected
    assert expected[0] is None or expected[0].created_at.tzinfo == dt.UTC


def test_without_a_hint_the_session_still_reads_the_same(portal: PortalUnitOfWorkFactory) -> None:
    with portal() as uow:
        expected = main_page_reads(uow, "other", None)
    with portal(read_only=True) as uow:
        read_ahead = main_page_reads(uow, "other", None)

    assert read_ahead == expected


def settlement_reads(uow: PortalUnitOfWork, account_key: str, period: Period | None) -> list[Any]:
    """What `settlement_page` asks of the repositories, in its order."""
    account = uow.accounts.get(account_key)
    periods = uow.ledger.periods_of(account_key)
    chosen = period or (periods[0] if periods else None)
    lines = uow.ledger.lines(account_key, chosen) if chosen else []
    return [account, periods, lines, uow.services.list()]


@pytest.mark.parametrize(
    ("account_key", "period"),
    [(OWN, None), (OWN, SEPTEMBER), (OWN, Period(2025, 1)), (THIRD, None), (GONE, None)],
)
def test_a_settlements_read_ahead_reads_what_the_repositories_read(
    portal: PortalUnitOfWorkFactory, account_key: str, period: Period | None
) -> None:
    with portal() as uow:
        expected = settlement_reads(uow, account_key, period)
    with portal(read_only=True) as uow:
        expect(uow, SettlementReads(account_key, period))
        read_ahead = settlement_reads(uow, account_key, period)

    assert read_ahead == expected


@pytest.mark.parametrize("account_key", [OWN, OTHER, THIRD, GONE])
def test_a_payment_history_read_ahead_reads_what_the_repositories_read(
    portal: PortalUnitOfWorkFactory, account_key: str
) -> None:
    def reads(uow: PortalUnitOfWork) -> list[Any]:
        return [uow.payment_orders.of_account(account_key, 4), uow.payments.of_account(account_key)]

    with portal() as uow:
        expected = reads(uow)
    with portal(read_only=True) as uow:
        expect(uow, PaymentHistoryReads(account_key, 4))
        read_ahead = reads(uow)

    assert read_ahead == expected


@pytest.mark.parametrize("account_key", [OWN, THIRD, OTHER, GONE])
def test_a_readings_form_read_ahead_reads_what_the_repositories_read(
    portal: PortalUnitOfWorkFactory, account_key: str
) -> None:
    def reads(uow: PortalUnitOfWork) -> list[Any]:
        meters = uow.meters.of_account(account_key)
        ids = [m.id for m in meters]
        return [
            uow.accounts.get(account_key), meters, uow.services.list(),
            uow.readings.of_meters(ids, withdrawn=False),
            uow.readings.of_meters(ids[::-1][:2] * 2, withdrawn=False),
            uow.readings.of_meters(ids), uow.readings.of_meters(["C-1"], withdrawn=False),
        ]  # fmt: skip

    with portal() as uow:
        expected = reads(uow)
    with portal(read_only=True) as uow:
        expect(uow, ReadingsFormReads(account_key))
        read_ahead = reads(uow)

    assert read_ahead == expected


def personal_page_reads(uow: PortalUnitOfWork, id_hash: str) -> list[Any]:
    """What `personal_page` asks of the repositories, in its order, then what it does not
    ask (another registration, purpose or house), which they read on their own."""
    session = uow.sessions.get(id_hash)
    if session is None or session.registration_key is None:
        return [session]
    own = session.registration_key
    links = uow.linked_accounts.of_registration(own)
    accounts = [uow.accounts.get(key) for key in (own, *(link.account_key for link in links))]
    shown = next((a for a in accounts if a and a.key == session.account_key), accounts[0])
    assert shown is not None
    sent, received = uow.link_requests.of_registration(own), uow.link_requests.for_account(own)
    keys = sorted({r.account_key for r in sent} | {r.registration_key for r in received})
    return [
        session, links, accounts, uow.linked_accounts.is_linked(own, shown.key),
        uow.linked_accounts.is_linked(own, GONE), uow.houses.get(shown.house_code),
        uow.registrations.get(own), uow.secrets.latest(own, SecretPurpose.EMAIL_CHANGE),
        sent, received, [uow.accounts.get(key) for key in keys],
        uow.app_devices.of_registration(own),
        uow.houses.get("H9"), uow.registrations.get(THIRD),
        uow.secrets.latest(own, SecretPurpose.PASSWORD_RESET),
        uow.link_requests.of_registration(THIRD), uow.link_requests.for_account(OTHER),
        uow.app_devices.of_registration(THIRD),
    ]  # fmt: skip


@pytest.mark.parametrize("id_hash", ["own", "other", "unlinked", "anonymous", "unknown"])
def test_a_personal_page_read_ahead_reads_what_the_repositories_read(
    portal: PortalUnitOfWorkFactory, id_hash: str
) -> None:
    with portal() as uow:
        expected = personal_page_reads(uow, id_hash)
    with portal(read_only=True) as uow:
        expect(uow, PersonalPageReads(id_hash))
        read_ahead = personal_page_reads(uow, id_hash)

    assert read_ahead == expected


def test_a_personal_page_read_ahead_of_a_registration_with_nothing_else(
    portal: PortalUnitOfWorkFactory,
) -> None:
    """A registration with no link requests, devices or e-mail change."""
    with portal() as uow:
        uow.accounts.save(an_account("100240", house_code="H2"))
        uow.registrations.save(a_registration("100240", email="sidorov@mail.ru"))
        uow.sessions.add(a_session("alone", registration_key="100240", account_key="100240"))
        uow.commit()
    with portal() as uow:
        expected = personal_page_reads(uow, "alone")
    with portal(read_only=True) as uow:
        expect(uow, PersonalPageReads("alone"))
        read_ahead = personal_page_reads(uow, "alone")

    assert read_ahead == expected
    assert expected[7:12] == [None, [], [], [], []]

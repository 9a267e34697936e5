"""The service API's operations over HTTP (F28): billing's pending readings in pages and
its results, a bank registry, a service message, an account's state for the call centre.
Each calls the same use case as the back-office command it mirrors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from access_fixtures import IVANOV, PETROVA, SIDOROV
from lk_core.readings.meters import Meter, TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource
from lk_core.service_api import Scope
from personal_site import Site
from readings_fixtures import COLD_WATER, ELECTRICITY, MARCH, NEIGHBOURS_WATER, a_reading
from service_api_fixtures import SMS_PHONE, a_key, call, service_site

PROBLEM = "application/problem+json"
PENDING = "/api/v1/service/readings/pending"
RESULTS = "/api/v1/service/readings/results"
REGISTRIES = "/api/v1/service/payments/registries"
MESSAGES = "/api/v1/service/messages"
# Sberbank's layout (docs/formats.md), closed by =count;total;transferred;commission.
REGISTRY = (
    "02-03-2026;10-15-22;8607;8607999V;510011;100234-А;ИВАНОВ ИВАН ИВАНОВИЧ;"
    "Г ТВЕРЬ УЛ СОВЕТСКАЯ 12-5;032026;1500,00;1485,00;15,00\n"
    "=1;1500,00;1485,00;15,00\n"
)


def pending(meter: Meter, value: str, zone: TariffZone = TariffZone.SINGLE) -> Reading:
    return a_reading(meter, MARCH, value, zone=zone, source=ReadingSource.PORTAL,
                     status=EntryStatus.ACCEPTED)  # fmt: skip


def march_pending() -> list[Reading]:
    return [
        pending(COLD_WATER, "130.000"),
        pending(ELECTRICITY, "8100.0", TariffZone.DAY),
        pending(ELECTRICITY, "3050.0", TariffZone.NIGHT),
        pending(NEIGHBOURS_WATER, "55.000"),
    ]


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    for site in service_site(tmp_path_factory.mktemp("service_api")):
        with site.container.uow_factory()() as uow:
            uow.readings.upsert_many(march_pending())
            uow.commit()
        yield site


def stored_status(site: Site, reading_id: str) -> tuple[EntryStatus, str]:
    with site.container.uow_factory()() as uow:
        reading = uow.readings.get(reading_id)
    assert reading is not None
    return reading.status, reading.rejection_reason


# --- pending readings, page by page ---


def test_pending_readings_come_in_pages_until_the_last_says_there_is_no_next(site: Site) -> None:
    key = a_key(site, Scope.READINGS_READ)
    seen: list[dict] = []
    path = f"{PENDING}?period=2026-03&limit=3"
    while True:
        answer = call(site, "GET", path, key)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        seen += page["items"]
        if page["next_cursor"] is None:
            break
        path = f"{PENDING}?period=2026-03&limit=3&cursor={page['next_cursor']}"

    assert [item["id"] for item in seen] == sorted(r.id for r in march_pending())
    assert all(isinstance(item["value"], str) for item in seen)
    electricity_day = next(item for item in seen if item["zone"] == "day")
    assert Decimal(electricity_day["value"]) == Decimal("8100.0")
    assert electricity_day == {
        "id": "M-EE-202603-day",
        "meter_id": "M-EE",
        "zone": "day",
        "period": "2026-03",
        "value": electricity_day["value"],
        "taken_at": "2026-03-20T09:00:00Z",
        "source": "portal",
    }


def test_an_unchanged_page_answers_304_to_its_etag(site: Site) -> None:
    key = a_key(site, Scope.READINGS_READ)
    first = call(site, "GET", f"{PENDING}?period=2026-03", key)

    again = call(site, "GET", f"{PENDING}?period=2026-03", key,
                 headers={"If-None-Match": first.headers["etag"]})  # fmt: skip

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    ("query", "field"),
    [("period=2026-13", "period"), ("period=2026-03&cursor=%%%", "cursor")],
)
def test_a_bad_period_or_cursor_is_refused_naming_it(site: Site, query: str, field: str) -> None:
    answer = call(site, "GET", f"{PENDING}?{query}", a_key(site, Scope.READINGS_READ))

    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert [error["field"] for error in answer.json()["errors"]] == [field]


# --- billing's results ---


def a_result(item: dict, status: str, reason: str = "") -> dict:
    return {**item, "status": status, "reason": reason}


def test_results_mark_readings_calculated_or_rejected(site: Site) -> None:
    items = call(site, "GET", f"{PENDING}?period=2026-03", a_key(site, Scope.READINGS_READ))
    water, *_ = items.json()["items"]
    writer = a_key(site, Scope.READINGS_WRITE)
    neighbours = next(i for i in items.json()["items"] if i["meter_id"] == "M-HVS-2")

    answer = call(site, "POST", RESULTS, writer, json={"results": [
        a_result(water, "calculated"),
        a_result(neighbours, "rejected", "Показание меньше предыдущего"),
    ]})  # fmt: skip

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"calculated": 1, "rejected": 1, "loaded": 0, "unchanged": 0}
    assert stored_status(site, water["id"]) == (EntryStatus.CALCULATED, "")
    assert stored_status(site, neighbours["id"]) == (
        EntryStatus.REJECTED,
        "Показание меньше предыдущего",
    )


def test_results_with_a_bad_line_change_nothing_and_name_the_line(site: Site) -> None:
    items = call(site, "GET", f"{PENDING}?period=2026-03", a_key(site, Scope.READINGS_READ))
    first, second, *_ = items.json()["items"]

    answer = call(site, "POST", RESULTS, a_key(site, Scope.READINGS_WRITE), json={"results": [
        a_result(first, "calculated"),
        a_result({**second, "meter_id": "NO-SUCH-METER"}, "calculated"),
    ]})  # fmt: skip

    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == "results_rejected"
    assert problem["errors"][0]["field"] == "results[1].meter_id"
    assert "NO-SUCH-METER" in problem["errors"][0]["detail"]
    assert stored_status(site, first["id"]) == (EntryStatus.ACCEPTED, "")


def test_a_result_of_an_unknown_form_is_refused_naming_the_field(site: Site) -> None:
    answer = call(site, "POST", RESULTS, a_key(site, Scope.READINGS_WRITE), json={"results": [
        {"id": "x", "meter_id": "M-HVS", "period": "2026-03", "value": 12.5,
         "taken_at": "2026-03-20T09:00:00Z", "source": "portal", "status": "calculated"},
    ]})  # fmt: skip

    assert answer.status_code == 400
    assert "results[0].value" in [error["field"] for error in answer.json()["errors"]]


# --- a bank registry ---


def test_a_registry_is_loaded_and_its_payment_credited_once(site: Site) -> None:
    key = a_key(site, Scope.PAYMENTS_WRITE)
    body = REGISTRY.encode("cp1251")
    path = f"{REGISTRIES}?bank=sberbank&name=r-0302.csv"

    first = call(site, "POST", path, key, content=body, headers={"Content-Type": "text/csv"})
    second = call(site, "POST", path, key, content=body, headers={"Content-Type": "text/csv"})

    assert first.status_code == 200, first.text
    assert first.json()["lines"] == 1
    assert first.json()["repeated"] == 0
    assert first.json()["outcomes"]["credited"] == 1
    assert second.json()["repeated"] == 1
    with site.container.uow_factory()() as uow:
        assert [p.amount.kopecks for p in uow.payments.of_account(IVANOV)] == [150_000]


def test_a_registry_with_an_unknown_account_is_refused_whole_naming_its_line(site: Site) -> None:
    body = REGISTRY.replace("100234-А", "999999").encode("cp1251")

    answer = call(site, "POST", f"{REGISTRIES}?bank=sberbank&name=bad.csv",
                  a_key(site, Scope.PAYMENTS_WRITE), content=body)  # fmt: skip

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "registry_rejected"
    assert "строка 1" in answer.json()["errors"][0]["detail"]


def test_an_unknown_bank_is_refused_naming_the_field(site: Site) -> None:
    answer = call(site, "POST", f"{REGISTRIES}?bank=nobank&name=r.csv",
                  a_key(site, Scope.PAYMENTS_WRITE), content=REGISTRY.encode("cp1251"))  # fmt: skip

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "bank"


# --- service messages ---


def queued_sms(site: Site) -> list[str]:
    with site.container.uow_factory()() as uow:
        return [m.recipient for m in uow.outbox.recent(100) if m.sms is not None]


def test_a_message_is_queued_for_residents_who_took_the_channel(site: Site) -> None:
    message = {
        "audience": {"accounts": [IVANOV, SIDOROV, PETROVA]},
        "channels": ["sms"],
        "template": "{name}, отключение воды 5 марта с 10 до 14.",
        "campaign": "water-0305",
    }
    key = a_key(site, Scope.MESSAGES_WRITE)

    answer = call(site, "POST", MESSAGES, key, json=message)

    assert answer.status_code == 202, answer.text
    assert answer.json() == {
        "selected": 3,
        "campaign": "water-0305",
        "dry_run": False,
        "channels": {"sms": {"queued": 1, "already_queued": 0, "opted_out": 2, "no_contact": 0}},
    }
    assert queued_sms(site) == [SMS_PHONE]
    again = call(site, "POST", MESSAGES, key, json=message)
    assert again.json()["channels"]["sms"]["already_queued"] == 1
    assert queued_sms(site) == [SMS_PHONE]


def test_a_dry_run_only_counts(site: Site) -> None:
    answer = call(site, "POST", MESSAGES, a_key(site, Scope.MESSAGES_WRITE), json={
        "audience": {"everyone": True}, "channels": ["sms", "email"],
        "template": "Тема: Вода\nОтключение воды.", "dry_run": True,
    })  # fmt: skip

    assert answer.status_code == 200, answer.text
    assert answer.json()["dry_run"] is True
    assert answer.json()["channels"]["sms"]["queued"] == 1
    assert queued_sms(site) == []


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"audience": {}, "channels": ["sms"], "template": "x"}, "audience"),
        ({"audience": {"accounts": ["абв!"]}, "channels": ["sms"], "template": "x"},
         "audience.accounts[0]"),
        ({"audience": {"min_debt": "10"}, "channels": ["sms"], "template": "x"},
         "audience.min_debt"),
        ({"audience": {"everyone": True}, "channels": ["fax"], "template": "x"}, "channels[0]"),
    ],
)  # fmt: skip
def test_a_message_without_a_proper_audience_or_channel_is_refused_naming_the_field(
    site: Site, message: dict, field: str
) -> None:
    answer = call(site, "POST", MESSAGES, a_key(site, Scope.MESSAGES_WRITE), json=message)

    assert answer.status_code == 400, answer.text
    assert field in [error["field"] for error in answer.json()["errors"]]


def test_a_template_that_does_not_parse_is_refused_with_its_position(site: Site) -> None:
    answer = call(site, "POST", MESSAGES, a_key(site, Scope.MESSAGES_WRITE), json={
        "audience": {"everyone": True}, "channels": ["sms"], "template": "Долг {debt",
    })  # fmt: skip

    assert answer.status_code == 422
    assert answer.json()["code"] == "template_error"
    assert "строка 1" in answer.json()["detail"]


# --- an account's state for the call centre ---


def test_an_accounts_state_shows_settlements_as_strings_and_the_registration(site: Site) -> None:
    site.register(IVANOV, "ivanov@mail.ru", "тихий вечер над рекой")

    answer = call(site, "GET", "/api/v1/service/accounts/100234-А",
                  a_key(site, Scope.ACCOUNTS_READ, name="call centre"))  # fmt: skip

    assert answer.status_code == 200, answer.text
    state = answer.json()
    assert state["number"] == "100234-А"
    assert state["period"] == "2026-10"
    assert state["periods"] == ["2026-10", "2026-09", "2026-08"]
    assert Decimal(state["closing"]) == sum(Decimal(line["closing"]) for line in state["lines"])
    assert all(isinstance(line["charged"], str) for line in state["lines"])
    assert state["registration"]["status"] == "confirmed"
    assert state["registration"]["email"] != "ivanov@mail.ru"
    assert "password" not in answer.text
    assert "etag" in answer.headers


def test_an_earlier_period_and_an_account_without_anything_yet(site: Site) -> None:
    key = a_key(site, Scope.ACCOUNTS_READ)

    earlier = call(site, "GET", "/api/v1/service/accounts/100234?period=2026-09", key)
    nothing = call(site, "GET", f"/api/v1/service/accounts/{PETROVA}", key)

    assert earlier.json()["period"] == "2026-09"
    assert nothing.status_code == 200
    assert nothing.json()["period"] is None
    assert nothing.json()["closing"] is None
    assert nothing.json()["registration"] is None


@pytest.mark.parametrize("path", ["/api/v1/service/accounts/999999",
                                  "/api/v1/service/accounts/100234?period=2020-01"])  # fmt: skip
def test_an_unknown_account_or_period_is_404(site: Site, path: str) -> None:
    answer = call(site, "GET", path, a_key(site, Scope.ACCOUNTS_READ))

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_each_view_of_an_account_is_audited_with_the_key(site: Site) -> None:
    call(site, "GET", "/api/v1/service/accounts/100234", a_key(site, Scope.ACCOUNTS_READ))

    with site.container.uow_factory()() as uow:
        events = uow.audit.of_account(IVANOV, 10)
    assert events[0].actor.startswith("operator:api-key-")
    assert dict(events[0].details)["command"] == "api account state"

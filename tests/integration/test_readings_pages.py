"""The readings pages through the real app over a SQLite file: submit, refuse, replace,
delete, the statuses billing sets, history, the house's meters, and who may see what."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from access_fixtures import IVANOV, PASSWORD, PETROVA
from lk_core.readings.reading import EntryStatus, ReadingSource
from personal_site import Site, a_site
from readings_fixtures import COLD_WATER, FEBRUARY, NEIGHBOURS_WATER, load_meters

WATER = "value:M-HVS|single"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with a_site(tmp_path) as site:
        load_meters(site.container.uow_factory())
        yield site


@pytest.fixture
def ivanov(site: Site) -> Site:
    site.register(IVANOV, "ivanov@example.ru", PASSWORD)
    site.sign_in(IVANOV, PASSWORD)
    return site


PHONE_LABEL = re.compile(r'<span class="home-cell-label" aria-hidden="true">[^<]*</span>')


def text_of(html: str) -> str:
    """The words a screen reader reads (without the labels only phones show)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", PHONE_LABEL.sub("", html)))


def stored(site: Site) -> list[tuple[str, EntryStatus]]:
    with site.container.uow_factory()() as uow:
        return [(str(r.value), r.status) for r in uow.readings.of_meter(COLD_WATER.id)]


def test_the_page_asks_to_choose_a_service_then_shows_a_line_per_meter_and_zone(
    ivanov: Site,
) -> None:
    choice = ivanov.get("/readings")
    page = ivanov.get("/readings?service=EE")

    assert choice.status_code == 200
    assert "Электроэнергия" in choice.text
    assert "Холодное водоснабжение" in choice.text
    assert "readings-form" not in choice.text
    words = text_of(page.text)
    assert "№ ЭЛ-7731 зона «День»" in words
    assert "№ ЭЛ-7731 зона «Ночь»" in words
    assert "8000,5 от 20.02.2026" in words
    assert 'data-integer-digits="5" data-fraction-digits="1"' in page.text


def test_a_good_value_is_accepted_and_shown_as_waiting_for_billing(ivanov: Site) -> None:
    answer = ivanov.post("/readings", {"service": "HVS", WATER: "133,75"})

    assert answer.status_code == 303
    assert answer.headers["location"] == "/readings?service=HVS&done=saved"
    words = text_of(ivanov.get(answer.headers["location"]).text)
    assert "Показания приняты и переданы на обработку" in words
    assert "Принято : 133,750" in words
    assert "ожидает расчёта" in words
    assert stored(ivanov)[-1] == ("133.75", EntryStatus.ACCEPTED)


def test_a_value_past_the_digit_capacity_is_refused_in_red_and_nothing_is_stored(
    ivanov: Site,
) -> None:
    before = stored(ivanov)

    answer = ivanov.post("/readings", {"service": "HVS", WATER: "1234567"})

    assert answer.status_code == 400
    assert (
        '<span class="readings-refused">Показание должно содержать не более 5 знаков до запятой'
        in answer.text
    )
    assert 'value="1234567"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert stored(ivanov) == before


def test_a_pending_value_is_replaced_then_deleted_and_the_history_keeps_both(
    ivanov: Site,
) -> None:
    ivanov.post("/readings", {"service": "HVS", WATER: "130"})
    ivanov.clock.advance(minutes=2)
    ivanov.post("/readings", {"service": "HVS", WATER: "131"})
    [pending] = [r for r in ivanov_readings(ivanov) if r.is_pending]

    answer = ivanov.post("/readings/delete", {"service": "HVS", "reading": pending.id})

    assert answer.status_code == 303
    assert "Показание удалено" in ivanov.get(answer.headers["location"]).text
    assert stored(ivanov)[-2:] == [("130", EntryStatus.REPLACED), ("131", EntryStatus.DELETED)]
    history = text_of(ivanov.get(f"/readings/history/{COLD_WATER.id}").text)
    assert "март 2026 131,000 — 02.03.2026 Личный кабинет Удалено" in history
    assert "март 2026 130,000 — 02.03.2026 Личный кабинет Заменено" in history
    assert "февраль 2026 122,500 12,500 20.02.2026 Личный кабинет Рассчитано" in history


def ivanov_readings(site: Site):  # type: ignore[no-untyped-def]
    with site.container.uow_factory()() as uow:
        return uow.readings.of_meter(COLD_WATER.id)


def test_a_calculated_reading_shows_calculated_and_its_source_and_cannot_be_deleted(
    ivanov: Site,
) -> None:
    ivanov.post("/readings", {"service": "HVS", WATER: "130"})
    [pending] = [r for r in ivanov_readings(ivanov) if r.is_pending]
    with ivanov.container.uow_factory()() as uow:
        pending.mark_calculated()
        uow.readings.upsert_many([pending])
        uow.commit()

    words = text_of(ivanov.get("/readings?service=HVS").text)
    refused = ivanov.post("/readings/delete", {"service": "HVS", "reading": pending.id})

    assert "Рассчитано : 130,000" in words
    assert ReadingSource.PORTAL.label_ru in words
    assert "Удалить" not in words
    assert refused.status_code == 409
    assert "уже обработано" in refused.text


def test_another_accounts_meters_and_readings_do_not_exist_for_the_resident(
    ivanov: Site,
) -> None:
    neighbours = f"{NEIGHBOURS_WATER.id}-{FEBRUARY.code}"

    assert ivanov.get(f"/readings/history/{NEIGHBOURS_WATER.id}").status_code == 404
    assert ivanov.post("/readings/delete", {"reading": neighbours}).status_code == 404
    smuggled = ivanov.post("/readings", {"service": "HVS", "value:M-HVS-2|single": "60"})
    assert smuggled.status_code == 404
    assert ivanov.get("/readings?service=NOPE").status_code == 404


def test_the_buildings_common_house_meters_are_shown_by_period(ivanov: Site) -> None:
    words = text_of(ivanov.get("/readings/house").text)

    assert "Отопление, Гкал № ТС-1" in words
    assert "февраль 2026 1310,750 расход 110,250" in words
    assert "январь 2026 1200,500" in words


def test_signed_out_visitors_are_sent_to_sign_in(site: Site) -> None:
    for path in ["/readings", "/readings/house", f"/readings/history/{COLD_WATER.id}"]:
        answer = site.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/?notice=signed-out"


def test_a_form_without_its_csrf_token_is_refused(ivanov: Site) -> None:
    answer = ivanov.client.post(
        "/readings", data={"service": "HVS", WATER: "130"}, follow_redirects=False
    )

    assert answer.status_code == 403
    assert PETROVA not in answer.text


def test_a_reading_billing_rejected_shows_its_reason_and_a_new_value_can_be_sent(
    ivanov: Site,
) -> None:
    ivanov.post("/readings", {"service": "HVS", WATER: "130"})
    [pending] = [r for r in ivanov_readings(ivanov) if r.is_pending]
    with ivanov.container.uow_factory()() as uow:
        pending.reject("Прибор не опломбирован")
        uow.readings.upsert_many([pending])
        uow.commit()

    words = text_of(ivanov.get("/readings?service=HVS").text)
    ivanov.clock.advance(minutes=1)
    again = ivanov.post("/readings", {"service": "HVS", WATER: "130,5"})

    assert "Отклонено : 130,000 Прибор не опломбирован" in words
    assert again.status_code == 303
    assert stored(ivanov)[-2:] == [("130", EntryStatus.REJECTED), ("130.5", EntryStatus.ACCEPTED)]


def test_after_the_cutoff_day_the_page_says_which_month_readings_count_toward(
    tmp_path: Path,
) -> None:
    with a_site(tmp_path, LK_POLICIES_READING_CUTOFF_DAY="1") as site:
        load_meters(site.container.uow_factory())
        site.register(IVANOV, "ivanov@example.ru", PASSWORD)
        site.sign_in(IVANOV, PASSWORD)

        words = text_of(site.get("/readings?service=HVS").text)

    assert "Показания за месяц принимаются до 1-го числа включительно" in words
    assert "Сейчас показания принимаются за апрель 2026" in words
    assert "Холодное водоснабжение: показания за апрель 2026" in words

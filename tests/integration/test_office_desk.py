"""The desk's pages (F31, F32): the audit log for administrators, and announcements from the
editor to the main pages of the chosen houses' residents and, once each, to the inboxes of
those who opted in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import Response

from access_fixtures import IVANOV, PASSWORD, PETROVA
from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.registration import Consent, ConsentKind
from lk_core.accounts.contacts import Email
from lk_core.staff.ports import StaffEventQuery
from office_fixtures import an_office, sign_in_to_office
from personal_site import Site

TODAY = "2026-03-02"  # the held clock's day in Moscow


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with an_office(tmp_path) as site:
        yield site


def as_resident(site: Site, number: str) -> str:
    site.client.cookies.clear()
    site.sign_in(number, PASSWORD)
    return site.get("/home").text


def as_staff(site: Site, login: str) -> None:
    site.client.cookies.clear()
    sign_in_to_office(site, login)
    site.clock.advance(seconds=30)  # a later sign-in needs the next code


def announce(site: Site, **fields: str | list[str]) -> dict[str, object]:
    form: dict[str, object] = {
        "action": "post", "kind": "news", "title": "Собрание жильцов",
        "text": "В четверг в 19:00 во дворе.", "starts_on": TODAY, "ends_on": TODAY,
        "houses": ["H1"],
    }  # fmt: skip
    form.update(fields)
    return form


def post_form(site: Site, path: str, form: dict[str, object]) -> Response:
    return site.client.post(path, data={**form, "_csrf_token": site.csrf()}, follow_redirects=False)


# --- the audit log -------------------------------------------------------------------------


def test_an_admin_reads_the_staffs_sign_ins_and_actions_newest_first(site: Site) -> None:
    as_staff(site, "ivanova")
    as_staff(site, "boss")

    page = site.get("/office/audit")

    assert page.status_code == 200
    assert "Журнал действий сотрудников" in page.text
    rows = re.findall(r"<td>(ivanova|boss)</td>\s*<td>([^<]+)</td>", page.text)
    assert rows[:2] == [("boss", "вход"), ("boss", "подключение второго фактора")]
    assert [row for row in rows if row[1] == "вход"] == [("boss", "вход"), ("ivanova", "вход")]


def test_the_audit_log_filters_by_member_and_days(site: Site) -> None:
    as_staff(site, "ivanova")
    as_staff(site, "boss")

    mine = site.get("/office/audit?member=ivanova").text
    tomorrow = site.get("/office/audit?since=2026-03-03").text

    assert "<td>ivanova</td>" in mine
    assert "<td>boss</td>" not in mine
    assert "Записей нет." in tomorrow


def test_the_audit_log_is_paged(site: Site) -> None:
    with site.container.uow_factory()() as uow:
        for minute in range(60):
            uow.audit.record(AuditEvent(site.clock.now() - dt.timedelta(minutes=minute),
                                        AuditKind.STAFF_VIEW, None, "", "staff:ivanova",
                                        (("n", str(minute)),)))  # fmt: skip
        uow.commit()
    as_staff(site, "boss")

    first = site.get("/office/audit?member=ivanova").text
    second = site.get("/office/audit?member=ivanova&page=2").text

    assert first.count("<tr>") - 1 == 50
    assert "Старее" in first
    assert second.count("<tr>") - 1 == 10
    assert "n: 59" in second
    assert "Старее" not in second


def test_a_dispatcher_has_no_audit_log_and_viewing_it_is_audited(site: Site) -> None:
    as_staff(site, "ivanova")
    home = site.get("/office").text
    refused = site.get("/office/audit")

    assert 'href="/office/audit"' not in home
    assert refused.status_code == 403
    as_staff(site, "boss")
    site.get("/office/audit")
    log = site.get("/office/audit?member=boss").text
    assert "просмотр" in log
    assert "page: audit" in log


# --- announcements -------------------------------------------------------------------------


def test_an_announcement_for_one_house_shows_on_its_residents_main_pages_only(
    site: Site,
) -> None:
    as_staff(site, "ivanova")
    posted = post_form(site, "/office/announcements", announce(site,
                       kind="planned_outage", title="Отключение горячей воды",
                       text="Ремонт теплотрассы, с 10:00 до 18:00."))  # fmt: skip
    assert posted.status_code == 303
    assert posted.headers["location"].startswith("/office/announcements?posted=")

    assert "Отключение горячей воды" in as_resident(site, IVANOV)
    assert "Отключение горячей воды" not in as_resident(site, PETROVA)


def test_outages_stand_above_news_and_only_todays_show(site: Site) -> None:
    as_staff(site, "ivanova")
    post_form(site, "/office/announcements", announce(site, title="Субботник во дворе"))
    post_form(site, "/office/announcements", announce(site, kind="emergency",
              title="Авария на водопроводе", houses=[], all_houses="yes"))  # fmt: skip
    post_form(site, "/office/announcements", announce(site, title="Завтрашняя новость",
              starts_on="2026-03-03", ends_on="2026-03-04"))  # fmt: skip

    ivanov = as_resident(site, IVANOV)
    petrova = as_resident(site, PETROVA)

    assert ivanov.index("Авария на водопроводе") < ivanov.index("Субботник во дворе")
    assert "Завтрашняя новость" not in ivanov
    assert "Авария на водопроводе" in petrova
    assert "Субботник во дворе" not in petrova


def test_the_preview_shows_the_sms_and_its_length_without_a_script(site: Site) -> None:
    as_staff(site, "ivanova")
    text = "Плановые работы. " * 5

    page = post_form(site, "/office/announcements", announce(site, action="preview",
                     kind="planned_outage", title="Вода", text=text))  # fmt: skip

    assert page.status_code == 200
    sms = f"Плановое отключение 02.03: Вода. {text.strip()}"
    assert f'<p class="sms-preview" id="sms-text">{sms}</p>' in page.text
    assert f"{len(sms)} знаков · 2 SMS (67 знаков в SMS, кириллица)" in page.text
    with site.container.uow_factory()() as uow:
        assert uow.announcements.recent(10) == []


def test_a_wrong_announcement_is_refused_with_every_reason_and_nothing_is_stored(
    site: Site,
) -> None:
    as_staff(site, "ivanova")

    page = post_form(site, "/office/announcements", announce(site, title=" ", houses=[],
                     starts_on="2026-03-05", ends_on="2026-03-04"))  # fmt: skip

    assert page.status_code == 400
    for message in ("Введите заголовок", "Дата окончания раньше даты начала",
                    "Выберите дома или «Все дома»"):  # fmt: skip
        assert message in page.text
    with site.container.uow_factory()() as uow:
        assert uow.announcements.recent(10) == []


def opt_in_to_email(site: Site, number: str, email: str) -> None:
    with site.container.uow_factory()() as uow:
        account = uow.accounts.get(number)
        assert account is not None
        account.email = Email(email)
        account.email_informing = True
        uow.accounts.save(account)
        uow.consents.add(Consent(number, ConsentKind.EMAIL_INFORMING, "2025-09-01", True,
                                 site.clock.now(), address=email))  # fmt: skip
        uow.commit()


def announcement_mails(site: Site, to: str) -> list[str]:
    with site.container.uow_factory()() as uow:
        messages = uow.outbox.recent(500)
    return [
        m.email.text for m in messages
        if m.email is not None and m.recipient == to and "Отключение отопления" in m.email.text
    ]  # fmt: skip


def test_sending_reaches_opted_in_residents_of_the_house_once_however_often_it_is_sent(
    site: Site,
) -> None:
    opt_in_to_email(site, IVANOV, "ivanov.inform@mail.ru")
    opt_in_to_email(site, PETROVA, "petrova.inform@mail.ru")
    as_staff(site, "ivanova")
    first = post_form(site, "/office/announcements", announce(site, kind="planned_outage",
                      title="Отключение отопления", send="yes"))  # fmt: skip
    announcement_id = re.search(r"posted=(\w+)", first.headers["location"])
    assert announcement_id is not None

    again = site.post(f"/office/announcements/{announcement_id[1]}/send")

    assert "queued=1" in first.headers["location"]
    assert "queued=0" in again.headers["location"]
    assert "again=1" in again.headers["location"]
    assert len(announcement_mails(site, "ivanov.inform@mail.ru")) == 1
    assert announcement_mails(site, "petrova.inform@mail.ru") == []
    with site.container.uow_factory()() as uow:
        events = uow.staff_audit.staff_events(StaffEventQuery(login="ivanova"), 0, 50)
    actions = [dict(e.details).get("action") for e in events]
    assert "announcement_posted" in actions
    assert actions.count("notify") == 2

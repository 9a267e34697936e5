"""Correcting and withdrawing announcements on the desk (F31, F32, ADR 0071): the list by
state, the editor opened on an announcement with its SMS preview, a refusal re-rendering
what was typed, a stale form refused, a withdrawal with a reason; residents' main pages
follow each step, and nothing goes out by SMS or e-mail unless staff ask."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import Response

from access_fixtures import IVANOV, PASSWORD
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


def as_staff(site: Site, login: str) -> None:
    site.client.cookies.clear()
    sign_in_to_office(site, login)
    site.clock.advance(seconds=30)  # a later sign-in needs the next code


def main_page(site: Site) -> str:
    site.client.cookies.clear()
    site.sign_in(IVANOV, PASSWORD)
    return site.get("/home").text


def a_form(**fields: str | list[str]) -> dict[str, object]:
    form: dict[str, object] = {
        "kind": "planned_outage", "title": "Отключение горячей вады",
        "text": "Ремонт теплотрассы, с 10:00 до 18:00.", "starts_on": TODAY, "ends_on": TODAY,
        "houses": ["H1"],
    }  # fmt: skip
    form.update(fields)
    return form


def post_form(site: Site, path: str, form: dict[str, object]) -> Response:
    return site.client.post(path, data={**form, "_csrf_token": site.csrf()}, follow_redirects=False)


def posted(site: Site, **fields: str | list[str]) -> str:
    """Post an announcement as `ivanova`; its id."""
    as_staff(site, "ivanova")
    answer = post_form(site, "/office/announcements", a_form(action="post", **fields))
    found = re.search(r"posted=(\w+)", answer.headers["location"])
    assert found is not None
    return found[1]


def staff_actions(site: Site) -> list[dict[str, str]]:
    with site.container.uow_factory()(read_only=True) as uow:
        events = uow.staff_audit.staff_events(StaffEventQuery(), 0, 50)
    return [dict(e.details) for e in events if dict(e.details).get("action", "").startswith("ann")]


def test_staff_correct_a_typo_and_residents_see_only_the_corrected_text(site: Site) -> None:
    announcement = posted(site)
    assert "Отключение горячей вады" in main_page(site)
    as_staff(site, "boss")

    editor = site.get(f"/office/announcements/{announcement}")
    corrected = a_form(action="save", revision="1", title="Отключение горячей воды")
    saved = post_form(site, f"/office/announcements/{announcement}", corrected)
    after = site.get(saved.headers["location"])

    assert editor.status_code == 200
    assert 'value="Отключение горячей вады"' in editor.text
    assert '<input type="hidden" name="revision" value="1">' in editor.text
    assert "Плановое отключение 02.03: Отключение горячей вады. Ремонт" in editor.text
    assert saved.status_code == 303
    assert "done=saved" in saved.headers["location"]
    assert "message_changed=yes" in saved.headers["location"]
    assert "Изменения сохранены. Жителям ничего не отправлено." in after.text
    assert "Разослать исправление" in after.text
    assert "Исправление. Плановое отключение 02.03: Отключение горячей воды." in after.text
    home = main_page(site)
    assert "Отключение горячей воды" in home
    assert "вады" not in home
    assert staff_actions(site)[0] == {"action": "announcement_edited",
                                      "announcement": announcement, "revision": "2",
                                      "changed": "title"}  # fmt: skip


def test_the_editors_preview_shows_the_corrected_sms_and_stores_nothing(site: Site) -> None:
    announcement = posted(site)

    shown = post_form(site, f"/office/announcements/{announcement}",
                      a_form(action="preview", revision="1", text="Работы отменены."))  # fmt: skip

    sms = "Плановое отключение 02.03: Отключение горячей вады. Работы отменены."
    assert shown.status_code == 200
    assert f'<p class="sms-preview" id="sms-text">{sms}</p>' in shown.text
    assert f"{len(sms)} знаков · 1 SMS (70 знаков в SMS, кириллица)" in shown.text
    with site.container.uow_factory()(read_only=True) as uow:
        stored = uow.announcements.get(announcement)
    assert stored is not None
    assert stored.revision == 1


def test_a_wrong_correction_is_refused_in_russian_with_what_was_typed(site: Site) -> None:
    announcement = posted(site)

    page = post_form(site, f"/office/announcements/{announcement}",
                     a_form(action="save", revision="1", title=" ", text="Новый текст",
                            houses=[], starts_on="2026-03-05", ends_on="2026-03-04"))  # fmt: skip

    assert page.status_code == 400
    for message in ("Введите заголовок", "Дата окончания раньше даты начала",
                    "Выберите дома или «Все дома»"):  # fmt: skip
        assert message in page.text
    assert ">Новый текст</textarea>" in page.text
    assert 'value="2026-03-05"' in page.text
    assert "Отключение горячей вады" in main_page(site)


def test_of_two_staff_editing_at_once_the_later_is_refused_and_keeps_what_it_typed(
    site: Site,
) -> None:
    announcement = posted(site)
    first = post_form(site, f"/office/announcements/{announcement}",
                      a_form(action="save", revision="1", title="Правка Ивановой"))  # fmt: skip
    as_staff(site, "boss")

    second = post_form(site, f"/office/announcements/{announcement}",
                       a_form(action="save", revision="1", title="Правка начальника"))  # fmt: skip

    assert first.status_code == 303
    assert second.status_code == 409
    assert "Объявление только что изменил другой сотрудник (ivanova)" in second.text
    assert 'value="Правка начальника"' in second.text
    assert "Открыть объявление в его текущем виде" in second.text
    home = main_page(site)
    assert "Правка Ивановой" in home
    assert "Правка начальника" not in home


def test_withdrawing_needs_a_reason_then_takes_it_off_the_main_page(site: Site) -> None:
    announcement = posted(site)

    refused = post_form(site, f"/office/announcements/{announcement}/withdraw",
                        {"revision": "1", "reason": " "})  # fmt: skip
    withdrawn = post_form(site, f"/office/announcements/{announcement}/withdraw",
                          {"revision": "1", "reason": "Работы перенесли"})  # fmt: skip
    listed = site.get(withdrawn.headers["location"]).text
    shown = site.get(f"/office/announcements/{announcement}").text

    assert refused.status_code == 400
    assert "Укажите причину снятия" in refused.text
    assert withdrawn.status_code == 303
    assert "Объявление снято: жители его больше не видят." in listed
    assert '<h3 id="state-withdrawn">Сняты</h3>' in listed
    assert "Работы перенесли" in listed
    assert "Снятое объявление нельзя изменить." in shown
    assert 'action="/office/announcements/' + announcement + '/withdraw"' not in shown
    assert "Отключение горячей вады" not in main_page(site)
    assert staff_actions(site)[0] == {"action": "announcement_withdrawn",
                                      "announcement": announcement, "revision": "2",
                                      "reason": "Работы перенесли"}  # fmt: skip


def test_an_ended_announcement_is_listed_but_cannot_be_changed(site: Site) -> None:
    announcement = posted(site)
    site.clock.advance(days=1)
    as_staff(site, "ivanova")

    listed = site.get("/office/announcements").text
    shown = site.get(f"/office/announcements/{announcement}").text
    refused = post_form(site, f"/office/announcements/{announcement}",
                        a_form(action="save", revision="1", ends_on="2026-03-05"))  # fmt: skip

    assert '<h3 id="state-ended">Закончились</h3>' in listed
    assert f'href="/office/announcements/{announcement}"' not in listed
    assert "Объявление закончилось — его нельзя изменить или снять." in shown
    assert refused.status_code == 409
    assert "Объявление уже закончилось" in refused.text


def test_an_unknown_announcement_is_not_found(site: Site) -> None:
    as_staff(site, "ivanova")

    assert site.get("/office/announcements/0123456789abcdef").status_code == 404
    assert site.get("/office/announcements/..%2Fetc").status_code == 404
    assert site.post("/office/announcements/0123456789abcdef/withdraw").status_code == 404


def test_an_edit_without_the_csrf_token_changes_nothing(site: Site) -> None:
    announcement = posted(site)

    answer = site.client.post(
        f"/office/announcements/{announcement}",
        data=a_form(action="save", revision="1", title="Подделка"),
        follow_redirects=False,
    )
    withdrawal = site.client.post(f"/office/announcements/{announcement}/withdraw",
                                  data={"revision": "1", "reason": "Подделка"},
                                  follow_redirects=False)  # fmt: skip

    assert (answer.status_code, withdrawal.status_code) == (403, 403)
    assert "Отключение горячей вады" in main_page(site)


# --- what goes out ---------------------------------------------------------------------


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


def mails_to(site: Site, to: str) -> list[str]:
    with site.container.uow_factory()() as uow:
        messages = uow.outbox.recent(500)
    return sorted(
        m.email.subject for m in messages
        if m.email is not None and m.recipient == to and "горячей" in m.email.text
    )  # fmt: skip


def test_an_edit_sends_nothing_a_correction_goes_once_and_a_withdrawal_notice_when_asked(
    site: Site,
) -> None:
    opt_in_to_email(site, IVANOV, "ivanov.inform@mail.ru")
    announcement = posted(site, send="yes")
    edit = f"/office/announcements/{announcement}"

    post_form(site, edit, a_form(action="save", revision="1", title="Отключение горячей воды"))
    after_edit = mails_to(site, "ivanov.inform@mail.ru")
    first = site.post(f"{edit}/correction")
    again = site.post(f"{edit}/correction")
    post_form(site, f"{edit}/withdraw",
              {"revision": "2", "reason": "Работы перенесли", "notify": "yes"})  # fmt: skip

    assert after_edit == ["Плановое отключение: Отключение горячей вады"]
    assert "queued=1" in first.headers["location"]
    assert "queued=0" in again.headers["location"]
    assert "again=1" in again.headers["location"]
    assert mails_to(site, "ivanov.inform@mail.ru") == [
        "Исправление: Плановое отключение: Отключение горячей воды",
        "Отменено: Плановое отключение: Отключение горячей воды",
        "Плановое отключение: Отключение горячей вады",
    ]
    refused = site.post(f"{edit}/send")
    assert refused.status_code == 409
    assert "Объявление уже снято" in refused.text

"""The «Личные данные» tab through the real app over a SQLite file: the account's data, the
«Изменить пароль» forms, the e-mailed link for a new address, linking, switching and
unlinking accounts; forms guarded by CSRF, 404 for anything not the resident's."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from access_fixtures import NEW_PASSWORD, PASSWORD
from lk_adapters.sqlalchemy import tables
from lk_core.access.sign_in import sign_in
from personal_site import SESSION_COOKIE, Site, a_site

IVANOV_EMAIL = "ivanov@mail.ru"
SEMENOV_EMAIL = "semenov@mail.ru"
SEMENOV_PASSWORD = "кленовый лист в ноябре"
LINK_FAILED = "Лицевой счёт не найден или фамилия (пароль) не подходит"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """Иванов (100234-А) and Семёнов (100235) registered; Иванов signed in."""
    with a_site(tmp_path) as site:
        site.register("100234", IVANOV_EMAIL, PASSWORD)
        site.register("100235", SEMENOV_EMAIL, SEMENOV_PASSWORD)
        site.sign_in("100234", PASSWORD)
        yield site


def text_of(answer: object) -> str:
    return html.unescape(answer.text)  # type: ignore[attr-defined]


def link(site: Site, number: str, surname: str = "", password: str = "") -> object:
    return site.post(
        "/personal/accounts", {"number": number, "surname": surname, "password": password}
    )


# --- the tab ----------------------------------------------------------------------------


def test_signed_out_the_tab_sends_to_the_front_page(tmp_path: Path) -> None:
    with a_site(tmp_path) as site:
        answer = site.get("/personal")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/?notice=signed-out"


def test_the_tab_shows_the_accounts_billing_data_read_only(site: Site) -> None:
    answer = site.get("/personal")
    page = text_of(answer)

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    for shown in (
        "Личные данные",
        "Лицевой счёт 100234-А",
        "Иванов Иван Иванович",
        "г. Тверь, ул. Советская, д. 1, кв. 12",
        "54,3 м²",
        "4210,55 м²",
        "Количество проживающих",
        IVANOV_EMAIL,
        "не указан",  # no phone on file
    ):
        assert shown in page
    assert 'href="/personal" aria-current="page"' in page
    assert 'href="/home"' in page
    assert "<input" not in page.split("Изменить пароль")[0].split("<main")[1]


def test_the_header_links_the_tab_next_to_the_main_page(site: Site) -> None:
    page = site.get("/home").text

    assert page.index('href="/home"') < page.index('href="/personal"')


# --- changing the password --------------------------------------------------------------


def test_a_wrong_current_password_is_refused_next_to_the_form(site: Site) -> None:
    answer = site.post(
        "/personal/password",
        {"current_password": "не тот пароль", "password": NEW_PASSWORD,
         "confirmation": NEW_PASSWORD},
    )  # fmt: skip

    assert answer.status_code == 400
    assert "Текущий пароль указан неверно" in answer.text
    assert '<details class="change-password" open>' in answer.text
    assert NEW_PASSWORD not in answer.text
    assert "не тот пароль" not in answer.text


def test_changing_the_password_renews_this_session_and_ends_the_others(
    site: Site, tmp_path: Path
) -> None:
    before = site.client.cookies[SESSION_COOKIE]
    elsewhere = sign_in(site.container.access(), "100234", PASSWORD, ip="10.0.0.2",
                        current_session=None)  # fmt: skip

    answer = site.post(
        "/personal/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/personal?notice=password-changed"
    after = answer.cookies[SESSION_COOKIE]
    assert after not in (before, elsewhere)
    assert not site.stored_session(before)
    assert not site.stored_session(elsewhere)
    assert site.stored_session(after)
    assert "Пароль изменён" in site.get(answer.headers["location"]).text
    assert any("Пароль личного кабинета" in text for text in site.emails(IVANOV_EMAIL))
    assert all(NEW_PASSWORD not in text for text in site.emails())
    site.client.cookies.clear()
    assert site.post("/sign-in", {"account": "100234", "password": PASSWORD}).status_code == 400
    site.sign_in("100234", NEW_PASSWORD)


def test_the_password_form_needs_the_csrf_token(site: Site) -> None:
    refused = site.client.post(
        "/personal/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD,
              "confirmation": NEW_PASSWORD},
        follow_redirects=False,
    )  # fmt: skip

    assert refused.status_code == 403
    site.client.cookies.clear()
    site.sign_in("100234", PASSWORD)


# --- changing the e-mail ----------------------------------------------------------------


def test_a_new_email_takes_effect_by_its_link_even_signed_out(site: Site) -> None:
    asked = site.post(
        "/personal/email", {"email": "novikov@yandex.ru", "current_password": PASSWORD}
    )
    assert asked.status_code == 200
    assert "Проверьте почту" in asked.text
    assert "novikov@yandex.ru" in asked.text
    page = text_of(site.get("/personal"))
    assert f"Сейчас: <strong>{IVANOV_EMAIL}</strong>" in page
    assert "Ожидает подтверждения: <strong>novikov@yandex.ru</strong>" in page
    token = site.last_link_token("/personal/email/confirm/", to="novikov@yandex.ru")

    site.client.cookies.clear()
    done = site.get(f"/personal/email/confirm/{token}")

    assert done.status_code == 200
    assert "Адрес электронной почты изменён" in done.text
    assert done.headers.get_list("referrer-policy") == ["no-referrer"]
    assert any("адрес изменён на n***@y***.ru" in text for text in site.emails(IVANOV_EMAIL))
    again = site.get(f"/personal/email/confirm/{token}")
    assert again.status_code == 410
    assert "уже использована" in again.text
    site.sign_in("100234", PASSWORD)
    assert "Сейчас: <strong>novikov@yandex.ru</strong>" in text_of(site.get("/personal"))


def test_an_expired_or_unknown_email_link_explains_what_to_do(site: Site) -> None:
    site.post("/personal/email", {"email": "novikov@yandex.ru", "current_password": PASSWORD})
    token = site.last_link_token("/personal/email/confirm/")
    site.clock.advance(hours=24, minutes=1)

    expired = site.get(f"/personal/email/confirm/{token}")
    unknown = site.get("/personal/email/confirm/no-such-token")

    assert expired.status_code == 410
    assert "Срок действия ссылки истёк" in expired.text
    assert "запросите смену адреса ещё раз" in expired.text
    assert unknown.status_code == 404
    assert "Ссылка недействительна" in unknown.text


def test_a_new_email_needs_the_current_password(site: Site) -> None:
    answer = site.post(
        "/personal/email", {"email": "novikov@yandex.ru", "current_password": "не тот"}
    )

    assert answer.status_code == 400
    assert "Текущий пароль указан неверно" in answer.text
    assert 'value="novikov@yandex.ru"' in answer.text
    assert not any("/personal/email/confirm/" in text for text in site.emails())


# --- linking, switching, unlinking ------------------------------------------------------


def test_a_wrong_number_surname_or_password_gets_one_message_and_links_nothing(
    site: Site,
) -> None:
    answers = [
        link(site, "999999", surname="Петрова"),
        link(site, "100236", surname="Сидорова"),
        link(site, "100235", password="не тот пароль вовсе"),
    ]

    for answer in answers:
        assert answer.status_code == 400  # type: ignore[attr-defined]
        assert LINK_FAILED in text_of(answer)
    assert "не тот пароль вовсе" not in text_of(answers[2])
    assert site.linked("100234") == []


def test_an_account_is_linked_by_surname_then_switched_to_in_the_header(site: Site) -> None:
    linked = link(site, "100236", surname="петрова")
    assert linked.status_code == 303  # type: ignore[attr-defined]
    assert linked.headers["location"] == "/personal?notice=linked"  # type: ignore[attr-defined]
    page = text_of(site.get("/personal"))
    assert 'action="/accounts/switch"' in page
    assert '<option value="100236"' in page
    assert "Иванов Иван Иванович" in page

    switched = site.post("/accounts/switch", {"account": "100236", "next": "/personal"})

    assert switched.status_code == 303
    assert switched.headers["location"] == "/personal"
    page = text_of(site.get("/personal"))
    assert "Петрова Анна Сергеевна" in page
    assert "кв. 14" in page
    assert "Иванов Иван Иванович" not in page
    assert '<option value="100236" selected>' in page
    assert "100236" in site.get("/home").text


def test_an_account_is_linked_by_its_own_password(site: Site) -> None:
    linked = link(site, "100235", password=SEMENOV_PASSWORD)

    assert linked.status_code == 303  # type: ignore[attr-defined]
    assert site.linked("100234") == ["100235"]
    assert any("100235 привязан" in text for text in site.emails(SEMENOV_EMAIL))


def test_a_registered_accounts_surname_asks_its_owner_who_approves_by_the_letter(
    site: Site,
) -> None:
    asked = link(site, "100235", surname="Семёнов")

    assert asked.status_code == 303  # type: ignore[attr-defined]
    assert asked.headers["location"] == "/personal?notice=link-requested"  # type: ignore[attr-defined]
    assert site.linked("100234") == []
    page = text_of(site.get("/personal?notice=link-requested"))
    assert "Запрос отправлен владельцу, ждём подтверждения до" in page
    approve = site.last_link_token("/personal/link-requests/", to=SEMENOV_EMAIL)
    letter = next(t for t in site.emails(SEMENOV_EMAIL) if "/personal/link-requests/" in t)
    assert "100234-А" in letter

    site.client.cookies.clear()  # the owner follows the link signed out
    site.sign_in("100235", SEMENOV_PASSWORD)
    owner_page = text_of(site.get("/personal"))
    assert "Владелец лицевого счёта <strong>100234-А</strong> просит привязать" in owner_page
    shown = site.get(f"/personal/link-requests/{approve}")
    assert shown.status_code == 200
    assert "Разрешить привязку" in text_of(shown)
    assert site.linked("100234") == []  # opening the link (a mail scanner may) answers nothing
    answered = site.post(f"/personal/link-requests/{approve}")

    assert answered.status_code == 200
    assert "Привязка разрешена" in text_of(answered)
    assert answered.headers["referrer-policy"] == "no-referrer"
    assert site.linked("100234") == ["100235"]
    assert "вы разрешили" in text_of(site.get("/personal"))
    assert site.get(f"/personal/link-requests/{approve}").status_code == 410
    assert site.post(f"/personal/link-requests/{approve}").status_code == 410
    site.client.cookies.clear()
    site.sign_in("100234", PASSWORD)
    assert "владелец разрешил привязку" in text_of(site.get("/personal"))


def test_a_refused_request_links_nothing_and_both_sides_see_it(site: Site) -> None:
    link(site, "100235", surname="Семёнов")
    letter = next(t for t in site.emails(SEMENOV_EMAIL) if "/personal/link-requests/" in t)
    _, refuse = re.findall(r"/personal/link-requests/([A-Za-z0-9_-]+)", letter)

    assert "Отказать в привязке" in text_of(site.get(f"/personal/link-requests/{refuse}"))
    answered = site.post(f"/personal/link-requests/{refuse}")

    assert answered.status_code == 200
    assert "В привязке отказано" in text_of(answered)
    assert site.linked("100234") == []
    assert "владелец отказал в привязке" in text_of(site.get("/personal"))
    assert site.get("/personal/link-requests/not-a-token").status_code == 404


def test_the_own_account_and_an_account_linked_already_are_refused(site: Site) -> None:
    link(site, "100236", surname="Петрова")

    own = link(site, "100234", surname="Иванов")
    twice = link(site, "100236", surname="Петрова")

    assert "Это ваш собственный лицевой счёт" in text_of(own)
    assert "уже привязан" in text_of(twice)
    assert site.linked("100234") == ["100236"]


def test_switching_to_an_account_not_the_residents_is_not_found(site: Site) -> None:
    refused = site.post("/accounts/switch", {"account": "100235", "next": "/personal"})

    assert refused.status_code == 404
    assert "Страница не найдена" in refused.text
    assert "Иванов Иван Иванович" in site.get("/personal").text


@pytest.mark.parametrize(
    "next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_the_switcher_goes_back_only_to_a_page_of_the_portal(site: Site, next_path: str) -> None:
    switched = site.post("/accounts/switch", {"account": "100234", "next": next_path})

    assert switched.status_code == 303
    assert switched.headers["location"] == "/home"


def test_unlinking_the_account_shown_shows_the_own_account_again(site: Site) -> None:
    link(site, "100236", surname="Петрова")
    site.post("/accounts/switch", {"account": "100236", "next": "/personal"})

    unlinked = site.post("/personal/accounts/100236/unlink")

    assert unlinked.status_code == 303
    assert unlinked.headers["location"] == "/personal?notice=unlinked"
    page = text_of(site.get(unlinked.headers["location"]))
    assert "Лицевой счёт отвязан" in page
    assert "Иванов Иван Иванович" in page
    assert 'action="/accounts/switch"' not in page
    assert site.linked("100234") == []


def test_the_own_account_cannot_be_unlinked_and_anothers_is_not_found(site: Site) -> None:
    own = site.post("/personal/accounts/100234/unlink")
    others = site.post("/personal/accounts/100235/unlink")

    assert own.status_code == 400
    assert "Свой лицевой счёт отвязать нельзя" in own.text
    assert others.status_code == 404


def test_linking_is_throttled_with_a_429(site: Site) -> None:
    for _ in range(10):
        link(site, "100236", surname="Сидорова")

    throttled = link(site, "100236", surname="Петрова")

    assert throttled.status_code == 429  # type: ignore[attr-defined]
    assert "Слишком много попыток" in text_of(throttled)
    assert site.linked("100234") == []


def test_link_and_switch_forms_need_the_csrf_token(site: Site) -> None:
    with site.container.engine().connect() as connection:
        audit_before = connection.execute(tables.audit_log.select()).fetchall()
    for path, data in [
        ("/personal/accounts", {"number": "100236", "surname": "Петрова"}),
        ("/accounts/switch", {"account": "100234"}),
        ("/personal/email", {"email": "x@mail.ru", "current_password": PASSWORD}),
    ]:
        refused = site.client.post(path, data=data, follow_redirects=False)
        assert refused.status_code == 403

    assert site.linked("100234") == []
    with site.container.engine().connect() as connection:
        assert connection.execute(tables.audit_log.select()).fetchall() == audit_before

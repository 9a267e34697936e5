"""The dispatcher's queue on the desk (F30, F32): the queue's filters and pages, emergencies
first; assigning, moving, rejecting and answering, which the resident reads on their own
pages and is told of through the outbox; photos to staff only; every view and action in
the staff's audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpx import Response

from access_fixtures import IVANOV, PASSWORD, PETROVA
from lk_core.access.audit import AuditKind
from lk_core.access.registration import Consent, ConsentKind
from lk_core.accounts.contacts import Email
from lk_core.requests import RequestForm, create_request, request_number
from lk_core.staff.administration import disable_staff
from lk_core.staff.ports import StaffEventQuery
from lk_core.staff.sessions import new_staff_session
from lk_core.staff.sign_in import OnDuty
from lk_web.office import desk_requests
from lk_web.office.edge import OfficeServices, StaffCookie
from office_fixtures import an_office, sign_in_to_office
from personal_site import Site
from requests_fixtures import a_photo

PHONE = "+7 912 345-67-89"
KUZNETSOV = "Слесарь-сантехник Кузнецов А. П."  # one of the demo company's crews
ROW = re.compile(r'<a href="/office/requests/([0-9a-f]{32})">')
PHOTO = re.compile(r'/office/requests/[0-9a-f]{32}/photos/([0-9a-f]{32})"')


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with an_office(tmp_path, LK_REQUESTS_PHOTO_FOLDER=str(tmp_path / "photos")) as site:
        yield site


def as_staff(site: Site, login: str = "ivanova") -> None:
    site.client.cookies.clear()
    sign_in_to_office(site, login)
    site.clock.advance(seconds=30)  # a later sign-in needs the next code


def as_resident(site: Site, number: str) -> None:
    site.client.cookies.clear()
    site.sign_in(number, PASSWORD)


def filed(site: Site, number: str, category: str = "plumbing", *, emergency: bool = False,
          text: str = "Течёт кран на кухне") -> str:  # fmt: skip
    form = RequestForm(category, text, PHONE, emergency=emergency)
    return create_request(site.container.requests(), number, form).id


def queue(site: Site, query: str = "") -> list[str]:
    page = site.get(f"/office/requests{query}")
    assert page.status_code == 200, page.text[:500]
    return ROW.findall(page.text)


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


def staff_events(site: Site, login: str = "ivanova") -> list[dict[str, str]]:
    with site.container.uow_factory()(read_only=True) as uow:
        events = uow.staff_audit.staff_events(StaffEventQuery(login=login), 0, 200)
    return [{"kind": e.kind.value, "account": e.account_key or "", **dict(e.details)}
            for e in events]  # fmt: skip


def act(site: Site, request_id: str, action: str, **form: str) -> Response:
    return site.post(f"/office/requests/{request_id}/{action}", form)


# --- the queue -------------------------------------------------------------------------------


def test_the_desk_links_the_queue_instead_of_soon(site: Site) -> None:
    as_staff(site)

    home = site.get("/office").text

    assert '<a href="/office/requests">Заявки</a>' in home
    assert "скоро" not in home
    assert 'aria-current="page">Заявки</a>' in site.get("/office/requests").text


def test_the_queue_puts_emergencies_first_and_filters_by_each_criterion(site: Site) -> None:
    yard = filed(site, IVANOV, "yard", text="Сломана скамейка")
    lift = filed(site, PETROVA, "lift", text="Лифт стоит")
    flood = filed(site, IVANOV, "plumbing", emergency=True, text="Затопило подвал")
    site.clock.advance(hours=3)  # the emergency's two hours are up; the others' are not
    as_staff(site)

    assert queue(site) == [flood, lift, yard]
    assert queue(site, "?house=H2") == [lift]
    assert queue(site, "?category=yard") == [yard]
    assert queue(site, "?emergency=yes") == [flood]
    assert queue(site, "?emergency=no") == [lift, yard]
    assert queue(site, "?overdue=yes") == [flood]
    assert queue(site, "?status=accepted") == []
    page = site.get("/office/requests?house=H2&overdue=yes").text
    assert "Заявок нет." in page
    assert '<option value="H2" selected>' in page
    assert 'name="overdue" value="yes" checked' in page


def test_the_queue_shows_open_requests_unless_asked_for_others(site: Site) -> None:
    done = filed(site, IVANOV)
    still = filed(site, PETROVA)
    as_staff(site)
    act(site, done, "reject", reason="Дубликат заявки")

    assert queue(site) == [still]
    assert queue(site, "?status=rejected") == [done]
    assert set(queue(site, "?status=all")) == {done, still}


def test_the_queue_is_paged(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_requests, "QUEUE_PAGE", 2)
    made = [filed(site, IVANOV, emergency=True)]
    for _ in range(2):
        site.clock.advance(minutes=5)  # a later request is due later
        made.append(filed(site, PETROVA))
    as_staff(site)

    first = site.get("/office/requests?house=H1&status=all").text
    one = site.get("/office/requests").text
    two = site.get("/office/requests?page=2").text

    assert ROW.findall(one) + ROW.findall(two) == made
    assert len(ROW.findall(one)) == 2
    assert 'href="/office/requests?status=open&amp;page=2">Следующие' in one
    assert "Следующие" not in two
    assert "Предыдущие" in two
    assert ROW.findall(first) == made[:1]


def test_viewing_the_queue_and_a_request_is_audited(site: Site) -> None:
    request_id = filed(site, PETROVA)
    as_staff(site)

    queue(site, "?house=H2")
    site.get(f"/office/requests/{request_id}")

    events = staff_events(site)
    listed = next(e for e in events if e.get("page") == "requests")
    shown = next(e for e in events if e.get("page") == "request")
    assert listed["kind"] == AuditKind.STAFF_VIEW.value
    assert listed["accounts"] == PETROVA
    assert listed["filter_house"] == "H2"
    assert shown == {"kind": "staff_view", "account": PETROVA, "page": "request",
                     "request": request_id}  # fmt: skip


def test_views_are_audited_by_units_of_work_that_need_not_be_durable_and_actions_are_not(
    site: Site,
) -> None:
    lazy = site.container.views_uow_factory()
    opened: list[str] = []

    def recording(*, read_only: bool = False) -> Any:
        opened.append("lazy")
        return lazy(read_only=read_only)

    container = site.container
    office = OfficeServices(container.staff(), container.announcements(),
                            StaffCookie(https=False), container.requests(), recording)  # fmt: skip
    with container.uow_factory()(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    duty = OnDuty(member, new_staff_session(member.login, site.clock.now(), verified=True)[1])

    desk_requests._audit(office, duty, AuditKind.STAFF_VIEW, "203.0.113.5", None, page="requests")
    desk_requests._audit(office, duty, AuditKind.STAFF_ACTION, "203.0.113.5", PETROVA,
                         action="request_assign")  # fmt: skip

    assert opened == ["lazy"]  # the view only (ADR 0070)
    assert lazy.durable is False
    assert container.uow_factory().durable is True
    kinds = [(e["kind"], e.get("page") or e.get("action")) for e in staff_events(site)]
    assert ("staff_view", "requests") in kinds
    assert ("staff_action", "request_assign") in kinds


# --- working a request -----------------------------------------------------------------------


def test_assigning_moving_and_answering_reach_the_resident_and_the_audit_log(
    site: Site,
) -> None:
    opt_in_to_email(site, IVANOV, "ivanov.inform@mail.ru")
    request_id = filed(site, IVANOV)
    as_staff(site)

    assigned = act(site, request_id, "assign", executor=KUZNETSOV)
    accepted = act(site, request_id, "status", status="accepted", comment="Придём завтра в 10")
    commented = act(site, request_id, "comment", text="Откройте, пожалуйста, подвал")

    assert assigned.headers["location"] == f"/office/requests/{request_id}?done=assigned"
    assert accepted.headers["location"] == f"/office/requests/{request_id}?done=status"
    assert commented.headers["location"] == f"/office/requests/{request_id}?done=commented"
    desk = site.get(f"/office/requests/{request_id}?done=status").text
    assert "Статус изменён" in desk
    assert f"<dd>{KUZNETSOV}</dd>" in desk
    assert f'<option value="{KUZNETSOV}" selected>' in desk
    assert "Диспетчер ivanova" in desk
    assert "<dd>г. Тверь, ул. Советская, д. 1</dd>" in desk  # the house by its address
    with site.container.uow_factory()(read_only=True) as uow:
        mails = [m.email.text for m in uow.outbox.recent(50)
                 if m.email is not None and m.recipient == "ivanov.inform@mail.ru"]  # fmt: skip
    assert any("Придём завтра в 10" in text for text in mails)
    assert any("Откройте, пожалуйста, подвал" in text for text in mails)
    actions = [(e["kind"], e.get("action"), e["account"]) for e in staff_events(site)]
    for action in ("request_assign", "request_status", "request_comment"):
        assert ("staff_action", action, IVANOV) in actions

    as_resident(site, IVANOV)
    mine = site.get(f"/requests/{request_id}").text
    assert "принята" in mine
    assert "Придём завтра в 10" in mine
    assert "Откройте, пожалуйста, подвал" in mine
    assert KUZNETSOV in mine

    as_staff(site, "boss")
    journal = site.get("/office/audit?member=ivanova").text
    assert "action: request_assign" in journal
    assert f"request: {request_id}" in journal


def test_a_rejection_needs_a_reason_and_the_resident_reads_it(site: Site) -> None:
    request_id = filed(site, IVANOV)
    as_staff(site)

    empty = act(site, request_id, "reject", reason="  ")
    rejected = act(site, request_id, "reject", reason="Это общедомовое имущество другой УК")

    assert empty.status_code == 400
    assert "Укажите причину отказа" in empty.text
    assert 'aria-invalid="true" aria-describedby="reason-error"' in empty.text
    assert rejected.status_code == 303
    as_resident(site, IVANOV)
    mine = site.get(f"/requests/{request_id}").text
    assert "отклонена" in mine
    assert "Это общедомовое имущество другой УК" in mine


def test_a_move_the_lifecycle_does_not_allow_is_refused_and_changes_nothing(
    site: Site,
) -> None:
    request_id = filed(site, IVANOV)
    as_staff(site)

    skipped = act(site, request_id, "status", status="in_progress", comment="сразу")
    unnamed = act(site, request_id, "status", status="rejected")
    nobody = act(site, request_id, "assign", executor="")

    assert skipped.status_code == 400
    assert unnamed.status_code == 400
    assert "Выберите новый статус" in unnamed.text
    assert nobody.status_code == 400
    assert "Выберите исполнителя из списка" in nobody.text
    with site.container.uow_factory()(read_only=True) as uow:
        stored = uow.service_requests.get(request_id)
    assert stored is not None
    assert stored.status.value == "new"
    assert not stored.executor


def test_an_unknown_request_is_not_found(site: Site) -> None:
    as_staff(site)

    assert site.get("/office/requests/" + "0" * 32).status_code == 404
    assert site.get("/office/requests/not-an-id").status_code == 404
    assert act(site, "0" * 32, "comment", text="кому?").status_code == 404


def test_a_desk_form_without_the_csrf_token_changes_nothing(site: Site) -> None:
    request_id = filed(site, IVANOV)
    as_staff(site)

    answer = site.client.post(f"/office/requests/{request_id}/assign",
                              data={"executor": "Подделка"}, follow_redirects=False)  # fmt: skip
    foreign = site.post(f"/office/requests/{request_id}/assign", {"executor": "Подделка"},
                        headers={"Origin": "https://evil.example"})  # fmt: skip

    assert answer.status_code == 403
    assert foreign.status_code == 403
    with site.container.uow_factory()(read_only=True) as uow:
        stored = uow.service_requests.get(request_id)
    assert stored is not None
    assert not stored.executor


# --- executors --------------------------------------------------------------------------


def assign_form(page: str) -> str:
    return page[page.index('<select id="executor"') : page.index("</select>", page.index(
        '<select id="executor"'))]  # fmt: skip


def test_the_executor_is_chosen_from_the_configured_crews_and_the_active_staff(
    site: Site,
) -> None:
    request_id = filed(site, IVANOV)
    disable_staff(site.container.staff(), "operator:test", "boss")
    as_staff(site)

    page = site.get(f"/office/requests/{request_id}").text
    form = assign_form(page)

    assert '<label for="executor">Кто выполнит работу</label>' in page
    assert 'type="text"' not in form
    assert '<option value="" selected>— выберите исполнителя —</option>' in form
    crews, staff = form.split('<optgroup label="Сотрудники">')
    assert '<optgroup label="Из справочника">' in crews
    assert f'<option value="{KUZNETSOV}">' in crews
    assert '<option value="ООО «Лифтсервис Тверь»">' in crews
    assert '<option value="Иванова Мария">' in staff
    assert "Смирнов Олег" not in form  # disabled staff are not offered


def test_a_staff_member_is_assigned_and_then_shown_chosen(site: Site) -> None:
    request_id = filed(site, IVANOV)
    as_staff(site)

    assigned = act(site, request_id, "assign", executor="Иванова Мария")

    assert assigned.status_code == 303
    page = site.get(f"/office/requests/{request_id}?done=assigned").text
    assert '<option value="Иванова Мария" selected>' in assign_form(page)
    assert "Исполнитель назначен." in page


def test_an_executor_not_on_the_roster_is_refused_audited_and_changes_nothing(
    site: Site,
) -> None:
    request_id = filed(site, IVANOV)
    as_staff(site)

    refused = act(site, request_id, "assign", executor="Сосед дядя Вася")

    assert refused.status_code == 400
    assert "Исполнителя «Сосед дядя Вася» нет в списке исполнителей" in refused.text
    form = assign_form(refused.text)
    assert 'aria-invalid="true" aria-describedby="executor-error"' in form
    assert '<option value="" selected>' in form
    assert '<p class="error" id="executor-error">' in refused.text
    with site.container.uow_factory()(read_only=True) as uow:
        stored = uow.service_requests.get(request_id)
    assert stored is not None
    assert (stored.executor, stored.version) == ("", 1)
    assert {"kind": "staff_action", "account": IVANOV, "action": "request_assign",
            "request": request_id, "executor": "Сосед дядя Вася"} in staff_events(site)  # fmt: skip


def test_a_free_text_executor_of_an_older_request_is_still_shown(site: Site) -> None:
    request_id = filed(site, IVANOV)
    with site.container.uow_factory()() as uow:  # assigned before the roster (ADR 0069)
        old = uow.service_requests.get(request_id)
        assert old is not None
        old.executor = "Вася из ЖЭКа"
        assert uow.service_requests.save(old, old.version)
        uow.commit()
    as_staff(site)

    page = site.get(f"/office/requests/{request_id}").text

    assert "<dd>Вася из ЖЭКа</dd>" in page
    assert 'aria-describedby="executor-hint"' in assign_form(page)
    assert "Назначенного исполнителя «Вася из ЖЭКа» нет в списке" in page
    assert '<option value="" selected>' in assign_form(page)
    as_resident(site, IVANOV)
    assert "Вася из ЖЭКа" in site.get(f"/requests/{request_id}").text


def test_configured_executors_replace_the_demo_crews(tmp_path: Path) -> None:
    crews = "Бригада №1\nООО «Лифт-Мастер»"
    with an_office(tmp_path, LK_REQUESTS_EXECUTORS=crews,
                   LK_REQUESTS_PHOTO_FOLDER=str(tmp_path / "photos")) as site:  # fmt: skip
        request_id = filed(site, IVANOV)
        as_staff(site)
        form = assign_form(site.get(f"/office/requests/{request_id}").text)

    assert '<option value="Бригада №1">' in form
    assert '<option value="ООО «Лифт-Мастер»">' in form
    assert KUZNETSOV not in form


# --- photos ----------------------------------------------------------------------------------


def test_photos_open_to_staff_only_never_cached(site: Site) -> None:
    as_resident(site, IVANOV)
    made = site.post(
        "/requests/new",
        {"category": "plumbing", "description": "Течёт стояк", "contact_phone": PHONE,
         "emergency": "on"},
        files=[("photos", ("кран.jpg", a_photo(), "application/octet-stream"))],
    )  # fmt: skip
    assert made.status_code == 303, made.text[:500]
    request_id = made.headers["location"].split("/")[2].split("?")[0]
    as_staff(site)
    page = site.get(f"/office/requests/{request_id}").text
    photo = PHOTO.search(page)
    assert photo is not None
    path = f"/office/requests/{request_id}/photos/{photo[1]}"

    full = site.get(path)
    thumb = site.get(path + "?size=thumb")
    assert full.status_code == 200
    assert full.headers["content-type"] == "image/jpeg"
    assert full.headers["cache-control"] == "no-store"
    assert thumb.status_code == 200
    assert thumb.content.startswith(b"\xff\xd8")
    assert len(thumb.content) < len(full.content)
    assert {"kind": "staff_view", "account": IVANOV, "page": "request_photo",
            "request": request_id, "photo": photo[1]} in staff_events(site)  # fmt: skip

    as_resident(site, PETROVA)  # another flat
    assert site.get(path).status_code == 303
    assert site.get(f"/requests/{request_id}/photos/{photo[1]}").status_code == 404
    site.client.cookies.clear()  # nobody signed in
    anonymous = site.get(path)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/office/sign-in"
    assert not anonymous.content.startswith(b"\xff\xd8")


def test_the_queue_names_requests_as_residents_see_them(site: Site) -> None:
    request_id = filed(site, IVANOV, emergency=True)
    as_staff(site)
    with site.container.uow_factory()(read_only=True) as uow:
        stored = uow.service_requests.get(request_id)
    assert stored is not None

    page = site.get("/office/requests").text

    assert f'{request_id}">№{request_number(stored)}</a>' in page
    assert "<caption>" in page
    assert '<label for="house">Дом</label>' in page


def test_the_desk_opens_the_request_whose_number_a_resident_reads_out(site: Site) -> None:
    filed(site, IVANOV)
    wanted = filed(site, PETROVA, "lift")
    filed(site, IVANOV, "other")
    as_staff(site)
    assert '<label for="request-number">Номер заявки</label>' in site.get("/office/requests").text

    found = site.get("/office/requests/find?number=%E2%84%96+2")  # «№ 2», as it is said

    assert found.status_code == 303
    assert found.headers["location"] == f"/office/requests/{wanted}"
    opened = site.get(found.headers["location"])
    assert '<h1 class="page-title">Заявка №2</h1>' in opened.text
    assert {"kind": "staff_view", "account": PETROVA, "page": "request",
            "request": wanted} in staff_events(site)  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        ("99", 404, "Заявки №99 нет. Проверьте номер"),
        ("7E8059CC", 400, "Номер заявки состоит только из цифр, например 1042"),
        ("", 400, "Введите номер заявки — цифры, например 1042"),
    ],
)
def test_a_number_that_opens_no_request_is_said_so_by_the_search_box(
    site: Site, typed: str, status: int, message: str
) -> None:
    filed(site, IVANOV)
    as_staff(site)

    answer = site.get(f"/office/requests/find?number={typed}")

    assert answer.status_code == status
    assert message in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert 'aria-describedby="request-number-hint request-number-error"' in answer.text
    assert f'value="{typed}"' in answer.text


def test_what_is_typed_into_the_search_box_is_shown_back_as_text(site: Site) -> None:
    as_staff(site)

    answer = site.get("/office/requests/find?number=%3Cscript%3E1")

    assert answer.status_code == 400
    assert "<script>1" not in answer.text
    assert 'value="&lt;script&gt;1"' in answer.text


def test_only_staff_find_requests_by_number(site: Site) -> None:
    own = filed(site, IVANOV)
    as_resident(site, IVANOV)

    desk = site.get("/office/requests/find?number=1")
    assert desk.status_code == 303
    assert desk.headers["location"] == "/office/sign-in"
    # Numbers are easy to guess: the resident's pages open a request by its id only.
    assert site.get(f"/requests/{own}").status_code == 200
    assert site.get("/requests/1").status_code == 404
    assert site.get("/requests/find?number=1").status_code == 404

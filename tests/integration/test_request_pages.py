"""«Заявки» in the browser's terms (F30): the tab, the form with photos, the request's page
with its history and thread, rating and reopening; photos only to the account's resident;
uploads refused with a clear message, a 50 MB one while it streams."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import Response
from PIL import Image

from access_fixtures import IVANOV, PASSWORD, SEMENOV
from lk_core.requests import RequestStatus, change_status, comment_as_dispatcher
from personal_site import SESSION_COOKIE, Site, a_site
from requests_fixtures import a_photo
from s3_server import S3Server

B_PASSWORD = "кленовый лист в ноябре"
REQUEST_PATH = re.compile(r"/requests/([0-9a-f]{32})")
PHOTO_PATH = re.compile(r"/requests/[0-9a-f]{32}/photos/([0-9a-f]{32})")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with a_site(tmp_path, LK_REQUESTS_PHOTO_FOLDER=str(tmp_path / "photos")) as site:
        site.register(IVANOV, "ivanov@mail.ru", PASSWORD)
        site.register(SEMENOV, "semenov@mail.ru", B_PASSWORD)
        site.sign_in(IVANOV, PASSWORD)
        yield site


def send(site: Site, files: list[tuple[str, bytes]] | None = None, **fields: str) -> Response:
    data = {
        "category": "plumbing",
        "description": "Течёт стояк в ванной",
        "contact_phone": "+7 912 345-67-89",
        "visit_window": "после 18:00",
        **fields,
    }
    parts = [
        ("photos", (name, content, "application/octet-stream")) for name, content in files or []
    ]
    return site.post("/requests/new", data, files=parts or None)


def made(site: Site, **fields: str) -> str:
    answer = send(site, [("кран.jpg", a_photo())], **fields)
    assert answer.status_code == 303, answer.text[:500]
    found = REQUEST_PATH.search(answer.headers["location"])
    assert found is not None
    return found[1]


def test_the_header_has_a_requests_tab_and_the_list_starts_empty(site: Site) -> None:
    page = site.get("/requests")

    assert page.status_code == 200
    assert '<a href="/requests" aria-current="page">Заявки</a>' in page.text
    assert "Заявок пока нет" in page.text
    assert 'href="/requests"' in site.get("/home").text


def test_an_emergency_request_with_a_photo_is_listed_and_shown(site: Site) -> None:
    request_id = made(site, emergency="on")

    shown = site.get(f"/requests/{request_id}?done=created")
    assert shown.status_code == 200
    assert "Заявка принята" in shown.text
    assert "аварийная" in shown.text
    assert "Течёт стояк в ванной" in shown.text
    assert "Заявка создана" in shown.text
    listed = site.get("/requests")
    assert f"/requests/{request_id}" in listed.text
    assert "новая" in listed.text

    photo_id = PHOTO_PATH.search(shown.text)
    assert photo_id is not None
    thumb = site.get(f"/requests/{request_id}/photos/{photo_id[1]}?size=thumb")
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/jpeg"
    assert thumb.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(thumb.content)).format == "JPEG"


def test_another_resident_gets_not_found_for_the_request_and_its_photo(site: Site) -> None:
    request_id = made(site)
    photo_id = PHOTO_PATH.search(site.get(f"/requests/{request_id}").text)
    assert photo_id is not None

    site.client.cookies.delete(SESSION_COOKIE)
    site.sign_in(SEMENOV, B_PASSWORD)

    assert site.get(f"/requests/{request_id}").status_code == 404
    assert site.get(f"/requests/{request_id}/photos/{photo_id[1]}").status_code == 404
    assert site.post(f"/requests/{request_id}/comment", {"text": "чужая"}).status_code == 404
    assert request_id not in site.get("/requests").text


def test_photos_are_not_served_to_a_visitor_who_is_not_signed_in(site: Site) -> None:
    request_id = made(site)
    photo_id = PHOTO_PATH.search(site.get(f"/requests/{request_id}").text)
    assert photo_id is not None
    site.client.cookies.delete(SESSION_COOKIE)

    answer = site.get(f"/requests/{request_id}/photos/{photo_id[1]}")
    assert answer.status_code == 303
    assert not answer.content.startswith(b"\xff\xd8")


def test_a_file_that_is_not_an_image_is_refused_with_its_name_and_the_form_kept(
    site: Site,
) -> None:
    answer = send(site, [("счёт.jpg", b"%PDF-1.4 a receipt")])

    assert answer.status_code == 400
    assert "«счёт.jpg»: это не фотография" in answer.text
    assert "Течёт стояк в ванной" in answer.text
    assert "Заявок пока нет" in site.get("/requests").text


def test_an_image_with_a_script_appended_is_refused(site: Site) -> None:
    answer = send(site, [("фото.jpg", a_photo() + b"<script>alert(1)</script>")])

    assert answer.status_code == 400
    assert "посторонние данные" in answer.text


def test_a_50_mb_file_is_refused_with_a_clear_page(site: Site) -> None:
    token = site.csrf()
    boundary = "lkboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="photos"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + b"\xff" * (50 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    answer = site.client.post(
        "/requests/new",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        follow_redirects=False,
    )

    assert answer.status_code == 413
    assert "Файл слишком большой" in answer.text
    assert "не больше 10 МБ" in answer.text
    assert "Заявок пока нет" in site.get("/requests").text


def test_a_form_with_a_mistake_shows_the_message_beside_the_field(site: Site) -> None:
    answer = send(site, description="  ", category="plumbing")

    assert answer.status_code == 400
    assert 'id="description-error"' in answer.text
    assert "Опишите, что случилось" in answer.text


def test_the_resident_sees_the_dispatchers_status_and_comment_rates_and_reopens(
    site: Site,
) -> None:
    request_id = made(site)
    ctx = site.container.requests()
    change_status(ctx, request_id, RequestStatus.ACCEPTED, "Мастер придёт завтра", "Петрова")
    comment_as_dispatcher(ctx, request_id, "Оставьте доступ к стояку", "Петрова")
    change_status(ctx, request_id, RequestStatus.DONE, "Заменили участок трубы", "Петрова")

    page = site.get(f"/requests/{request_id}")
    assert "выполнена" in page.text
    assert "Оставьте доступ к стояку" in page.text
    assert "Заменили участок трубы" in page.text
    assert "Оцените выполнение" in page.text
    assert site.emails("ivanov@mail.ru") == site.emails("ivanov@mail.ru")  # outbox readable

    assert site.post(f"/requests/{request_id}/rate", {"score": "7"}).status_code == 400
    rated = site.post(f"/requests/{request_id}/rate", {"score": "4", "comment": "Хорошо"})
    assert rated.status_code == 303
    assert "4 из 5: Хорошо" in site.get(f"/requests/{request_id}").text

    reopened = site.post(f"/requests/{request_id}/reopen", {"reason": "Снова капает"})
    assert reopened.status_code == 303
    page = site.get(f"/requests/{request_id}")
    assert "Заявка возобновлена" in page.text
    assert "новая" in page.text


def test_a_resident_writes_in_the_thread(site: Site) -> None:
    request_id = made(site)

    answer = site.post(f"/requests/{request_id}/comment", {"text": "Буду дома с 19:00"})
    assert answer.status_code == 303
    assert "Буду дома с 19:00" in site.get(f"/requests/{request_id}").text
    assert site.post(f"/requests/{request_id}/comment", {"text": " "}).status_code == 400


@pytest.mark.parametrize("path", ["/requests/nonsense", "/requests/" + "g" * 32])
def test_an_address_that_is_no_request_id_is_not_found(site: Site, path: str) -> None:
    assert site.get(path).status_code == 404


def test_several_photos_are_kept_in_order_and_a_sixth_is_refused(site: Site) -> None:
    answer = send(site, [(f"{n}.jpg", a_photo()) for n in range(1, 3)])
    assert answer.status_code == 303, answer.text[:300]
    page = site.get(answer.headers["location"].split("?")[0])
    assert len(PHOTO_PATH.findall(page.text)) == 4  # each photo: a link and its thumbnail

    refused = send(site, [(f"{n}.jpg", a_photo()) for n in range(1, 7)])
    assert refused.status_code == 400
    assert 'id="photos-error"' in refused.text
    assert "не больше 5 фотографий" in refused.text


def test_with_receipts_in_s3_a_residents_photo_round_trips_through_the_bucket(
    tmp_path: Path, s3: S3Server
) -> None:
    bucket = s3.new_bucket()
    with a_site(tmp_path, **s3.environment(bucket, "prod")) as site:
        site.register(IVANOV, "ivanov@mail.ru", PASSWORD)
        site.sign_in(IVANOV, PASSWORD)
        request_id = made(site)
        photo_id = PHOTO_PATH.search(site.get(f"/requests/{request_id}").text)
        assert photo_id is not None
        photo = site.get(f"/requests/{request_id}/photos/{photo_id[1]}")
        thumb = site.get(f"/requests/{request_id}/photos/{photo_id[1]}?size=thumb")

    store = s3.store_in(bucket)
    listed = store.client.list_objects_v2(Bucket=bucket)
    keys = {entry["Key"] for entry in listed.get("Contents", [])}
    folder = f"prod/requests/{request_id}/{photo_id[1]}"
    assert keys == {f"{folder}.jpg", f"{folder}.thumb.jpg"}
    stored = store.client.get_object(Bucket=bucket, Key=f"{folder}.jpg")["Body"].read()
    assert photo.status_code == 200
    assert photo.content == stored
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"
    assert thumb.status_code == 200
    assert Image.open(io.BytesIO(thumb.content)).size[0] <= 320


def test_the_resident_sees_each_request_by_its_number_in_digits(site: Site) -> None:
    first, second = made(site), made(site, category="lift")

    shown = site.get(f"/requests/{second}").text
    listed = site.get("/requests").text

    assert '<h1 class="page-title">Заявка №2</h1>' in shown
    assert "<title>Заявка №2" in shown
    assert '<span class="request-title">№1 · Сантехника' in listed
    assert '<span class="request-title">№2 · Лифт' in listed
    assert site.get(f"/requests/{first}").status_code == 200
    assert site.get("/requests/2").status_code == 404  # a number opens nothing here

"""The resident API through the real app over a SQLite file: tokens, accounts,
settlements, receipts, readings and payment orders, on the pages' own use cases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from access_fixtures import IVANOV, PASSWORD, PETROVA
from api_site import ApiClient, an_api_site
from personal_site import Site

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with an_api_site(tmp_path_factory.mktemp("api_resident")) as site:
        yield site


@pytest.fixture
def ivanov(site: Site) -> ApiClient:
    app = ApiClient(site)
    assert app.sign_in(IVANOV).status_code == 201
    return app


# --- tokens ---------------------------------------------------------------------------------


def test_signing_in_answers_a_pair_of_tokens(site: Site) -> None:
    answer = site.client.post(
        "/api/v1/tokens", json={"account": IVANOV, "password": PASSWORD, "device_name": "Pixel"}
    )

    assert answer.status_code == 201
    tokens = answer.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    assert tokens["access_token"] != tokens["refresh_token"]
    assert tokens["device_token"]


def test_a_wrong_password_is_a_401_problem_that_does_not_say_which(site: Site) -> None:
    answer = site.client.post(
        "/api/v1/tokens", json={"account": IVANOV, "password": "не тот", "device_name": "X"}
    )

    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == "sign_in_failed"
    assert answer.json()["detail"] == "Неверный номер лицевого счёта или пароль"


def test_a_missing_device_name_is_refused_naming_the_field(site: Site) -> None:
    answer = site.client.post("/api/v1/tokens", json={"account": IVANOV, "password": PASSWORD})

    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["device_name"]


@pytest.mark.parametrize("authorization", [None, "Bearer made-up-token", "Basic abc", "Bearer "])
def test_without_a_live_token_the_api_answers_401(site: Site, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    answer = site.client.get("/api/v1/accounts", headers=headers)

    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json()["code"] == "not_signed_in"


def test_a_browsers_session_cookie_is_no_token(site: Site) -> None:
    site.sign_in(IVANOV, PASSWORD)
    cookie = site.client.cookies.get("lk_session")
    site.client.cookies.clear()

    answer = site.client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {cookie}"})

    assert answer.status_code == 401


def test_refreshing_rotates_and_a_reused_refresh_token_signs_the_device_out(
    ivanov: ApiClient,
) -> None:
    first_refresh = ivanov.refresh_token
    answer = ivanov.post("/tokens/refresh", {"refresh_token": first_refresh})
    assert answer.status_code == 200
    ivanov.keep(answer.json())
    assert ivanov.get("/accounts").status_code == 200

    reused = ivanov.post("/tokens/refresh", {"refresh_token": first_refresh})

    assert reused.status_code == 401
    assert reused.json()["code"] == "token_refused"
    assert ivanov.get("/accounts").status_code == 401


def test_signing_out_ends_the_devices_tokens(ivanov: ApiClient) -> None:
    refresh = ivanov.refresh_token

    assert ivanov.delete("/tokens/current").status_code == 204

    assert ivanov.get("/accounts").status_code == 401
    assert ivanov.post("/tokens/refresh", {"refresh_token": refresh}).status_code == 401


def test_devices_are_listed_and_revocable(site: Site, ivanov: ApiClient) -> None:
    tablet = ApiClient(site)
    tablet.sign_in(IVANOV, device="Планшет")

    listed = ivanov.get("/devices").json()["items"]
    revoked = ivanov.delete(f"/devices/{tablet.device_id}")

    assert {d["name"] for d in listed} >= {"Телефон", "Планшет"}
    assert [d["current"] for d in listed if d["id"] == ivanov.device_id] == [True]
    assert revoked.status_code == 204
    assert tablet.get("/accounts").status_code == 401
    assert ivanov.delete(f"/devices/{tablet.device_id}").status_code == 404


def test_the_personal_data_page_lists_and_disconnects_api_devices(
    site: Site, ivanov: ApiClient
) -> None:
    site.sign_in(IVANOV, PASSWORD)
    page = site.get("/personal").text
    assert "Устройства с доступом" in page
    assert f"/personal/devices/{ivanov.device_id}/revoke" in page

    answer = site.post(f"/personal/devices/{ivanov.device_id}/revoke")

    assert answer.status_code == 303
    assert ivanov.get("/accounts").status_code == 401


# --- accounts, settlements, receipts --------------------------------------------------------


def test_accounts_are_the_residents_own_and_linked(ivanov: ApiClient) -> None:
    page = ivanov.get("/accounts").json()

    assert [a["key"] for a in page["items"]] == [IVANOV]
    assert page["items"][0]["own"] is True
    assert page["next_cursor"] is None


def test_settlements_are_money_strings_by_period(ivanov: ApiClient) -> None:
    newest = ivanov.get(f"/accounts/{IVANOV}/settlements").json()
    earlier = ivanov.get(f"/accounts/{IVANOV}/settlements", params={"period": "2026-09"}).json()

    assert newest["period"] == "2026-10"
    assert newest["periods"] == ["2026-10", "2026-09", "2026-08"]
    assert earlier["period"] == "2026-09"
    for line in newest["lines"]:
        for field in ("opening", "charged", "recalculation", "paid", "closing"):
            assert isinstance(line[field], str)
            assert line[field].count(".") == 1
    ee = next(line for line in newest["lines"] if line["service_code"] == "EE")
    assert (ee["opening"], ee["charged"], ee["volume"]) == ("-479.07", "1017.20", "182.2")


def test_a_read_answers_304_to_the_etag_it_gave(ivanov: ApiClient) -> None:
    first = ivanov.get(f"/accounts/{IVANOV}/settlements")

    again = ivanov.get(
        f"/accounts/{IVANOV}/settlements", headers={"If-None-Match": first.headers["etag"]}
    )

    assert again.status_code == 304


def test_a_bad_period_is_refused_naming_it(ivanov: ApiClient) -> None:
    answer = ivanov.get(f"/accounts/{IVANOV}/settlements", params={"period": "2026-13"})

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "period"


def test_receipts_list_the_closed_months_and_open_as_pdf(ivanov: ApiClient) -> None:
    listed = ivanov.get(f"/accounts/{IVANOV}/receipts").json()["items"]
    pdf = ivanov.get(listed[0]["href"].removeprefix("/api/v1"))

    assert [r["period"] for r in listed] == ["2026-10", "2026-09"]
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert ivanov.get(f"/accounts/{IVANOV}/receipts/2026-08").status_code == 404


def test_the_payment_qr_payload_pays_what_is_due(ivanov: ApiClient) -> None:
    qr = ivanov.get(f"/accounts/{IVANOV}/payment-qr").json()

    assert qr["period"] == "2026-10"
    assert qr["payload"].startswith("ST00012|")
    assert f"Sum={qr['amount'].replace('.', '')}" in qr["payload"]


@pytest.mark.parametrize(
    "path",
    [
        f"/accounts/{PETROVA}/settlements",
        f"/accounts/{PETROVA}/receipts",
        f"/accounts/{PETROVA}/receipts/2026-10",
        f"/accounts/{PETROVA}/payment-qr",
        f"/accounts/{PETROVA}/meters",
        f"/accounts/{PETROVA}/house-meters",
        f"/accounts/{IVANOV}/meters/M-HVS-2/readings",
        "/accounts/999999/settlements",
    ],
)
def test_another_residents_things_answer_404(ivanov: ApiClient, path: str) -> None:
    answer = ivanov.get(path)

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


# --- readings -------------------------------------------------------------------------------


def test_meters_list_every_line_with_its_key(ivanov: ApiClient) -> None:
    meters = ivanov.get(f"/accounts/{IVANOV}/meters").json()

    assert meters["period"] == "2026-03"
    assert {line["key"] for line in meters["lines"]} == {"M-HVS|single", "M-EE|day", "M-EE|night"}


def test_a_reading_is_submitted_listed_in_history_and_withdrawn(ivanov: ApiClient) -> None:
    submitted = ivanov.post(
        f"/accounts/{IVANOV}/readings", {"service": "HVS", "values": {"M-HVS|single": "131.5"}}
    )
    assert submitted.status_code == 201, submitted.text
    assert submitted.json() == {"stored": 1, "period": "2026-03"}
    location = submitted.headers["location"].removeprefix("/api/v1")
    line = ivanov.get(location).json()["lines"][0]
    reading_id = line["pending_reading_id"]
    assert line["current"]["value"] == "131.5"

    history = ivanov.get(f"/accounts/{IVANOV}/meters/M-HVS/readings").json()["items"]
    assert reading_id in {row["reading"]["id"] for row in history}

    assert ivanov.delete(f"/accounts/{IVANOV}/readings/{reading_id}").status_code == 204
    assert ivanov.delete(f"/accounts/{IVANOV}/readings/{reading_id}").status_code == 422


def test_a_refused_reading_names_its_line(ivanov: ApiClient) -> None:
    answer = ivanov.post(
        f"/accounts/{IVANOV}/readings", {"service": "HVS", "values": {"M-HVS|single": "1234567"}}
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "values.M-HVS|single"


def test_house_meters_list_readings_by_period(ivanov: ApiClient) -> None:
    rows = ivanov.get(f"/accounts/{IVANOV}/house-meters").json()["items"]

    assert [(r["period"], r["value"]) for r in rows] == [
        ("2026-02", "1310.750"),
        ("2026-01", "1200.500"),
    ]


# --- payments -------------------------------------------------------------------------------


def test_a_payment_order_answers_the_providers_page_then_its_status(ivanov: ApiClient) -> None:
    created = ivanov.post(
        f"/accounts/{IVANOV}/payment-orders", {"provider": "gorod", "amount": "1500.00"}
    )
    assert created.status_code == 201, created.text
    order = created.json()["order"]
    assert "/demo/provider/gorod" in created.json()["redirect_url"]
    assert (order["amount"], order["status"]) == ("1500.00", "pending")

    status = ivanov.get(f"/accounts/{IVANOV}/payment-orders/{order['id']}")

    assert status.json()["status"] == "pending"


def test_a_payment_amount_as_a_number_is_refused(ivanov: ApiClient) -> None:
    answer = ivanov.post(f"/accounts/{IVANOV}/payment-orders", {"provider": "gorod", "amount": 15})

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "amount"


def test_another_residents_order_answers_404(site: Site, ivanov: ApiClient) -> None:
    petrova = ApiClient(site)
    petrova.sign_in(PETROVA)
    created = petrova.post(
        f"/accounts/{PETROVA}/payment-orders", {"provider": "gorod", "amount": "10.00"}
    ).json()

    answer = ivanov.get(f"/accounts/{IVANOV}/payment-orders/{created['order']['id']}")

    assert answer.status_code == 404


# --- personal data --------------------------------------------------------------------------


def test_personal_data_is_the_accounts_as_billing_has_it(ivanov: ApiClient) -> None:
    data = ivanov.get(f"/accounts/{IVANOV}/personal-data").json()

    assert data["account"] == IVANOV
    assert data["sign_in_email"] == "ivanov@mail.ru"
    assert ivanov.get(f"/accounts/{PETROVA}/personal-data").status_code == 404


def test_additional_services_are_changed_with_their_consents(ivanov: ApiClient) -> None:
    before = ivanov.get(f"/accounts/{IVANOV}/services").json()
    wanted = {
        "sms_informing": False, "phone": "", "email_informing": True,
        "email": "ivanov@mail.ru", "delivery": "email",
    }  # fmt: skip

    changed = ivanov.site.client.put(
        f"/api/v1/accounts/{IVANOV}/services", json=wanted, headers=ivanov.headers
    )

    assert changed.status_code == 200, changed.text
    after = ivanov.get(f"/accounts/{IVANOV}/services").json()
    assert (after["email_informing"], after["delivery"]) == (True, "email")
    assert after != before


def test_a_bad_contact_is_refused_naming_its_field(ivanov: ApiClient) -> None:
    wanted = {
        "sms_informing": True, "phone": "12", "email_informing": False, "email": "",
        "delivery": "paper",
    }  # fmt: skip

    answer = ivanov.site.client.put(
        f"/api/v1/accounts/{IVANOV}/services", json=wanted, headers=ivanov.headers
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "phone"


def test_a_wrong_current_password_changes_nothing(ivanov: ApiClient) -> None:
    answer = ivanov.post(
        "/me/password",
        {"current_password": "не тот", "password": "x" * 12, "confirmation": "x" * 12},
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "current_password_wrong"
    assert ivanov.get("/accounts").status_code == 200


def test_an_email_change_sends_the_link_to_the_new_address(ivanov: ApiClient) -> None:
    answer = ivanov.post("/me/email", {"email": "ivanov.new@mail.ru", "current_password": PASSWORD})

    assert answer.status_code == 202, answer.text
    assert answer.json()["email"] == "ivanov.new@mail.ru"
    assert ivanov.site.emails(to="ivanov.new@mail.ru")


def test_a_forgotten_password_request_answers_the_same_either_way(site: Site) -> None:
    right = site.client.post(
        "/api/v1/password-resets", json={"account": IVANOV, "email": "ivanov@mail.ru"}
    )
    wrong = site.client.post(
        "/api/v1/password-resets", json={"account": IVANOV, "email": "other@mail.ru"}
    )

    assert right.status_code == wrong.status_code == 202
    assert right.json() == wrong.json()


def test_changing_the_password_signs_other_devices_out_and_renews_this_one(site: Site) -> None:
    phone, tablet = ApiClient(site), ApiClient(site)
    phone.sign_in(PETROVA, device="Телефон")
    tablet.sign_in(PETROVA, device="Планшет")
    new = "совсем другой пароль 2026"

    answer = phone.post(
        "/me/password", {"current_password": PASSWORD, "password": new, "confirmation": new}
    )

    assert answer.status_code == 200, answer.text
    assert tablet.get("/accounts").status_code == 401
    assert phone.get("/accounts").status_code == 401  # the old access token is replaced
    phone.access_token = answer.json()["access_token"]
    assert phone.get("/accounts").status_code == 200

"""schemathesis (4.x) against the app, with a resident's token: every operation of the
OpenAPI document, positive and negative data, with 0 server errors and 0 answers that
break the document; then every id of a second resident answers 404 (issue 19 §5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from access_fixtures import IVANOV, PASSWORD, PETROVA
from api_site import API, ApiClient, an_api_site
from lk_core.access.app_tokens import sign_in_device
from lk_core.access.visitor import visitor_of
from personal_site import Site
from requests_fixtures import a_photo

pytestmark = pytest.mark.slow

EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@attrs.define
class Resident:
    """A resident's device; signed in again whenever a fuzzed call signed it out."""

    site: Site
    number: str
    token: str = ""

    def bearer(self) -> dict[str, str]:
        access = self.site.container.access()
        if not self.token or visitor_of(access, self.token).accounts is None:
            issued = sign_in_device(
                access, self.number, PASSWORD, "schemathesis", ip="10.9.9.9", device_token=None
            )
            self.token = issued.access_token
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with an_api_site(tmp_path_factory.mktemp("api_fuzz")) as site:
        yield site


@pytest.fixture(scope="module")
def ivanov(site: Site) -> Resident:
    return Resident(site, IVANOV)


@pytest.fixture(scope="module")
def api_schema(site: Site) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", site.app)


def test_every_operation_answers_within_its_document(api_schema: Any, ivanov: Resident) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures: list[str] = []
    calls: list[str] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case: schemathesis.Case) -> None:
            if "account" in (case.path_parameters or {}):
                # Mostly the resident's own account, so that more than the 404 is reached.
                case.path_parameters["account"] = IVANOV
            case.call_and_validate(headers=ivanov.bearer(), checks=CHECKS)
            calls.append(case.operation.label)

        try:
            call()
        except Exception as error:
            failures.append(f"{operation.label}: {error}"[:2000])

    assert len(operations) >= 25
    assert set(calls) == {operation.label for operation in operations}
    assert not failures, "\n\n".join(failures)


# Bodies that pass validation, so that what answers is the authorization of the ids.
VALID_BODIES: dict[str, Any] = {
    "readings": {"service": "HVS", "values": {"M-HVS-2|single": "61.000"}},
    "payment-orders": {"provider": "gorod", "amount": "10.00"},
    "services": {
        "sms_informing": False, "phone": "", "email_informing": False, "email": "",
        "delivery": "paper",
    },
    "comments": {"text": "Дома после 18:00"},
    "rating": {"score": 5},
    "reopening": {"reason": "Снова течёт"},
}  # fmt: skip


# --- a second resident's ids ------------------------------------------------------------------


@pytest.fixture(scope="module")
def petrovas_ids(site: Site) -> dict[str, str]:
    """Ids Петрова's app would see: her account, a reading, an order, her device, her
    service request and its photo."""
    petrova = ApiClient(site)
    assert petrova.sign_in(PETROVA).status_code == 201
    meters = petrova.get(f"/accounts/{PETROVA}/meters").json()["lines"]
    line = meters[0]
    submitted = petrova.post(
        f"/accounts/{PETROVA}/readings",
        {"service": line["service_code"], "values": {line["key"]: "60.000"}},
    )
    assert submitted.status_code == 201, submitted.text
    order = petrova.post(
        f"/accounts/{PETROVA}/payment-orders", {"provider": "gorod", "amount": "10.00"}
    )
    fields = {"category": "plumbing", "description": "Течёт кран", "contact_phone": "+79123456789"}
    parts = [(name, (None, value, None)) for name, value in fields.items()]
    request = site.client.post(
        f"{API}/accounts/{PETROVA}/requests",
        files=[*parts, ("photos", ("кран.jpg", a_photo(), "image/jpeg"))],
        headers=petrova.headers,
    )
    assert request.status_code == 201, request.text
    request_id = request.json()["id"]
    photos = petrova.get(f"/accounts/{PETROVA}/requests/{request_id}").json()["photos"]
    return {
        "request_id": request_id,
        "photo_id": photos[0]["id"],
        "account": PETROVA,
        "meter_id": line["meter_id"],
        "reading_id": petrova.get(f"/accounts/{PETROVA}/meters").json()["lines"][0][
            "pending_reading_id"
        ],
        "order_id": order.json()["order"]["id"],
        "device_id": petrova.device_id,
        "period": "2026-10",
    }


def test_every_id_of_a_second_resident_answers_404(
    api_schema: Any, site: Site, petrovas_ids: dict[str, str]
) -> None:
    ivanov = ApiClient(site)
    assert ivanov.sign_in(IVANOV, device="проверка").status_code == 201
    checked = []
    for operation in api_schema.get_all_operations():
        op = operation.ok()
        names = [p.name for p in op.path_parameters]
        if not names or op.path.startswith("/api/v1/service/"):
            continue  # other systems' operations take a key, not a token (test_service_api_keys)
        path = op.path.removeprefix("/api/v1")
        for name in names:
            path = path.replace("{" + name + "}", petrovas_ids[name])
        if "{" in path:
            continue
        if "account" not in names and "device_id" not in names:
            # An id of hers under Иванов's own account: still not his.
            path = path.replace(PETROVA, IVANOV)
        method = op.method.upper()
        body = VALID_BODIES.get(op.path.rsplit("/", 1)[-1]) if method in ("POST", "PUT") else None
        answer = site.client.request(method, "/api/v1" + path, headers=ivanov.headers, json=body)
        checked.append((method, path, answer.status_code))

    assert checked, "no operation takes an id"
    assert len(checked) >= 15
    assert all(status == 404 for _, _, status in checked), checked

"""The SMS sender port: every sender takes a text to a +7 number; SMS.ru's sender speaks
its documented HTTP API (here a small server on 127.0.0.1 that answers the same way) and
tells permanent failures from passing ones, never showing the api_id."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from lk_adapters.demo.outbox import DemoSmsSender
from lk_adapters.settings.model import SmsSettings
from lk_adapters.sms import SmsDeliveryError, SmsRuSender
from lk_core.messaging.delivery import DeliveryFailed
from lk_core.messaging.messages import SmsMessage
from lk_core.messaging.ports import SmsSender

API_ID = "6F1C2B3A-0000-4E5D-9A8B-SECRETAPIID1"
NUMBER = "79123456789"
CODE_TEXT = "Код для входа в личный кабинет: 482913"


def a_message(to: str = "+" + NUMBER, text: str = CODE_TEXT) -> SmsMessage:
    return SmsMessage(to=to, text=text)


def accepted(number: str = NUMBER) -> dict[str, Any]:
    return {
        "status": "OK",
        "status_code": 100,
        "sms": {number: {"status": "OK", "status_code": 100, "sms_id": "000000-10000000"}},
        "balance": 4122.56,
    }


def refused(code: int, text: str) -> dict[str, Any]:
    return {"status": "ERROR", "status_code": code, "status_text": text}


def refused_for_the_number(code: int, text: str, number: str = NUMBER) -> dict[str, Any]:
    return {
        "status": "OK",
        "status_code": 100,
        "sms": {number: {"status": "ERROR", "status_code": code, "status_text": text}},
        "balance": 4122.56,
    }


class FakeSmsRu:
    """Answers `POST /sms/send` as told and keeps every request it got."""

    def __init__(self) -> None:
        self.status = 200
        self.body: bytes = json.dumps(accepted()).encode()
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                gateway.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "form": urllib.parse.parse_qs(raw, keep_blank_values=True),
                    }
                )
                time.sleep(gateway.delay)
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(gateway.body)))
                self.end_headers()
                self.wfile.write(gateway.body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, body: dict[str, Any] | str, status: int = 200) -> None:
        self.status = status
        self.body = (body if isinstance(body, str) else json.dumps(body)).encode()

    def sender(self, **changes: Any) -> SmsRuSender:
        fields: dict[str, Any] = {"api_id": API_ID, "base_url": self.base_url}
        return SmsRuSender(SmsSettings(**(fields | changes)))


@pytest.fixture
def sms_ru() -> Iterator[FakeSmsRu]:
    gateway = FakeSmsRu()
    thread = threading.Thread(
        target=gateway.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield gateway
    finally:
        gateway.server.shutdown()
        gateway.server.server_close()


@pytest.fixture(params=["sms_ru", "demo"])
def sms_sender(request: pytest.FixtureRequest) -> SmsSender:
    if request.param == "demo":
        return DemoSmsSender()
    gateway: FakeSmsRu = request.getfixturevalue("sms_ru")
    return gateway.sender()


def failure(sender: SmsSender, message: SmsMessage | None = None) -> DeliveryFailed:
    with pytest.raises(SmsDeliveryError) as raised:
        sender.send(message or a_message())
    assert API_ID not in str(raised.value)
    assert CODE_TEXT not in str(raised.value)
    assert "482913" not in str(raised.value)
    return raised.value


# Every sender


def test_a_text_to_a_russian_mobile_number_is_taken(sms_sender: SmsSender) -> None:
    sms_sender.send(a_message())


# SMS.ru: the request


def test_sms_ru_gets_the_documented_form_fields_exactly(sms_ru: FakeSmsRu) -> None:
    sms_ru.sender().send(a_message())

    (request,) = sms_ru.requests
    assert request["path"] == "/sms/send"
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert request["form"] == {
        "api_id": [API_ID],
        "to": [NUMBER],
        "msg": [CODE_TEXT],
        "json": ["1"],
    }


def test_a_configured_sender_name_goes_as_from(sms_ru: FakeSmsRu) -> None:
    sms_ru.sender(sender="UK-DOM").send(a_message())

    (request,) = sms_ru.requests
    assert request["form"]["from"] == ["UK-DOM"]


def test_a_base_url_with_a_trailing_slash_still_reaches_sms_send(sms_ru: FakeSmsRu) -> None:
    sms_ru.sender(base_url=sms_ru.base_url + "/").send(a_message())

    assert sms_ru.requests[0]["path"] == "/sms/send"


# SMS.ru: answers that mean failure


@pytest.mark.parametrize(
    ("answer", "permanent", "code"),
    [
        (refused(200, "Неправильный api_id"), True, "200"),
        (refused(201, "Не хватает средств на лицевом счету"), False, "201"),
        (refused(220, "Сервис временно недоступен, попробуйте чуть позже"), False, "220"),
        (refused(204, "Имя отправителя не согласовано с администрацией"), True, "204"),
        (refused_for_the_number(202, "Неправильно указан номер телефона получателя"), True, "202"),
        (refused_for_the_number(207, "На этот номер нельзя отправлять сообщения"), True, "207"),
        (refused_for_the_number(230, "Превышен общий лимит"), False, "230"),
        (refused_for_the_number(231, "Превышен лимит одинаковых сообщений"), False, "231"),
        (refused_for_the_number(232, "Превышен лимит одинаковых сообщений в день"), False, "232"),
        (refused(999, "Что-то новое"), False, "999"),
    ],
    ids=[
        "wrong api_id",
        "low balance",
        "temporarily unavailable",
        "sender name not approved",
        "wrong number",
        "no route to number",
        "daily limit per number",
        "same text per minute",
        "same text per day",
        "unknown code",
    ],
)
def test_an_sms_ru_error_code_is_permanent_or_passing_as_documented(
    sms_ru: FakeSmsRu, answer: dict[str, Any], permanent: bool, code: str
) -> None:
    sms_ru.answer(answer)

    error = failure(sms_ru.sender())

    assert error.permanent is permanent
    assert f"SMS.ru {code}:" in str(error)


def test_the_gateways_own_words_are_kept_in_the_reason(sms_ru: FakeSmsRu) -> None:
    sms_ru.answer(refused_for_the_number(202, "Неправильно указан номер телефона получателя"))

    assert "Неправильно указан номер" in failure(sms_ru.sender()).reason


def test_an_http_500_is_a_temporary_failure(sms_ru: FakeSmsRu) -> None:
    sms_ru.answer("<html>Internal Server Error</html>", status=500)

    error = failure(sms_ru.sender())

    assert not error.permanent
    assert "HTTP 500" in str(error)


def test_an_http_404_means_a_wrong_address_and_is_permanent(sms_ru: FakeSmsRu) -> None:
    sms_ru.answer("not found", status=404)

    assert failure(sms_ru.sender()).permanent


def test_an_unreadable_answer_is_a_temporary_failure(sms_ru: FakeSmsRu) -> None:
    sms_ru.answer("100\n000000-10000000\nbalance=4122.56")

    assert not failure(sms_ru.sender()).permanent


def test_a_gateway_that_answers_too_late_is_a_temporary_failure(sms_ru: FakeSmsRu) -> None:
    sms_ru.delay = 1.0
    sender = SmsRuSender(
        SmsSettings(api_id=API_ID, base_url=sms_ru.base_url), client=httpx.Client(timeout=0.2)
    )

    error = failure(sender)

    assert not error.permanent


def test_nothing_listening_is_a_temporary_failure_that_does_not_show_the_api_id() -> None:
    sender = SmsRuSender(SmsSettings(api_id=API_ID, base_url="http://127.0.0.1:9"))

    assert not failure(sender).permanent


def test_an_api_id_echoed_by_the_gateway_is_hidden(sms_ru: FakeSmsRu) -> None:
    sms_ru.answer(refused(200, f"Неправильный api_id {API_ID}"))

    assert "***" in str(failure(sms_ru.sender()))


def test_sms_ru_needs_an_api_id() -> None:
    with pytest.raises(ValueError, match="api_id"):
        SmsRuSender(SmsSettings(api_id=""))


def test_the_api_id_is_not_in_the_settings_repr() -> None:
    assert API_ID not in repr(SmsSettings(api_id=API_ID))

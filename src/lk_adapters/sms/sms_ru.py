"""`SmsRuSender`: SMS through SMS.ru's HTTP API (`POST /sms/send`, answers in JSON).

See docs/adr/0011-sms-gateway-sms-ru.md for why SMS.ru and how its codes map to
retrying or giving up.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from lk_adapters.settings.model import SmsSettings
from lk_core.messaging.delivery import DeliveryFailed
from lk_core.messaging.messages import SmsMessage

# SMS.ru status codes that retrying cannot fix: the number, the text, the sender name or
# the account's credentials are wrong, and stay wrong until a person changes them.
PERMANENT_CODES = {
    200: "неправильный api_id",
    202: "неправильный номер получателя или нет маршрута",
    203: "нет текста сообщения",
    204: "имя отправителя не согласовано",
    205: "сообщение слишком длинное",
    207: "на этот номер нельзя отправлять сообщения",
    208: "неправильное время отправки",
    209: "номер в стоп-листе",
    210: "нужен POST-запрос",
    211: "метод не найден",
    212: "текст не в UTF-8",
    213: "больше 100 номеров в запросе",
    300: "неправильный token",
    301: "неправильный api_id или логин и пароль",
    302: "аккаунт не подтверждён",
}
# Codes that pass: a balance topped up, a limit's window over, the service back. Any code
# not listed in either table is treated as temporary, so that it is retried (a bounded
# number of times) rather than lost.
TEMPORARY_CODES = {
    201: "не хватает средств на счёте",
    206: "превышен дневной лимит отправки",
    220: "сервис временно недоступен",
    230: "превышен дневной лимит сообщений на номер",
    231: "превышен лимит одинаковых сообщений на номер в минуту",
    232: "превышен лимит одинаковых сообщений на номер в день",
    233: "превышен лимит повторных сообщений с кодом на номер",
    500: "ошибка на сервере SMS.ru",
}
STATUS_TEXT_LIMIT = 200


class SmsDeliveryError(DeliveryFailed):
    """SMS.ru did not take the message; the text names the code and never holds the
    message or the api_id."""


class SmsRuSender:
    """Sends each SMS with one request to SMS.ru."""

    def __init__(self, settings: SmsSettings, client: httpx.Client | None = None) -> None:
        if not settings.api_id:
            raise ValueError("SMS.ru needs an api_id")
        self._settings = settings
        self._client = client if client is not None else httpx.Client(timeout=settings.timeout)
        self._url = settings.base_url.rstrip("/") + "/sms/send"

    def send(self, message: SmsMessage) -> None:
        """Deliver one SMS or raise `SmsDeliveryError`."""
        number = re.sub(r"\D", "", message.to)
        form = {"api_id": self._settings.api_id, "to": number, "msg": message.text, "json": "1"}
        if self._settings.sender:
            form["from"] = self._settings.sender
        try:
            response = self._client.post(self._url, data=form)
        except httpx.TimeoutException:
            raise self._error("SMS.ru не ответил вовремя", permanent=False) from None
        except httpx.HTTPError as error:
            raise self._error(
                f"SMS.ru недоступен: {type(error).__name__}: {error}", permanent=False
            ) from None
        if response.status_code != httpx.codes.OK:
            # 5xx and 429 pass; any other answer means the address or request is wrong.
            temporary = response.status_code >= 500 or response.status_code in (408, 429)
            raise self._error(f"SMS.ru: HTTP {response.status_code}", permanent=not temporary)
        try:
            answer: Any = response.json()
            self._check(answer, number)
        except (ValueError, TypeError, AttributeError, KeyError):
            raise self._error("SMS.ru: ответ не разобран", permanent=False) from None

    def _check(self, answer: Any, number: str) -> None:
        if answer["status"] != "OK":
            raise self._coded(answer)
        results = answer["sms"]
        result = results.get(number)
        if result is None and len(results) == 1:
            (result,) = results.values()
        if result is None:
            raise self._error("SMS.ru: в ответе нет результата для номера", permanent=False)
        if result["status"] != "OK":
            raise self._coded(result)

    def _coded(self, part: Any) -> SmsDeliveryError:
        """The error an SMS.ru `status_code` (with its `status_text`) stands for."""
        code = int(part.get("status_code", 0))
        description = PERMANENT_CODES.get(code) or TEMPORARY_CODES.get(code) or "неизвестный код"
        text = " ".join(str(part.get("status_text") or description).split())
        if len(text) > STATUS_TEXT_LIMIT:
            text = text[: STATUS_TEXT_LIMIT - 1] + "…"
        return self._error(f"SMS.ru {code}: {text}", permanent=code in PERMANENT_CODES)

    def _error(self, reason: str, *, permanent: bool) -> SmsDeliveryError:
        # The api_id is a password: keep it out of anything stored or shown, whatever
        # a library or the gateway put in the text.
        return SmsDeliveryError(reason.replace(self._settings.api_id, "***"), permanent=permanent)

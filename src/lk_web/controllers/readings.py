"""«Передать показания» (F13–F15), a meter's history (F16) and the house's meters (F17).

As on the main page, the account is always the one the session shows; a meter or reading
of another account is a page that does not exist (404), never a hint that it exists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.kernel.errors import DomainError, NotFound
from lk_core.readings.errors import (
    ReadingNegative,
    ReadingTooManyFractionDigits,
    ReadingTooManyIntegerDigits,
)
from lk_core.readings.history import house_readings, meter_history
from lk_core.readings.meter_lines import MeterLine
from lk_core.readings.submission import ReadingsForm, delete_reading, readings_form, submit_readings
from lk_web.dependencies import Portal
from lk_web.pages import page, see_other
from lk_web.resident import Resident, SignedIn

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
VALUE_PREFIX = "value:"
NUMBER_MESSAGE = "Введите показание числом, например 123,45"


def number_ru(value: Decimal, places: int = 0) -> str:
    """A reading as the meter shows it: `1234,500` for three fraction digits."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f").replace(".", ",")


def entry_messages(line: MeterLine) -> dict[str, str]:
    """The refusals the page's script may show at once, worded as the server words them."""
    capacity = line.meter.capacity
    return {
        "number": NUMBER_MESSAGE,
        "negative": ReadingNegative().message_ru,
        "integer": ReadingTooManyIntegerDigits(capacity.integer_digits).message_ru,
        "fraction": ReadingTooManyFractionDigits(capacity.fraction_digits).message_ru,
    }


def readings_page(
    resident: SignedIn,
    form: ReadingsForm,
    *,
    problems: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Template:
    return page(
        "readings.html.j2",
        status_code=status_code,
        **resident.header,
        form=form,
        problems=problems or {},
        typed=typed or {},
        notice=notice,
        notice_is_error=status_code != 200,
        messages=entry_messages,
        number_ru=number_ru,
        value_prefix=VALUE_PREFIX,
    )


NOTICES = {
    "saved": "Показания приняты и переданы на обработку. Пока они не рассчитаны, их можно "
    "изменить или удалить.",
    "deleted": "Показание удалено.",
}


class ReadingsController(Controller):
    path = "/readings"

    @get("/", sync_to_thread=True)
    def form(
        self,
        portal: Portal,
        resident: Resident,
        service: FromQuery[str] = "",
        done: FromQuery[str] = "",
    ) -> Template:
        """The account's services with meters; for the chosen one, a line per meter and zone."""
        form = readings_form(portal.readings, resident.account.key, service)
        return readings_page(resident, form, notice=NOTICES.get(done, ""))

    @post("/", sync_to_thread=True)
    def submit(
        self,
        portal: Portal,
        resident: Resident,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Check and store the typed values: all of them, or none with each refusal's reason."""
        account_key = resident.account.key
        service = str(data.get("service", ""))
        typed = {
            key.removeprefix(VALUE_PREFIX): str(text)
            for key, text in data.items()
            if key.startswith(VALUE_PREFIX)
        }
        try:
            submission = submit_readings(portal.readings, account_key, service, typed)
        except NotFound:
            raise  # not a form's error: the app answers 404
        except DomainError as error:
            form = readings_form(portal.readings, account_key, service)
            return readings_page(
                resident, form, typed=typed, notice=error.message_ru, status_code=409
            )
        if not submission.accepted:
            return readings_page(
                resident, submission.form, problems=submission.problems,
                typed=submission.typed, status_code=400,
            )  # fmt: skip
        return see_other("/readings?" + urlencode({"service": service, "done": "saved"}))

    @post("/delete", sync_to_thread=True)
    def delete(
        self,
        portal: Portal,
        resident: Resident,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Delete a pending reading of the account (F14)."""
        account_key = resident.account.key
        service = str(data.get("service", ""))
        try:
            delete_reading(portal.readings, account_key, str(data.get("reading", "")))
        except NotFound:
            raise  # not a form's error: the app answers 404
        except DomainError as error:
            form = readings_form(portal.readings, account_key, service)
            return readings_page(resident, form, notice=error.message_ru, status_code=409)
        return see_other("/readings?" + urlencode({"service": service, "done": "deleted"}))

    @get("/history/{meter_id:str}", sync_to_thread=True)
    def history(self, portal: Portal, resident: Resident, meter_id: FromPath[str]) -> Template:
        """Every reading of one of the account's meters, with consumption and source (F16)."""
        history = meter_history(portal.readings, resident.account.key, meter_id)
        return page(
            "reading_history.html.j2", **resident.header, history=history, number_ru=number_ru
        )

    @get("/house", sync_to_thread=True)
    def house(self, portal: Portal, resident: Resident) -> Template:
        """The building's common-house meter readings by period (F17)."""
        house = house_readings(portal.readings, resident.account.key)
        return page("house_readings.html.j2", **resident.header, house=house, number_ru=number_ru)

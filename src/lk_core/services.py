"""Housing and utility services (услуги) that appear on the bill."""

from __future__ import annotations

import re

import attrs

from lk_core.kernel.errors import InvalidValue


@attrs.frozen
class Service:
    """A billed service: its code in the billing system, name, unit and provider."""

    code: str
    name: str
    unit: str = ""
    provider: str = ""

    def __attrs_post_init__(self) -> None:
        if not re.fullmatch(r"[\w.\-]{1,32}", self.code):
            raise InvalidValue("service_code", self.code, "Код услуги: до 32 букв, цифр, . - _")
        if not self.name.strip():
            raise InvalidValue("service_name", self.name, "Не указано название услуги")

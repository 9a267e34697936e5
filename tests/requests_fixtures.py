"""Builders the requests tests share: two flats in two houses, a clock that moves when told,
and a requests context over the in-memory store with the real Pillow processor."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from PIL import Image

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_adapters.photos import InMemoryPhotoStore, PillowPhotoProcessor
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.accounts.contacts import Email, Phone
from lk_core.requests import ConfiguredExecutors, RequestForm, RequestsContext

# Tuesday 1 December 2026, 10:00 in Moscow.
START = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)
COMPANY = "ООО «УК Тверской дом»"
IVANOV = "100234"  # house T-1, informed by e-mail and SMS
SEMENOV = "100235"  # house T-2, informed by nothing
PHONE = "+7 912 345-67-89"
EXECUTOR = "Слесарь Кузнецов"  # the one executor configuration names


class MovableClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: dt.datetime = START) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


def accounts() -> list[Account]:
    return [
        Account(
            AccountNumber(IVANOV, "А"),
            "T-1",
            "Иванов Иван Иванович",
            "12",
            2,
            Decimal("54.3"),
            2,
            phone=Phone.parse(PHONE),
            email=Email.parse("ivanov@example.ru"),
            sms_informing=True,
            email_informing=True,
        ),
        Account(AccountNumber(SEMENOV), "T-2", "Семёнов Пётр", "3", 1, Decimal("33"), 1),
    ]


def requests_context(
    clock: MovableClock | None = None,
    factory: InMemoryUnitOfWorkFactory | None = None,
    **kw: object,
) -> RequestsContext:
    """A context over a fresh in-memory store holding the two flats; one executor is
    configured (`EXECUTOR`) and there are no staff members."""
    factory = factory if factory is not None else InMemoryUnitOfWorkFactory()
    with factory() as uow:
        uow.houses.upsert_many(
            [
                House("T-1", "ул. Тверская, 1", Decimal(1000)),
                House("T-2", "ул. Тверская, 2", Decimal(900)),
            ]
        )
        uow.accounts.upsert_from_billing(accounts())
        for account in accounts():
            uow.accounts.save(account)
        uow.commit()
    return RequestsContext(
        factory,
        clock or MovableClock(),
        InMemoryPhotoStore(),
        PillowPhotoProcessor(),
        company_name=COMPANY,
        **{"executors": ConfiguredExecutors((EXECUTOR,)), **kw},  # type: ignore[arg-type]
    )


def a_form(category: str = "plumbing", *, emergency: bool = False) -> RequestForm:
    return RequestForm(
        category=category,
        description="Течёт кран на кухне",
        contact_phone=PHONE,
        visit_window="будни после 18:00",
        emergency=emergency,
    )


def a_photo(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), **save: object) -> bytes:
    """A small real picture in that format."""
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()

"""Builders the access tests share: a clock that moves only when told, fast argon2, a few
accounts, and a portal of use cases over the in-memory store with helpers to read its mail.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from lk_adapters.memory import InMemoryStore, InMemoryUnitOfWorkFactory
from lk_adapters.passwords import Argon2PasswordHasher, load_common_passwords
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.audit import AuditEvent
from lk_core.access.context import AccessContext, PortalLinks
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sessions import Session
from lk_core.access.throttling import ThrottlePolicy
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.accounts.contacts import Phone
from lk_core.home.context import HomeContext
from lk_core.kernel.policies import Policies
from lk_core.ledger.context import LedgerContext
from lk_core.messaging.outbox import OutboxMessage
from lk_core.personal_data.context import PersonalDataContext
from lk_core.readings.context import ReadingsContext
from lk_core.receipts.context import ReceiptsContext

# 09:00 UTC starts a window of every length the throttle policy uses (5 min … 1 h).
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
COMPANY = "ООО «УК Тверской дом»"
BASE_URL = "https://lk.example.ru"
PEPPER = b"test-pepper-for-one-time-secrets"

IVANOV = "100234"  # printed as 100234-А
SEMENOV = "100235"
PETROVA = "100236"
SIDOROV = "100237"  # has a phone on file

PASSWORD = "тихий вечер над рекой"
NEW_PASSWORD = "синий трамвай в тумане"
IP = "198.51.100.7"
OTHER_IP = "203.0.113.9"
USER_AGENT = "Mozilla/5.0 (Android 14) Firefox/128.0"
PHONE = "+7 912 345-67-89"

SMS_CODE = re.compile(r"\b(\d{6})\b")
REGISTRATION_LINK = re.compile(r"/register/confirm/([A-Za-z0-9_-]+)")
RESET_LINK = re.compile(r"/password/reset/([A-Za-z0-9_-]+)")


class MovableClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: dt.datetime = START) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


class CountingHasher:
    """A real hasher that counts how often argon2 is asked to work, from any thread."""

    def __init__(self, inner: Argon2PasswordHasher) -> None:
        self.inner = inner
        self.hash_calls = 0
        self.verify_calls = 0
        self._counting = threading.Lock()

    def hash(self, password: str) -> str:
        with self._counting:
            self.hash_calls += 1
        return self.inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        with self._counting:
            self.verify_calls += 1
        return self.inner.verify(password_hash, password)


def fast_hasher() -> Argon2PasswordHasher:
    """argon2id with the cheapest parameters: the same code path, in a millisecond."""
    return Argon2PasswordHasher(time_cost=1, memory_kib=8, parallelism=1)


def a_house() -> House:
    return House("H1", "г. Тверь, ул. Советская, д. 1", Decimal("4210.55"))


def an_account(
    digits: str, payer_name: str, *, letter: str = "", phone: str | None = None, flat: str = "1"
) -> Account:
    return Account(
        number=AccountNumber(digits, letter),
        house_code="H1",
        payer_name=payer_name,
        flat=flat,
        rooms=2,
        area=Decimal("54.3"),
        residents=2,
        phone=Phone.parse(phone) if phone else None,
    )


def some_accounts() -> list[Account]:
    return [
        an_account(IVANOV, "Иванов Иван Иванович", letter="А", flat="12"),
        an_account(SEMENOV, "Семёнов Пётр Алексеевич", flat="13"),
        an_account(PETROVA, "Петрова Анна Сергеевна", flat="14"),
        an_account(SIDOROV, "Сидоров Олег Петрович", phone="+7 900 111-22-33", flat="15"),
    ]


def load_accounts(uow_factory: PortalUnitOfWorkFactory, accounts: Sequence[Account]) -> None:
    with uow_factory() as uow:
        uow.houses.upsert_many([a_house()])
        uow.accounts.upsert_from_billing(list(accounts))
        uow.commit()


SURNAMES = {IVANOV: "Иванов", SEMENOV: "Семёнов", PETROVA: "Петрова", SIDOROV: "Сидоров"}


@attrs.define
class Portal:
    """The access use cases over one in-memory store, with a clock the test moves."""

    ctx: AccessContext
    clock: MovableClock
    hasher: CountingHasher
    uow_factory: InMemoryUnitOfWorkFactory

    @property
    def store(self) -> InMemoryStore:
        return self.uow_factory.store

    # --- the other capabilities' contexts, over the same store and clock ---------------------

    @property
    def readings(self) -> ReadingsContext:
        return ReadingsContext(
            self.uow_factory, self.clock, self.ctx.policies.readings, self.ctx.time_zone
        )

    @property
    def ledger(self) -> LedgerContext:
        return LedgerContext(self.uow_factory)

    @property
    def receipts(self) -> ReceiptsContext:
        return ReceiptsContext(self.uow_factory, self.ctx.policies.receipts_shown)

    @property
    def home(self) -> HomeContext:
        return HomeContext(self.ctx, self.uow_factory)

    @property
    def personal_data(self) -> PersonalDataContext:
        return PersonalDataContext(self.ctx, self.uow_factory)

    # --- registering ---------------------------------------------------------------------

    def first_visit(self, number: str = IVANOV, surname: str | None = None, *, ip: str = IP) -> str:
        return first_visit(
            self.ctx, number, surname or SURNAMES[number], ip=ip, current_session=None
        )

    def form(self, number: str = IVANOV, **changes: Any) -> RegistrationForm:
        fields: dict[str, Any] = {
            "surname": SURNAMES[number],
            "email": f"resident{number}@mail.ru",
            "password": PASSWORD,
            "confirmation": PASSWORD,
            "consent": True,
            "method": ConfirmationMethod.EMAIL,
        }
        fields |= changes
        if "password" in changes and "confirmation" not in changes:
            fields["confirmation"] = changes["password"]
        return RegistrationForm(**fields)

    def start_registration(self, number: str = IVANOV, *, ip: str = IP, **changes: Any) -> str:
        """First visit and a submitted form; the pending session's id."""
        raw = self.first_visit(number, ip=ip)
        submit_registration(self.ctx, raw, self.form(number, **changes), ip=ip, user_agent="")
        return raw

    def register(self, number: str = IVANOV, **changes: Any) -> str:
        """A confirmed registration by e-mailed link; the signed-in session's id."""
        raw = self.start_registration(number, **changes)
        return confirm_registration_link(
            self.ctx, self.last_token(REGISTRATION_LINK), ip=IP, current_session=raw
        )

    # --- reading what was stored and sent ------------------------------------------------

    def messages(self) -> list[OutboxMessage]:
        """Every queued message, newest first (by queueing order: the clock may stand still)."""
        return list(reversed(self.store.outbox.values()))

    def emails_to(self, address: str) -> list[OutboxMessage]:
        return [m for m in self.messages() if m.email is not None and m.email.to == address]

    def last_token(self, link: re.Pattern[str]) -> str:
        for message in self.messages():
            if message.email is not None and (found := link.search(message.email.text)):
                return found[1]
        raise AssertionError(f"no e-mail carries a link like {link.pattern}")

    def last_sms_code(self) -> str:
        for message in self.messages():
            if message.sms is not None and (found := SMS_CODE.search(message.sms.text)):
                return found[1]
        raise AssertionError("no SMS carries a code")

    def sessions(self) -> list[Session]:
        return list(self.store.sessions.values())

    def audit_events(self) -> list[AuditEvent]:
        return list(self.store.audit.values())

    def account(self, number: str) -> Account:
        with self.uow_factory() as uow:
            account = uow.accounts.get(number)
        assert account is not None
        return account


def a_portal(
    *,
    policies: Policies | None = None,
    throttle: ThrottlePolicy | None = None,
    accounts: Sequence[Account] | None = None,
) -> Portal:
    """A portal over a fresh in-memory store holding `accounts` (by default a few)."""
    uow_factory = InMemoryUnitOfWorkFactory()
    load_accounts(uow_factory, some_accounts() if accounts is None else accounts)
    clock = MovableClock()
    hasher = CountingHasher(fast_hasher())
    ctx = an_access_context(uow_factory, clock, hasher, policies=policies, throttle=throttle)
    return Portal(ctx, clock, hasher, uow_factory)


def an_access_context(
    uow_factory: PortalUnitOfWorkFactory,
    clock: MovableClock,
    hasher: CountingHasher,
    *,
    policies: Policies | None = None,
    throttle: ThrottlePolicy | None = None,
) -> AccessContext:
    """The access use cases over any persistence adapter, with the test's clock and hasher."""
    return AccessContext(
        uow_factory=uow_factory,
        clock=clock,
        hasher=hasher,
        policies=policies or Policies(),
        pepper=PEPPER,
        links=PortalLinks(BASE_URL),
        company_name=COMPANY,
        common_passwords=load_common_passwords(),
        dummy_hash=hasher.inner.hash("no registration has this password"),
        throttle=throttle or ThrottlePolicy(),
    )

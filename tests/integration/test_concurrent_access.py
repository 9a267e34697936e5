"""Requests racing each other on the secret-checking paths, over PostgreSQL with real
threads (SECURITY.md: limits and single-use secrets are atomic): concurrent requests never
get more tries, uses or password checks than one request after another would."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs
import pytest

from access_fixtures import (
    IP,
    IVANOV,
    NEW_PASSWORD,
    PASSWORD,
    PETROVA,
    PHONE,
    REGISTRATION_LINK,
    RESET_LINK,
    SEMENOV,
    SIDOROV,
    SURNAMES,
    CountingHasher,
    MovableClock,
    an_access_context,
    fast_hasher,
    load_accounts,
    some_accounts,
)
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.context import AccessContext
from lk_core.access.email_change import confirm_email_change, request_email_change
from lk_core.access.errors import PhoneNotConfirmed, SignInFailed, TokenInvalid
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.one_time_secrets import SecretPurpose
from lk_core.access.password_reset import request_password_reset, reset_password
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sign_in import current_session, sign_in
from lk_core.access.sms_confirmation import (
    check_sms_code,
    complete_sms_registration,
    send_sms_code,
)
from lk_core.access.throttling import Throttled, ThrottlePolicy

pytestmark = pytest.mark.postgres

EMAIL_CHANGE_LINK = re.compile(r"/personal/email/confirm/([A-Za-z0-9_-]+)")
SMS_CODE = re.compile(r"\b(\d{6})\b")


@attrs.define
class Racers:
    """The access use cases over a PostgreSQL schema, with a standing clock."""

    ctx: AccessContext
    hasher: CountingHasher
    clock: MovableClock

    @property
    def uow_factory(self) -> PortalUnitOfWorkFactory:
        return self.ctx.uow_factory

    def last(self, link: re.Pattern[str], *, sms: bool = False) -> str:
        with self.uow_factory(read_only=True) as uow:
            messages = uow.outbox.recent(100)
        for message in messages:
            text = message.sms.text if message.sms else message.email.text if message.email else ""
            if (message.sms is not None) == sms and (found := link.search(text)):
                return found[1]
        raise AssertionError(f"no message carries {link.pattern}")

    def start_registration(self, number: str, method: ConfirmationMethod) -> str:
        raw = first_visit(self.ctx, number, SURNAMES[number], ip=IP, current_session=None)
        form = RegistrationForm(
            SURNAMES[number], f"resident{number}@mail.ru", PASSWORD, PASSWORD, True, method
        )
        submit_registration(self.ctx, raw, form, ip=IP, user_agent="")
        return raw

    def register(self, number: str) -> str:
        raw = self.start_registration(number, ConfirmationMethod.EMAIL)
        with self.uow_factory(read_only=True) as uow:
            messages = uow.outbox.recent(100)
        [token] = [
            found[1]
            for m in messages
            if m.email is not None
            and m.email.to == f"resident{number}@mail.ru"
            and (found := REGISTRATION_LINK.search(m.email.text))
        ]
        return confirm_registration_link(self.ctx, token, ip=IP, current_session=raw)


@pytest.fixture
def racers(postgres_uow_factory: PortalUnitOfWorkFactory) -> Racers:
    load_accounts(postgres_uow_factory, some_accounts())
    clock = MovableClock()
    hasher = CountingHasher(fast_hasher())
    return Racers(an_access_context(postgres_uow_factory, clock, hasher), hasher, clock)


def at_once(count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` in `count` threads released together; each result or exception."""
    start = threading.Barrier(count)

    def run(index: int) -> object:
        start.wait(timeout=30)
        try:
            return work(index)
        except Exception as error:
            return error

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def successes(outcomes: list[object]) -> int:
    return sum(not isinstance(outcome, Exception) for outcome in outcomes)


# --- single-use secrets ------------------------------------------------------------------


def test_after_twelve_wrong_codes_at_once_even_the_right_code_is_refused(racers: Racers) -> None:
    registering = racers.start_registration(SEMENOV, ConfirmationMethod.SMS)
    send_sms_code(racers.ctx, registering, PHONE, ip=IP)
    code = racers.last(SMS_CODE, sms=True)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    outcomes = at_once(12, lambda _: check_sms_code(racers.ctx, registering, wrong, ip=IP))

    assert all(isinstance(outcome, TokenInvalid) for outcome in outcomes)
    with racers.uow_factory(read_only=True) as uow:
        secret = uow.secrets.latest(SEMENOV, SecretPurpose.SMS_CONFIRMATION)
    assert secret is not None
    assert secret.attempts_left == 0
    with pytest.raises(TokenInvalid):
        check_sms_code(racers.ctx, registering, code, ip=IP)
    with pytest.raises(PhoneNotConfirmed):
        complete_sms_registration(racers.ctx, registering, ip=IP)


def test_of_ten_uses_of_one_reset_link_at_once_exactly_one_sets_the_password(
    racers: Racers,
) -> None:
    racers.register(IVANOV)
    request_password_reset(racers.ctx, IVANOV, f"resident{IVANOV}@mail.ru", ip=IP)
    token = racers.last(RESET_LINK)
    passwords = [f"{NEW_PASSWORD} {n}" for n in range(10)]

    outcomes = at_once(
        10, lambda n: reset_password(racers.ctx, token, passwords[n], passwords[n], ip=IP)
    )

    assert successes(outcomes) == 1
    assert all(isinstance(o, TokenInvalid) for o in outcomes if isinstance(o, Exception))
    [winner] = [passwords[n] for n, o in enumerate(outcomes) if not isinstance(o, Exception)]
    assert sign_in(racers.ctx, IVANOV, winner, ip=IP, current_session=None)
    with racers.uow_factory(read_only=True) as uow:
        notices = [m for m in uow.outbox.recent(100) if m.email and "изменён" in m.email.text]
    assert len(notices) == 1


def test_of_ten_uses_of_one_email_change_link_at_once_exactly_one_changes_the_address(
    racers: Racers,
) -> None:
    signed_in = current_session(racers.ctx, racers.register(IVANOV))
    request_email_change(racers.ctx, signed_in, "novikov@yandex.ru", PASSWORD, ip=IP)
    token = racers.last(EMAIL_CHANGE_LINK)

    outcomes = at_once(10, lambda _: confirm_email_change(racers.ctx, token, ip=IP))

    assert successes(outcomes) == 1
    assert all(isinstance(o, TokenInvalid) for o in outcomes if isinstance(o, Exception))
    with racers.uow_factory(read_only=True) as uow:
        registration = uow.registrations.get(IVANOV)
        told = [
            m
            for m in uow.outbox.recent(100)
            if m.email and m.email.subject == "Адрес электронной почты изменён"
        ]
    assert registration is not None
    assert registration.email.address == "novikov@yandex.ru"
    assert len(told) == 1


# --- throttles reserve before argon2 runs ------------------------------------------------


def limit_of(scope: str) -> int:
    return {limit.scope: limit.count for limit in ThrottlePolicy().sign_in}[scope]


def test_forty_wrong_passwords_at_once_from_one_ip_reach_argon2_within_the_pair_limit(
    racers: Racers,
) -> None:
    racers.register(IVANOV)
    before = racers.hasher.verify_calls

    outcomes = at_once(
        40, lambda n: sign_in(racers.ctx, IVANOV, f"догадка {n}", ip=IP, current_session=None)
    )

    assert all(isinstance(o, SignInFailed | Throttled) for o in outcomes)
    assert racers.hasher.verify_calls - before <= limit_of("sign_in.account+ip")


def test_three_hundred_wrong_passwords_at_once_from_thirty_ips_stay_within_the_account_limit(
    racers: Racers,
) -> None:
    racers.register(IVANOV)
    before = racers.hasher.verify_calls

    outcomes = at_once(
        300,
        lambda n: sign_in(
            racers.ctx, IVANOV, f"догадка {n}", ip=f"10.0.0.{n % 30}", current_session=None
        ),
    )

    assert all(isinstance(o, SignInFailed | Throttled) for o in outcomes)
    assert racers.hasher.verify_calls - before <= limit_of("sign_in.account")


def test_residents_signing_in_at_once_from_one_address_all_get_in(racers: Racers) -> None:
    # A building's residents behind one address at the month-end peak: each right sign-in
    # reserves the throttle buckets (the address's shared by all) and then takes its
    # attempt back; both in one order of buckets, or two of them wait on each other's row
    # locks crosswise and PostgreSQL ends one with "deadlock detected" (seen by
    # bench/scale_out.py as 500s).
    residents = [IVANOV, SEMENOV, PETROVA, SIDOROV]
    for number in residents:
        racers.register(number)

    outcomes = at_once(
        32,
        lambda n: sign_in(racers.ctx, residents[n % 4], PASSWORD, ip=IP, current_session=None),
    )

    assert [o for o in outcomes if isinstance(o, Exception)] == []

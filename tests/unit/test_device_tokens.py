"""Device tokens: made only by the server, for one account, for a year; a browser keeps the
tokens of a few accounts, and a known browser keeps its device id when signing in again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access_fixtures import PEPPER, START
from lk_core.access.devices import (
    ACCOUNTS_PER_BROWSER,
    DEVICE_TOKEN_LIFETIME,
    KnownDevice,
    issue_device_token,
    known_device,
    read_device_token,
    remember_device,
)

LATER = START + dt.timedelta(days=30)


def test_a_token_names_its_account_and_a_random_device_and_is_cookie_safe() -> None:
    token = issue_device_token("100234", now=START, pepper=PEPPER)
    another = issue_device_token("100234", now=START, pepper=PEPPER)

    device = read_device_token(token, now=LATER, pepper=PEPPER)

    assert device is not None
    assert device.account_key == "100234"
    assert device.issued_at == START
    assert len(device.device_id) >= 22  # 128 random bits
    assert device != read_device_token(another, now=LATER, pepper=PEPPER)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", token)


def test_a_token_lasts_its_lifetime_and_not_a_moment_longer() -> None:
    token = issue_device_token("100234", now=START, pepper=PEPPER)
    last_moment = START + DEVICE_TOKEN_LIFETIME - dt.timedelta(seconds=1)

    assert read_device_token(token, now=last_moment, pepper=PEPPER) is not None
    assert read_device_token(token, now=START + DEVICE_TOKEN_LIFETIME, pepper=PEPPER) is None
    assert read_device_token(token, now=START - dt.timedelta(seconds=1), pepper=PEPPER) is None


def test_a_token_signed_with_another_secret_is_nobodys() -> None:
    token = issue_device_token("100234", now=START, pepper=b"another server's secret")

    assert read_device_token(token, now=LATER, pepper=PEPPER) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(".100234.", ".100235."),  # another account
        lambda t: t.replace("d1.", "d2.", 1),
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.rsplit(".", 1)[0],
        lambda t: t + ".x",
        lambda t: "",
    ],
)
def test_a_changed_token_is_nobodys(change) -> None:  # type: ignore[no-untyped-def]
    token = issue_device_token("100234", now=START, pepper=PEPPER)

    assert read_device_token(change(token), now=LATER, pepper=PEPPER) is None


@given(st.text(max_size=300))
def test_whatever_a_client_sends_is_read_without_error(cookie: str) -> None:
    assert known_device(cookie, "100234", now=LATER, pepper=PEPPER) is None


def test_a_browser_is_known_only_to_the_accounts_signed_in_from_it() -> None:
    cookie = remember_device(None, "100234", now=START, pepper=PEPPER)
    cookie = remember_device(cookie, "100235", now=START, pepper=PEPPER)

    ivanov = known_device(cookie, "100234", now=LATER, pepper=PEPPER)
    semenov = known_device(cookie, "100235", now=LATER, pepper=PEPPER)

    assert isinstance(ivanov, KnownDevice)
    assert isinstance(semenov, KnownDevice)
    assert known_device(cookie, "100236", now=LATER, pepper=PEPPER) is None


def test_signing_in_again_renews_the_token_and_keeps_the_device() -> None:
    first = remember_device(None, "100234", now=START, pepper=PEPPER)
    again = remember_device(first, "100234", now=LATER, pepper=PEPPER)

    before = known_device(first, "100234", now=LATER, pepper=PEPPER)
    after = known_device(again, "100234", now=LATER, pepper=PEPPER)

    assert before is not None
    assert after is not None
    assert after.device_id == before.device_id
    assert after.issued_at == LATER
    assert again.count("~") == 0  # one token per account


def test_a_browser_keeps_the_tokens_of_the_last_few_accounts() -> None:
    cookie = None
    accounts = [str(100_000 + n) for n in range(ACCOUNTS_PER_BROWSER + 2)]
    for account in accounts:
        cookie = remember_device(cookie, account, now=START, pepper=PEPPER)

    known = [known_device(cookie, a, now=LATER, pepper=PEPPER) is not None for a in accounts]

    assert known == [False, False] + [True] * ACCOUNTS_PER_BROWSER


def test_expired_and_foreign_tokens_are_dropped_from_the_cookie() -> None:
    old = issue_device_token("100235", now=START - DEVICE_TOKEN_LIFETIME, pepper=PEPPER)
    foreign = issue_device_token("100236", now=START, pepper=b"another")

    cookie = remember_device(f"{old}~{foreign}~junk", "100234", now=START, pepper=PEPPER)

    assert cookie.count("~") == 0
    assert known_device(cookie, "100234", now=START, pepper=PEPPER) is not None

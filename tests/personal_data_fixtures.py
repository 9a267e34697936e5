"""Builders the personal-data and linked-account tests share, on top of `access_fixtures`:
signed-in residents as `Session` objects, links made by surname, and more accounts.
"""

from __future__ import annotations

import re

from access_fixtures import IP, IVANOV, PASSWORD, SEMENOV, SURNAMES, Portal, an_account
from lk_core.access.linking import link_account
from lk_core.access.sessions import Session
from lk_core.access.sign_in import current_session, sign_in
from lk_core.accounts.account import Account

EMAIL_CHANGE_LINK = re.compile(r"/personal/email/confirm/([A-Za-z0-9_-]+)")
IVANOV_EMAIL = f"resident{IVANOV}@mail.ru"
SEMENOV_EMAIL = f"resident{SEMENOV}@mail.ru"

# Accounts beyond `some_accounts()`, for the limit of accounts per e-mail.
EXTRA = [f"2000{n:02d}" for n in range(1, 13)]
EXTRA_SURNAME = "Кузнецов"


def extra_accounts() -> list[Account]:
    return [
        an_account(key, f"{EXTRA_SURNAME} Иван Иванович", flat=str(100 + n))
        for n, key in enumerate(EXTRA)
    ]


def session_of(portal: Portal, raw: str) -> Session:
    session = current_session(portal.ctx, raw)
    assert session is not None
    return session


def signed_in(portal: Portal, number: str = IVANOV, password: str = PASSWORD) -> Session:
    """A fresh signed-in session of a registered resident."""
    raw = sign_in(portal.ctx, number, password, ip=IP, current_session=None)
    return session_of(portal, raw)


def link_by_surname(portal: Portal, session: Session, number: str, *, ip: str = IP) -> Account:
    surname = SURNAMES.get(number, EXTRA_SURNAME)
    return link_account(portal.ctx, session, number, surname=surname, ip=ip)

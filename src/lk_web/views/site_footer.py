"""The footer of every page: the company's name, address and contacts, the same on every
page of a company, so worked out once (ADR 0067) rather than on each render."""

from __future__ import annotations

import functools
from html import escape

from markupsafe import Markup

from lk_core.kernel.company import Company


@functools.lru_cache(maxsize=4)
def site_footer(company: Company) -> Markup:
    """The footer's three lines for `company`."""
    address = f" · {escape(company.address)}" if company.address else ""
    phone = (
        f'Телефон: <a href="tel:{escape(company.phone.replace(" ", ""))}">'
        f"{escape(company.phone)}</a>"
        if company.phone
        else ""
    )
    email = company.email
    mail = f' · E-mail: <a href="mailto:{escape(email)}">{escape(email)}</a>' if email else ""
    return Markup(  # noqa: S704 (escaped parts)
        f"<p>{escape(company.name)}{address}</p>\n"
        f"      <p>{phone}\n         {mail}</p>\n"
        '      <p><a href="/privacy">Политика обработки персональных данных</a></p>'
    )

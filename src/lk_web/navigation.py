"""The sections of the signed-in header, in one list: a new section is one line here."""

from __future__ import annotations

import functools
from html import escape
from typing import NamedTuple

from markupsafe import Markup


class Section(NamedTuple):
    """A header link: its address, its name, and the paths it is the current section of."""

    href: str
    label: str
    prefix: str


SECTIONS = (
    Section("/home", "Главная", "/home"),
    Section("/readings", "Показания", "/readings"),
    Section("/personal", "Личные данные", "/personal"),
    Section("/requests", "Заявки", "/requests"),
)


@functools.lru_cache(maxsize=256)
def nav_links(here: str) -> Markup:
    """The sections' links, the one `here` is in marked current; worked out once per path
    (every signed-in page shows them)."""
    links = [
        f'<a href="{escape(section.href)}"'
        + (' aria-current="page"' if here.startswith(section.prefix) else "")
        + f">{escape(section.label)}</a>"
        for section in SECTIONS
    ]
    return Markup("\n        ".join(links))  # noqa: S704 (escaped constants)

"""The sections of the signed-in header, in one list: a new section is one line here."""

from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    """A header link: its address, its name, and the paths it is the current section of."""

    href: str
    label: str
    prefix: str


SECTIONS = (
    Section("/home", "Главная", "/home"),
    Section("/readings", "Показания", "/readings"),
    Section("/personal", "Личные данные", "/personal"),
)

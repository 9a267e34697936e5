"""The demo company's accounts: who lives where, how big the flat is, how they pay."""

from __future__ import annotations

import enum
import random
from decimal import Decimal

import attrs

from lk_adapters.demo.catalogue import HOUSES, DemoHouse
from lk_adapters.demo.names import PersonName, random_person, transliterate

# Communal flats (коммунальные квартиры) of the oldest house: each room is its own
# account, printed with a letter index after the digits.
COMMUNAL_FLATS = {("104", 7): 3, ("104", 22): 2}
ROOM_LETTERS = "АБВ"

# Reserved example domains (RFC 2606): demo addresses can never reach a real mailbox.
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

_AREA_BY_ROOMS = {1: (3050, 4190), 2: (4320, 5680), 3: (5810, 7640), 4: (7820, 9650)}


class PayingHabit(enum.Enum):
    """How an account's payer pays, which shapes its balance over the year."""

    REGULAR = "regular"  # pays the previous bill every month, now and then a month late
    IRREGULAR = "irregular"  # pays the whole balance every two or three months
    DEBTOR = "debtor"  # owes from before and pays little: the debt grows
    ADVANCE = "advance"  # pays months ahead once: the balance goes negative


@attrs.frozen
class DemoAccount:
    """A personal account of the demo company as the billing system knows it."""

    key: str
    printed: str
    house: DemoHouse
    flat: str
    rooms: int
    area: Decimal
    residents: int
    payer: PersonName
    phone: str
    email: str
    habit: PayingHabit
    has_meters: bool


def _area(rng: random.Random, rooms: int) -> Decimal:
    low, high = _AREA_BY_ROOMS[rooms]
    return Decimal(rng.randint(low, high)).scaleb(-2)


def _residents(rng: random.Random, rooms: int) -> int:
    if rng.random() < 0.04:
        return 0  # owned but nobody registered there: no charge for refuse removal
    return rng.randint(1, rooms + 1)


def _phone(rng: random.Random) -> str:
    operator = rng.choice(("900", "903", "904", "910", "915", "920", "952", "960", "980"))
    rest = f"{rng.randint(0, 9_999_999):07d}"
    form = rng.randrange(3)
    if form == 0:
        return f"+7 ({operator}) {rest[:3]}-{rest[3:5]}-{rest[5:]}"
    if form == 1:
        return f"8{operator}{rest}"
    return f"+7{operator}{rest}"


def _email(rng: random.Random, payer: PersonName) -> str:
    surname, given = transliterate(payer.surname), transliterate(payer.given)
    local = rng.choice(
        (f"{given}.{surname}", f"{surname}.{given[0]}", f"{surname}{rng.randint(60, 99)}")
    )
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _habit(rng: random.Random) -> PayingHabit:
    roll = rng.random()
    if roll < 0.08:
        return PayingHabit.DEBTOR
    if roll < 0.14:
        return PayingHabit.IRREGULAR
    if roll < 0.18:
        return PayingHabit.ADVANCE
    return PayingHabit.REGULAR


def _rooms_of_flat(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4), weights=(30, 38, 25, 7))[0]


def make_accounts(rng: random.Random) -> list[DemoAccount]:
    """About 300 accounts over the demo houses, flat by flat."""
    accounts: list[DemoAccount] = []
    for house in HOUSES:
        sequence = 0
        for flat in range(1, house.flats + 1):
            rooms_in_flat = COMMUNAL_FLATS.get((house.code, flat), 0)
            parts = range(1, rooms_in_flat + 1) if rooms_in_flat else [0]
            for room in parts:
                sequence += 1
                digits = f"{int(house.code) * 1000 + sequence}"
                payer = random_person(rng)
                rooms = 1 if room else _rooms_of_flat(rng)
                area = Decimal(rng.randint(1420, 2260)).scaleb(-2) if room else _area(rng, rooms)
                accounts.append(
                    DemoAccount(
                        key=digits,
                        printed=f"{digits}-{ROOM_LETTERS[room - 1]}" if room else digits,
                        house=house,
                        flat=f"{flat}, комн. {room}" if room else str(flat),
                        rooms=rooms,
                        area=area,
                        residents=_residents(rng, rooms),
                        payer=payer,
                        phone=_phone(rng) if rng.random() < 0.45 else "",
                        email=_email(rng, payer) if rng.random() < 0.3 else "",
                        habit=_habit(rng),
                        has_meters=not room,
                    )
                )
    return accounts

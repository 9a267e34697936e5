"""What an announcement says by SMS and how long it is: 160/153 GSM characters a segment,
70/67 once any character (any Cyrillic letter) is outside the GSM alphabet."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lk_core.announcements.announcement import Announcement, AnnouncementKind, shown_order
from lk_core.announcements.message import message_subject, message_text
from lk_core.announcements.sending import announcement_template
from lk_core.announcements.sms_length import sms_length

DAY = dt.date(2026, 12, 10)


def test_latin_text_is_counted_in_gsm_segments_of_160_then_153() -> None:
    assert sms_length("a" * 160).segments == 1
    assert sms_length("a" * 161).segments == 2
    assert sms_length("a" * 306).segments == 2
    assert sms_length("a" * 307).segments == 3
    assert sms_length("a" * 161).per_segment == 153


def test_a_gsm_extension_character_counts_twice() -> None:
    assert sms_length("{}").units == 4
    assert not sms_length("{}").unicode


def test_cyrillic_text_is_counted_in_segments_of_70_then_67() -> None:
    assert sms_length("я" * 70).segments == 1
    assert sms_length("я" * 71).segments == 2
    assert sms_length("я" * 134).segments == 2
    assert sms_length("я" * 135).segments == 3
    assert sms_length("я" * 71).unicode


def test_one_cyrillic_letter_makes_the_whole_message_unicode() -> None:
    assert sms_length("a" * 100 + "ж").segments == 2


def test_an_emoji_takes_two_code_units() -> None:
    assert sms_length("😀").units == 2


def test_nothing_is_no_sms() -> None:
    assert sms_length("").segments == 0


@given(st.text(max_size=400))
def test_the_segments_always_hold_the_whole_text(text: str) -> None:
    length = sms_length(text)
    assert length.segments * length.per_segment >= length.units
    assert (length.segments - 1) * length.per_segment < max(length.units, 1)


def test_an_outage_names_its_kind_and_dates_news_only_its_title() -> None:
    outage = message_text(AnnouncementKind.PLANNED_OUTAGE, " Горячая  вода. ", "Ремонт.",
                          DAY, DAY + dt.timedelta(days=2))  # fmt: skip
    news = message_text(AnnouncementKind.NEWS, "Собрание", "Во дворе.", DAY, DAY)

    assert outage == "Плановое отключение 10.12–12.12: Горячая вода. Ремонт."
    assert news == "Собрание. Во дворе."
    assert message_subject(AnnouncementKind.EMERGENCY, "Прорыв") == "Авария: Прорыв"


def an_announcement(kind: AnnouncementKind, minute: int, **changes: object) -> Announcement:
    values: dict[str, object] = {
        "title": "Заголовок {с} скобками", "text": "Текст {name}", "starts_on": DAY,
        "ends_on": DAY, "house_codes": frozenset(), "author": "ivanova",
        "created_at": dt.datetime(2026, 12, 10, 9, minute, tzinfo=dt.UTC),
    }  # fmt: skip
    values |= changes
    return Announcement(f"a{minute}", kind, **values)  # type: ignore[arg-type]


def test_braces_in_an_announcement_go_out_as_typed() -> None:
    template = announcement_template(an_announcement(AnnouncementKind.NEWS, 0))

    assert template.render_body({}) == "Заголовок {с} скобками. Текст {name}"
    assert template.render_subject({}) == "Заголовок {с} скобками"


def test_emergencies_come_first_then_outages_then_news_newest_first() -> None:
    news_old = an_announcement(AnnouncementKind.NEWS, 1)
    news_new = an_announcement(AnnouncementKind.NEWS, 5)
    outage = an_announcement(AnnouncementKind.PLANNED_OUTAGE, 2)
    emergency = an_announcement(AnnouncementKind.EMERGENCY, 0)

    ordered = shown_order([news_old, outage, news_new, emergency])

    assert ordered == [emergency, outage, news_new, news_old]

"""Demo mode only: the messages that would have been e-mailed or texted (F29)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from litestar import Controller, get
from litestar.response import Template
from markupsafe import Markup, escape

from lk_web.dependencies import Portal
from lk_web.pages import page

_LINK = re.compile(r"https?://[^\s<>\"']+")


def with_links(text: str) -> Markup:
    """Escape the text and make its links clickable."""
    escaped = str(escape(text))
    return Markup(_LINK.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', escaped))  # noqa: S704


class DemoOutboxController(Controller):
    """Registered only when demo mode is on; it does not exist otherwise."""

    @get("/demo/outbox", sync_to_thread=True)
    def outbox(self, portal: Portal) -> Template:
        """The newest 50 messages, e-mails with clickable links, SMS with their codes."""
        with portal.uow_factory(read_only=True) as uow:
            messages = uow.outbox.recent(50)
        zone = ZoneInfo(portal.access.time_zone)
        return page(
            "demo_outbox.html.j2", messages=messages, with_links=with_links,
            local_time=lambda moment: moment.astimezone(zone).strftime("%d.%m.%Y %H:%M:%S"),
        )  # fmt: skip

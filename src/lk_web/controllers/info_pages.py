"""Public information pages: the personal-data processing policy."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from lk_web.dependencies import Portal
from lk_web.pages import page


class InfoController(Controller):
    @get("/privacy", sync_to_thread=False)
    def privacy(self, portal: Portal) -> Template:
        """The policy text whose version a registration's consent records."""
        return page("privacy.html.j2", version=portal.access.consent_version)

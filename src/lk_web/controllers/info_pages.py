"""Public information pages: the personal-data processing policy."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from lk_web.dependencies import Access
from lk_web.pages import page


class InfoController(Controller):
    @get("/privacy", sync_to_thread=False)
    def privacy(self, access: Access) -> Template:
        """The policy text whose version a registration's consent records."""
        return page("privacy.html.j2", version=access.consent_version)

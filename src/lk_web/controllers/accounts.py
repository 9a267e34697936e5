"""The header's account switcher (F20): show another of the resident's accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from lk_core.access.linking import switch_account
from lk_web.dependencies import Portal
from lk_web.pages import see_other
from lk_web.resident import Resident

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


@dataclass
class SwitchForm:
    account: str = ""
    next: str = "/home"


def local_path(path: str) -> str:
    """Where to go back to: a path on this site only, never another site (no open redirect)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or ":" in path:
        return "/home"
    return path


class AccountSwitchController(Controller):
    @post("/accounts/switch", sync_to_thread=True)
    def switch(
        self,
        portal: Portal,
        resident: Resident,
        data: Annotated[SwitchForm, FORM],
    ) -> Redirect:
        """Show the chosen account on every page; an account not the resident's is 404."""
        switch_account(portal.access, resident.session, data.account)
        return see_other(local_path(data.next))

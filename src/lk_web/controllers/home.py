"""The signed-in landing page (the main page with settlements comes with F9)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Redirect, Template

from lk_web.client import AnyRequest
from lk_web.dependencies import Access, Client
from lk_web.pages import page, see_other, session_of, signed_in_view


class HomeController(Controller):
    @get("/home", sync_to_thread=True)
    def home(
        self,
        request: AnyRequest,
        access: Access,
        client: Client,
    ) -> Template | Redirect:
        """Who is signed in, to which account."""
        session = session_of(request, access, client)
        view = signed_in_view(access, session)
        if view["resident"] is None:
            return see_other("/?notice=signed-out")
        return page("home.html.j2", **view)

"""The start page: until sign-in lands, it tells which data the portal holds."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from lk_core.company import Company
from lk_core.ports import UnitOfWorkFactory
from lk_core.usecases.data_summary import summarise_data


class StartController(Controller):
    """The portal's front page."""

    @get("/", sync_to_thread=True)
    def start(self, uow_factory: UnitOfWorkFactory, company: Company) -> Template:
        """Company, and what is loaded."""
        summary = summarise_data(uow_factory)
        return Template(
            template_name="start.html.j2",
            context={"company": company, "summary": summary},
            headers={"Cache-Control": "no-store"},
        )

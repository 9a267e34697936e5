"""The main page (F9–F12) read in one unit of work: the visitor, the settlements of the
chosen period, the recent payment orders, and the summary at the top (ADR 0067).
Use cases take a `HomeContext`.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.home.context import HomeContext
from lk_core.home.main_page import (
    MainPage,
    MainPageRead,
    finish_main_page,
    main_page,
    read_main_page,
)
from lk_core.home.ports import HomeUnitOfWork, MetersRead
from lk_core.home.summary import HomeSummary, ReadingsWindow, WindowState, summary_of

__all__ = [
    "HomeContext",
    "HomeSummary",
    "HomeUnitOfWork",
    "MainPage",
    "MainPageRead",
    "MetersRead",
    "ReadingsWindow",
    "WindowState",
    "finish_main_page",
    "main_page",
    "read_main_page",
    "summary_of",
]

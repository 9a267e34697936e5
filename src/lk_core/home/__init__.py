"""The main page (F9–F12) read in one unit of work: the visitor, the settlements of the
chosen period and the recent payment orders. Use cases take a `HomeContext`.

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
from lk_core.home.ports import HomeUnitOfWork

__all__ = [
    "HomeContext",
    "HomeUnitOfWork",
    "MainPage",
    "MainPageRead",
    "finish_main_page",
    "main_page",
    "read_main_page",
]

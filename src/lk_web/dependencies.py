"""Names of what handlers receive from the app's `dependencies` (declared, not inferred)."""

from __future__ import annotations

from typing import Any

from litestar.di import NamedDependency
from sqlalchemy import Engine

from lk_core.access.context import AccessContext
from lk_core.ports import UnitOfWorkFactory
from lk_web.client import ClientFacts

Access = NamedDependency[AccessContext]
Client = NamedDependency[ClientFacts]
UowFactory = NamedDependency[UnitOfWorkFactory]
DatabaseEngine = NamedDependency[Engine]
# The receipt store (issue 6); a Protocol that is not runtime-checkable, so typed loosely.
Receipts = NamedDependency[Any]

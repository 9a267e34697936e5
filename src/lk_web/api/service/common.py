"""What every service controller shares: its wiring, and running blocking work off the loop."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

from lk_web.api.idempotent import IDEMPOTENT_REFUSALS
from lk_web.api.problems import problem_responses
from lk_web.api.service.wiring import ServiceWiring
from lk_web.dependencies import Services

T = TypeVar("T")

TAGS = ["service"]
# Every service operation may answer: no valid key, a scope missing, too many failed keys.
KEY_REFUSALS = (401, 403, 429)
# Every POST may also answer: the idempotency key reused (422) or its request still running (409).
POST_REFUSALS = (*KEY_REFUSALS, *IDEMPOTENT_REFUSALS)


def wiring_of(portal: Services) -> ServiceWiring:
    wiring = portal.service
    assert wiring is not None, "create_app wires the service API"
    return wiring


async def in_thread(work: Callable[..., T], *args: Any) -> T:
    """Storage is synchronous (ADR 0002): run it in a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(work, *args))


def refusals(*statuses: int) -> dict[int, Any]:
    return problem_responses(*statuses)

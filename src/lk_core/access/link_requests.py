"""Asking the owner of a registered account to let it be linked (F20, SECURITY.md
"Account proof"): the right number and surname of an account someone else registered
store a request and mail its owner single-use links to approve or refuse it. A request
not answered in 72 h expires; both sides see its state on their personal data page.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class LinkRequestState(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    EXPIRED = "expired"


@attrs.frozen
class LinkRequest:
    """The registration `registration_key` asks to link the account `account_key`."""

    id: str
    registration_key: str
    account_key: str
    requested_at: dt.datetime
    expires_at: dt.datetime
    state: LinkRequestState = LinkRequestState.PENDING
    decided_at: dt.datetime | None = None

    def state_at(self, at: dt.datetime) -> LinkRequestState:
        """The stored state, or expired for a pending request past its time."""
        if self.state is LinkRequestState.PENDING and at >= self.expires_at:
            return LinkRequestState.EXPIRED
        return self.state

    def is_pending(self, at: dt.datetime) -> bool:
        return self.state_at(at) is LinkRequestState.PENDING


APPROVE = "approve"
REFUSE = "refuse"

"""The numbers of the requests capability the business may tune."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class RequestPolicy:
    """Limits on requests and their photos, and how long a resident may reopen one."""

    per_account_per_day: int = 10
    reopen_within: dt.timedelta = dt.timedelta(days=7)
    photos_per_request: int = 5
    photo_max_bytes: int = 10 * 1024 * 1024
    description_max_length: int = 2000
    comment_max_length: int = 2000

    def __attrs_post_init__(self) -> None:
        if self.per_account_per_day < 1 or self.photos_per_request < 0:
            raise ValueError("per_account_per_day must be positive, photos not negative")
        if self.reopen_within < dt.timedelta(0) or self.photo_max_bytes < 1:
            raise ValueError("reopen_within and photo_max_bytes must be positive")

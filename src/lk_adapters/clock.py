"""The system clock, the one place that reads the real time."""

from __future__ import annotations

import datetime as dt


class SystemClock:
    """Now, in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

"""`lk accounts …` and `lk notify`: operator support and service messages (F25, F26)."""

from lk_cli.operator.accounts_command import accounts
from lk_cli.operator.notify_command import notify

__all__ = ["accounts", "notify"]

"""Configuration: `LK_`-prefixed environment variables over an optional TOML file."""

from lk_adapters.settings.loading import SettingsError, load_settings
from lk_adapters.settings.model import (
    CompanySettings,
    MailSettings,
    PolicySettings,
    Settings,
)

__all__ = [
    "CompanySettings",
    "MailSettings",
    "PolicySettings",
    "Settings",
    "SettingsError",
    "load_settings",
]

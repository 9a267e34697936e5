"""Bank payment registries (F24): formats per bank and reading their files."""

from lk_adapters.registries.formats import (
    SBERBANK,
    RegistryFormat,
    RegistryFormatError,
    bank_format,
    parse_format,
)
from lk_adapters.registries.reader import RegistryFileError, read_registry, read_registry_bytes

__all__ = [
    "SBERBANK",
    "RegistryFileError",
    "RegistryFormat",
    "RegistryFormatError",
    "bank_format",
    "parse_format",
    "read_registry",
    "read_registry_bytes",
]

"""Request photos: the stores that keep their bytes and the Pillow processor that checks
and re-encodes uploads (ADR 0064)."""

from lk_adapters.photos.filesystem_store import FilesystemPhotoStore
from lk_adapters.photos.memory_store import InMemoryPhotoStore
from lk_adapters.photos.pillow_processor import PillowPhotoProcessor

__all__ = ["FilesystemPhotoStore", "InMemoryPhotoStore", "PillowPhotoProcessor"]

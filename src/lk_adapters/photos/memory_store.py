"""Photos kept in memory: the same behaviour as the folder, for tests and the demo."""

from __future__ import annotations

import threading

from lk_adapters.photos.keys import checked_key


class InMemoryPhotoStore:
    def __init__(self) -> None:
        self._photos: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            self._photos[checked_key(key)] = bytes(data)

    def get(self, key: str) -> bytes | None:
        return self._photos.get(checked_key(key))

    def delete(self, key: str) -> None:
        with self._lock:
            self._photos.pop(checked_key(key), None)

    def keys(self) -> set[str]:
        """Every key held (for tests and the demo)."""
        with self._lock:
            return set(self._photos)

"""Photos as files: `<folder>/<key>`, each written whole.

As the receipt store does, a photo is written to a temporary file in the hidden folder
`<folder>/.writing` and renamed into place (the same file system, so the rename is
atomic): a reader finds a whole photo or none. Keys are checked (`checked_key`), so no
key leaves the folder. An object-store adapter needs only the same three methods.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from lk_adapters.photos.keys import checked_key

_WRITING = ".writing"


class FilesystemPhotoStore:
    """The default photo store, in a configurable folder (beside the receipts)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / checked_key(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        writing = self.folder / _WRITING
        writing.mkdir(exist_ok=True)
        temporary = writing / f"{os.getpid()}.{secrets.token_hex(8)}.tmp"
        try:
            with open(temporary, "xb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

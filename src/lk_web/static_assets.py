"""Static files under versioned addresses: `/assets/<content hash>/portal.css`.

A versioned address never changes its content, so browsers keep it for a year without
asking again (`immutable`); a new release changes the hash and so the address (ADR 0067).
The unversioned `/static/` addresses stay for pages cached before, revalidated each time.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
from pathlib import Path

import attrs

# A year, as long as caches keep anything; the address changes with the content.
IMMUTABLE = "public, max-age=31536000, immutable"


@attrs.frozen
class Asset:
    """One static file's bytes, type and content hash."""

    body: bytes
    media_type: str
    version: str


@attrs.frozen(slots=False)
class StaticAssets:
    """The static folder read once at start: each file's versioned address and bytes."""

    assets: dict[str, Asset]

    @classmethod
    def of_folder(cls, folder: Path) -> StaticAssets:
        assets = {}
        for path in sorted(folder.iterdir()):
            if path.is_file():
                body = path.read_bytes()
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if media_type.startswith("text/") or media_type.endswith("javascript"):
                    media_type += "; charset=utf-8"
                version = hashlib.sha256(body).hexdigest()[:12]
                assets[path.name] = Asset(body, media_type, version)
        return cls(assets)

    @functools.cached_property
    def urls(self) -> dict[str, str]:
        """Every file's versioned address by its name (templates' `asset('portal.css')`)."""
        return {name: self.url(name) for name in self.assets}

    def url(self, name: str) -> str:
        """The versioned address of a file of the folder (a template's `asset('portal.css')`)."""
        return f"/assets/{self.assets[name].version}/{name}"

    def get(self, version: str, name: str) -> Asset | None:
        """The file at a versioned address; None for an unknown file or an old version."""
        asset = self.assets.get(name)
        return asset if asset is not None and asset.version == version else None

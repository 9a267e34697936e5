"""Versioned static files, the web app manifest and its icons (ADR 0067).

The manifest lets a resident add the portal to the phone's home screen under the
company's name and colour, both from configuration.
"""

from __future__ import annotations

import functools
import json

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Response

from lk_web.app_icon import icon_png, icon_svg
from lk_web.dependencies import Portal
from lk_web.static_assets import IMMUTABLE

# The manifest and icons change only with configuration: an hour, then asked again.
AN_HOUR = "public, max-age=3600"
ICON_SIZES = (192, 512)


def manifest(company_name: str, colour: str) -> bytes:
    """The web app manifest: name, colours, where it opens, the icons."""
    icons = [
        {"src": f"/icons/{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append({"src": "/icon.svg", "sizes": "any", "type": "image/svg+xml"})
    document = {
        "name": f"Личный кабинет — {company_name}",
        "short_name": "Личный кабинет",
        "lang": "ru",
        "start_url": "/home",
        "scope": "/",
        "display": "standalone",
        "theme_color": colour,
        "background_color": "#ffffff",
        "icons": icons,
    }
    return json.dumps(document, ensure_ascii=False).encode()


@functools.lru_cache(maxsize=8)
def _png(size: int, colour: str) -> bytes:
    return icon_png(size, colour)


class AppAssetsController(Controller):
    @get("/assets/{version:str}/{name:str}", sync_to_thread=False)
    def asset(self, portal: Portal, version: FromPath[str], name: FromPath[str]) -> Response[bytes]:
        """A static file at its versioned address, kept by browsers for a year."""
        asset = portal.static_assets.get(version, name)
        if asset is None:
            return Response(b"", status_code=404, headers={"Cache-Control": "no-store"})
        return Response(
            asset.body, media_type=asset.media_type, headers={"Cache-Control": IMMUTABLE}
        )

    @get("/manifest.webmanifest", sync_to_thread=False)
    def manifest(self, portal: Portal) -> Response[bytes]:
        """The web app manifest, for adding the portal to a phone's home screen."""
        body = manifest(portal.app_name, portal.app_colour)
        return Response(
            body, media_type="application/manifest+json", headers={"Cache-Control": AN_HOUR}
        )

    @get("/icon.svg", sync_to_thread=False)
    def icon_svg(self, portal: Portal) -> Response[bytes]:
        """The app's icon, drawn in the company's colour."""
        return Response(
            icon_svg(portal.app_colour).encode(),
            media_type="image/svg+xml",
            headers={"Cache-Control": AN_HOUR},
        )

    @get("/icons/{name:str}", sync_to_thread=True)
    def icon_png(self, portal: Portal, name: FromPath[str]) -> Response[bytes]:
        """The app's icon as the PNG sizes home screens want (`192.png`, `512.png`)."""
        size = next((size for size in ICON_SIZES if name == f"{size}.png"), None)
        if size is None:
            return Response(b"", status_code=404, headers={"Cache-Control": "no-store"})
        return Response(
            _png(size, portal.app_colour),
            media_type="image/png",
            headers={"Cache-Control": AN_HOUR},
        )

"""CORS for the JSON API: off unless origins are configured (`LK_API_CORS_ORIGINS`)."""

from __future__ import annotations

from litestar.config.cors import CORSConfig


def api_cors(origins: str) -> CORSConfig | None:
    """Cross-origin calls from the configured origins only, never with cookies: the API
    authenticates by bearer token, so a page elsewhere gets nothing a token does not give."""
    allowed = [origin.strip().rstrip("/") for origin in origins.split(",") if origin.strip()]
    if not allowed:
        return None
    return CORSConfig(
        allow_origins=allowed,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-None-Match", "Idempotency-Key"],
        expose_headers=["ETag", "Location"],
        allow_credentials=False,
        max_age=600,
    )

"""The HTTP edge: Litestar pages and JSON API."""

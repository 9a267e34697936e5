"""Refuse an oversized photo while it streams in, before anything else reads the form.

The form parser (and Litestar's CSRF check, which reads the form first) would spool a
50 MB file to disk before the handler could look at it. This middleware sits outside
them on the upload route only: it watches the multipart body as it arrives with a
streaming parser and stops the request as soon as one file passes the limit, so at most
the limit and one chunk are ever received (ADR 0064). The whole body is bounded too.
"""

from __future__ import annotations

from typing import Any

import multipart
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

# Room for the multipart headers of each part around the file's own bytes.
_PART_SLACK = 16 * 1024


class UploadTooLarge(HTTPException):
    """A file of the form is larger than a photo may be."""

    status_code = 413

    def __init__(self, megabytes: int) -> None:
        super().__init__(detail=f"Файл больше {megabytes} МБ")
        self.megabytes = megabytes


class UploadGuard:
    """Counts each file part of a multipart body as it streams; refuses one too large."""

    def __init__(self, app: ASGIApp, max_file_bytes: int) -> None:
        self.app = app
        self.max_file_bytes = max_file_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        boundary = _boundary(scope)
        if scope["type"] != ScopeType.HTTP or boundary is None:
            await self.app(scope, receive, send)
            return
        parser = multipart.PushMultipartParser(boundary)
        counting: dict[str, Any] = {"file": False, "size": 0, "broken": False}
        limit = self.max_file_bytes + _PART_SLACK

        async def watched() -> ReceiveMessage:
            message = await receive()
            body: bytes = message.get("body", b"") if message["type"] == "http.request" else b""
            if body and not counting["broken"]:
                try:
                    for event in parser.parse(body):
                        if isinstance(event, multipart.MultipartSegment):
                            counting["file"], counting["size"] = event.filename is not None, 0
                        elif isinstance(event, bytes | bytearray) and counting["file"]:
                            counting["size"] += len(event)
                            if counting["size"] > limit:
                                raise UploadTooLarge(self.max_file_bytes // (1024 * 1024))
                except multipart.MultipartError:
                    counting["broken"] = True  # the form parser will answer it
            return message

        await self.app(scope, watched, send)


def _boundary(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == b"content-type" and value.lower().startswith(b"multipart/form-data"):
            for parameter in value.split(b";")[1:]:
                key, _, raw = parameter.strip().partition(b"=")
                if key.lower() == b"boundary" and raw:
                    return raw.strip(b'"')
    return None

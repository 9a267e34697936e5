"""An SMS.ru look-alike on 127.0.0.1 for tests: it accepts every SMS and keeps the forms."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def sms_ru_server() -> Iterator[tuple[list[dict[str, list[str]]], str]]:
    """The forms it got (a list that grows) and its URL."""
    forms: list[dict[str, list[str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
            form = urllib.parse.parse_qs(raw)
            forms.append(form)
            number = form["to"][0]
            body = json.dumps(
                {
                    "status": "OK",
                    "status_code": 100,
                    "sms": {number: {"status": "OK", "status_code": 100, "sms_id": "1-1"}},
                    "balance": 100.0,
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield forms, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

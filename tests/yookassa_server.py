"""A YooKassa API v3 server on 127.0.0.1 for tests: the acquirer book behind real HTTP.

It checks Basic auth (401 otherwise), keeps payments by Idempotence-Key, and can be told
to fail the next requests (`fail_next(503)`, `fail_next("timeout")`) as YooKassa may, or
to hold every GET until released (`hold_fetches()`). `silent_server()` is the worst a
provider can do: it accepts connections and never answers.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

from lk_adapters.payments.acquirer_book import AcquirerBook

SHOP_ID = "506751"
SECRET_KEY = "test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE-axOwM0"


@attrs.define
class ProtocolServer:
    book: AcquirerBook
    url: str = ""
    requests: list[tuple[str, str, dict[str, str], Any]] = attrs.Factory(list)
    faults: list[int | str] = attrs.Factory(list)
    timeout_pause: float = 1.0
    released: threading.Event = attrs.Factory(threading.Event)

    def fail_next(self, *faults: int | str) -> None:
        self.faults.extend(faults)

    def hold_fetches(self) -> None:
        """Keep every GET waiting until `release_fetches()` (or 30 s)."""
        self.released.clear()

    def release_fetches(self) -> None:
        self.released.set()

    def fetches(self) -> list[tuple[str, str, dict[str, str], Any]]:
        return [r for r in self.requests if r[0] == "GET"]

    def posts(self) -> list[tuple[str, str, dict[str, str], Any]]:
        return [r for r in self.requests if r[0] == "POST"]


def _handler(server: ProtocolServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return False
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return server.book.authorized(user, password)

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            server.requests.append((method, self.path, dict(self.headers), body))
            if method == "GET":
                server.released.wait(timeout=30)
            if server.faults:
                fault = server.faults.pop(0)
                if fault == "timeout":
                    time.sleep(server.timeout_pause)
                    self._reply(503, {"type": "error", "code": "late"})
                    return
                self._reply(int(fault), {"type": "error", "code": "internal_server_error"})
                return
            if not self._authorized():
                self._reply(401, {"type": "error", "code": "invalid_credentials"})
                return
            if method == "POST" and self.path == "/v3/payments":
                key = self.headers.get("Idempotence-Key", "")
                self._reply(*server.book.create(body or {}, key))
            elif method == "GET" and self.path.startswith("/v3/payments/"):
                self._reply(*server.book.get(self.path.rsplit("/", 1)[1]))
            else:
                self._reply(404, {"type": "error", "code": "not_found"})

        def do_POST(self) -> None:
            self._serve("POST")

        def do_GET(self) -> None:
            self._serve("GET")

    return Handler


@contextmanager
def yookassa_server(
    pay_page: str = "https://yoomoney.test/checkout/{id}",
) -> Iterator[ProtocolServer]:
    """A running server; `url` is its base, as the adapter's `api_url`."""
    state = ProtocolServer(AcquirerBook(SHOP_ID, SECRET_KEY, pay_page))
    state.release_fetches()
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    http.daemon_threads = True
    state.url = f"http://127.0.0.1:{http.server_address[1]}"
    thread = threading.Thread(target=http.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        http.shutdown()
        http.server_close()


@contextmanager
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers; its base URL."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()

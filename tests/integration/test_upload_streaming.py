"""A 50 MB photo is refused while it streams (ADR 0064): the real server answers 413 after
receiving little more than the 10 MB a photo may have, long before the rest is sent."""

from __future__ import annotations

import select
import socket
import time
from pathlib import Path

from served_portal import free_port, production_environment, served_portal

MB = 1024 * 1024


def test_the_server_refuses_a_50_mb_photo_after_about_10_mb(tmp_path: Path) -> None:
    port = free_port()
    env = production_environment(tmp_path, port, LK_REQUESTS_PHOTO_FOLDER=str(tmp_path / "p"))
    with served_portal(env, port, tmp_path / "server.log") as base_url:
        boundary = "lkboundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        length = len(head) + 50 * MB + len(tail)
        request = (
            f"POST /requests/new HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Origin: {base_url}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
        ).encode()
        sent = 0
        answer = b""
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(request + head)
            chunk = b"\xff" * (256 * 1024)
            deadline = time.monotonic() + 60
            while sent < 50 * MB and time.monotonic() < deadline:
                readable, writable, _ = select.select([connection], [connection], [], 5)
                if readable:
                    answer = connection.recv(65536)
                    break
                if writable:
                    try:
                        sent += connection.send(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        break
            if not answer:
                connection.settimeout(10)
                answer = connection.recv(65536)

    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # The server stopped reading after about 10 MB; the socket buffers hold a few more.
    assert sent < 20 * MB, sent

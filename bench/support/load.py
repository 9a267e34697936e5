"""The servers a benchmark starts and the load generators that drive them over HTTP.

One thread keeps many keep-alive HTTP/1.1 connections busy with raw sockets and a
selector, so that the client's own CPU stays small beside the server's on a shared
machine; /proc gives the CPU time of the server's processes (and PostgreSQL's).
`drive` is closed-loop (each connection sends again as soon as it is answered: the
server's capacity); `offer` is open-loop (requests at a fixed rate whatever the answers,
latency from each request's scheduled time: the latency a resident sees at that load).
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LK = str(Path(sys.executable).parent / "lk")


def cores() -> int:
    return len(os.sched_getaffinity(0))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- Servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    database_pid: int | None = None  # PostgreSQL's postmaster, whose CPU is reported too
    split: list[int] = field(default_factory=list)  # connections per worker, last round


def wait_until_up(server: Server, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{server.name} did not start in {seconds:.0f} s")
        time.sleep(0.1)


@contextmanager
def running(
    name: str, port: int, command: list[str], env: dict[str, str], log: Path
) -> Iterator[Server]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Server(name, port, process, log)
    try:
        wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def lk_serve(port: int, workers: int) -> list[str]:
    return [LK, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]


def fetch(port: int, path: str, cookie: str) -> tuple[int, bytes, list[str]]:
    """Status, body, and the cookies set (`name=value`)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie, "User-Agent": "lk-bench"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    cookies = [value.split(";")[0] for value in response.headers.get_all("Set-Cookie") or []]
    return response.status, body, cookies


# --- The load generator ------------------------------------------------------------------------


def postmaster_pid() -> int | None:
    """The local PostgreSQL server's main process: a `postgres` whose parent is not one."""
    names: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            names[int(entry.name)] = (name, int(stat[stat.rindex(")") + 2 :].split()[1]))
    for pid, (name, parent) in names.items():
        if name == "postgres" and names.get(parent, ("", 0))[0] != "postgres":
            return pid
    return None


def process_tree(root: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    parent_of: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent_of[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parent_of.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sorted(tree)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


class Connection:
    """One keep-alive connection sending the same GET again and again."""

    def __init__(self, port: int, path: str, cookie: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: lk-bench\r\n"
            f"Accept: text/html\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
        self.buffer = bytearray()
        self.head_end = -1
        self.total = -1
        self.status = 0
        self.started = 0.0
        self.sent_at = 0.0  # by `offer`: when a request due at `started` went out

    def send(self, now: float) -> None:
        self.sock.sendall(self.request)  # a few hundred bytes: the socket takes them at once
        self.started = now
        self.buffer.clear()
        self.head_end = self.total = -1

    def received(self, data: bytes) -> bool:
        """Whether the answer is now complete."""
        self.buffer += data
        if self.head_end < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            head = bytes(self.buffer[:end])
            self.status = int(head[9:12])
            self.head_end = end + 4
            length = CONTENT_LENGTH.search(head)
            self.total = self.head_end + int(length[1]) if length else -2
        if self.total == -2:  # chunked: done at the last chunk
            return self.buffer.endswith(b"\r\n0\r\n\r\n")
        return len(self.buffer) >= self.total


def _server_socket(server: Server, client_port: int) -> str | None:
    """The server's end of a connection from `client_port`, as /proc/PID/fd names it."""
    local, remote = f":{server.port:04X}", f":{client_port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(local) and fields[2].endswith(remote) and fields[9] != "0":
                return f"socket:[{fields[9]}]"
    return None


def _workers(server: Server) -> list[int]:
    """The server's worker processes (uvicorn starts them with multiprocessing's spawn)."""
    found = []
    for pid in process_tree(server.process.pid):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def _holder(workers: list[int], socket_name: str) -> int | None:
    for pid in workers:
        try:
            if any(os.readlink(fd) == socket_name for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return pid
        except OSError:
            continue
    return None


def balanced(server: Server, make: Any, arguments: list[tuple[Any, ...]]) -> list[Any]:
    """Connections spread evenly over the server's workers. uvicorn's workers share one
    listening socket and the one awake first accepts, so left alone one worker may hold
    nearly all of them; a connection that lands on a worker holding its share already is
    closed and made again (Linux /proc tells which worker holds it). Every target gets
    the same, so that each uses all its workers."""
    workers = _workers(server)
    share = -(-len(arguments) // max(len(workers), 1))
    held: Counter[int] = Counter()
    connections = []
    for args in arguments:
        for tries_left in reversed(range(100)):
            connection = make(*args)
            if len(workers) < 2:
                break
            client_port = connection.sock.getsockname()[1]
            holder = None
            for _wait in range(100):  # until the worker has accepted it
                name = _server_socket(server, client_port)
                holder = _holder(workers, name) if name else None
                if holder is not None:
                    break
                time.sleep(0.001)
            if holder is not None and held[holder] < share:
                held[holder] += 1
                break
            if not tries_left:  # the last try is kept: unbalanced rather than closed
                break
            connection.sock.close()
        connections.append(connection)
    server.split = [held[pid] for pid in workers] if len(workers) > 1 else [len(connections)]
    return connections


@dataclass
class Load:
    """What one target did in one round."""

    target: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: Counter[int] = field(default_factory=Counter)
    body_bytes: int = 0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    database_cpu: float | None = None

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def percentile(self, q: float) -> float:
        """Milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def drive(
    server: Server,
    cookies: list[str],
    seconds: float,
    warmup: float,
    path: str = "/home",
    make_connection: Any = None,
) -> Load:
    """Every connection busy for `warmup` + `seconds`; answers completed in the last
    `seconds` count. `make_connection(port, path, cookie)` may send another request than
    a GET (bench/readings.py posts forms)."""
    result = Load(server.name, seconds)
    selector = selectors.DefaultSelector()
    make = make_connection or Connection
    connections = balanced(server, make, [(server.port, path, cookie) for cookie in cookies])
    pids = process_tree(server.process.pid)
    database: list[int] = []  # found near the end of the warm-up, when the pools have grown
    began = time.perf_counter()
    measure_from, stop = began + warmup, began + warmup + seconds
    cpu_at: dict[str, tuple[float, float, float]] = {}
    for connection in connections:
        connection.sock.setblocking(False)
        selector.register(connection.sock, selectors.EVENT_READ, connection)
        connection.send(began)
    open_connections = len(connections)
    while open_connections:
        events = selector.select(timeout=5)
        now = time.perf_counter()
        if not events:
            raise SystemExit(f"{server.name}: no answer in 5 s; see {server.log}")
        if server.database_pid and not database and now >= measure_from - 0.3:
            database = process_tree(server.database_pid)
            now = time.perf_counter()
        for edge, moment in (("start", measure_from), ("stop", stop)):
            if edge not in cpu_at and now >= moment:
                cpu_at[edge] = (cpu_seconds(pids), own_cpu_seconds(), cpu_seconds(database))
                now = time.perf_counter()
        for key, _mask in events:
            busy: Connection = key.data
            try:
                data = busy.sock.recv(1 << 18)
            except BlockingIOError:
                continue
            if not data:
                raise SystemExit(f"{server.name} closed a connection; see {server.log}")
            if not busy.received(data):
                continue
            if measure_from <= now <= stop:
                result.latencies.append(now - busy.started)
                result.body_bytes += len(busy.buffer) - busy.head_end
                if busy.status != 200:
                    result.errors[busy.status] += 1
            if now < stop:
                busy.send(now)
            else:
                selector.unregister(busy.sock)
                busy.sock.close()
                open_connections -= 1
    selector.close()
    result.server_cpu = cpu_at["stop"][0] - cpu_at["start"][0]
    result.client_cpu = cpu_at["stop"][1] - cpu_at["start"][1]
    if database:
        result.database_cpu = cpu_at["stop"][2] - cpu_at["start"][2]
    return result


@dataclass
class Offered(Load):
    """What one target did under a fixed offered rate (`offer`). `latencies` are from each
    request's scheduled time, for the requests scheduled within the measured window."""

    offered_rate: float = 0.0
    answered: int = 0  # answers completed within the window, whenever scheduled
    waited: int = 0  # requests that found every connection busy at their scheduled time
    most_waiting: int = 0  # the longest queue of such requests
    timeline: list[tuple[float, float, float]] = field(default_factory=list)  # due, sent, done

    @property
    def rate(self) -> float:
        """Answers completed per second within the window (what was achieved)."""
        return self.answered / self.seconds

    def late_ms(self, q: float) -> float:
        """A percentile of how long requests waited here past their scheduled time before
        going out (for a free connection, or for this process to get the CPU)."""
        if not self.timeline:
            return float("nan")
        ordered = sorted(sent - due for due, sent, _done in self.timeline)
        return 1000 * ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def offer(
    server: Server, cookies: list[str], rate: float, seconds: float, warmup: float,
    path: str = "/home",
) -> Offered:  # fmt: skip
    """Requests at a fixed `rate` (one every 1/`rate` s) for `warmup` + `seconds`, over at
    most one connection per cookie. A request is due at its scheduled time and goes out on
    the connection idle longest; if none is idle it waits in a queue for the first to be
    free. Its latency runs from the scheduled time, not from when it was sent, so that the
    waiting counts (no coordinated omission: a closed-loop client, or one timing from the
    send, would leave out exactly the requests a stall delayed). Requests scheduled within
    the last `seconds` count, answered whenever."""
    result = Offered(server.name, seconds, offered_rate=rate)
    selector = selectors.DefaultSelector()
    connections = balanced(server, Connection, [(server.port, path, c) for c in cookies])
    pids = process_tree(server.process.pid)
    database = process_tree(server.database_pid) if server.database_pid else []
    idle: deque[Connection] = deque()
    for connection in connections:
        connection.sock.setblocking(False)
        selector.register(connection.sock, selectors.EVENT_READ, connection)
        idle.append(connection)
    waiting: deque[float] = deque()  # scheduled times of requests no connection could take
    interval = 1 / rate
    began = time.perf_counter() + 0.01
    measure_from, stop = began + warmup, began + warmup + seconds
    scheduled = 0  # so far; the next is due at began + scheduled * interval
    in_flight = 0
    cpu_at: dict[str, tuple[float, float, float]] = {}
    progress = time.perf_counter()  # the last send or answer
    while True:
        now = time.perf_counter()
        for edge, moment in (("start", measure_from), ("stop", stop)):
            if edge not in cpu_at and now >= moment:
                cpu_at[edge] = (cpu_seconds(pids), own_cpu_seconds(), cpu_seconds(database))
                now = time.perf_counter()
        while (due := began + scheduled * interval) <= now and due < stop:
            scheduled += 1
            if measure_from <= due and not idle:
                result.waited += 1
            waiting.append(due)
        while waiting and idle:
            connection = idle.popleft()
            connection.send(waiting.popleft())  # timed from the scheduled time
            connection.sent_at = now
            in_flight += 1
            progress = now
        result.most_waiting = max(result.most_waiting, len(waiting))
        if not in_flight and not waiting and now >= stop:
            break
        if in_flight and now - progress > 5:
            raise SystemExit(f"{server.name}: no answer in 5 s; see {server.log}")
        next_moment = min(due, stop) if now < stop else now + 1.0  # then only answers
        timeout = min(max(next_moment - now, 0.0), 1.0)
        for key, _mask in selector.select(timeout=timeout):
            busy: Connection = key.data
            try:
                data = busy.sock.recv(1 << 18)
            except BlockingIOError:
                continue
            if not data:
                raise SystemExit(f"{server.name} closed a connection; see {server.log}")
            if not busy.received(data):
                continue
            progress = done_at = time.perf_counter()
            in_flight -= 1
            idle.append(busy)
            if measure_from <= done_at <= stop:
                result.answered += 1
            if measure_from <= busy.started < stop:
                result.latencies.append(done_at - busy.started)
                result.timeline.append((busy.started, busy.sent_at, done_at))
                result.body_bytes += len(busy.buffer) - busy.head_end
                if busy.status != 200:
                    result.errors[busy.status] += 1
    for connection in connections:
        selector.unregister(connection.sock)
        connection.sock.close()
    selector.close()
    result.server_cpu = cpu_at["stop"][0] - cpu_at["start"][0]
    result.client_cpu = cpu_at["stop"][1] - cpu_at["start"][1]
    if database:
        result.database_cpu = cpu_at["stop"][2] - cpu_at["start"][2]
    return result

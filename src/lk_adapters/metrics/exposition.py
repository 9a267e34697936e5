"""The metrics server `lk serve` runs beside the portal, on a port of its own (ADR 0056).

It answers in the Prometheus text format: the web processes' counters and histograms from
the multiprocess folder, and the gauges read from the database at that moment. It is
imported only once `use_multiprocess_directory` has named the folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Metric, multiprocess, start_http_server
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from lk_adapters.metrics.database_gauges import DatabaseCollector

_LIVE_GAUGE_FILE = re.compile(r"^gauge_live\w+_(\d+)\.db$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WebProcessesCollector(Collector):
    """Every web process's metrics; a process that died (killed, restarted by the
    supervisor) has its live gauges dropped first, so they stop counting."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(self._registry, path=str(folder))  # type: ignore[no-untyped-call]

    def collect(self) -> Iterator[Metric]:
        for entry in os.scandir(self._folder):
            if (match := _LIVE_GAUGE_FILE.match(entry.name)) and not _alive(int(match[1])):
                multiprocess.mark_process_dead(int(match[1]), str(self._folder))  # type: ignore[no-untyped-call]
        yield from self._registry.collect()


def metrics_registry(
    folder: Path, engine: Engine, now: Callable[[], dt.datetime]
) -> CollectorRegistry:
    """What a scrape reads: the web processes' metrics and the database's gauges."""
    registry = CollectorRegistry()
    registry.register(WebProcessesCollector(folder))
    registry.register(DatabaseCollector(engine, now))
    return registry


def serve_metrics(host: str, port: int, registry: CollectorRegistry) -> WSGIServer:
    """Answer scrapes on host:port in a thread of this process (OSError if it cannot)."""
    server, _thread = start_http_server(port, addr=host, registry=registry)
    return server

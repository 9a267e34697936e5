"""What the metrics cost a request (ADR 0056): the response hook's one histogram observation
and the pool gauge's two moves, in prometheus_client's multiprocess mode as `lk serve` runs
it (each value a write to a memory-mapped file), against a budget of 2% of a signed-in main
page served at 1,000 req/s by one process (1 ms): 20 µs. Measured in CPU time of this
process, so that other work on a shared machine does not count.

Run with no arguments; prints `RESULT metrics_overhead_us …`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time

GOAL_MICROSECONDS = 20.0
CALLS = 50_000
ROUNDS = 5


def main() -> None:
    folder = tempfile.mkdtemp(prefix="lk-metrics-bench-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder  # before prometheus_client loads
    from lk_adapters.metrics.pool import CONNECTIONS_IN_USE
    from lk_web.metrics import record_response
    from lk_web.request_logging import STATE_STARTED

    scope = {
        "type": "http", "method": "GET", "path": "/home", "path_template": "/home",
        "state": {STATE_STARTED: time.perf_counter()},
    }  # fmt: skip
    message = {"type": "http.response.start", "status": 200, "headers": []}

    async def hook_round() -> float:
        started = time.process_time()
        for _ in range(CALLS):
            await record_response(message, scope)  # type: ignore[arg-type]
        return (time.process_time() - started) / CALLS * 1e6

    def pool_round() -> float:
        started = time.process_time()
        for _ in range(CALLS):
            CONNECTIONS_IN_USE.inc()
            CONNECTIONS_IN_USE.dec()
        return (time.process_time() - started) / CALLS * 1e6

    hook = statistics.median(asyncio.run(hook_round()) for _ in range(ROUNDS))
    pool = statistics.median(pool_round() for _ in range(ROUNDS))
    total = hook + pool
    print(f"response hook (one observation): {hook:.1f} µs; pool gauge (checkout + checkin): "
          f"{pool:.1f} µs; per request with one unit of work: {total:.1f} µs")  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    met = "met" if total <= GOAL_MICROSECONDS else "missed"
    print(f"RESULT metrics_overhead_us {total:.1f} goal {GOAL_MICROSECONDS:.0f} {met}")
    sys.exit(0)


if __name__ == "__main__":
    main()

"""A web process that dies (killed, restarted by uvicorn's supervisor) stops counting in the
live gauges, and its counters still count (ADR 0056). Run in a process of its own: the
multiprocess mode is chosen when prometheus_client is first imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, multiprocessing, os, sys
os.environ["PROMETHEUS_MULTIPROC_DIR"] = sys.argv[1]

def web_process():
    from lk_adapters.metrics.pool import CONNECTIONS_IN_USE
    from lk_web.metrics import SIGN_INS
    CONNECTIONS_IN_USE.inc(); CONNECTIONS_IN_USE.inc()  # two connections, never returned
    SIGN_INS.labels("success").inc()
    os._exit(0)  # as if killed

if __name__ == "__main__":
    from pathlib import Path
    from lk_adapters.metrics.exposition import WebProcessesCollector
    from prometheus_client import CollectorRegistry
    from lk_adapters.metrics.pool import CONNECTIONS_IN_USE
    CONNECTIONS_IN_USE.inc()  # this live process holds one
    child = multiprocessing.get_context("spawn").Process(target=web_process)
    child.start(); child.join()
    registry = CollectorRegistry()
    registry.register(WebProcessesCollector(Path(sys.argv[1])))
    print(json.dumps({
        "in_use": registry.get_sample_value("lk_db_pool_connections_in_use"),
        "sign_ins": registry.get_sample_value("lk_sign_ins_total", {"outcome": "success"}),
        "files": sorted(os.listdir(sys.argv[1])),
        "child": child.pid,
        "exit": child.exitcode,
    }))
"""


def test_a_dead_processs_connections_stop_counting_and_its_sign_ins_still_count(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    script = tmp_path / "web_processes.py"  # a file: spawn imports the child's function
    script.write_text(SCRIPT)
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    done = subprocess.run(
        [sys.executable, str(script), str(metrics)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["exit"] == 0
    assert f"gauge_livesum_{seen['child']}.db" not in seen["files"]
    assert seen["in_use"] == 1  # the live process's, not the dead one's two
    assert seen["sign_ins"] == 1

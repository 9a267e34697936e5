"""The folder where every web process keeps its metrics (prometheus_client's multiprocess
mode). It must be named in the environment before prometheus_client is first imported,
in `lk serve` and hence in every process it starts, so this module does not import it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def use_multiprocess_directory() -> Path:
    """An empty folder for this run's metrics, named in the environment: the operator's
    `PROMETHEUS_MULTIPROC_DIR`, emptied of an earlier run's files, or a new one."""
    given = os.environ.get(VARIABLE)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
    else:
        folder = Path(tempfile.mkdtemp(prefix="lk-metrics-"))
    os.environ[VARIABLE] = str(folder)
    return folder


def remove_multiprocess_directory(folder: Path) -> None:
    """Remove a folder `use_multiprocess_directory` made (never the operator's own)."""
    if folder.name.startswith("lk-metrics-"):
        shutil.rmtree(folder, ignore_errors=True)

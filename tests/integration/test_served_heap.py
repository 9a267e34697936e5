"""`lk serve`'s workers freeze what they started with out of the garbage collector's walks
(ADR 0073): a full collection over the ~200,000 objects of a started portal stopped a
worker for 100 to 400 ms, the main page's slowest percent under load."""

from __future__ import annotations

import gc
from pathlib import Path

from litestar.testing import TestClient

from lk_adapters.container import Container, build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_web.app import create_app, create_served_app


def _container(folder: Path) -> Container:
    settings = {
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_PAYMENTS_VERIFY_IN_PROCESS": "0",
    }
    container = build_container(load_settings(settings))
    upgrade_database(container.engine())
    return container


def _collected(thing: object) -> bool:
    """Whether the collector's generations hold this object (frozen ones are not)."""
    return any(tracked is thing for tracked in gc.get_objects())


def test_a_served_portal_once_started_is_frozen_out_of_the_collectors_walks(
    tmp_path: Path,
) -> None:
    container = _container(tmp_path)
    gc.unfreeze()
    try:
        app = create_served_app(container)
        assert _collected(app.on_startup)
        with TestClient(app=app) as client:
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() > 100_000
            assert not _collected(app.on_startup)
    finally:
        gc.unfreeze()
        container.engine().dispose()


def test_the_portal_made_for_tests_and_embedding_freezes_nothing(tmp_path: Path) -> None:
    container = _container(tmp_path)
    gc.unfreeze()
    try:
        with TestClient(app=create_app(container)) as client:
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        container.engine().dispose()

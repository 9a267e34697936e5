"""The main page's CPU cost in this process: GET /home through Litestar's TestClient, and
the part of it spent rendering templates (ADR 0067).

Two steps, so that two versions of the code can be compared over the same data:

    python bench/home_cpu.py prepare DIR       # a demo company (`lk demo`) in DIR/lk.sqlite3,
                                               # one demo account registered: DIR/session
    PYTHONPATH=<tree>/src python bench/home_cpu.py measure DIR [--calls 400]

`measure` prints one line: ms of CPU (`time.process_time`) per GET /home, and per render.
Run it alternately for each tree (old, new, old, new, …): a shared machine's load drifts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BASE = "http://testserver.local"


def environment(folder: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": BASE,
    }


def prepare(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(folder)
    lk = [sys.executable, "-c", "from lk_cli.main import cli; cli()"]
    subprocess.run([*lk, "demo", "--folder", str(folder / "files")], env=env, check=True)
    os.environ.update(env)
    from lk_adapters.container import build_container
    from lk_adapters.demo import demo_accounts_to_try
    from lk_adapters.settings import load_settings
    from lk_core.access.sign_in import sign_in

    sys.path.insert(0, str(Path(__file__).parent))
    from support.portal import PASSWORD, register

    container = build_container(load_settings(env))
    number, surname = demo_accounts_to_try(folder / "files")[0]
    register(container, number, surname)
    raw = sign_in(container.access(), number, PASSWORD, ip="127.0.0.1", current_session=None)
    (folder / "session").write_text(raw)
    container.engine().dispose()


def measure(folder: Path, calls: int) -> None:
    import jinja2
    import structlog
    from litestar.testing import TestClient

    from lk_adapters.container import build_container
    from lk_adapters.settings import load_settings
    from lk_web.app import create_app
    from lk_web.client import SESSION_COOKIE_PLAIN

    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    rendering = [0.0]
    render = jinja2.Template.render

    def timed_render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        started = time.process_time()
        try:
            return render(self, *args, **kwargs)
        finally:
            rendering[0] += time.process_time() - started

    jinja2.Template.render = timed_render  # type: ignore[method-assign]
    container = build_container(load_settings(environment(folder)))
    with TestClient(app=create_app(container), base_url=BASE) as client:
        client.cookies.set(SESSION_COOKIE_PLAIN, (folder / "session").read_text())
        for _ in range(30):
            answer = client.get("/home")
            assert answer.status_code == 200, answer.status_code
            assert "К оплате" in answer.text
        rendering[0] = 0.0
        started = time.process_time()
        for _ in range(calls):
            client.get("/home")
        spent = time.process_time() - started
    print(f"{spent / calls * 1000:.3f} {rendering[0] / calls * 1000:.3f} {len(answer.content)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=("prepare", "measure"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--calls", type=int, default=400)
    options = parser.parse_args()
    if options.step == "prepare":
        prepare(options.folder)
    else:
        measure(options.folder, options.calls)


if __name__ == "__main__":
    main()

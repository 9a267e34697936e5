"""Liveness and readiness probes for the process supervisor and load balancer."""

from __future__ import annotations

from litestar import Controller, Response, get
from sqlalchemy import text

from lk_web.dependencies import Portal


class HealthController(Controller):
    """`/healthz`: the process answers; `/readyz`: it can also reach its database."""

    include_in_schema = False

    @get("/healthz", sync_to_thread=False)
    def healthz(self) -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @get("/readyz", sync_to_thread=True)
    def readyz(self, portal: Portal) -> Response[dict[str, str]]:
        """The database answers a trivial query."""
        try:
            with portal.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return Response({"status": "unavailable"}, status_code=503)
        return Response({"status": "ready"})

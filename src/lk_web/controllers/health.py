"""Liveness and readiness probes for the process supervisor and load balancer."""

from __future__ import annotations

from litestar import Controller, Response, get

from lk_adapters.sqlalchemy.migrations import current_revision, head_revision
from lk_web.dependencies import Portal


class HealthController(Controller):
    """`/healthz`: the process answers; `/readyz`: it can also serve pages from its database."""

    include_in_schema = False

    @get("/healthz", sync_to_thread=False)
    def healthz(self) -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @get("/readyz", sync_to_thread=True)
    def readyz(self, portal: Portal) -> Response[dict[str, str]]:
        """The database answers and its schema is this version's (migrations at head): a
        load balancer sends no visitor to a host that would fail them."""
        try:
            revision = current_revision(portal.engine)
        except Exception:
            return Response({"status": "unavailable", "reason": "database"}, status_code=503)
        if revision != head_revision():
            return Response({"status": "unavailable", "reason": "migrations"}, status_code=503)
        return Response({"status": "ready"})

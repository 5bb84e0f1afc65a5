"""Routes without sign-in: crossing points, a driver's tracking link, health."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request

from bordergate.domain.errors import NotFound
from bordergate.entrypoints.api.deps import GateDep, LocaleDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web import routes as web_routes
from bordergate.services import views

router = APIRouter(tags=["public"], route_class=IdempotentRoute)


@router.get("/api/v1/crossing-points")
def crossing_points(gate: GateDep) -> list[dict[str, Any]]:
    """The crossing points a declaration may name."""
    with gate.reader() as uow:
        return [asdict(point) for point in uow.crossing_points.list()]


@router.get("/track/{reference}/{key}", responses={200: {"content": {"text/html": {}}}})
def track(reference: str, key: str, request: Request, gate: GateDep, locale: LocaleDep) -> Any:
    """What the declaration's QR code opens: the trip's state, for whoever holds the link (a page in a browser)."""
    if not gate.tracking.verify(reference, key):
        raise NotFound("this tracking link is not valid; scan the QR code on the declaration again")
    if pages.wants_html(request):
        return web_routes.tracking_page(request, gate, reference, key, pages.screen_locale(request))
    return views.tracking(gate.reader(), reference, locale)


@router.get("/healthz")
def health(gate: GateDep) -> dict[str, str]:
    """Liveness and database reachability, for the load balancer; ``now`` is the gate's clock (a replayed day
    runs on its own), which a simulator driving the server over HTTP paces itself by."""
    with gate.reader() as uow:
        uow.crossing_points.active_codes()
    return {"status": "ok", "now": gate.clock.now().isoformat()}

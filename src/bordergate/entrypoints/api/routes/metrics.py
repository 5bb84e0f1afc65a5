"""GET /metrics: this server process's Prometheus metrics, for administrators."""
from __future__ import annotations

from fastapi import APIRouter, Response

from bordergate.adapters.metrics import exposition
from bordergate.domain.access import ADMINISTER, require
from bordergate.entrypoints.api.deps import PrincipalDep

router = APIRouter()


@router.get("/metrics", tags=["operations"], response_class=Response,
            responses={200: {"content": {"text/plain": {}}}})
def metrics(principal: PrincipalDep) -> Response:
    """Counters in Prometheus text format (refused unauthenticated requests by kind); an administrator's Bearer
    token. Each server process counts its own requests."""
    require(principal, ADMINISTER)
    body, content_type = exposition()
    return Response(body, media_type=content_type)

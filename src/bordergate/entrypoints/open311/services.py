"""Open311 discovery, the list of services and a service's definition (its attributes)."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response

from bordergate.domain.errors import NotFound
from bordergate.entrypoints.open311.common import PREFIX, check_jurisdiction, gate_of, locale_of, settings_of
from bordergate.entrypoints.open311.formats import answer, format_of
from bordergate.entrypoints.open311.routing import Open311Route
from bordergate.services import open311_views

# Out of the OpenAPI document: GeoReport v2 is its contract (docs/using-the-api.md), its errors are not RFC 9457.
router = APIRouter(prefix=PREFIX, route_class=Open311Route, include_in_schema=False)


@router.get("/discovery.{fmt}", summary="Open311 discovery: the endpoint, its formats and contact")
def discovery(request: Request, fmt: str) -> Response:
    fmt = format_of(fmt)
    url = gate_of(request).settings.public_url.rstrip("/") + PREFIX
    return answer("discovery", open311_views.discovery(settings_of(request), url), fmt)


@router.get("/services.{fmt}", summary="Open311 services: one per public report category (tips are not listed)")
def services(request: Request, fmt: str) -> Response:
    fmt = format_of(fmt)
    check_jurisdiction(request)
    gate = gate_of(request)
    return answer("services", open311_views.services(gate.reader(), gate.clock.now(), locale_of(request)), fmt)


@router.get("/services/{service_code}.{fmt}", summary="Open311 service definition: the category's attributes")
def service_definition(request: Request, service_code: str, fmt: str) -> Response:
    fmt = format_of(fmt)
    check_jurisdiction(request)
    gate = gate_of(request)
    return answer("service_definition",
                  open311_views.service_definition(gate.reader(), gate.clock.now(), service_code), fmt)


@router.api_route("/{anything:path}", methods=["GET", "POST"], include_in_schema=False)
def elsewhere(anything: str) -> Response:
    """Anything else under /open311/v2/ is a 404 in the spec's format, not a problem+json."""
    raise NotFound(f"there is no Open311 resource {anything}; discovery.xml lists what this endpoint serves")

"""Open311 service requests: post one (form-encoded, api_key), read them, and a token's service_request_id."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from bordergate.domain.errors import FieldProblem, Forbidden, Invalid
from bordergate.domain.open311_commands import PostServiceRequest
from bordergate.entrypoints.api.deps import address_of
from bordergate.entrypoints.open311.common import PREFIX, check_jurisdiction, gate_of, locale_of, settings_of
from bordergate.entrypoints.open311.formats import answer, format_of
from bordergate.entrypoints.open311.routing import Open311Route
from bordergate.services import open311, open311_views
from bordergate.services.refusals import refuse_stranger

# Out of the OpenAPI document: GeoReport v2 is its contract (docs/using-the-api.md), its errors are not RFC 9457.
router = APIRouter(prefix=PREFIX, route_class=Open311Route, include_in_schema=False)
# attribute[code]=v, and attribute[code][]=v for each value of a multivaluelist (FixMyStreet's clients, Spark).
_ATTRIBUTE = re.compile(r"attribute\[([^\]]{1,60})\](\[\])?")
_TEXT = ("service_code", "description", "address_string", "address_id", "device_id", "first_name", "last_name",
         "phone", "media_url")
PAGES = 10_000  # a page beyond this is a mistake, not a reader (and an unbounded offset reaches the database)


async def fields_of(request: Request) -> dict[str, Any]:
    """The posted form's fields (query parameters too: some clients put api_key there), attributes gathered."""
    form = await request.form()
    fields: dict[str, Any] = {"attributes": {}, "nul": []}
    for name, value in [*request.query_params.multi_items(), *form.multi_items()]:
        if not isinstance(value, str):
            continue  # a file: media is a link here (media_url), never an upload
        if "\x00" in value:  # no database keeps it the same way (PostgreSQL refuses it): refused by name
            fields["nul"].append(name)
            continue
        found = _ATTRIBUTE.fullmatch(name)
        if found:
            code, many = found.group(1), found.group(2)
            if many:
                fields["attributes"].setdefault(code, []).append(value)
            else:
                fields["attributes"][code] = value
        else:
            fields[name] = value
    return fields


def _authenticated(request: Request, api_key: str | None) -> None:
    """The client's key checked first: a stranger learns only that it is wrong, and is counted in the bounded
    security log (never the audit trail; never the key itself)."""
    gate = gate_of(request)
    try:
        with gate.reader() as uow:
            open311.authenticate(uow, api_key)
    except Forbidden:
        refuse_stranger(gate.uow(), gate.security_limits, kind="open311_key", source=address_of(request),
                        why="no api_key" if not api_key else "unknown or revoked api_key", now=gate.clock.now())
        raise


def _number(fields: dict[str, Any], name: str, problems: list[FieldProblem]) -> float | None:
    raw = (fields.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        problems.append(FieldProblem(name, "is not a number (decimal degrees, WGS84)"))
        return None


@router.post("/requests.{fmt}", summary="Open311 POST a service request (form-encoded, with api_key)")
async def post_request(request: Request, fmt: str) -> Response:
    fmt = format_of(fmt)
    fields = await fields_of(request)
    check_jurisdiction(request, fields.get("jurisdiction_id"))
    await run_in_threadpool(_authenticated, request, fields.get("api_key"))  # a stranger learns only that
    problems = [FieldProblem(name, "contains a NUL character; send the text without it") for name in fields["nul"]]
    lat, lon = _number(fields, "lat", problems), _number(fields, "long", problems)
    if not fields.get("service_code"):
        problems.append(FieldProblem("service_code", "is required; GET services lists them"))
    if problems:
        raise Invalid(problems)
    text = {name: (fields.get(name) or "").strip() or None for name in _TEXT}
    command = PostServiceRequest(
        actor=None, api_key=fields.get("api_key") or "", service_code=text["service_code"] or "",
        description=text["description"] or "", lat=lat, lon=lon, address_string=text["address_string"],
        address_id=text["address_id"], attributes=fields["attributes"], device_id=text["device_id"],
        first_name=text["first_name"], last_name=text["last_name"], phone=text["phone"],
        media_url=text["media_url"])  # email and account_id: read, never kept
    done = await run_in_threadpool(gate_of(request).bus.handle, command)
    return answer("service_requests", open311_views.posted(done.code, done.token, done.held), fmt)


@router.get("/tokens/{token}.{fmt}", summary="Open311 the service_request_id a token became, once public")
def token(request: Request, token: str, fmt: str) -> Response:
    fmt = format_of(fmt)
    check_jurisdiction(request)
    return answer("service_requests", open311_views.by_token(gate_of(request).reader(), token), fmt)


@router.get("/requests.{fmt}", summary="Open311 public service requests (90 days or 1,000 by default)")
def requests(request: Request, fmt: str) -> Response:
    fmt = format_of(fmt)
    check_jurisdiction(request)
    q = request.query_params
    problems: list[FieldProblem] = []
    start, end = _date(q.get("start_date"), "start_date", problems), _date(q.get("end_date"), "end_date", problems)
    page, page_size = _count(q.get("page"), "page", problems), _count(q.get("page_size"), "page_size", problems)
    if problems:
        raise Invalid(problems)
    gate = gate_of(request)
    found = open311_views.requests(
        gate.reader(), settings_of(request), gate.clock.now(), locale_of(request), ids=q.get("service_request_id"),
        service_code=q.get("service_code"), start=start, end=end, status=q.get("status"), page=page or 1,
        page_size=page_size)
    return answer("service_requests", found, fmt)


@router.get("/requests/{service_request_id}.{fmt}", summary="Open311 one public service request")
def one_request(request: Request, service_request_id: str, fmt: str) -> Response:
    fmt = format_of(fmt)
    check_jurisdiction(request)
    found = open311_views.one_request(gate_of(request).reader(), service_request_id, locale_of(request))
    return answer("service_requests", found, fmt)


def _date(raw: str | None, name: str, problems: list[FieldProblem]) -> datetime | None:
    if not raw:
        return None
    try:
        at = datetime.fromisoformat(raw.strip().replace(" ", "+"))  # a '+' in a query string arrives as a space
    except ValueError:
        problems.append(FieldProblem(name, "is not a W3C date and time (like 2026-12-01T00:00:00+07:00)"))
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=open311_views.VIETNAM)  # a date without an offset is the province's
    return at


def _count(raw: str | None, name: str, problems: list[FieldProblem]) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= PAGES:
        problems.append(FieldProblem(name, f"is a whole number from 1 to {PAGES}"))
        return None
    return int(raw)

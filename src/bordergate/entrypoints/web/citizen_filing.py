"""The phone's filing API: POST /citizen/api/reports (multipart, photos) and the "is it one of these?" look-up."""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from bordergate.domain import report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import FieldProblem, Invalid, InvalidValue
from bordergate.domain.report_limits import SameFiling
from bordergate.domain.report_photos import Photo
from bordergate.entrypoints.api.deps import ClientAddress, GateDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.problems import PROBLEM_JSON
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import SignInRequired, screen_principal
from bordergate.services import report_views
from bordergate.services.authentication import NotAuthenticated
from bordergate.services.reporting import Filed

router = APIRouter(include_in_schema=False, route_class=IdempotentRoute)
REPORTS = "/citizen/api/reports"
_FIELDS = ("category", "description", "lat", "lon", "accuracy_m", "address_text", "commune_code", "contact_phone",
           "attributes", "signed_in", "photos")
_SLACK_BYTES = 1_000_000  # the text fields and the multipart framing around the photos


def citizen_of(request: Request) -> Principal | None:
    """The signed-in person of the phone's pages, or None for someone filing without signing in."""
    try:
        return screen_principal(request)
    except SignInRequired:
        return None


@router.post(REPORTS, status_code=201)
async def file_report(request: Request, gate: GateDep, address: ClientAddress) -> Any:
    """File a report from the phone: fields as the new-report page sends them, up to four photos. Signed in (the
    screens' cookie) or not (the answer carries the secret link, once). The page sends ``signed_in=1`` when the
    draft was started signed in: then a lost session is 401 (sign in again), never an anonymous report."""
    settings = gate.settings
    most = settings.report_photos_max * settings.report_photo_max_bytes + _SLACK_BYTES
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > most:
        raise Invalid([FieldProblem("photos", f"the report is larger than {most / 1e6:.0f} MB: send at most "
                                              f"{settings.report_photos_max} photos of "
                                              f"{settings.report_photo_max_bytes / 1e6:.0f} MB each")])
    form = await request.form(max_files=settings.report_photos_max + 1, max_fields=40)
    actor = citizen_of(request)
    if actor is None and form.get("signed_in") == "1":
        raise NotAuthenticated("your sign-in has ended; sign in again and this report will be sent")
    photos = await _photos(gate, form)
    command = rc.FileReport(actor, **_fields(form), photos=photos, address=address, source="phone")
    try:
        filed = await run_in_threadpool(gate.bus.handle, command)
    except SameFiling as same:
        body = {"type": "https://bordergate.org/problems/409", "title": same.title, "status": 409,
                "detail": same.detail, "instance": REPORTS, "tracking_code": same.tracking_code,
                "url": f"/r/{same.tracking_code}"}
        return JSONResponse(body, status_code=409, media_type=PROBLEM_JSON)
    assert isinstance(filed, Filed)
    return JSONResponse(answer(filed.tracking_code, filed.secret), status_code=201,
                        headers={"location": f"/r/{filed.tracking_code}"})


def answer(code: str, secret: str | None) -> dict[str, Any]:
    """What the phone is told: the tracking code, its page, and for an anonymous reporter the secret link."""
    body: dict[str, Any] = {"tracking_code": code, "url": f"/r/{code}"}
    if secret:
        body["secret_url"] = f"/r/{code}?k={secret}"
    return body


def _fields(form: FormData) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    unknown = sorted({name for name in form.keys() if name not in _FIELDS and name != "csrf_token"})
    problems += [FieldProblem(name, "is not a field of a report") for name in unknown]
    text = {name: value.strip() for name in _FIELDS if isinstance(value := form.get(name), str) and value.strip()}
    numbers: dict[str, float | None] = {}
    for name in ("lat", "lon", "accuracy_m"):
        try:
            numbers[name] = float(text[name]) if name in text else None
        except ValueError:
            problems.append(FieldProblem(name, "give a number"))
    attributes: dict[str, Any] = {}
    if "attributes" in text:
        try:
            attributes = json.loads(text["attributes"])
            if not isinstance(attributes, dict):
                raise InvalidValue("not an object")
        except (ValueError, InvalidValue):
            problems.append(FieldProblem("attributes", "send the answers as a JSON object, question code: answer"))
    if "category" not in text:
        problems.append(FieldProblem("category", "choose what the problem is about"))
    if problems:
        raise Invalid(problems)
    return {"category": text["category"], "description": text.get("description", ""), **numbers,
            "address_text": text.get("address_text"), "commune_code": text.get("commune_code"),
            "place_source": "gps" if numbers["lat"] is not None else "typed", "attributes": attributes,
            "contact_phone": text.get("contact_phone")}


async def _photos(gate: Any, form: FormData) -> tuple[Photo, ...]:
    """Each photo made clean off the event loop (Pillow decodes in a worker thread, a few at a time); every bad
    one named at once."""
    sent = [part for part in form.getlist("photos") if isinstance(part, UploadFile) and part.filename]
    if len(sent) > gate.settings.report_photos_max:
        raise Invalid([FieldProblem("photos", f"send at most {gate.settings.report_photos_max} photos")])
    photos, problems = [], []
    for index, part in enumerate(sent):
        data = await part.read(gate.settings.report_photo_max_bytes + 1)
        try:
            photos.append(await run_in_threadpool(gate.photos.prepare, data, f"photos[{index}]"))
        except Invalid as refused:
            problems += refused.problems
    if problems:
        raise Invalid(problems)
    return tuple(photos)


@router.get("/citizen/api/nearby")
def nearby(request: Request, gate: GateDep, locale: pages.ScreenLocale, category: str, lat: float,
           lon: float) -> Any:
    """"Is it one of these?": public reports near here of the same category, to follow instead of filing again.
    Distances to the nearest 10 m: exact ones, asked from three places, would give away the exact spot the
    public page rounds to four decimals."""
    found = report_views.nearby_reports(gate.reader(), category, lat, lon, gate.clock.now(), locale)
    return {"reports": [{**report, "metres": max(10, round(report["metres"], -1))} for report in found]}

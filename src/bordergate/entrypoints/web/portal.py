"""The declarant portal: declare (reusing saved vehicles and drivers), correct, pay, book, follow, receipts."""
from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bordergate.adapters.qr import qr_svg
from bordergate.adapters.receipts import render_receipt
from bordergate.domain import commands
from bordergate.domain.access import DECLARE, require
from bordergate.domain.accounts import Role
from bordergate.domain.booking import slot_window
from bordergate.domain.checkpoints import Direction, direction_of
from bordergate.domain.crossing_points import names_in
from bordergate.domain.errors import DomainError, Invalid, NotFound
from bordergate.domain.trip import ContainerSize, Flow, VehicleClass
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.api.downloads import disposition
from bordergate.entrypoints.api.problems import status_of
# The receipt is drawn exactly as the API draws it, and the sandbox's callback goes through the provider's door.
from bordergate.entrypoints.api.routes.fees import receipt_document
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.acting import Screen, detail_of
from bordergate.entrypoints.web.csrf import origin_of
from bordergate.entrypoints.web.field_labels import correction_fields, field_label, typed_choice
from bordergate.entrypoints.web.i18n import gettext_for
from bordergate.entrypoints.web.portal_form import (GOODS_FLAGS, GOODS_KEY, local_moment, place, return_of,
                                                    trip_of, without_blank_lines)
from bordergate.entrypoints.web.session import ScreenPrincipal
from bordergate.services import (agency_views, control_views, fee_views, history_views, portal_views, queue_views,
                                 views)

router = APIRouter(include_in_schema=False)
LABELLED = {"flow": Flow, "vehicle_class": VehicleClass, "container_size": ContainerSize, "role": Role}
TRUE, FALSE = {"true", "yes", "1", "on", "có", "是"}, {"false", "no", "0", "off", "không", "否"}


async def _form(request: Request) -> dict[str, str]:
    return {key: value for key, value in (await request.form()).items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _helpers(locale: str) -> dict[str, Callable]:
    """What every portal template formats with: times on the gate's clock, amounts, labels of codes."""
    return {"when": pages.local_time, "vnd": pages.vnd_for(locale),
            "named": lambda kind, code: LABELLED[kind](code).label(locale) if code else "",
            "field_named": lambda path: field_label(path, gettext_for(locale))}


def _points(gate, locale: str) -> dict[str, str]:
    """Crossing points by code: their names, for people reading ``locale``."""
    with gate.reader() as uow:
        return names_in(uow.crossing_points.list(), locale)


# A GET the principal cannot have is said on a page, with the way back; a refused form comes back on the trip's page,
# next to where it was asked (even a role that may not), and so does a value that does not fit its grammar.
PORTAL = Screen("portal_problem.html", lambda exc, principal: {"detail": detail_of(exc)},
                lambda request, locale: {"done": request.query_params.get("done"), **_helpers(locale)},
                forbidden_refuses=False, also=(ValueError,))


def _enterprises(gate, principal) -> list[tuple[str, str]]:
    """The enterprises the principal declares for, by name."""
    with gate.reader() as uow:
        named = [(e, getattr(uow.accounts.organisation(e), "name", e)) for e in principal.enterprises]
    return sorted(named, key=lambda pair: pair[1])


@router.get("/portal", response_class=HTMLResponse)
def portal(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> Any:
    """The enterprise's declarations, newest first, with status, fee due and booking."""
    try:
        require(principal, DECLARE)
        listed = portal_views.declarations_page(gate.reader(), principal, locale)
    except DomainError as exc:
        return PORTAL.refused(request, locale, principal, exc)
    return PORTAL.page(request, "portal.html", locale, principal, **listed)


def _booking(gate, principal, reference: str, locale: str) -> dict[str, Any] | None:
    try:
        return queue_views.booking(gate.reader(), principal, reference, locale)
    except NotFound:
        return None


@router.get("/portal/declare", response_class=HTMLResponse)
def declare_form(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                 enterprise: str | None = None, like: str | None = None) -> Any:
    """The form: saved vehicles and drivers to pick; ``like`` starts from an earlier trip of the enterprise."""
    try:
        require(principal, DECLARE)
        values = _like(gate, principal, like) if like else _as_last_time(gate, principal, enterprise)
        enterprise = enterprise or values.get("enterprise_id")
        return _declare_page(request, gate, principal, locale, values, {}, enterprise)
    except DomainError as exc:
        return PORTAL.refused(request, locale, principal, exc)


@router.post("/portal/declare", response_class=HTMLResponse)
def declare(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
            form: FormData) -> Any:
    """Submit; an invalid trip comes back with each problem next to its field, nothing saved."""
    enterprise = form.get("enterprise_id") or _only(principal)
    values = without_blank_lines(form)
    if form.get("add_line"):
        return _declare_page(request, gate, principal, locale, values, {}, enterprise, extra_line=True)
    try:
        reference = gate.bus.handle(commands.SubmitDeclaration(
            principal, enterprise or "", trip_of(values), values.get("vehicle_id") or None,
            values.get("driver_id") or None, return_of(values)))
    except Invalid as invalid:
        errors = {p.field: p.message for p in invalid.problems}
        return _declare_page(request, gate, principal, locale, values, errors, enterprise, status_code=422)
    except DomainError as exc:
        return _declare_page(request, gate, principal, locale, values, {"": exc.detail}, enterprise,
                             status_code=status_of(exc))
    return RedirectResponse(f"/portal/{reference}?done=declared", status_code=303)


def _only(principal) -> str | None:
    """A declarant's own enterprise (an agent must choose)."""
    return principal.organisation_id if principal.organisation_id in principal.enterprises else (
        next(iter(principal.enterprises)) if len(principal.enterprises) == 1 else None)


def _declare_page(request, gate, principal, locale, values, errors, enterprise, *, status_code=200,
                  extra_line=False):
    enterprises = _enterprises(gate, principal)
    enterprise = enterprise if enterprise in dict(enterprises) else _only(principal)
    fleet = views.fleet(gate.reader(), principal, enterprise) if enterprise else {"vehicles": [], "drivers": []}
    with gate.reader() as uow:
        points = [(p.code, p.name_in(locale)) for p in uow.crossing_points.list() if p.active]
    lines = max([int(m.group(1)) + 1 for key in values if (m := GOODS_KEY.match(key))] or [1]) + extra_line
    placed, elsewhere = place(errors, lines)
    return PORTAL.page(request, "portal_declare.html", locale, principal, status_code=status_code, values=values,
                 errors=placed, elsewhere=elsewhere,
                 enterprises=enterprises, enterprise=enterprise, fleet=fleet, points=points, lines=lines,
                 flows=[(f.value, f.label(locale)) for f in Flow],
                 classes=[(c.value, c.label(locale)) for c in VehicleClass],
                 sizes=[(s.value, s.label(locale)) for s in ContainerSize])










def _as_last_time(gate, principal, enterprise: str | None) -> dict[str, str]:
    """A blank form starts at the crossing point and flow of the enterprise's last trip."""
    enterprise = enterprise or _only(principal)
    last = next((r for r in views.declarations(gate.reader(), principal, limit=20)
                 if r["enterprise_id"] == enterprise), None)
    return {"crossing_point": last["crossing_point"], "flow": last["flow"]} if last else {}


def _like(gate, principal, reference: str) -> dict[str, str]:
    """A new trip's form filled from an earlier one: same point, flow, saved vehicle and driver, goods."""
    earlier = views.declaration(gate.reader(), principal, reference)
    fleet = views.fleet(gate.reader(), principal, earlier["enterprise_id"])
    values = {"enterprise_id": earlier["enterprise_id"], "crossing_point": earlier["crossing_point"],
              "flow": earlier["flow"]}
    values["vehicle_id"] = next((v["id"] for v in fleet["vehicles"]
                                 if v["tractor_plate"] == earlier["vehicle"]["tractor_plate"]), "")
    values["driver_id"] = next((d["id"] for d in fleet["drivers"]
                                if d["document_number"] == earlier["driver"]["document_number"]), "")
    for i, line in enumerate(earlier["goods"]):
        values.update({f"goods[{i}].{k}": ("on" if v else "") if k in GOODS_FLAGS else str(v if v is not None else "")
                       for k, v in line.items()})
    return values


@router.get("/portal/receipts/{number}.pdf")
def receipt(number: str, gate: GateDep, principal: ScreenPrincipal) -> Response:
    """The receipt's PDF for the signed-in declarant (the API's needs a bearer token)."""
    found = fee_views.receipt(gate.reader(), number, principal)
    return Response(render_receipt(receipt_document(gate, found)), media_type="application/pdf",
                    headers=disposition(f"{found['number']}.pdf"))


@router.get("/portal/{reference}", response_class=HTMLResponse)
def trip(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
         locale: pages.ScreenLocale) -> Any:
    """One trip: details, a correction, clearance, the fee and its payment, booking, the timeline, receipts."""
    return _trip_page(request, gate, principal, locale, reference)


def _trip_page(request, gate, principal, locale, reference, *, failure: dict[str, Any] | None = None,
               status_code: int = 200, warning: dict[str, Any] | None = None):
    try:
        require(principal, DECLARE)
        d = views.declaration(gate.reader(), principal, reference, locale)
    except DomainError as exc:
        return PORTAL.refused(request, locale, principal, exc)
    try:
        clearance = agency_views.clearance(gate.reader(), principal, reference, locale)
    except NotFound:
        clearance = None
    tracking, points = gate.tracking_url(reference), _points(gate, locale)
    return PORTAL.page(request, "portal_trip.html", locale, principal, status_code=status_code, d=d,
                 now=gate.clock.now().isoformat(timespec="seconds"),
                 fee=fee_views.fee(gate.reader(), principal, reference, locale), clearance=clearance,
                 history=history_views.history(gate.reader(), principal, reference, locale),
                 fields=correction_fields(_fields(d), locale, gettext_for(locale), points),
                 choices=_booking_choices(gate, d, locale), tracking_url=tracking, failure=failure or {},
                 point_names=points, cash_only=gate.payments is None,
                 qr=base64.b64encode(qr_svg(tracking)).decode(), warning=warning,
                 live_url=f"/portal/{reference}/live?lang={locale}", **_live(gate, principal, reference, locale))


def _live(gate, principal, reference: str, locale: str) -> dict[str, Any]:
    """The parts that change without the declarant doing anything: the booking and the truck's reads."""
    return {"booking": _booking(gate, principal, reference, locale),
            "timeline": control_views.timeline(gate.reader(), principal, reference, locale)}


@router.get("/portal/{reference}/live")
def trip_live(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
              locale: pages.ScreenLocale) -> Any:
    views.declaration(gate.reader(), principal, reference)

    def fragment() -> str:
        return pages.render("portal_live.html", locale, csrf_token=pages.form_token(request), **_helpers(locale),
                            **_live(gate, principal, reference, locale))
    return pages.live(request, fragment, gate.settings.live_seconds, signed_in=True)


def _fields(d: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every field path of the trip with what it says now, for the correction form."""
    found: list[tuple[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list) and path != "containers":
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        else:
            found.append((path, ", ".join(node) if isinstance(node, list) else node))
    trip_keys = ("crossing_point", "flow", "planned_arrival", "vehicle", "driver", "goods", "containers",
                 "customs_declaration_number", "wharf_transfer_only")
    walk({key: d[key] for key in trip_keys}, "")
    return found


def _booking_choices(gate, d: dict[str, Any], locale: str) -> dict[str, Any]:
    """Ways the trip may cross, and the free hours of each lane that runs a queue."""
    fixed = direction_of(Flow(d["flow"]))
    ways = [fixed] if fixed else list(Direction)
    now = gate.clock.now()
    start, offered = slot_window(datetime.fromisoformat(d["planned_arrival"]), now)
    running, hours = [], []
    for way in ways:
        try:
            free = queue_views.free_hours(gate.reader(), d["crossing_point"], way.value, start, offered, now)
        except NotFound:
            continue
        running.append((way.value, way.label(locale)))
        hours += [{"value": f"{way.value}@{h['starts_at']}", "direction": way.label(locale),
                   "starts_at": h["starts_at"], "free": h["free"]} for h in free if h["free"]]
    return {"ways": running, "hours": hours}


def _act(request, gate, principal, locale, reference: str, section: str, action: Callable[[], Any],
         done: str, values: dict[str, str] | None = None):
    """Hand a command to the bus; back to the trip saying it is done (or where the action sends the browser), or
    with the refusal where it was asked."""
    def again(exc: Exception, status: int):
        fields = {p.field: p.message for p in exc.problems} if isinstance(exc, Invalid) else {}
        failure = {"section": section, "detail": detail_of(exc), "fields": fields, "typed": values or {}}
        return _trip_page(request, gate, principal, locale, reference, failure=failure, status_code=status)

    def answered(result: Any):
        if isinstance(result, Response):
            return result
        if isinstance(result, dict) and result.get("warning"):
            return _trip_page(request, gate, principal, locale, reference, warning=result["warning"])
        return RedirectResponse(f"/portal/{reference}?done={done}", status_code=303)
    return PORTAL.act(request, locale, principal, action, done=answered, again=again)


def _change(gate, principal, reference: str, path: str, text: str) -> dict[str, Any]:
    """One field's new value as typed, read the way the field's current value is written."""
    path = path.strip()
    current = dict(_fields(views.declaration(gate.reader(), principal, reference))).get(path)
    text = text.strip()
    value: Any = text or None
    if isinstance(current, bool) and text.lower() in TRUE | FALSE:
        value = text.lower() in TRUE
    elif path == "containers":
        value = [n for n in re.split(r"[\s,;]+", text) if n]
    elif path == "planned_arrival":
        value = local_moment(text)
    else:
        with gate.reader() as uow:
            value = typed_choice(path, text, uow.crossing_points.list()) or value
    return {path: value}


@router.post("/portal/{reference}/correct", response_class=HTMLResponse)
def correct(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
            form: FormData) -> Any:
    """Correct one field, keeping the rest; the fee and the agencies follow the corrected trip."""
    return _act(request, gate, principal, locale, reference, "correct", lambda: gate.bus.handle(
        commands.AmendDeclaration(principal, reference, _change(gate, principal, reference, form.get("field", ""),
                                                                form.get("value", "")),
                                  form.get("reason") or None)), "corrected", form)


@router.post("/portal/{reference}/answer/{agency}", response_class=HTMLResponse)
def answer(reference: str, agency: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
           locale: pages.ScreenLocale, form: FormData) -> Any:
    """Answer an agency's hold: a note, and a corrected field if it asked for one."""
    def act():
        changes = (_change(gate, principal, reference, form["field"], form.get("value", ""))
                   if form.get("field", "").strip() else {})
        return gate.bus.handle(commands.AnswerAgencyHold(principal, reference, agency, form.get("note", ""),
                                                         changes))
    return _act(request, gate, principal, locale, reference, f"answer:{agency}", act, "answered", form)


@router.post("/portal/{reference}/pay")
def pay(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> Any:
    """Open an order for what is due and go to the provider's page."""
    back = f"{gate.settings.public_url.rstrip('/')}/portal/{reference}"
    return _act(request, gate, principal, locale, reference, "fee", lambda: _to_provider(
        request, locale, principal, gate.bus.handle(commands.StartPayment(principal, reference, back))["redirect_url"]),
        "paid")


def _to_provider(request: Request, locale: str, principal, url: str) -> Response:
    """Off to the provider's page; if the screens' form-action does not name its origin, a browser would refuse to
    follow the form's redirect there, so the person is given a link to it instead."""
    if origin_of(url) in request.app.state.form_targets or origin_of(url) == origin_of(str(request.base_url)):
        return RedirectResponse(url, status_code=303)
    return PORTAL.page(request, "portal_to_provider.html", locale, principal, url=url)


@router.post("/portal/{reference}/book", response_class=HTMLResponse)
def book(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
         form: FormData) -> Any:
    """Join the live queue, or take a free hour ("outbound@2026-11-27T03:00:00+00:00")."""
    def act():
        if form.get("kind") == "slot":
            way, _, hour = form.get("slot", "").partition("@")
            slot = datetime.fromisoformat(hour) if hour else None
            return gate.bus.handle(commands.BookCrossing(principal, reference, "slot", slot, way or None))
        return gate.bus.handle(commands.BookCrossing(principal, reference, "live", None,
                                                     form.get("direction") or None))
    return _act(request, gate, principal, locale, reference, "booking", act, "booked", form)


@router.post("/portal/{reference}/booking/cancel", response_class=HTMLResponse)
def cancel_booking(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
                   locale: pages.ScreenLocale, form: FormData) -> Any:
    """Give the place up (late, it counts against the enterprise)."""
    return _act(request, gate, principal, locale, reference, "booking", lambda: gate.bus.handle(
        commands.CancelBooking(principal, reference, form.get("reason") or None)), "booking_cancelled")


@router.post("/portal/{reference}/cancel", response_class=HTMLResponse)
def cancel(reference: str, request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
           form: FormData) -> Any:
    """Withdraw the declaration; it stays on record, and what was paid comes back if the truck never came."""
    return _act(request, gate, principal, locale, reference, "cancel", lambda: gate.bus.handle(
        commands.CancelDeclaration(principal, reference, form.get("reason") or None)), "cancelled", form)

"""REST routes for declaring: submit, read, correct, cancel, history, QR code, saved fleet."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from bordergate.adapters.qr import qr_png, qr_svg
from bordergate.domain import commands
from bordergate.domain.access import DECLARE, require
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.schemas import AmendmentIn, CancellationIn, DeclarationIn, DriverIn, VehicleIn
from bordergate.services import history_views, views

router = APIRouter(prefix="/api/v1", tags=["declarations"], route_class=IdempotentRoute)


def _enterprise_for(principal, requested: str | None) -> str:
    """A declarant declares for their own enterprise; an agent must say which client it acts for."""
    require(principal, DECLARE)
    if requested:
        return requested
    if principal.organisation_id in principal.enterprises:
        return principal.organisation_id
    raise Invalid([FieldProblem("enterprise_id", "say which enterprise you declare for")])


def _created(gate, principal, reference: str, locale: str) -> dict[str, Any]:
    body = views.declaration(gate.reader(), principal, reference, locale)
    body["tracking_url"] = gate.tracking_url(reference)
    return body


@router.post("/declarations", status_code=status.HTTP_201_CREATED)
def submit(body: DeclarationIn, gate: GateDep, principal: PrincipalDep, locale: LocaleDep,
           response: Response) -> dict[str, Any]:
    """Declare a trip. The answer carries the reference and the QR link the driver shows at the gate."""
    trip = body.model_dump(mode="json", exclude={"enterprise_id", "vehicle_id", "driver_id", "return_empty"},
                           exclude_none=True)
    back = body.return_empty.model_dump(mode="json", exclude_none=True) if body.return_empty else None
    # Answered from what the command stored, in its transaction: no second unit of work reads it back.
    declared: views.Declared = gate.bus.handle(commands.SubmitDeclarationAnswered(
        principal, _enterprise_for(principal, body.enterprise_id), trip, body.vehicle_id, body.driver_id, back,
        locale=locale))
    response.headers["Location"] = f"/api/v1/declarations/{declared.declaration['reference']}"
    return declared.answer(gate.tracking_url)


@router.get("/declarations")
def list_declarations(gate: GateDep, principal: PrincipalDep, locale: LocaleDep,
                      status: str | None = None, crossing_point: str | None = None,
                      plate: Annotated[str | None, Query(description="tractor or trailer plate")] = None,
                      limit: Annotated[int, Query(ge=1, le=500)] = 50,
                      offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0) -> list[dict[str, Any]]:
    """Declarations you may see, newest first: your enterprise's, your clients', or all for officers."""
    return views.declarations(gate.reader(), principal, locale=locale, status=status, crossing_point=crossing_point,
                              plate=plate, limit=limit, offset=offset)


@router.get("/declarations/{reference}")
def read(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """One declaration in full."""
    return _created(gate, principal, reference, locale)


@router.patch("/declarations/{reference}")
def amend(reference: str, body: AmendmentIn, gate: GateDep, principal: PrincipalDep,
          locale: LocaleDep) -> dict[str, Any]:
    """Correct one or more fields without starting over; each change is kept with who, when, old and new."""
    changes = gate.bus.handle(commands.AmendDeclaration(principal, reference, body.changes, body.reason))
    declaration = _created(gate, principal, reference, locale)
    declaration["changes"] = [{"field": c.field, "old": c.old, "new": c.new} for c in changes]
    return declaration


@router.post("/declarations/{reference}/cancel")
def cancel(reference: str, body: CancellationIn, gate: GateDep, principal: PrincipalDep,
           locale: LocaleDep) -> dict[str, Any]:
    """Withdraw a declaration; it stays on record as cancelled."""
    gate.bus.handle(commands.CancelDeclaration(principal, reference, body.reason))
    return _created(gate, principal, reference, locale)


@router.get("/declarations/{reference}/history")
def history(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> list[dict[str, Any]]:
    """What happened to the declaration, oldest first: each event's name (``action``), its particulars, and
    ``sentence``, the same in words in the reader's language; ``actor_name`` names who did it."""
    return history_views.history(gate.reader(), principal, reference, locale)


@router.get("/declarations/{reference}/qr", responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}})
def qr(reference: str, gate: GateDep, principal: PrincipalDep,
       format: Annotated[str, Query(pattern="^(svg|png)$")] = "svg") -> Response:
    """The QR code of the driver's tracking link, as SVG (screens) or PNG (printing)."""
    views.declaration(gate.reader(), principal, reference)
    url = gate.tracking_url(reference)
    if format == "png":
        return Response(qr_png(url), media_type="image/png")
    return Response(qr_svg(url), media_type="image/svg+xml")


@router.get("/enterprises/{enterprise_id}/fleet", tags=["fleet"])
def fleet(enterprise_id: str, gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """Saved vehicles and drivers, to pick in the next declaration by vehicle_id and driver_id."""
    return views.fleet(gate.reader(), principal, enterprise_id)


@router.post("/enterprises/{enterprise_id}/vehicles", tags=["fleet"], status_code=status.HTTP_201_CREATED)
def save_vehicle(enterprise_id: str, body: VehicleIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Save a vehicle for reuse (the same tractor plate again updates it)."""
    entry_id = gate.bus.handle(commands.SaveVehicle(principal, enterprise_id,
                                                    body.model_dump(mode="json", exclude_none=True)))
    return {"id": entry_id}


@router.post("/enterprises/{enterprise_id}/drivers", tags=["fleet"], status_code=status.HTTP_201_CREATED)
def save_driver(enterprise_id: str, body: DriverIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Save a driver for reuse (the same document number again updates them)."""
    entry_id = gate.bus.handle(commands.SaveDriver(principal, enterprise_id,
                                                   body.model_dump(mode="json", exclude_none=True)))
    return {"id": entry_id}

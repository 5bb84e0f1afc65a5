"""REST routes of the gate's operators and officers: checkpoints, cameras, manual reads, reviews, alerts, holds."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from bordergate.domain import commands
from bordergate.entrypoints.api.control_schemas import (CameraIn, CheckpointIn, HoldIn, LiftIn, ManualReadIn, NoteIn,
                                                        ReviewIn, RevocationIn)
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.services import control_views

router = APIRouter(prefix="/api/v1", route_class=IdempotentRoute)
Limit = Annotated[int, Query(ge=1, le=500)]


@router.get("/checkpoints", tags=["checkpoints"])
def list_checkpoints(gate: GateDep, principal: PrincipalDep, locale: LocaleDep,
                     crossing_point: str | None = None) -> list[dict[str, Any]]:
    """Checkpoints with their cameras, by crossing point and direction."""
    return control_views.checkpoints(gate.reader(), principal, crossing_point, locale)


@router.post("/checkpoints", tags=["checkpoints"], status_code=status.HTTP_201_CREATED)
def add_checkpoint(body: CheckpointIn, gate: GateDep, principal: PrincipalDep,
                   locale: LocaleDep) -> dict[str, Any]:
    """Describe a checkpoint: highway approach camera, waiting-area entry, yard entry, inspection, border line."""
    checkpoint_id = gate.bus.handle(commands.AddCheckpoint(
        principal, body.crossing_point, body.kind.value, body.direction.value, body.name, body.lanes))
    found = control_views.checkpoints(gate.reader(), principal, body.crossing_point, locale)
    return next(c for c in found if c["id"] == checkpoint_id)


@router.post("/checkpoints/{checkpoint_id}/cameras", tags=["checkpoints"], status_code=status.HTTP_201_CREATED)
def register_camera(checkpoint_id: str, body: CameraIn, gate: GateDep, principal: PrincipalDep,
                    locale: LocaleDep) -> dict[str, Any]:
    """Register a camera. Its key is in this answer only: configure it in the camera as X-Camera-Key."""
    camera_id, key = gate.bus.handle(commands.RegisterCamera(principal, checkpoint_id, body.name, body.lane))
    return {**control_views.camera(gate.reader(), principal, camera_id, locale), "key": key}


@router.post("/cameras/{camera_id}/key", tags=["checkpoints"])
def issue_key(camera_id: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """Replace the camera's key; the old key is refused from now on."""
    key = gate.bus.handle(commands.IssueCameraKey(principal, camera_id))
    return {**control_views.camera(gate.reader(), principal, camera_id, locale), "key": key}


@router.post("/cameras/{camera_id}/revoke", tags=["checkpoints"])
def revoke_camera(camera_id: str, body: RevocationIn, gate: GateDep, principal: PrincipalDep,
                  locale: LocaleDep) -> dict[str, Any]:
    """Refuse the camera's reads from now on (403); its history stays."""
    gate.bus.handle(commands.RevokeCamera(principal, camera_id, body.reason))
    return control_views.camera(gate.reader(), principal, camera_id, locale)


@router.post("/checkpoints/{checkpoint_id}/manual-reads", tags=["control"], status_code=status.HTTP_201_CREATED)
def manual_read(checkpoint_id: str, body: ManualReadIn, gate: GateDep, principal: PrincipalDep,
                locale: LocaleDep) -> dict[str, Any]:
    """The camera is down: an operator enters the plate, and the barrier gets a decision as for a camera read."""
    answer = gate.bus.handle(commands.EnterPlate(principal, checkpoint_id, body.plate, body.captured_at, body.note))
    return control_views.read_answer(answer.read, locale, checkpoint_name=answer.checkpoint_name)


@router.get("/reviews", tags=["control"])
def review_queue(gate: GateDep, principal: PrincipalDep, locale: LocaleDep, crossing_point: str | None = None,
                 status: str = "open", limit: Limit = 100) -> list[dict[str, Any]]:
    """Reads no barrier may act on alone, oldest first, with the likely trucks and the reasons."""
    return control_views.review_queue(gate.reader(), principal, crossing_point, status, locale, limit)


@router.post("/reviews/{read_id}", tags=["control"],
             responses={204: {"description": "Dismissed: no declared truck in this read"}})
def resolve_review(read_id: str, body: ReviewIn, gate: GateDep, principal: PrincipalDep, locale: LocaleDep,
                   response: Response) -> dict[str, Any] | None:
    """Confirm the declaration a read is, give the plate it really says, or dismiss it (undeclared, not a plate)."""
    answer = gate.bus.handle(commands.ResolveReview(principal, read_id, body.reference, body.plate, body.dismiss,
                                                    body.note))
    if answer is None:
        response.status_code = status.HTTP_204_NO_CONTENT
        return None
    return control_views.read_answer(answer.read, locale, checkpoint_name=answer.checkpoint_name)


@router.get("/alerts", tags=["control"])
def list_alerts(gate: GateDep, principal: PrincipalDep, locale: LocaleDep, status: str | None = "open",
                crossing_point: str | None = None, kind: str | None = None,
                limit: Limit = 100) -> list[dict[str, Any]]:
    """Alerts, newest first: undeclared trucks, skipped checkpoints, overstays, cloned plates, silent cameras."""
    return control_views.alerts(gate.reader(), principal, status=status, crossing_point=crossing_point, kind=kind,
                                locale=locale, limit=limit)


@router.post("/alerts/{alert_id}/resolve", tags=["control"], status_code=status.HTTP_204_NO_CONTENT)
def resolve_alert(alert_id: str, body: NoteIn, gate: GateDep, principal: PrincipalDep) -> Response:
    """Close an alert, saying what was done."""
    gate.bus.handle(commands.ResolveAlert(principal, alert_id, body.note))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/control/sweep", tags=["control"])
def sweep(gate: GateDep, principal: PrincipalDep) -> dict[str, int]:
    """Look now for silent cameras and trucks in the yard too long (the server also does it on a timer)."""
    return gate.bus.handle(commands.SweepGate(principal))


@router.post("/declarations/{reference}/holds", tags=["control"], status_code=status.HTTP_201_CREATED)
def place_hold(reference: str, body: HoldIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """An officer holds the truck at its exit barrier; the declarant sees the reason."""
    return {"id": gate.bus.handle(commands.PlaceHold(principal, reference, body.reason))}


@router.post("/holds/{hold_id}/lift", tags=["control"], status_code=status.HTTP_204_NO_CONTENT)
def lift_hold(hold_id: str, body: LiftIn, gate: GateDep, principal: PrincipalDep) -> Response:
    """Lift your agency's hold."""
    gate.bus.handle(commands.LiftHold(principal, hold_id, body.note))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/declarations/{reference}/timeline", tags=["declarations"])
def timeline(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """The truck's way through the gate: every read with its decision and reasons, holds, and (officers) alerts."""
    return control_views.timeline(gate.reader(), principal, reference, locale)

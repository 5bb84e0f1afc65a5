"""Read models of smart control: barrier answers, checkpoints and cameras, the review queue, alerts, a timeline."""
from __future__ import annotations

from typing import Any

from bordergate.domain.access import SEE_EVERY_TRIP, WATCH_THE_GATE, allows, require
from bordergate.domain.accounts import Principal
from bordergate.domain.alerts import Alert, AlertKind, AlertStatus
from bordergate.domain.checkpoints import Camera, Checkpoint
from bordergate.domain.errors import NotFound
from bordergate.domain.labels import parse_choice
from bordergate.domain.plate_reads import PlateRead, ReviewStatus
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import labelled, visible_declaration


def read_answer(read: PlateRead, locale: str, *, replayed: bool = False,
                checkpoint_name: str | None = None) -> dict[str, Any]:
    """What a camera (or operator) is told about one read: the barrier's decision and why."""
    s = read.sighting
    return {
        "read_id": read.id, "replayed": replayed,
        "decision": labelled(read.barrier.decision, locale),
        "reasons": [{**labelled(b.reason, locale), "detail": b.detail} for b in read.barrier.reasons],
        "needs_review": read.needs_review,
        "outcome": labelled(read.outcome, locale), "match_reasons": list(read.match_reasons),
        "reference": read.reference, "role": read.role.value if read.role else None,
        "plate": s.plate_text, "read_as": read.read_as, "confidence": s.confidence,
        "source": labelled(s.source, locale), "checkpoint_id": s.checkpoint_id, "checkpoint_name": checkpoint_name,
        "checkpoint_kind": labelled(read.checkpoint_kind, locale), "crossing_point": read.crossing_point,
        "captured_at": s.captured_at.isoformat(), "received_at": read.received_at.isoformat(),
        "is_pass": read.is_pass, "camera_id": s.camera_id, "image_ref": s.image_ref, "note": s.note,
        "corrects_read_id": read.corrects_read_id, "suggestions": list(read.suggestions),
    }


def _checkpoint(c: Checkpoint, cameras: list[Camera], locale: str) -> dict[str, Any]:
    return {"id": c.id, "crossing_point": c.crossing_point, "name": c.name, "kind": labelled(c.kind, locale),
            "direction": labelled(c.direction, locale), "lanes": c.lanes, "active": c.active,
            "has_barrier": c.kind.has_barrier,
            "cameras": [_camera(camera, locale) for camera in cameras if camera.checkpoint_id == c.id]}


def _camera(camera: Camera, locale: str) -> dict[str, Any]:
    return {"id": camera.id, "checkpoint_id": camera.checkpoint_id, "name": camera.name, "lane": camera.lane,
            "status": labelled(camera.status, locale), "registered_at": camera.registered_at.isoformat(),
            "last_heartbeat_at": camera.last_heartbeat_at.isoformat() if camera.last_heartbeat_at else None}


def checkpoints(uow: UnitOfWork, principal: Principal, crossing_point: str | None, locale: str) -> list[dict[str, Any]]:
    """Every checkpoint (of one crossing point) with its cameras."""
    require(principal, WATCH_THE_GATE)
    with uow:
        found, cameras = uow.checkpoints.list(crossing_point), uow.cameras.list()
    return [_checkpoint(c, cameras, locale) for c in found]


def camera(uow: UnitOfWork, principal: Principal, camera_id: str, locale: str) -> dict[str, Any]:
    require(principal, WATCH_THE_GATE)
    with uow:
        found = uow.cameras.get(camera_id)
    if found is None:
        raise NotFound(f"no camera {camera_id}")
    return _camera(found, locale)


def review_queue(uow: UnitOfWork, principal: Principal, crossing_point: str | None, status: str, locale: str,
                 limit: int = 100) -> list[dict[str, Any]]:
    """Reads waiting for a person (oldest first), with the likely trucks and why the read could not act alone."""
    require(principal, WATCH_THE_GATE)
    status = parse_choice(ReviewStatus, status)
    with uow:
        items = uow.reviews.listing(crossing_point, status.value, limit)
        names = {c.id: c.name for c in uow.checkpoints.list(crossing_point)}
    return [{**read_answer(read, locale, checkpoint_name=names.get(read.sighting.checkpoint_id)),
             "review": {"status": item["review_status"], "opened_at": item["opened_at"].isoformat(),
                        "resolved_at": item["resolved_at"].isoformat() if item["resolved_at"] else None,
                        "resolved_by": item["resolved_by"], "resolution": item["resolution"],
                        "resolved_read_id": item["resolved_read_id"], "note": item["review_note"]}}
            for item, read in items]


def _alert(a: Alert, locale: str) -> dict[str, Any]:
    return {"id": a.id, "kind": labelled(a.kind, locale), "status": labelled(a.status, locale),
            "detail": a.detail, "crossing_point": a.crossing_point, "checkpoint_id": a.checkpoint_id,
            "camera_id": a.camera_id, "reference": a.reference, "plate": a.plate, "read_id": a.read_id,
            "raised_at": a.raised_at.isoformat(), "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None,
            "resolved_by": a.resolved_by, "resolution": a.resolution}


def alerts(uow: UnitOfWork, principal: Principal, *, status: str | None, crossing_point: str | None,
           kind: str | None, locale: str, limit: int = 100) -> list[dict[str, Any]]:
    """Alerts, newest first."""
    require(principal, WATCH_THE_GATE)
    status = parse_choice(AlertStatus, status).value if status else None
    kind = parse_choice(AlertKind, kind).value if kind else None
    with uow:
        found = uow.alerts.listing(status=status, crossing_point=crossing_point, kind=kind, limit=limit)
    return [_alert(a, locale) for a in found]


def timeline(uow: UnitOfWork, principal: Principal, reference: str, locale: str) -> dict[str, Any]:
    """The truck's way through the gate in the order it happened: each read and decision, holds, alerts."""
    with uow:
        declaration = visible_declaration(uow, principal, reference)
        reads = uow.reads.of_declaration(reference)
        names = {c.id: c.name for c in uow.checkpoints.list(declaration.trip.crossing_point)}
        holds = uow.holds.for_declaration(reference)
        found = (uow.alerts.listing(status=None, crossing_point=None, kind=None, reference=reference)
                 if allows(principal, SEE_EVERY_TRIP) else [])
    passes = [r for r in reads if r.is_pass]
    return {
        "reference": reference, "status": labelled(declaration.status, locale),
        "last_seen": ({"checkpoint_name": names.get(passes[-1].sighting.checkpoint_id),
                       "checkpoint_kind": labelled(passes[-1].checkpoint_kind, locale),
                       "at": passes[-1].sighting.captured_at.isoformat()} if passes else None),
        "reads": [read_answer(r, locale, checkpoint_name=names.get(r.sighting.checkpoint_id)) for r in reads],
        "holds": [{"id": h["id"], "agency": h["agency"], "reason": h["reason"],
                   "placed_at": h["placed_at"].isoformat(),
                   "lifted_at": h["lifted_at"].isoformat() if h["lifted_at"] else None,
                   "active": h["lifted_at"] is None} for h in holds],
        "alerts": [_alert(a, locale) for a in found],
    }

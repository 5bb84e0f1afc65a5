"""Raising and resolving alerts: after each read, on the sweep for silence and overstays, and by people."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bordergate.domain import commands
from bordergate.domain.alerts import (Alert, AlertKind, AlertStatus, ControlLimits, doubt_lifted, overstay_cutoff,
                                      silent_since, skipped_stops, too_close_for_travel)
from bordergate.domain.barrier import Decision, Reason
from bordergate.domain.checkpoints import ROUTE, Checkpoint, Direction
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound
from bordergate.domain.events import AlertRaised, AlertResolved
from bordergate.domain.plate_matching import MatchOutcome
from bordergate.domain.plate_reads import Pass, PlateRead, ReadSource, Sighting
from bordergate.domain.plates import is_plate
from bordergate.domain.access import RUN_THE_GATE, require
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

SYSTEM_ACTOR = "system"
# A camera's buffered reads arrive within hours, not days: older crossed trips are no longer matched.
LATE_READS_WITHIN = timedelta(days=1)
_CLEARANCE_REASONS = {Reason.AGENCY_HOLD, Reason.FEE_UNPAID, Reason.NOT_CALLED_FORWARD}


def raise_alert(uow: UnitOfWork, ids: Identifiers, kind: AlertKind, dedupe_key: str, detail: str, at: datetime, *,
                crossing_point: str | None = None, checkpoint_id: str | None = None, camera_id: str | None = None,
                reference: str | None = None, plate: str | None = None, read_id: str | None = None) -> bool:
    """Raise an alert unless the same one is already open; its event goes to the audit trail."""
    alert = Alert(ids.new_id(), kind, crossing_point, detail[:500], dedupe_key[:160], at, checkpoint_id=checkpoint_id,
                  camera_id=camera_id, reference=reference, plate=plate, read_id=read_id)
    if not uow.alerts.raise_(alert):
        return False
    uow.record(AlertRaised(actor=SYSTEM_ACTOR, at=at, alert_id=alert.id, kind=kind.value, detail=alert.detail,
                           crossing_point=alert.crossing_point, reference=alert.reference, camera_id=alert.camera_id))
    return True


def settle(uow: UnitOfWork, dedupe_key: str, resolution: str, at: datetime, by: str = SYSTEM_ACTOR) -> None:
    """Resolve the open alert with this key, if there is one: what caused it has ended."""
    alert = uow.alerts.open_for(dedupe_key)
    if alert and uow.alerts.resolve(alert.id, by=by, at=at, resolution=resolution):
        uow.record(AlertResolved(actor=by, at=at, alert_id=alert.id, kind=alert.kind.value, resolution=resolution,
                                 reference=alert.reference))


def after_read(uow: UnitOfWork, ids: Identifiers, limits: ControlLimits, read: PlateRead, checkpoint: Checkpoint,
               trip_direction: Direction | None = None, passes: Sequence[Pass] = ()) -> None:
    """Everything a new read may reveal: an undeclared truck, a skipped checkpoint, a clone, an exit not cleared."""
    s, at = read.sighting, read.received_at
    where: dict[str, str | None] = {"crossing_point": read.crossing_point, "checkpoint_id": checkpoint.id,
                                    "read_id": read.id}
    confident = s.confidence >= limits.min_confidence
    if read.outcome is MatchOutcome.NO_MATCH and confident and checkpoint.kind.has_barrier:
        raise_alert(uow, ids, AlertKind.UNDECLARED_TRUCK, f"undeclared:{checkpoint.id}:{read.read_as}",
                    f"{read.read_as} at {checkpoint.name} has no open declaration at this crossing point", at,
                    plate=read.read_as, **where)
    if confident and is_plate(read.read_as):
        _look_for_clones(uow, ids, limits, read, where)
    if read.reference is None:
        return
    where["reference"] = read.reference
    if read.is_pass:
        _check_route(uow, ids, read, checkpoint, trip_direction or checkpoint.direction, passes, where)
    if (checkpoint.kind.releases_the_truck and read.barrier.decision is Decision.HOLD
            and any(b.reason in _CLEARANCE_REASONS for b in read.barrier.reasons)):
        missing = "; ".join(b.detail for b in read.barrier.reasons)
        raise_alert(uow, ids, AlertKind.EXIT_WITHOUT_CLEARANCE, f"exit:{read.reference}:{checkpoint.id}",
                    f"{read.read_as} ({read.reference}) is at {checkpoint.name} without clearance: {missing}", at,
                    plate=read.read_as, **where)


def _look_for_clones(uow: UnitOfWork, ids: Identifiers, limits: ControlLimits, read: PlateRead,
                     where: dict[str, str | None]) -> None:
    """One plate, two crossing points, too little time between them to drive: one of the plates is false."""
    s = read.sighting
    others = clones_of(uow, limits, read.read_as, read.crossing_point, s.captured_at)
    if others:
        other = others[0]
        minutes = abs(other["captured_at"] - s.captured_at).total_seconds() / 60
        raise_alert(uow, ids, AlertKind.CLONED_PLATE, f"cloned:{read.read_as}",
                    f"{read.read_as} was read at {read.crossing_point} and at {other['crossing_point']} "
                    f"{minutes:.0f} min apart: one of these trucks carries a false plate", read.received_at,
                    plate=read.read_as, **where)


def clones_of(uow: UnitOfWork, limits: ControlLimits, plate: str, crossing_point: str,
              captured_at: datetime) -> list[dict[str, Any]]:
    """Confident reads of ``plate`` at other crossing points too close in time to be the same truck."""
    return [other for other in uow.reads.elsewhere(plate, crossing_point, captured_at, limits.clone_window,
                                                   limits.min_confidence)
            if too_close_for_travel(other["captured_at"], captured_at, limits.clone_window)]


def identity_doubt(uow: UnitOfWork, limits: ControlLimits, sighting: Sighting, plate: str, crossing_point: str,
                   reference: str) -> str | None:
    """Why a read matched to ``reference`` may not be that truck (the alerts of IDENTITY_IN_DOUBT: a cloned plate),
    or None. A read an operator confirmed is not in doubt, nor is a later read here once one was confirmed."""
    if sighting.source is ReadSource.REVIEW or sighting.confidence < limits.min_confidence or not is_plate(plate):
        return None
    others = clones_of(uow, limits, plate, crossing_point, sighting.captured_at)
    if not others:
        return None
    confirmed = [r.sighting.captured_at for r in uow.reads.of_declaration(reference)
                 if r.sighting.source is ReadSource.REVIEW and r.crossing_point == crossing_point]
    if doubt_lifted(confirmed, [other["captured_at"] for other in others]):
        return None
    other = others[0]
    minutes = abs(other["captured_at"] - sighting.captured_at).total_seconds() / 60
    return (f"{plate} was also read at {other['crossing_point']} {minutes:.0f} min apart, too soon to drive there: "
            "one of the two trucks may carry a false plate")


def _check_route(uow: UnitOfWork, ids: Identifiers, read: PlateRead, checkpoint: Checkpoint, direction: Direction,
                 passes: Sequence[Pass], where: dict[str, str | None]) -> None:
    """A pass must follow the checkpoints before it; a late read that fills a gap closes the gap's alert.

    ``passes`` are the trip's earlier passes (this read not among them).
    """
    if direction is not checkpoint.direction:
        return  # already held for the wrong direction; the route of the other direction says nothing here
    on_the_way = [p for p in passes if p.direction is direction]
    passed = {p.kind for p in on_the_way if p.captured_at <= read.sighting.captured_at}
    missing = skipped_stops(checkpoint.kind, direction, passed)
    if missing:
        names = ", ".join(kind.label("en").lower() for kind in missing)
        raise_alert(uow, ids, AlertKind.CHECKPOINT_SKIPPED, f"skipped:{read.reference}:{checkpoint.kind}",
                    f"{read.read_as} ({read.reference}) reached {checkpoint.name} with no read at: {names}",
                    read.received_at, plate=read.read_as, **where)
    route = ROUTE[direction]
    after = route[route.index(checkpoint.kind) + 1:]
    # A gap this read fills can only exist if the truck was already seen further on: this read came late.
    if not any(p.kind in after for p in on_the_way):
        return
    later = {f"skipped:{read.reference}:{kind}": kind for kind in after}
    passed_now = {p.kind for p in on_the_way} | {checkpoint.kind}
    for alert in uow.alerts.open_for_any(list(later)):
        if not skipped_stops(later[alert.dedupe_key], direction, passed_now):
            settle(uow, alert.dedupe_key, f"the read at {checkpoint.name} arrived late (captured "
                                          f"{read.sighting.captured_at.isoformat()}); no checkpoint was skipped",
                   read.received_at)


def camera_heard(uow: UnitOfWork, camera_id: str, at: datetime) -> None:
    """A camera that speaks again is no longer silent."""
    settle(uow, f"silent:{camera_id}", "the camera was heard from again", at)


def trip_ended(uow: UnitOfWork, reference: str, checkpoint: Checkpoint, at: datetime) -> None:
    """A truck that crossed is no longer overstaying in the yard, nor waiting at its exit without clearance."""
    settle(uow, f"overstay:{reference}", "the truck left the yard and crossed", at)
    # Held at one exit lane, it may cross at another: every exit alert of the trip ends with the crossing.
    for alert in uow.alerts.listing(status=AlertStatus.OPEN.value, crossing_point=None,
                                    kind=AlertKind.EXIT_WITHOUT_CLEARANCE.value, reference=reference):
        settle(uow, alert.dedupe_key, f"cleared; the truck crossed at {checkpoint.name}", at)


def sweep_gate(cmd: commands.SweepGate, uow: UnitOfWork, clock: Clock, ids: Identifiers,
               limits: ControlLimits) -> dict[str, int]:
    """Raise alerts for cameras gone silent and trucks in the yard too long; say how many were raised."""
    require(cmd.actor, RUN_THE_GATE)
    now = clock.now()
    raised = {AlertKind.CAMERA_SILENT.value: 0, AlertKind.OVERSTAY_IN_YARD.value: 0}
    with uow:
        for camera in uow.cameras.last_heard():
            heard = max((t for t in (camera["last_heartbeat_at"], camera["last_read_at"]) if t), default=None)
            since = silent_since(heard, camera["registered_at"])
            if now - since >= limits.camera_silence:
                minutes = (now - since).total_seconds() / 60
                raised["camera_silent"] += raise_alert(
                    uow, ids, AlertKind.CAMERA_SILENT, f"silent:{camera['id']}",
                    f"camera {camera['name']} at {camera['checkpoint_name']} has sent nothing for {minutes:.0f} min; "
                    "enter plates by hand until it is back", now, crossing_point=camera["crossing_point"],
                    checkpoint_id=camera["checkpoint_id"], camera_id=camera["id"])
        for truck in uow.reads.in_yard_since(overstay_cutoff(now, limits.yard_dwell_limit)):
            hours = (now - truck["entered_at"]).total_seconds() / 3600
            raised["overstay_in_yard"] += raise_alert(
                uow, ids, AlertKind.OVERSTAY_IN_YARD, f"overstay:{truck['reference']}",
                f"{truck['reference']} entered the yard {hours:.1f} h ago and has not left", now,
                crossing_point=truck["crossing_point"], checkpoint_id=truck["checkpoint_id"],
                reference=truck["reference"])
        uow.declarations.plate_keys.prune(now - LATE_READS_WITHIN)
        uow.bookings.forget_attempts(now - timedelta(days=1))
        uow.commit()
    return raised


def resolve_alert(cmd: commands.ResolveAlert, uow: UnitOfWork, clock: Clock) -> None:
    """A person closes an alert and says what was done."""
    require(cmd.actor, RUN_THE_GATE)
    note = " ".join(cmd.note.split())
    if not note:
        raise Invalid([FieldProblem("note", "say what was done about the alert")])
    now = clock.now()
    with uow:
        alert = uow.alerts.get(cmd.alert_id)
        if alert is None:
            raise NotFound(f"no alert {cmd.alert_id}")
        if not uow.alerts.resolve(alert.id, by=cmd.actor.user_id, at=now, resolution=note[:500]):
            raise Conflict(f"alert {alert.id} is already resolved")
        uow.record(AlertResolved(actor=cmd.actor.user_id, at=now, alert_id=alert.id, kind=alert.kind.value,
                                 resolution=note[:500], reference=alert.reference))
        uow.commit()

"""Use cases of the cameras and the gate: a plate is read, matched to its trip, and the barrier told what to do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bordergate.domain import commands
from bordergate.domain.alerts import ControlLimits, skipped_stops
from bordergate.domain.barrier import BarrierDecision, Clearance, Decision, decide, decide_unmatched
from bordergate.domain.booking import BookingStatus
from bordergate.domain.checkpoints import (CameraStatus, Checkpoint, CheckpointKind, Direction, camera_of_key,
                                           direction_of, key_matches)
from bordergate.domain.errors import FieldProblem, Forbidden, Invalid, NotFound, parsed
from bordergate.domain.events import PlateReadDecided
from bordergate.domain.labels import parse_choice
from bordergate.domain.plate_matching import MatchOutcome, PlateIndex, PlateRole, lookup_keys
from bordergate.domain.plate_reads import Pass, PlateRead, ReadSource, Sighting, candidates_for
from bordergate.services import alerting, fees, queueing
from bordergate.services.authentication import CameraNotAuthenticated
from bordergate.domain.access import RUN_THE_GATE, require
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

# Camera clocks drift; a read "captured" further ahead than this means the camera's clock is wrong.
CLOCK_SKEW = timedelta(minutes=2)
# A camera's buffered reads arrive within hours; older ones come from a clock that reset (a power cut).
OLDEST_READ = timedelta(days=1)


class AlreadyRecorded(Exception):
    """The camera already sent this read (same camera and read id)."""


@dataclass(frozen=True)
class ReadAnswer:
    """What the barrier is told; ``replayed`` when a camera sent a read it had already sent."""

    read: PlateRead
    replayed: bool = False
    checkpoint_name: str | None = None


@dataclass(frozen=True)
class AuthenticatedCamera:
    """A camera whose key checked out, and the checkpoint it watches."""

    id: str
    name: str
    checkpoint: Checkpoint
    reported_silent: bool = False


def authenticate_camera(uow: UnitOfWork, key: str | None) -> AuthenticatedCamera:
    """The camera a key belongs to; 401 for a missing, unknown or wrong key, 403 for a revoked camera."""
    camera_id = camera_of_key(key or "")
    if camera_id is None:
        raise CameraNotAuthenticated("send the camera's key in the X-Camera-Key header, as issued at registration")
    found = uow.cameras.credentials(camera_id)
    if found is None or not key_matches(key or "", found.key_hash):
        raise CameraNotAuthenticated("this camera key is not valid; ask the gate operator to issue a new key")
    if found.status is CameraStatus.REVOKED:
        raise Forbidden(f"camera {found.name} has been revoked; its reads are refused")
    return AuthenticatedCamera(found.id, found.name, found.checkpoint, found.silent_alert_id is not None)


def record_camera_read(cmd: commands.RecordCameraRead, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                       limits: ControlLimits) -> ReadAnswer:
    """Match a camera's read and decide the barrier; a read the camera already sent gets the same answer."""
    now = clock.now()
    with uow:
        camera = authenticate_camera(uow, cmd.camera_key)
        sighting = _camera_sighting(cmd, camera)
        sighting.require_valid(camera.checkpoint.direction)
        _require_plausible_time(sighting.captured_at, now)
        try:
            read = judge(uow, ids, limits, camera.checkpoint, sighting, actor=f"camera:{camera.id}", now=now)
        except AlreadyRecorded:
            # A retry: the first answer stands. Checked by the insert itself, not a lookup before every read.
            uow.rollback()
            first = uow.reads.find(camera.id, sighting.camera_read_id) if sighting.camera_read_id else None
            if first is None:
                raise  # only a read with the camera's own id is refused as a repeat, and that read is stored
            return _replayed(first, sighting, camera.checkpoint.name)
        if camera.reported_silent:
            alerting.camera_heard(uow, camera.id, now)
        uow.commit()
    return ReadAnswer(read, checkpoint_name=camera.checkpoint.name)


def report_heartbeat(cmd: commands.ReportHeartbeat, uow: UnitOfWork, clock: Clock) -> None:
    """A camera with nothing to read says it is alive; a silence alert about it is resolved."""
    now = clock.now()
    with uow:
        camera = authenticate_camera(uow, cmd.camera_key)
        uow.cameras.heartbeat(camera.id, now)
        alerting.camera_heard(uow, camera.id, now)
        uow.commit()


def enter_plate(cmd: commands.EnterPlate, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                limits: ControlLimits) -> ReadAnswer:
    """An operator types the plate of a truck at a checkpoint whose camera is down; recorded as manual."""
    require(cmd.actor, RUN_THE_GATE)
    now = clock.now()
    with uow:
        checkpoint = uow.checkpoints.get(cmd.checkpoint_id)
        if checkpoint is None:
            raise NotFound(f"no checkpoint {cmd.checkpoint_id}")
        sighting = Sighting(checkpoint.id, _moment(cmd.captured_at, now), cmd.plate, 1.0, ReadSource.MANUAL,
                            note=cmd.note)
        sighting.require_valid(checkpoint.direction)
        read = judge(uow, ids, limits, checkpoint, sighting, actor=cmd.actor.user_id, now=now)
        uow.commit()
    return ReadAnswer(read, checkpoint_name=checkpoint.name)


def judge(uow: UnitOfWork, ids: Identifiers, limits: ControlLimits, checkpoint: Checkpoint, sighting: Sighting, *,
          actor: str, now: datetime, reference: str | None = None, corrects: str | None = None) -> PlateRead:
    """Match (unless a person named the trip), decide, store with the evidence, open a review or raise alerts."""
    found = None
    if reference is None:
        m = _match(uow, limits, checkpoint, sighting)
        outcome, read_as, reference, role, suggestions, match_reasons, found = (
            m.outcome, m.read_as, m.reference, m.role, m.suggestions, m.reasons, m.essentials)
    else:
        outcome, read_as, role, suggestions = MatchOutcome.MATCHED, sighting.plate_text, None, ()
        match_reasons = (f"an operator confirmed the read as declaration {reference}",)
    if reference and found is None:
        found = uow.declarations.essentials(reference)
    direction, is_pass, passes = None, False, []
    if found is not None and reference is not None:
        status, flow, trailer = found
        role = role or (PlateRole.TRAILER if trailer and trailer == read_as else PlateRole.TRACTOR)
        direction = direction_of(flow)
        passes = uow.reads.passes(reference)
        doubt = alerting.identity_doubt(uow, limits, sighting, read_as, checkpoint.crossing_point, reference)
        barrier, is_pass = _decide_for_trip(uow, checkpoint, sighting, reference, direction, passes, doubt)
    else:
        barrier = decide_unmatched(checkpoint.kind, checkpoint.direction, outcome,
                                   sighting.confidence >= limits.min_confidence)
    read = PlateRead(id=ids.new_id(), sighting=sighting, crossing_point=checkpoint.crossing_point,
                     checkpoint_kind=checkpoint.kind, direction=checkpoint.direction, received_at=now, actor=actor,
                     read_as=read_as, outcome=outcome, barrier=barrier, reference=reference, role=role,
                     is_pass=is_pass, corrects_read_id=corrects, suggestions=suggestions,
                     match_reasons=tuple(match_reasons))
    uow.record(_decided(read))
    alerting.after_read(uow, ids, limits, read, checkpoint, direction, passes)
    queueing.follow_read(uow, read)
    releases = checkpoint.kind.releases_the_truck and barrier.decision is Decision.OPEN
    if found is not None and reference is not None and status.is_open and releases:
        _record_crossing(uow, reference, checkpoint, sighting, actor, now)
        yard = min((p.captured_at for p in passes if p.kind is CheckpointKind.YARD_ENTRY), default=None)
        if yard is not None:
            fees.charge_parking(uow, reference, yard, sighting.captured_at, actor=actor, now=now)
    # The read is stored last: storing it takes the reads' chain head (adapters/sql/chain.py) and holds it to the
    # commit, so the less comes after it, the more reads decide at once. Nothing above reads it back; on a retry
    # the caller rolls all of it back.
    if not uow.reads.add(read):
        raise AlreadyRecorded(sighting.camera_read_id)
    if read.needs_review:
        uow.reviews.open(read)
    return read


@dataclass(frozen=True)
class _Match:
    """What matching a read found: the outcome, the plate as read, the trip and the plate's role on it (when one
    fits), other trips it could be, why, and the trip's essentials (status, flow, trailer plate)."""

    outcome: MatchOutcome
    read_as: str
    reference: str | None
    role: PlateRole | None
    suggestions: tuple[dict[str, Any], ...]
    reasons: tuple[str, ...]
    essentials: tuple[Any, ...] | None


def _match(uow: UnitOfWork, limits: ControlLimits, checkpoint: Checkpoint, sighting: Sighting) -> _Match:
    """The read against the open trips at the crossing point whose plates it could be (one indexed lookup)."""
    trips = uow.reads.candidates(checkpoint.crossing_point, lookup_keys(sighting.plate_text), sighting.captured_at)
    index = PlateIndex(candidates_for(trips, sighting.captured_at), min_confidence=limits.min_confidence)
    match = index.match(sighting.plate_text, sighting.confidence)
    candidate = match.candidate
    suggestions = tuple({"reference": c.key, "plate": c.plate, "role": str(c.role)} for c in match.alternatives)
    essentials = next((t.essentials for t in trips if candidate and t.reference == candidate.key), None)
    return _Match(outcome=match.outcome, read_as=match.read_as, reference=candidate.key if candidate else None,
                  role=_role(candidate.role) if candidate else None, suggestions=suggestions, reasons=tuple(match.reasons),
                  essentials=essentials)


def _role(role: PlateRole | str) -> PlateRole:
    """Candidates from declared trips carry a PlateRole (domain/plate_reads.py); the matcher also takes strings."""
    return role if isinstance(role, PlateRole) else PlateRole(role)


def _decide_for_trip(uow: UnitOfWork, checkpoint: Checkpoint, sighting: Sighting, reference: str,
                     direction: Direction | None, passes: list[Pass],
                     doubt: str | None = None) -> tuple[BarrierDecision, bool]:
    """The barrier's decision for a known trip, and whether this is its first read at the checkpoint (a pass)."""
    way = direction or checkpoint.direction
    passed = {p.kind for p in passes if p.captured_at <= sighting.captured_at and p.direction is way}
    called, note = _queue_standing(uow, reference, checkpoint) if checkpoint.kind.waits_for_the_call else (None, "")
    holds = uow.holds.active(reference) if checkpoint.kind.heeds_holds else ()
    releases = checkpoint.kind.releases_the_truck
    checks = uow.clearances.outstanding(reference) if releases else None
    fee = uow.fees.outstanding(reference) if releases else None
    clearance = Clearance(direction, holds, skipped_stops(checkpoint.kind, way, passed), called_forward=called,
                          fee_outstanding_vnd=fee, agency_checks=checks, queue_note=note or Clearance.queue_note,
                          plate_doubt=doubt)
    is_pass = not any(p.checkpoint_id == checkpoint.id for p in passes)
    return decide(checkpoint.kind, checkpoint.direction, clearance), is_pass


def _record_crossing(uow: UnitOfWork, reference: str, checkpoint: Checkpoint, sighting: Sighting, actor: str,
                     now: datetime) -> None:
    declaration = uow.declarations.get(reference)
    if declaration is None:
        raise NotFound(f"no declaration {reference}")  # the read matched it in this transaction: cannot happen
    loaded = declaration.version
    declaration.record_crossing(actor=actor, now=now, checkpoint_id=checkpoint.id, crossed_at=sighting.captured_at)
    uow.declarations.save(declaration, loaded)
    alerting.trip_ended(uow, reference, checkpoint, now)


def _queue_standing(uow: UnitOfWork, reference: str, checkpoint: Checkpoint) -> tuple[bool | None, str]:
    """Whether the truck was called forward: None where the crossing point runs no queue in that direction."""
    booking = uow.bookings.active_for(reference)
    if booking is not None:
        if booking.status is BookingStatus.CALLED:
            return True, ""
        return False, f"booking {booking.status.label('en').lower()}: wait in the waiting area until called"
    if checkpoint.kind is not CheckpointKind.YARD_ENTRY:
        # Past the yard gate the booking has done its work (arrived): the border line does not ask again.
        latest = uow.bookings.latest_for(reference)
        if latest is not None and latest.status is BookingStatus.ARRIVED:
            return True, ""
    if uow.capacity.runs_a_queue(checkpoint.crossing_point, checkpoint.direction):
        return False, "no booking: book a place in the queue (slot or live queue) and wait to be called"
    return None, ""


def _decided(read: PlateRead) -> PlateReadDecided:
    s = read.sighting
    return PlateReadDecided(
        actor=read.actor, at=read.received_at, read_id=read.id, checkpoint_id=s.checkpoint_id,
        crossing_point=read.crossing_point, captured_at=s.captured_at, source=s.source.value, plate=s.plate_text,
        confidence=s.confidence, outcome=read.outcome.value, decision=read.barrier.decision.value,
        reasons=tuple(b.reason.value for b in read.barrier.reasons), reference=read.reference,
        is_pass=read.is_pass, corrects_read_id=read.corrects_read_id, checkpoint_kind=read.checkpoint_kind.value)


def _camera_sighting(cmd: commands.RecordCameraRead, camera: AuthenticatedCamera) -> Sighting:
    direction = parsed("direction", partial(parse_choice, Direction), cmd.direction) if cmd.direction else None
    # Without the camera's own read id, the same capture of the same plate is the same read.
    read_id = cmd.read_id or f"{cmd.captured_at.isoformat()}|{cmd.plate}"
    source = ReadSource.CAMERA_IMAGE if cmd.from_image else ReadSource.CAMERA
    return Sighting(camera.checkpoint.id, cmd.captured_at, cmd.plate, cmd.confidence, source, camera.id,
                    read_id[:64], cmd.image_ref, direction)


def _replayed(earlier: PlateRead, sighting: Sighting, checkpoint_name: str) -> ReadAnswer:
    """A retry gets the first answer; a different read under a used id is the camera's mistake, said plainly."""
    first = earlier.sighting
    if (first.plate_text, first.captured_at, first.confidence) != (
            sighting.plate_text, sighting.captured_at, sighting.confidence):
        raise Invalid([FieldProblem("read_id", f"read id {sighting.camera_read_id} was already used for "
                                               f"{first.plate_text} captured at {first.captured_at.isoformat()}; "
                                               "give every read its own id")])
    return ReadAnswer(earlier, replayed=True, checkpoint_name=checkpoint_name)


def _moment(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    if value.tzinfo is None:
        raise Invalid([FieldProblem("captured_at", "give the time zone (e.g. 2026-11-28T08:15:00+07:00)")])
    _require_plausible_time(value, now, skew=timedelta())
    return value


def _require_plausible_time(captured_at: datetime, now: datetime, skew: timedelta = CLOCK_SKEW) -> None:
    """A capture time from the last day, not ahead of the gate's clock; anything else is a clock to fix."""
    try:
        ahead, behind = captured_at > now + skew, captured_at < now - OLDEST_READ
    except OverflowError:
        ahead, behind = False, True
    if ahead:
        raise Invalid([FieldProblem("captured_at", f"is {captured_at.isoformat()}, ahead of the gate's clock "
                                                   f"({now.isoformat()}); set the camera's clock (NTP)")])
    if behind:
        raise Invalid([FieldProblem("captured_at", f"is more than {OLDEST_READ.days} day before the gate's clock "
                                                   f"({now.isoformat()}); the camera's clock may have reset")])

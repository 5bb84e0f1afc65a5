"""The operator review queue: reads no barrier may act on alone, settled by a person."""
from __future__ import annotations

from datetime import datetime

from bordergate.domain import commands
from bordergate.domain.alerts import AlertKind, ControlLimits
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound
from bordergate.domain.events import ReadDismissed
from bordergate.domain.plate_matching import fold, normalise
from bordergate.domain.checkpoints import Checkpoint
from bordergate.domain.plate_reads import PlateRead, ReadSource, ReviewStatus, Sighting, candidates_for
from bordergate.domain.plates import compact
from bordergate.services import alerting
from bordergate.domain.access import RUN_THE_GATE, require
from bordergate.services.plate_control import ReadAnswer, judge
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

DISMISSALS = ("undeclared", "not_a_plate")


def resolve_review(cmd: commands.ResolveReview, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                   limits: ControlLimits) -> ReadAnswer | None:
    """Confirm the trip a read is, correct the plate it says, or dismiss it; a confirmed read is decided anew."""
    require(cmd.actor, RUN_THE_GATE)
    chosen = [name for name in ("reference", "plate", "dismiss") if getattr(cmd, name)]
    if len(chosen) != 1:
        raise Invalid([FieldProblem("reference", "give exactly one of: reference (the declaration it is), plate "
                                                 "(what the plate really says) or dismiss (undeclared, not_a_plate)")])
    if cmd.dismiss and cmd.dismiss not in DISMISSALS:
        raise Invalid([FieldProblem("dismiss", f"'{cmd.dismiss}' is not one of: {', '.join(DISMISSALS)}")])
    now = clock.now()
    with uow:
        item = uow.reviews.get(cmd.read_id)
        if item is None:
            raise NotFound(f"no read {cmd.read_id} in the review queue")
        if item["status"] != ReviewStatus.OPEN:
            raise Conflict(f"read {cmd.read_id} was already reviewed by {item['resolved_by']}")
        read = uow.reads.get(cmd.read_id)
        checkpoint = uow.checkpoints.get(read.sighting.checkpoint_id) if read else None
        if read is None or checkpoint is None:  # a review always has its read and checkpoint (foreign keys)
            raise NotFound(f"no read {cmd.read_id} with its checkpoint to review")
        if cmd.dismiss:
            _dismiss(uow, ids, cmd, read, checkpoint, now)
            answer = None
        else:
            reference, plate = _trip_meant(uow, cmd, read)
            sighting = Sighting(checkpoint.id, read.sighting.captured_at, plate, 1.0, ReadSource.REVIEW,
                                image_ref=read.sighting.image_ref, note=cmd.note)
            confirmed = judge(uow, ids, limits, checkpoint, sighting, actor=cmd.actor.user_id, now=now,
                              reference=reference, corrects=read.id)
            answer = ReadAnswer(confirmed, checkpoint_name=checkpoint.name)
        if not uow.reviews.resolve(read.id, by=cmd.actor.user_id, at=now, resolution=cmd.dismiss or "confirmed",
                                   resolved_read_id=answer.read.id if answer else None, note=cmd.note):
            raise Conflict(f"read {cmd.read_id} was reviewed by someone else meanwhile")
        uow.commit()
    return answer


def _trip_meant(uow: UnitOfWork, cmd: commands.ResolveReview, read: PlateRead) -> tuple[str, str]:
    """The open declaration the operator named, or the one carrying the plate they typed, at this crossing point."""
    if cmd.reference:
        declaration = uow.declarations.get(cmd.reference)
        if declaration is None or not declaration.status.is_open:
            raise Invalid([FieldProblem("reference", f"{cmd.reference} is not an open declaration")])
        if declaration.trip.crossing_point != read.crossing_point:
            raise Invalid([FieldProblem("reference", f"{cmd.reference} is declared for "
                                                     f"{declaration.trip.crossing_point}, not {read.crossing_point}")])
        vehicle = declaration.trip.vehicle
        plates = [vehicle.tractor_plate.compact] + ([vehicle.trailer_plate.compact] if vehicle.trailer_plate else [])
        plate = read.read_as if read.read_as in plates else plates[0]
        return declaration.reference, plate
    assert cmd.plate is not None  # resolve_review let exactly one of reference, plate, dismiss through
    plate = normalise(compact(cmd.plate))
    found = uow.reads.candidates(read.crossing_point, {fold(plate)}, read.sighting.captured_at)
    trips = [t for t in found if t.plate == plate]
    if not trips:
        raise Invalid([FieldProblem("plate", f"no open declaration at {read.crossing_point} carries {plate}; "
                                             "if the truck is not declared, dismiss the read as 'undeclared'")])
    return candidates_for(trips, read.sighting.captured_at)[0].key, plate


def _dismiss(uow: UnitOfWork, ids: Identifiers, cmd: commands.ResolveReview, read: PlateRead, checkpoint: Checkpoint,
             now: datetime) -> None:
    """No declared truck in the read; an undeclared truck at a barrier is an alert for the gate."""
    assert cmd.dismiss is not None  # only a dismissal comes here
    uow.record(ReadDismissed(actor=cmd.actor.user_id, at=now, read_id=read.id, verdict=cmd.dismiss, note=cmd.note))
    if cmd.dismiss == "undeclared" and checkpoint.kind.has_barrier:
        alerting.raise_alert(
            uow, ids, AlertKind.UNDECLARED_TRUCK, f"undeclared:{checkpoint.id}:{read.read_as}",
            f"an operator found {read.read_as} at {checkpoint.name} undeclared", now,
            crossing_point=read.crossing_point, checkpoint_id=checkpoint.id, plate=read.read_as, read_id=read.id)

"""Officers' holds: an agency keeps a truck at its exit barrier until it lifts the hold."""
from __future__ import annotations

from bordergate.domain import commands
from bordergate.domain.access import holding_service
from bordergate.domain.accounts import Role
from bordergate.domain.barrier import AgencyHold
from bordergate.domain.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from bordergate.domain.events import HoldLifted, HoldPlaced
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

def place_hold(cmd: commands.PlaceHold, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Hold an open trip at its exit barrier; the declarant sees the reason (and is told: follows HoldPlaced)."""
    agency = holding_service(cmd.actor)
    reason = " ".join(cmd.reason.split())
    if not reason:
        raise Invalid([FieldProblem("reason", "say why the truck is held; the declarant will see it")])
    now = clock.now()
    with uow:
        declaration = uow.declarations.get(cmd.reference)
        if declaration is None:
            raise NotFound(f"no declaration {cmd.reference}")
        if not declaration.status.is_open:
            raise Conflict(f"declaration {cmd.reference} is {declaration.status.label('en').lower()}; "
                           "there is no trip left to hold")
        hold = AgencyHold(ids.new_id(), agency, reason[:500])
        uow.holds.place(hold, cmd.reference, cmd.actor.user_id, now)
        uow.record(HoldPlaced(actor=cmd.actor.user_id, at=now, hold_id=hold.id, reference=cmd.reference,
                              agency=agency, reason=hold.reason))
        uow.commit()
    return hold.id


def lift_hold(cmd: commands.LiftHold, uow: UnitOfWork, clock: Clock) -> None:
    """Lift a hold; only an officer of the agency that placed it may."""
    agency = holding_service(cmd.actor)
    now = clock.now()
    with uow:
        hold = uow.holds.get(cmd.hold_id)
        if hold is None:
            raise NotFound(f"no hold {cmd.hold_id}")
        if hold["agency"] != agency:
            raise Forbidden(f"this hold was placed by {Role(hold['agency']).label('en')}; only they may lift it")
        if not uow.holds.lift(hold["id"], cmd.actor.user_id, now, cmd.note):
            raise Conflict(f"hold {cmd.hold_id} was already lifted")
        uow.record(HoldLifted(actor=cmd.actor.user_id, at=now, hold_id=hold["id"], reference=hold["reference"],
                              agency=agency, note=cmd.note))
        uow.commit()

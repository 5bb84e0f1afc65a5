"""Use cases of a declarant: submit a trip, correct fields of it, cancel it, keep vehicles and drivers for reuse."""
from __future__ import annotations

# What these set off (agency checks, the fee, the booking given back, a refund) is not called from here: it follows
# the recorded event, as services/handlers.py IN_TRANSACTION lists it.

from datetime import datetime
from typing import Any

from bordergate.domain import commands
from bordergate.domain.access import require_may_declare_for
from bordergate.domain.accounts import Principal
from bordergate.domain.corrections import FieldChange
from bordergate.domain.declaration import Declaration
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.return_trips import TripsLinked, return_trip
from bordergate.domain.trip import TripDetails
from bordergate.domain.trip_form import driver_to_plain, read_driver, read_trip, read_vehicle, vehicle_to_plain
from bordergate.services.correcting import correct
from bordergate.services.fleet import Fleet
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import Declared, shown, visible_declaration


def submit_declaration(cmd: commands.SubmitDeclaration, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Validate and store a new declaration (and the empty trip back, if asked); its vehicle and driver are saved
    for next time. Its agencies' checks and its fee follow DeclarationSubmitted."""
    return _submit(cmd, uow, clock, ids)[0].reference


def submit_declaration_answered(cmd: commands.SubmitDeclarationAnswered, uow: UnitOfWork, clock: Clock,
                                ids: Identifiers) -> Declared:
    """Submit, and show the trips as reading them back would: from the declarations the command stored (the same
    objects its followers saw, committed) and the link it made, with no second unit of work to read them again."""
    declaration, back = _submit(cmd, uow, clock, ids)
    if back is None:
        return Declared(shown(declaration, cmd.actor, {"outbound_trip": None, "return_trip": None}, cmd.locale), None)
    return Declared(
        shown(declaration, cmd.actor, {"outbound_trip": None, "return_trip": back.reference}, cmd.locale),
        shown(back, cmd.actor, {"outbound_trip": declaration.reference, "return_trip": None}, cmd.locale))


def _submit(cmd: commands.SubmitDeclaration, uow: UnitOfWork, clock: Clock,
            ids: Identifiers) -> tuple[Declaration, Declaration | None]:
    require_may_declare_for(cmd.actor, cmd.enterprise_id)
    now = clock.now()
    with uow:
        raw, problems = _with_saved_entries(uow, cmd)
        open_points = uow.crossing_points.active_codes()  # read once for both ways
        try:
            trip = read_trip(raw, now=now, crossing_points=open_points)
        except Invalid as invalid:
            raise Invalid(problems + invalid.problems) from None
        if problems:
            raise Invalid(problems)
        back = None
        if cmd.return_empty is not None:
            back = return_trip(trip, cmd.return_empty, now=now, crossing_points=open_points)
        declaration = _declare(uow, ids, cmd, trip, now)
        returning = _declare_return(uow, ids, cmd, declaration, back, now) if back is not None else None
        fleet = Fleet(uow, ids, cmd.actor.user_id, cmd.enterprise_id, now)
        fleet.save("vehicle", trip.vehicle.tractor_plate.compact, vehicle_to_plain(trip.vehicle))
        fleet.save("driver", trip.driver.document_number, driver_to_plain(trip.driver))
        uow.commit()
    return declaration, returning


def _declare(uow: UnitOfWork, ids: Identifiers, cmd: commands.SubmitDeclaration, trip: TripDetails,
             now: datetime) -> Declaration:
    declaration = Declaration.submit(reference=ids.new_reference(now), enterprise_id=cmd.enterprise_id,
                                     actor=cmd.actor.user_id, trip=trip, now=now)
    uow.declarations.add(declaration)
    return declaration


def _declare_return(uow: UnitOfWork, ids: Identifiers, cmd: commands.SubmitDeclaration, outbound: Declaration,
                    back: TripDetails, now: datetime) -> Declaration:
    """The empty trip back, in the same transaction: both trips exist, linked both ways, or neither does."""
    returning = _declare(uow, ids, cmd, back, now)
    uow.trip_links.link(outbound.reference, returning.reference, now)
    actor = cmd.actor.user_id
    uow.record(TripsLinked(actor=actor, at=now, reference=outbound.reference,
                           linked_reference=returning.reference, linked_as="return"))
    uow.record(TripsLinked(actor=actor, at=now, reference=returning.reference,
                           linked_reference=outbound.reference, linked_as="outbound"))
    return returning


def amend_declaration(cmd: commands.AmendDeclaration, uow: UnitOfWork, clock: Clock) -> list[FieldChange]:
    """Correct the named fields of a declaration, keeping everything else as it was; what a correction sets off
    follows DeclarationAmended."""
    now = clock.now()
    with uow:
        declaration = _declaration_to_change(uow, cmd.actor, cmd.reference)
        changes = correct(uow, declaration, cmd.actor, cmd.changes, now=now, reason=cmd.reason)
        uow.commit()
    return changes


def cancel_declaration(cmd: commands.CancelDeclaration, uow: UnitOfWork, clock: Clock) -> None:
    """Withdraw a declaration; it stays on record as cancelled. Its place in the queue is given up and an unused
    fee refunded: both follow DeclarationCancelled."""
    now = clock.now()
    with uow:
        declaration = _declaration_to_change(uow, cmd.actor, cmd.reference)
        loaded = declaration.version
        declaration.cancel(actor=cmd.actor.user_id, now=now, reason=cmd.reason)
        uow.declarations.save(declaration, loaded)
        uow.commit()


def save_vehicle(cmd: commands.SaveVehicle, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Keep a vehicle in the enterprise's fleet; saving the same plate again updates it."""
    require_may_declare_for(cmd.actor, cmd.enterprise_id)
    vehicle = read_vehicle(cmd.vehicle)
    with uow:
        entry_id = Fleet(uow, ids, cmd.actor.user_id, cmd.enterprise_id, clock.now()).save(
            "vehicle", vehicle.tractor_plate.compact, vehicle_to_plain(vehicle))
        uow.commit()
    return entry_id


def save_driver(cmd: commands.SaveDriver, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Keep a driver in the enterprise's list; saving the same document again updates it."""
    require_may_declare_for(cmd.actor, cmd.enterprise_id)
    driver = read_driver(cmd.driver)
    with uow:
        entry_id = Fleet(uow, ids, cmd.actor.user_id, cmd.enterprise_id, clock.now()).save(
            "driver", driver.document_number, driver_to_plain(driver))
        uow.commit()
    return entry_id


def _declaration_to_change(uow: UnitOfWork, actor: Principal, reference: str) -> Declaration:
    declaration = visible_declaration(uow, actor, reference)
    require_may_declare_for(actor, declaration.enterprise_id)
    return declaration


def _with_saved_entries(uow: UnitOfWork, cmd: commands.SubmitDeclaration) -> tuple[dict[str, Any],
                                                                                 list[FieldProblem]]:
    """Fill the vehicle and driver from the saved fleet; fields typed in the request win over saved ones."""
    raw = dict(cmd.trip)
    problems: list[FieldProblem] = []
    for key, entry_id, load in (("vehicle", cmd.vehicle_id, uow.fleet.vehicle),
                                ("driver", cmd.driver_id, uow.fleet.driver)):
        if entry_id is None:
            continue
        saved = load(cmd.enterprise_id, entry_id)
        if saved is None:
            problems.append(FieldProblem(f"{key}_id", f"no saved {key} {entry_id} in this enterprise's list"))
            continue
        saved.pop("id")
        typed = raw.get(key)
        raw[key] = {**saved, **{k: v for k, v in (typed.items() if isinstance(typed, dict) else ()) if v is not None}}
    return raw, problems

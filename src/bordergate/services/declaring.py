"""Use cases of a declarant: submit a trip, correct fields of it, cancel it, keep vehicles and drivers for reuse."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain import commands
from bordergate.domain.access import require_may_declare_for
from bordergate.domain.accounts import Principal
from bordergate.domain.corrections import FieldChange
from bordergate.domain.declaration import Declaration
from bordergate.domain.booking import QueueRules
from bordergate.domain.errors import Conflict, FieldProblem, Invalid
from bordergate.domain.events import FleetEntrySaved, NoticesReaddressed
from bordergate.domain.return_trips import TripsLinked, return_trip
from bordergate.domain.trip import TripDetails
from bordergate.domain.trip_form import driver_to_plain, read_driver, read_trip, read_vehicle, vehicle_to_plain
from bordergate.services import fees, queueing
from bordergate.services.agency_checks import AgencySetup, follow_correction, open_checks
from bordergate.services.ports import Clock, Identifiers, PaymentProvider
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import visible_declaration


def submit_declaration(cmd: commands.SubmitDeclaration, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                       agencies: AgencySetup, jurisdiction: str) -> str:
    """Validate and store a new declaration, open its agencies' checks; its vehicle and driver are saved for next
    time."""
    require_may_declare_for(cmd.actor, cmd.enterprise_id)
    now = clock.now()
    with uow:
        raw, problems = _with_saved_entries(uow, cmd)
        try:
            trip = read_trip(raw, now=now, crossing_points=uow.crossing_points.active_codes())
        except Invalid as invalid:
            raise Invalid(problems + invalid.problems) from None
        if problems:
            raise Invalid(problems)
        back = None
        if cmd.return_empty is not None:
            back = return_trip(trip, cmd.return_empty, now=now, crossing_points=uow.crossing_points.active_codes())
        declaration = _declare(uow, ids, agencies, jurisdiction, cmd, trip, now)
        if back is not None:
            _declare_return(uow, ids, agencies, jurisdiction, cmd, declaration, back, now)
        fleet = _Fleet(uow, ids, cmd.actor, cmd.enterprise_id, now)
        fleet.save("vehicle", trip.vehicle.tractor_plate.compact, vehicle_to_plain(trip.vehicle))
        fleet.save("driver", trip.driver.document_number, driver_to_plain(trip.driver))
        uow.commit()
    return declaration.reference


def _declare(uow: UnitOfWork, ids: Identifiers, agencies: AgencySetup, jurisdiction: str,
             cmd: commands.SubmitDeclaration, trip: TripDetails, now: datetime) -> Declaration:
    declaration = Declaration.submit(reference=ids.new_reference(now), enterprise_id=cmd.enterprise_id,
                                     actor=cmd.actor.user_id, trip=trip, now=now)
    uow.declarations.add(declaration)
    open_checks(uow, declaration, agencies, actor=cmd.actor.user_id, now=now)
    fees.assess_trip(uow, declaration, jurisdiction, why="declared", actor=cmd.actor.user_id, now=now, first=True)
    return declaration


def _declare_return(uow: UnitOfWork, ids: Identifiers, agencies: AgencySetup, jurisdiction: str,
                    cmd: commands.SubmitDeclaration, outbound: Declaration, back: TripDetails, now: datetime) -> None:
    """The empty trip back, in the same transaction: both trips exist, linked both ways, or neither does."""
    returning = _declare(uow, ids, agencies, jurisdiction, cmd, back, now)
    uow.trip_links.link(outbound.reference, returning.reference, now)
    actor = cmd.actor.user_id
    uow.record(TripsLinked(actor=actor, at=now, reference=outbound.reference,
                           linked_reference=returning.reference, linked_as="return"))
    uow.record(TripsLinked(actor=actor, at=now, reference=returning.reference,
                           linked_reference=outbound.reference, linked_as="outbound"))


def amend_declaration(cmd: commands.AmendDeclaration, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                      agencies: AgencySetup, jurisdiction: str) -> list[FieldChange]:
    """Correct the named fields of a declaration, keeping everything else as it was."""
    now = clock.now()
    with uow:
        declaration = _declaration_to_change(uow, cmd.actor, cmd.reference)
        changes = correct(uow, declaration, cmd.actor, cmd.changes, now=now, agencies=agencies, reason=cmd.reason,
                          jurisdiction=jurisdiction, ids=ids)
        uow.commit()
    return changes


def correct(uow: UnitOfWork, declaration: Declaration, actor: Principal, changes: dict[str, Any], *,
            now: datetime, agencies: AgencySetup, reason: str | None, jurisdiction: str,
            ids: Identifiers) -> list[FieldChange]:
    """Apply corrections to a loaded declaration; the agencies that must act, and the fee, follow the corrected
    trip; a corrected driver is kept in the enterprise's list and notices not yet sent go to their phone."""
    _require_only_driver_changes_once_booked(uow, declaration.reference, changes)
    loaded = declaration.version
    # The trip's own crossing point stays acceptable even if it was closed since, so a phone fix still works.
    points = uow.crossing_points.active_codes() | {declaration.trip.crossing_point}
    made = declaration.amend(changes, actor=actor.user_id, now=now, crossing_points=points, reason=reason)
    uow.declarations.save(declaration, loaded)
    follow_correction(uow, declaration, agencies, actor=actor.user_id, now=now)
    fees.assess_trip(uow, declaration, jurisdiction, why="corrected", actor=actor.user_id, now=now)
    if any(change.field == "driver" or change.field.startswith("driver.") for change in made):
        _follow_driver_correction(uow, ids, actor, declaration, now)
    return made


def _follow_driver_correction(uow: UnitOfWork, ids: Identifiers, actor: Principal, declaration: Declaration,
                              now: datetime) -> None:
    """The enterprise's saved driver is what it declares next time ("Declare again like this"), and a queued
    SMS must reach the phone the driver carries now, not the one first typed."""
    driver = declaration.trip.driver
    _Fleet(uow, ids, actor, declaration.enterprise_id, now).save(
        "driver", driver.document_number, driver_to_plain(driver))
    readdressed = uow.notices.readdress(declaration.reference, driver.phone)
    if readdressed:
        uow.record(NoticesReaddressed(actor=actor.user_id, at=now, reference=declaration.reference,
                                      notice_ids=tuple(readdressed), phone=driver.phone))


def cancel_declaration(cmd: commands.CancelDeclaration, uow: UnitOfWork, clock: Clock, rules: QueueRules,
                       ids: Identifiers, payments: PaymentProvider) -> None:
    """Withdraw a declaration; it stays on record as cancelled, and its place in the queue is given up."""
    now = clock.now()
    with uow:
        declaration = _declaration_to_change(uow, cmd.actor, cmd.reference)
        loaded = declaration.version
        declaration.cancel(actor=cmd.actor.user_id, now=now, reason=cmd.reason)
        uow.declarations.save(declaration, loaded)
        booking = uow.bookings.active_for(cmd.reference)
        if booking is not None:
            queueing.release(uow, booking, actor=cmd.actor.user_id, now=now, rules=rules,
                             reason="the declaration was cancelled")
        fees.refund_if_unused(uow, cmd.reference, cmd.actor.user_id, now, ids, payments)
        uow.commit()


def save_vehicle(cmd: commands.SaveVehicle, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Keep a vehicle in the enterprise's fleet; saving the same plate again updates it."""
    require_may_declare_for(cmd.actor, cmd.enterprise_id)
    vehicle = read_vehicle(cmd.vehicle)
    with uow:
        entry_id = _Fleet(uow, ids, cmd.actor, cmd.enterprise_id, clock.now()).save(
            "vehicle", vehicle.tractor_plate.compact, vehicle_to_plain(vehicle))
        uow.commit()
    return entry_id


def save_driver(cmd: commands.SaveDriver, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Keep a driver in the enterprise's list; saving the same document again updates it."""
    require_may_declare_for(cmd.actor, cmd.enterprise_id)
    driver = read_driver(cmd.driver)
    with uow:
        entry_id = _Fleet(uow, ids, cmd.actor, cmd.enterprise_id, clock.now()).save(
            "driver", driver.document_number, driver_to_plain(driver))
        uow.commit()
    return entry_id


def _require_only_driver_changes_once_booked(uow: UnitOfWork, reference: str, changes: dict[str, Any]) -> None:
    """After booking only the driver may change: a place cannot be sold on by swapping the truck or the cargo."""
    if uow.bookings.active_for(reference) is None:
        return
    locked = [path for path in changes if path != "driver" and not path.startswith("driver.")]
    if locked:
        raise Conflict(f"the trip is booked: only the driver may be changed now, not {', '.join(locked)}; cancel "
                       "the booking first to change anything else")


def _declaration_to_change(uow: UnitOfWork, actor: Principal, reference: str) -> Declaration:
    declaration = visible_declaration(uow, actor, reference)
    require_may_declare_for(actor, declaration.enterprise_id)
    return declaration


def _with_saved_entries(uow: UnitOfWork, cmd: commands.SubmitDeclaration) -> tuple[dict[str, Any], list]:
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
        typed = raw.get(key) if isinstance(raw.get(key), dict) else {}
        raw[key] = {**saved, **{k: v for k, v in typed.items() if v is not None}}
    return raw, problems


class _Fleet:
    """Saves fleet entries for one enterprise, auditing only those that actually changed."""

    def __init__(self, uow: UnitOfWork, ids: Identifiers, actor: Principal, enterprise_id: str,
                 now: datetime) -> None:
        self.uow, self.ids, self.actor, self.enterprise_id, self.now = uow, ids, actor, enterprise_id, now

    def save(self, kind: str, key: str, details: dict[str, Any]) -> str:
        save = self.uow.fleet.save_vehicle if kind == "vehicle" else self.uow.fleet.save_driver
        entry_id, changed = save(self.enterprise_id, key, details, self.ids.new_id(), self.now)
        if changed:
            self.uow.record(FleetEntrySaved(actor=self.actor.user_id, at=self.now, enterprise_id=self.enterprise_id,
                                            kind=kind, key=key, details=details))
        return entry_id

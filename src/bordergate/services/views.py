"""Read models: what the screens and the API show about declarations, shaped for people, not tables."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from bordergate.domain.access import (READ_DECLARATIONS, SEE_EVERY_TRIP, allows, may_see, redacted_driver, require,
                                      require_may_declare_for)
from bordergate.domain.accounts import Principal, Role
from bordergate.domain.booking import Booking
from bordergate.domain.declaration import Declaration, DeclarationStatus
from bordergate.domain.errors import NotFound, parsed
from bordergate.domain.labels import Labelled, parse_choice
from bordergate.domain.plates import parse_plate
from bordergate.domain.trip_form import trip_to_plain
from bordergate.services.unit_of_work import UnitOfWork


def labelled(member: Labelled, locale: str) -> dict[str, str]:
    """A status or category as code, label in the reader's language, and colour."""
    return {"code": member.value, "label": member.label(locale), "colour": member.colour}


def declaration(uow: UnitOfWork, principal: Principal, reference: str, locale: str = "vi") -> dict[str, Any]:
    """One declaration in full, if the principal may see it."""
    with uow:
        found = visible_declaration(uow, principal, reference)
        links = uow.trip_links.of(reference)
    return {**_detail(found, locale, principal.role), **links}


def shown(found: Declaration, principal: Principal, links: dict[str, str | None], locale: str) -> dict[str, Any]:
    """One declaration in full as ``declaration`` shows it, from the one in hand and its linked trips."""
    return {**_detail(found, locale, principal.role), **links}


@dataclass(frozen=True)
class Declared:
    """What declaring shows: the declared trip in full, and the empty way back declared with it, if any."""

    declaration: dict[str, Any]
    return_declaration: dict[str, Any] | None

    def answer(self, tracking_url: Callable[[str], str]) -> dict[str, Any]:
        """The answer to declaring: the declaration with its tracking link, and the empty return declared with it
        in full (with its own link), if any."""
        body = {**self.declaration, "tracking_url": tracking_url(self.declaration["reference"])}
        if self.return_declaration is not None:
            body["return_declaration"] = {**self.return_declaration,
                                          "tracking_url": tracking_url(self.return_declaration["reference"])}
        return body


def declared(uow: UnitOfWork, principal: Principal, reference: str, locale: str,
             tracking_url: Callable[[str], str]) -> dict[str, Any]:
    """The answer to declaring, read back from the store (the API answers a submit from what it stored instead:
    ``declaring.submit_declaration_answered``)."""
    first = declaration(uow, principal, reference, locale)
    back = declaration(uow, principal, first["return_trip"], locale) if first["return_trip"] else None
    return Declared(first, back).answer(tracking_url)


def _detail(d: Declaration, locale: str, role: Role) -> dict[str, Any]:
    trip = trip_to_plain(d.trip)
    # The driver's document number and phone only for those who need them (domain/access.py says who and why).
    trip["driver"] = redacted_driver(trip["driver"], role)
    return {
        "reference": d.reference, "enterprise_id": d.enterprise_id, "declared_by": d.declared_by,
        "status": labelled(d.status, locale), "version": d.version,
        "submitted_at": d.submitted_at.isoformat(),
        "cancelled_at": d.cancelled_at.isoformat() if d.cancelled_at else None,
        "perishable": d.trip.perishable, **trip,
    }


def declarations(uow: UnitOfWork, principal: Principal, *, locale: str = "vi", status: str | None = None,
                 crossing_point: str | None = None, plate: str | None = None, limit: int = 50,
                 offset: int = 0) -> list[dict[str, Any]]:
    """The declarations a principal may see, newest first, optionally filtered."""
    with uow:
        return declarations_in(uow, principal, locale=locale, status=status, crossing_point=crossing_point,
                               plate=plate, limit=limit, offset=offset)


def declarations_in(uow: UnitOfWork, principal: Principal, *, locale: str = "vi", status: str | None = None,
                    crossing_point: str | None = None, plate: str | None = None, limit: int = 50,
                    offset: int = 0) -> list[dict[str, Any]]:
    """``declarations``, read on a unit of work already open (a list page reads each row's parts on the same one)."""
    require(principal, READ_DECLARATIONS)  # its refusal tells a driver to follow the trip from its QR code
    scope = None if allows(principal, SEE_EVERY_TRIP) else principal.enterprises
    compact_plate = parsed("plate", parse_plate, plate).compact if plate else None
    if status:
        parsed("status", partial(parse_choice, DeclarationStatus), status)
    rows = uow.declarations.summaries(scope, status=status, crossing_point=crossing_point, plate=compact_plate,
                                      limit=limit, offset=offset)
    # Plates are stored compact for matching and shown the way they are painted on the truck.
    return [{**row, "tractor_plate": parse_plate(row["tractor_plate"]).display,
             "trailer_plate": parse_plate(row["trailer_plate"]).display if row["trailer_plate"] else None,
             "status": labelled(DeclarationStatus(row["status"]), locale),
             "planned_arrival": row["planned_arrival"].isoformat(), "submitted_at": row["submitted_at"].isoformat()}
            for row in rows]


def tracking(uow: UnitOfWork, reference: str, locale: str = "vi") -> dict[str, Any]:
    """What a driver's QR code opens: the trip's state, without personal or commercial details."""
    with uow:
        d = uow.declarations.get(reference)
        point = uow.crossing_points.get(d.trip.crossing_point) if d else None
        booking = uow.bookings.latest_for(reference) if d else None
        queue = _queue_for_driver(uow, booking, locale) if booking else None
        clearance = uow.clearances.get(reference) if d else None
    if d is None:
        raise NotFound(f"no declaration {reference}")
    return {"reference": d.reference, "status": labelled(d.status, locale), "queue": queue,
            "crossing_point": d.trip.crossing_point, "crossing_point_name": point.name_in(locale) if point else None,
            "flow": labelled(d.trip.flow, locale),
            "planned_arrival": d.trip.planned_arrival.isoformat(),
            "tractor_plate": d.trip.vehicle.tractor_plate.display,
            "trailer_plate": d.trip.vehicle.trailer_plate.display if d.trip.vehicle.trailer_plate else None,
            # Each agency's standing, no more: a hold's reason is for the declarant, not whoever holds the link.
            "agencies": [{"agency": labelled(c.agency, locale), "status": labelled(c.status, locale)}
                         for c in (clearance.checks.values() if clearance else ())
                         if c.status.value != "withdrawn"]}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _queue_for_driver(uow: UnitOfWork, booking: Booking, locale: str) -> dict[str, Any]:
    """What the driver needs from the queue: where the truck stands, when it is called, orders to follow."""
    expected = uow.bookings.published([booking.id]).get(booking.id, (None, None))[0]
    return {"status": labelled(booking.status, locale), "kind": labelled(booking.kind, locale),
            "position": _place_in_queue(uow, booking, expected),
            "slot_start": _iso(booking.slot_start), "call_deadline": _iso(booking.call_deadline),
            "expected_call_at": _iso(expected) if booking.status.value in ("booked", "waiting") else None,
            "regulation_orders": [{"staging_area": o["staging_area"], "message": o["message"],
                                   "issued_at": o["issued_at"].isoformat()}
                                  for o in uow.regulation.in_force(booking.crossing_point, booking.direction)
                                  if booking.status.is_active]}


def _place_in_queue(uow: UnitOfWork, booking: Booking, expected: datetime | None) -> int | None:
    """1 for the next truck to be called in the lane: trucks still to be called whose expected call comes first."""
    if expected is None or booking.status.value not in ("booked", "waiting"):
        return None
    lane = [b for b in uow.bookings.active_at(booking.crossing_point, booking.direction)
            if b.status.value in ("booked", "waiting") and b.id != booking.id]
    times = uow.bookings.published([b.id for b in lane])
    ahead = (times.get(b.id, (None, None))[0] for b in lane)
    return 1 + sum(1 for at in ahead if at is not None and at < expected)


def fleet(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> dict[str, list[dict[str, Any]]]:
    """An enterprise's saved vehicles and drivers, for picking in the next declaration."""
    require_may_declare_for(principal, enterprise_id)
    with uow:
        return {"vehicles": uow.fleet.vehicles(enterprise_id), "drivers": uow.fleet.drivers(enterprise_id)}


def require_crossing_point(uow: UnitOfWork, code: str) -> None:
    """404 for a crossing point that does not exist, saying where the list is."""
    if uow.crossing_points.get(code) is None:
        raise NotFound(f"no crossing point {code}; GET /api/v1/crossing-points lists them")


def visible_declaration(uow: UnitOfWork, principal: Principal, reference: str) -> Declaration:
    """The declaration, if the principal may see it; someone else's answers "not found", so none can be probed."""
    found = uow.declarations.get(reference)
    if found is None or not may_see(principal, found.enterprise_id):
        raise NotFound(f"no declaration {reference} that you can see; check the reference")
    return found

"""An empty return declared with its outbound trip ("and back empty"): what the return is, and the link event."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bordergate.domain.checkpoints import Direction, direction_of
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.events import Event
from bordergate.domain.trip import Flow, TripDetails
from bordergate.domain.trip_form import read_trip, trip_to_plain

# The way back crosses the other way; an empty truck carries nothing to clear under a temporary regime.
_BACK = {Direction.OUTBOUND: Flow.IMPORT, Direction.INBOUND: Flow.EXPORT}
PATH = "return_empty"


def return_trip(outbound: TripDetails, raw: Mapping[str, Any], *, now: datetime,
                crossing_points: Collection[str]) -> TripDetails:
    """The empty trip back: same truck and driver, the opposite direction, no goods, at the time given; or Invalid
    naming the ``return_empty`` fields that are wrong."""
    if not isinstance(raw, Mapping):
        raise Invalid([FieldProblem(PATH, "must be an object with the return's planned_arrival")])
    direction = direction_of(outbound.flow)
    flow = raw.get("flow") or (_BACK[direction].value if direction else None)
    problems: list[FieldProblem] = []
    if flow is None:
        problems.append(FieldProblem(f"{PATH}.flow", f"a {outbound.flow.label('en').lower()} trip may cross either "
                                                     "way: say the return's flow"))
    plain = {**trip_to_plain(outbound), "flow": flow, "planned_arrival": raw.get("planned_arrival"),
             "crossing_point": raw.get("crossing_point") or outbound.crossing_point,
             "goods": [], "empty": True, "containers": [], "customs_declaration_number": None,
             "wharf_transfer_only": False}
    try:
        trip = read_trip(plain, now=now, crossing_points=crossing_points)
    except Invalid as invalid:
        # Only the fields the return states itself can be wrong here; the rest were read with the outbound trip.
        raise Invalid(problems + [FieldProblem(f"{PATH}.{p.field}", p.message) for p in invalid.problems
                                  if not (p.field == "flow" and flow is None)]) from None
    if trip.planned_arrival <= outbound.planned_arrival:
        problems.append(FieldProblem(f"{PATH}.planned_arrival", "must be after the outbound trip's arrival "
                                                                f"({outbound.planned_arrival.isoformat()})"))
    if problems:
        raise Invalid(problems)
    return trip


@dataclass(frozen=True)
class TripsLinked(Event):
    """Two declarations were declared together as one truck's way out and its empty way back; recorded on both,
    ``linked_as`` naming what the other one is to this one (``return`` or ``outbound``)."""

    reference: str
    linked_reference: str
    linked_as: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)

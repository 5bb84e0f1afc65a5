"""What a policy made of each truck's trip: arrival, check-in, waiting-area entry, crossing, hold-back."""
from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bordergate.simulator.lanes import NEVER
from bordergate.simulator.scenario import Scenario
from bordergate.simulator.traffic import Truck


def _never(count: int) -> array:
    return array("q", [NEVER]) * count


@dataclass
class Outcome:
    """One policy's journeys, by truck id; minutes from the scenario's start, NEVER for what did not happen.

    ``arrived`` is when the truck reached the border (after any hold-back), ``checked_in`` when it took its place
    in the queue (later than arrival when its plate had to be entered by hand), ``entered_area`` when it drove into
    the waiting area (NEVER: it waited on the highway throughout, or did not wait), ``crossed`` when it was called
    forward or let through, ``held`` the minutes its shipper held back dispatch, ``diverted`` when a shipper
    warned on the road of a sudden closure sent the truck elsewhere (it never comes).
    """

    policy: str
    arrived: array
    checked_in: array
    entered_area: array
    crossed: array
    held: array
    diverted: array = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.diverted is None:
            self.diverted = _never(len(self.crossed))

    @classmethod
    def empty(cls, policy: str, count: int) -> Outcome:
        return cls(policy, _never(count), _never(count), _never(count), _never(count), array("q", [0]) * count)


def rows(scenario: Scenario, start: datetime, trucks: list[Truck], outcome: Outcome) -> Iterator[dict]:
    """Each truck's journey under the policy, one row a truck, times in UTC ISO 8601 (for a CSV)."""
    def at(minute: int | None) -> str:
        return "" if minute is None or minute >= NEVER else (start + timedelta(minutes=minute)).isoformat()

    for truck in trucks:
        i, lane = truck.id, scenario.lanes[truck.lane]
        crossed, arrived = outcome.crossed[i], outcome.arrived[i]
        spoils = truck.spoils_at
        yield {
            "truck": i, "policy": outcome.policy, "crossing_point": lane.crossing_point,
            "direction": lane.direction.value, "goods": truck.goods, "priority": truck.priority.value,
            "perishable": truck.perishable, "declared_at": at(truck.declared), "held_minutes": outcome.held[i],
            "planned_arrival": at(truck.planned + outcome.held[i]), "arrived_at": at(arrived),
            "checked_in_at": at(outcome.checked_in[i]), "entered_waiting_area_at": at(outcome.entered_area[i]),
            "crossed_at": at(crossed),
            "wait_minutes": crossed - arrived if crossed < NEVER and arrived < NEVER else "",
            "spoils_at": at(spoils + outcome.held[i] if spoils is not None else None),
            "lost": spoils is not None and arrived < NEVER and crossed > spoils + outcome.held[i]
            and spoils + outcome.held[i] < scenario.hours * 60,
            "empty": truck.empty, "diverted_at": at(outcome.diverted[i]),
            "plate_misread": truck.misread,
            # In the yard after crossing: the agencies' checks, and typing the plate in again if it was misread.
            "yard_minutes": truck.service + (round(scenario.manual_entry_minutes) if truck.misread else 0),
        }

"""The trucks of a scenario, drawn from a seed: when each declares, leaves, plans to arrive and does arrive."""
from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from bordergate.domain.booking import Priority
from bordergate.simulator.scenario import Lane, Scenario

DAY = 24 * 60


@dataclass(slots=True)
class Truck:
    """One truck's one trip. Times are minutes from the scenario's first local midnight; ``arrival`` None: a no-show.

    ``buys_place`` marks a driver who, with no system, pays to be let in near the front of the road queue;
    ``heeds_warning`` a shipper who holds back dispatch when told the wait is longer than the cargo's shelf life;
    ``empty`` a truck going back (or out) with no goods after delivering, which takes a place like any other.
    """

    id: int
    lane: int
    goods: str
    declared: int
    departure: int
    planned: int
    arrival: int | None
    perishable: bool
    shelf_life: int
    priority: Priority
    misread: bool
    service: int
    buys_place: bool
    heeds_warning: bool
    empty: bool = False

    @property
    def spoils_at(self) -> int | None:
        """When perishable cargo is lost if it has not crossed: its shelf life counts from loading (departure)."""
        return self.departure + self.shelf_life if self.perishable else None


def generate(scenario: Scenario, seed: int) -> list[Truck]:
    """Every truck of the scenario, in lane order then day order. Same scenario and seed, same trucks."""
    rng = random.Random(seed)
    trucks: list[Truck] = []
    for index, lane in enumerate(scenario.lanes):
        for day in range(scenario.days):
            _day_of_lane(scenario, rng, index, lane, day, trucks)
    return trucks


def _day_of_lane(scenario: Scenario, rng: random.Random, index: int, lane: Lane, day: int,
                 trucks: list[Truck]) -> None:
    mix = scenario.goods_mix[lane.direction]
    weights = []
    for goods in mix:
        weight = goods.share
        for surge in scenario.surges:
            if surge.applies(day, lane, goods.name):
                weight *= surge.factor
        weights.append(weight)
    expected = lane.arrivals_per_day * sum(weights)
    count = int(expected) + (rng.random() < expected - int(expected))
    if not count:
        return
    by_goods = list(accumulate(weights))
    by_hour = list(accumulate(lane.arrivals_by_hour))
    outages = _outages(scenario, lane)
    empty_share = scenario.empty_share.get(lane.direction, 0.0)
    priorities = list(accumulate(share for _, share in scenario.priority_shares))
    for _ in range(count):
        goods = mix[rng.choices(range(len(mix)), cum_weights=by_goods)[0]]
        hour = rng.choices(range(24), cum_weights=by_hour)[0]
        planned = day * DAY + hour * 60 + rng.randrange(60)
        departure = planned - round(rng.uniform(*scenario.travel_hours) * 60)
        declared = departure - round(rng.uniform(*scenario.declaration_lead_hours) * 60)
        comes, late = rng.random() >= scenario.no_show_share, rng.random() < scenario.late_share
        lateness = round(rng.uniform(*scenario.lateness_minutes))
        jitter = scenario.arrival_jitter_minutes
        arrival = max(departure + 1, planned + (lateness if late else rng.randint(-jitter, jitter)))
        shelf_life = round(rng.uniform(*goods.shelf_life_hours) * 60) if goods.perishable else 0
        drawn = rng.random()
        priority = next((p for (p, _), edge in zip(scenario.priority_shares, priorities, strict=True)
                         if drawn < edge), Priority.NONE)
        misread = rng.random() < _misread_share(scenario, outages, arrival)
        service = round(rng.expovariate(1 / scenario.agency_service_minutes)) if scenario.agency_service_minutes \
            else 0
        buys_place, heeds = rng.random() < scenario.queue_jumping_share, rng.random() < scenario.hold_back_share
        # Drawn last, and only when the scenario has empties, so that scenarios without them keep their trucks.
        empty = bool(empty_share) and rng.random() < empty_share
        trucks.append(Truck(len(trucks), index, "empty" if empty else goods.name, min(declared, arrival - 1),
                            departure, planned, arrival if comes else None, goods.perishable and not empty,
                            0 if empty else shelf_life, priority, misread and comes, service, buys_place, heeds,
                            empty))


def _outages(scenario: Scenario, lane: Lane) -> list[tuple[int, int, float]]:
    return [(*o.stretch.minutes(), o.misread_share) for o in scenario.camera_outages
            if not o.crossing_points or lane.crossing_point in o.crossing_points]


def _misread_share(scenario: Scenario, outages: list[tuple[int, int, float]], minute: int) -> float:
    """Plates misread at the waiting-area camera: the usual share, or the outage's while a camera is down."""
    return next((share for begins, ends, share in outages if begins <= minute < ends), scenario.plate_misread_share)

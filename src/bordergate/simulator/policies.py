"""Three ways to run a lane on the same trucks: no system, GoSwift-style hour slots, and bordergate's own rules.

Each policy decides, lane by lane, when every truck crosses, within each hour's capacity at the pace the real
call-forward loop calls (call_forward.paced_allowance, one turn a minute). Where a truck waits (waiting area or
highway) follows from when it came and when it crossed: see placement.py.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from heapq import heappop, heappush

from bordergate.simulator.gate import ManualEntry, serve_in_order
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import LaneHours
from bordergate.simulator.live_queue import bordergate
from bordergate.simulator.scenario import Scenario
from bordergate.simulator.traffic import Truck

Policy = Callable[[Scenario, LaneHours, list[Truck], Outcome], None]


def no_system(scenario: Scenario, hours: LaneHours, trucks: list[Truck], outcome: Outcome) -> None:
    """Trucks queue on the road, first come first served, as before any system: no camera, no call, no waiting
    area. Drivers who pay for a place (``buys_place``) are let in near the front (domain.md: the sale of places)."""
    arrivals = sorted((t.arrival, t.id) for t in trucks if t.arrival is not None)
    for minute, truck in arrivals:
        outcome.arrived[truck] = outcome.checked_in[truck] = minute
    buyers = {t.id for t in trucks if t.buys_place}
    serve_in_order(hours, arrivals, outcome.crossed, _Marked(buyers))


class _Marked:
    """Truck ids as a lookup by id, for serve_in_order's ``ahead``."""

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids

    def __getitem__(self, truck: int) -> bool:
        return truck in self.ids

    def __len__(self) -> int:
        return len(self.ids)


def goswift(scenario: Scenario, hours: LaneHours, trucks: list[Truck], outcome: Outcome) -> None:
    """Fixed-hour slots in the GoSwift manner: at declaration a truck books the first hour with a free place at or
    after its planned arrival; it waits in the waiting area until its hour and is let through in it, in order of
    check-in. A truck that comes after its hour has ended books again, the first free hour from then (GoSwift's
    rule: a missed slot is lost). A no-show's place, booked and unused, is lost to everyone.
    """
    book = _Ledger(hours)
    slot: dict[int, int] = {}
    by_id = {t.id: t for t in trucks}
    events = [(t.declared, 0, t.id) for t in trucks]
    events.sort()
    desk = ManualEntry(scenario.manual_entry_minutes)
    in_hour: dict[int, list[tuple[int, int]]] = {}
    while events:
        minute, kind, i = heappop(events)
        truck = by_id[i]
        if kind == 0:
            slot[i] = book(truck.planned // 60)
            if truck.arrival is not None:
                heappush(events, (truck.arrival, 1, i))
        elif kind == 1:
            outcome.arrived[i] = minute
            heappush(events, (desk.check_in(minute, truck.misread), 2, i))
        else:
            outcome.checked_in[i] = minute
            if minute >= (slot[i] + 1) * 60:
                slot[i] = book(minute // 60)
            if slot[i] < hours.hours:
                in_hour.setdefault(slot[i], []).append((minute, i))
    for hour, present in in_hour.items():
        _serve_hour(hours, hour, sorted(present), outcome)


def _serve_hour(hours: LaneHours, hour: int, present: list[tuple[int, int]], outcome: Outcome) -> None:
    """The hour's booked trucks that came, in order of check-in, at the pace of its calls (all within the hour)."""
    table, last = hours.tables[hour], hour * 60
    for n, (checked_in, truck) in enumerate(present):
        place = hour * 60 + bisect_left(table, n + 1)
        last = max(checked_in, last, place)
        outcome.crossed[truck] = last


class _Ledger:
    """The slot book: places taken per hour; finds the first hour with a free place (union-find, path halving)."""

    def __init__(self, hours: LaneHours) -> None:
        self.passes = hours.passes
        self.taken = [0] * hours.hours
        self.next = [h if hours.passes[h] else h + 1 for h in range(hours.hours)] + [hours.hours]

    def __call__(self, hour: int) -> int:
        """Book the first hour from ``hour`` with a free place; ``len(passes)`` when none is left."""
        h = self._free(max(hour, 0))
        if h < len(self.taken):
            self.taken[h] += 1
            if self.taken[h] >= self.passes[h]:
                self.next[h] = h + 1
        return h

    def _free(self, hour: int) -> int:
        nxt = self.next
        hour = min(hour, len(nxt) - 1)
        while nxt[hour] != hour:
            nxt[hour] = nxt[nxt[hour]]
            hour = nxt[hour]
        return hour


POLICIES: dict[str, Policy] = {"no_system": no_system, "goswift": goswift, "bordergate": bordergate}

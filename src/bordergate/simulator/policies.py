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
from bordergate.simulator.lanes import NEVER, LaneHours, sudden_changes
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

    The slot book knows the capacity changes announced; a sudden one is learnt when it begins, and the bookings
    over an hour's new places (the last booked first) are re-planned to the first free hour from theirs.
    """
    lane = scenario.lanes[trucks[0].lane] if trucks else None
    learn = sudden_changes(lane) if lane else []
    book = _Ledger(LaneHours(scenario, lane, known_at=0) if learn else hours)
    slot: dict[int, int] = {}
    holders: dict[int, list[int]] = {}  # who holds each hour's places, in order of booking

    def take(i: int, hour: int) -> None:
        slot[i] = book(hour)
        holders.setdefault(slot[i], []).append(i)

    by_id = {t.id: t for t in trucks}
    events = [(t.declared, 0, t.id) for t in trucks] + [(minute, -1, -1) for minute in learn]
    events.sort()
    desk = ManualEntry(scenario.manual_entry_minutes)
    while events:
        minute, kind, i = heappop(events)
        if kind == -1:
            known = LaneHours(scenario, lane, known_at=minute)
            for hour, bumped in book.replan(known.passes, minute // 60, holders):
                take(bumped, hour)
            continue
        truck = by_id[i]
        if kind == 0:
            take(i, truck.planned // 60)
            if truck.arrival is not None:
                heappush(events, (truck.arrival, 1, i))
        elif kind == 1:
            outcome.arrived[i] = minute
            heappush(events, (desk.check_in(minute, truck.misread), 2, i))
        else:
            outcome.checked_in[i] = minute
            if minute >= (slot[i] + 1) * 60:
                holders[slot[i]].remove(i)  # its place stays taken, unused
                take(i, minute // 60)
    in_hour: dict[int, list[tuple[int, int]]] = {}
    for i, hour in slot.items():
        if outcome.checked_in[i] < NEVER and hour < hours.hours:
            in_hour.setdefault(hour, []).append((outcome.checked_in[i], i))
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

    def replan(self, passes: list[int], from_hour: int, holders: dict[int, list[int]]) -> list[tuple[int, int]]:
        """The hours' places as now known; the bookings from ``from_hour`` over an hour's places, the last booked
        first, are given up and returned (hour, truck) to be booked again."""
        self.passes = passes
        bumped: list[tuple[int, int]] = []
        for hour in range(from_hour, len(self.taken)):
            over = self.taken[hour] - passes[hour]
            if over > 0:
                held = holders.get(hour, [])
                moved = held[max(0, len(held) - over):]
                del held[len(held) - len(moved):]
                self.taken[hour] -= len(moved)
                bumped += [(hour, i) for i in moved]
        self.next = [h if self.taken[h] < passes[h] else h + 1 for h in range(len(self.taken))] + [len(self.taken)]
        return bumped

    def _free(self, hour: int) -> int:
        nxt = self.next
        hour = min(hour, len(nxt) - 1)
        while nxt[hour] != hour:
            nxt[hour] = nxt[nxt[hour]]
            hour = nxt[hour]
        return hour


POLICIES: dict[str, Policy] = {"no_system": no_system, "goswift": goswift, "bordergate": bordergate}

"""A lane's hours on the simulated clock: capacity from the domain's rules, calls paced as the real loop paces them."""
from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate

from bordergate.domain import capacity as domain
from bordergate.domain.call_forward import paced_allowance
from bordergate.simulator.scenario import Lane, Scenario

MINUTE = timedelta(minutes=1)
# A time that never comes: a truck not crossed (or not arrived) by the end of the simulation is at NEVER.
NEVER = 2 ** 62


def start_of(scenario: Scenario) -> datetime:
    """Minute 0 of the simulation: local midnight of the scenario's first day, in UTC as the domain keeps time."""
    day = scenario.start
    return datetime(day.year, day.month, day.day, tzinfo=domain.GATE_TIME).astimezone(timezone.utc)


@lru_cache(maxsize=None)
def allowance_by_minute(capacity: int) -> tuple[int, ...]:
    """Calls an hour of ``capacity`` may have made by each of its minutes: call_forward.paced_allowance, tabled.

    The real loop runs once a minute, so an hour passes at most ``allowance[59]`` trucks (a few fewer than its
    capacity above 60 an hour); every policy and the hindsight bound are held to the same table.
    """
    hour = datetime(2025, 1, 1, tzinfo=timezone.utc)
    return tuple(paced_allowance(capacity, hour + k * MINUTE) for k in range(60))


def domain_capacity(scenario: Scenario, lane: Lane, known_at: int | None = None) -> domain.Capacity:
    """The lane's capacity as the system would hold it: the plan, its changes and the other side's day limits;
    with ``known_at``, only the changes known at that minute (sudden ones are known once they begin)."""
    start = start_of(scenario)
    plan = domain.CapacityPlan(lane.crossing_point, lane.direction, lane.capacity_per_hour)
    changes = []
    for i, change in enumerate(lane.capacity_changes):
        if known_at is not None and not change.known_at(known_at):
            continue
        begins, ends = change.stretch.minutes()
        changes.append(domain.CapacityChange(f"{lane.name}#{i}", lane.crossing_point, lane.direction,
                                             start + begins * MINUTE, start + ends * MINUTE, change.per_hour,
                                             change.reason))
    limits = [domain.DayLimit(lane.crossing_point, lane.direction, scenario.start + timedelta(days=d), limit.trucks)
              for limit in lane.day_limits for d in range(limit.from_day, limit.to_day)]
    return domain.Capacity(plan, changes, limits)


class LaneHours:
    """Hour by hour, how many trucks the lane passes, and the minutes at which paced calls may go out: as it
    happens, or (``known_at``) as it can be known at that minute, sudden changes still to come left out."""

    def __init__(self, scenario: Scenario, lane: Lane, known_at: int | None = None) -> None:
        self.start = start_of(scenario)
        self.hours = scenario.hours
        capacity = domain_capacity(scenario, lane, known_at)
        self.capacity = [capacity.at(self.start + h * domain.HOUR) for h in range(self.hours)]
        self.tables = [allowance_by_minute(c) for c in self.capacity]
        self.passes = [table[59] for table in self.tables]  # trucks each hour can pass, at one call turn a minute
        self.before = [0, *accumulate(self.passes)]  # trucks the hours before each hour can pass
        self.open_from = [self.hours] * (self.hours + 1)  # the first hour from each that passes any truck
        for h in range(self.hours - 1, -1, -1):
            self.open_from[h] = h if self.passes[h] else self.open_from[h + 1]
        self.end = self.hours * 60

    def moment(self, minute: int) -> datetime:
        return self.start + minute * MINUTE

    def next_call(self, minute: int, called_this_hour: int) -> int:
        """The first minute from ``minute`` at which one more call may go out; NEVER past the last hour."""
        hour, k = divmod(max(minute, 0), 60)
        if hour >= self.hours:
            return NEVER
        table = self.tables[hour]
        if table[59] > called_this_hour:
            return hour * 60 + max(k, bisect_left(table, called_this_hour + 1))
        later = self.open_from[hour + 1]
        return NEVER if later >= self.hours else later * 60

    def nth_place(self, minute: int, called_this_hour: int, n: int) -> int:
        """The minute of the ``n``-th place (1 = the next) from ``minute`` on, at the pace calls go out; NEVER if
        the simulated hours run out. Counts places only, so it is when a truck ``n``-th in line would be called."""
        hour, k = divmod(max(minute, 0), 60)
        if hour >= self.hours:
            return NEVER
        table, used = self.tables[hour], called_this_hour
        left = table[59] - used
        if n <= left:
            return hour * 60 + max(k, bisect_left(table, used + n))
        target = self.before[hour + 1] + n - left
        later = bisect_left(self.before, target) - 1
        if later >= self.hours:
            return NEVER
        return later * 60 + bisect_left(self.tables[later], target - self.before[later])


def sudden_changes(lane: Lane) -> list[int]:
    """The minutes at which the lane's unannounced capacity changes become known (when they begin), in order."""
    return sorted({change.stretch.minutes()[0] for change in lane.capacity_changes if not change.announced})

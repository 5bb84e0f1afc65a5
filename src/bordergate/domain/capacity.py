"""Crossing capacity: how many trucks a crossing point passes each hour in each direction, and what changes it."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bordergate.domain.checkpoints import Direction
from bordergate.domain.dates import moment_in_range
from bordergate.domain.errors import FieldProblem, Invalid, collect

# Lang Son keeps Indochina time (UTC+7, no daylight saving): hours of work and the day's limits are local.
GATE_TIME = timezone(timedelta(hours=7), "ICT")
HOUR = timedelta(hours=1)
MAX_PER_HOUR = 1000


def hour_of(moment: datetime) -> datetime:
    """The start of the hour ``moment`` falls in (slots are whole hours, in UTC; UTC+7 shares the boundaries)."""
    return moment.astimezone(GATE_TIME).replace(minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def local_day(moment: datetime) -> date:
    return moment.astimezone(GATE_TIME).date()


@dataclass(frozen=True)
class CapacityPlan:
    """The usual trucks per hour for each local hour of the day (0 outside working hours), for one direction."""

    crossing_point: str
    direction: Direction
    hourly: tuple[int, ...]

    def __post_init__(self) -> None:
        problems = []
        if len(self.hourly) != 24:
            problems.append(FieldProblem("hourly", f"give 24 numbers, one per hour from 00:00; got {len(self.hourly)}"))
        problems += [FieldProblem(f"hourly[{h}]", f"must be 0 to {MAX_PER_HOUR} trucks an hour")
                     for h, n in enumerate(self.hourly) if not 0 <= n <= MAX_PER_HOUR]
        if problems:
            raise Invalid(problems)

    def usual(self, hour_start: datetime) -> int:
        return self.hourly[hour_start.astimezone(GATE_TIME).hour]


@dataclass(frozen=True)
class CapacityChange:
    """A change for a stretch of time: a closure (0), extra lanes, a slowdown; with the reason people are told."""

    id: str
    crossing_point: str
    direction: Direction | None
    starts_at: datetime
    ends_at: datetime
    per_hour: int
    reason: str

    def covers(self, direction: Direction, hour_start: datetime) -> bool:
        """Whether the change applies to that hour: any overlap counts, so a closure at 10:30 closes 10:00-11:00."""
        return self.direction in (None, direction) and hour_start < self.ends_at and hour_start + HOUR > self.starts_at


@dataclass(frozen=True)
class DayLimit:
    """What the other side accepts on one local day in one direction (e.g. 300 trucks during a jam)."""

    crossing_point: str
    direction: Direction
    day: date
    trucks: int


def require_valid_change(starts_at: datetime, ends_at: datetime, per_hour: int, reason: str) -> None:
    problems: list[FieldProblem] = []
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        problems.append(FieldProblem("starts_at", "give times with their time zone"))
    elif None in [collect(problems, name, moment_in_range, moment)
                  for name, moment in (("starts_at", starts_at), ("ends_at", ends_at))]:
        pass  # out of range, said; comparing them could overflow
    elif ends_at <= starts_at:
        problems.append(FieldProblem("ends_at", "must be after starts_at"))
    if not 0 <= per_hour <= MAX_PER_HOUR:
        problems.append(FieldProblem("per_hour", f"must be 0 (closed) to {MAX_PER_HOUR}"))
    if not reason.strip():
        problems.append(FieldProblem("reason", "say why: drivers and declarants are told"))
    if problems:
        raise Invalid(problems)


class Capacity:
    """The capacity of one crossing point and direction, hour by hour: the plan, its changes, the day's limit."""

    def __init__(self, plan: CapacityPlan | None, changes: Iterable[CapacityChange] = (),
                 limits: Iterable[DayLimit] = ()) -> None:
        self.plan = plan
        self.changes = list(changes)  # in the order they were decided: the later decision wins
        self.limits = {limit.day: limit.trucks for limit in limits}

    @property
    def runs_a_queue(self) -> bool:
        return self.plan is not None

    def _hourly(self, hour_start: datetime) -> int:
        assert self.plan is not None  # at() answers 0 without asking when no queue runs
        direction = self.plan.direction
        covering = [c for c in self.changes if c.covers(direction, hour_start)]
        # The latest change decided wins where changes overlap.
        return covering[-1].per_hour if covering else self.plan.usual(hour_start)

    def at(self, hour_start: datetime) -> int:
        """Trucks that may cross in the hour starting at ``hour_start``."""
        if self.plan is None:
            return 0
        day = local_day(hour_start)
        if day not in self.limits:
            return self._hourly(hour_start)
        return self._day_shares(day)[hour_start.astimezone(GATE_TIME).hour]

    def _day_shares(self, day: date) -> Sequence[int]:
        """The day's limit shared over its hours in proportion to their capacity (largest remainders first, then
        earlier hours, take the trucks that whole shares leave over)."""
        first = datetime(day.year, day.month, day.day, tzinfo=GATE_TIME).astimezone(timezone.utc)
        hours = [self._hourly(first + h * HOUR) for h in range(24)]
        total, limit = sum(hours), self.limits[day]
        if total <= limit:
            return hours
        shares = [n * limit // total for n in hours]
        by_remainder = sorted(range(24), key=lambda h: (-(hours[h] * limit % total), h))
        for h in by_remainder[:limit - sum(shares)]:
            shares[h] += 1
        return shares

    def hours_from(self, start: datetime, count: int) -> list[tuple[datetime, int]]:
        """The next ``count`` hours from the one ``start`` falls in, with their capacity."""
        first = hour_of(start)
        return [(first + h * HOUR, self.at(first + h * HOUR)) for h in range(count)]

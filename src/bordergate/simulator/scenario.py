"""Scenarios as data: the lanes, traffic and mishaps of a simulated stretch of days, read from an operator's JSON."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from bordergate.domain.booking import Priority
from bordergate.domain.capacity import MAX_PER_HOUR
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.simulator.fields import Fields

Span = tuple[float, float]


class ScenarioInvalid(Invalid):
    """A scenario file an operator must correct; the message names every bad field and says why."""

    def __str__(self) -> str:
        return self.detail + "".join(f"\n  {p.field}: {p.message}" for p in self.problems)


@dataclass(frozen=True)
class Goods:
    """A kind of cargo and its share of a direction's trucks; perishables spoil ``shelf_life_hours`` after loading."""

    name: str
    share: float
    perishable: bool = False
    shelf_life_hours: Span = (0.0, 0.0)


@dataclass(frozen=True)
class Stretch:
    """From ``from_day`` at ``from_hour`` (local) to ``to_day`` at ``to_hour``, exclusive; days count from the start."""

    from_day: int
    from_hour: int
    to_day: int
    to_hour: int

    def minutes(self) -> tuple[int, int]:
        return (self.from_day * 24 + self.from_hour) * 60, (self.to_day * 24 + self.to_hour) * 60


@dataclass(frozen=True)
class CapacityChange:
    """A closure (0), a slowdown or extra hours: ``per_hour`` trucks an hour over the stretch, with the reason.

    ``announced`` changes are known from the start (a holiday); the others only when they begin (a collapse like
    December 2021): shippers, slot booking and the real system learn of them at that minute.
    """

    stretch: Stretch
    per_hour: int
    reason: str
    announced: bool = True

    def known_at(self, minute: int) -> bool:
        return self.announced or self.stretch.minutes()[0] <= minute


@dataclass(frozen=True)
class DayLimit:
    """What the other side accepts each day from ``from_day`` to ``to_day`` (exclusive): e.g. 300 trucks in 2021."""

    from_day: int
    to_day: int
    trucks: int


@dataclass(frozen=True)
class Lane:
    """One crossing point in one direction: its traffic by hour, its capacity by hour and its waiting area."""

    crossing_point: str
    direction: Direction
    arrivals_per_day: float
    arrivals_by_hour: tuple[float, ...]
    capacity_per_hour: tuple[int, ...]
    waiting_area: int
    capacity_changes: tuple[CapacityChange, ...] = ()
    day_limits: tuple[DayLimit, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.crossing_point}:{self.direction.value}"


@dataclass(frozen=True)
class Surge:
    """More (or fewer) trucks for a stretch of days: a harvest, a holiday; limited to goods, direction or points."""

    from_day: int
    to_day: int
    factor: float
    direction: Direction | None = None
    crossing_points: tuple[str, ...] = ()
    goods: tuple[str, ...] = ()

    def applies(self, day: int, lane: Lane, goods: str) -> bool:
        return (self.from_day <= day < self.to_day and self.direction in (None, lane.direction)
                and (not self.crossing_points or lane.crossing_point in self.crossing_points)
                and (not self.goods or goods in self.goods))


@dataclass(frozen=True)
class CameraOutage:
    """A stretch when plate reads fail (``misread_share`` of them) at the listed crossing points, or at all."""

    stretch: Stretch
    misread_share: float = 1.0
    crossing_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """Everything a simulated stretch of days needs. Times of day are local (UTC+7); days count from ``start``.

    ``days`` of traffic, then ``drain_days`` more in which the backlog may clear (waits are cut off at their end).
    Trucks declare ``declaration_lead_hours`` before leaving and drive ``travel_hours``; ``no_show_share`` never
    come, ``late_share`` come ``lateness_minutes`` late, the rest within ``arrival_jitter_minutes`` of their plan.
    ``plate_misread_share`` of plates (or an outage's share) are typed in by hand, ``manual_entry_minutes`` each;
    agencies take ``agency_service_minutes`` (mean) a truck in the yard. ``priority_shares`` by priority class;
    ``queue_jumping_share`` of drivers buy a place in a road queue; ``hold_back_share`` of shippers warned of a wait
    longer than their cargo's shelf life hold back dispatch, at most ``max_hold_hours``. ``empty_share`` by
    direction: the share of a lane's trucks that cross empty (going back after delivering); they count in
    ``arrivals_per_day`` and take a place like any truck, with no goods.
    """

    name: str
    description: str
    start: date
    days: int
    lanes: tuple[Lane, ...]
    goods_mix: dict[Direction, tuple[Goods, ...]]
    declaration_lead_hours: Span
    travel_hours: Span
    no_show_share: float
    late_share: float
    lateness_minutes: Span
    plate_misread_share: float
    manual_entry_minutes: float
    agency_service_minutes: float
    drain_days: int = 14
    arrival_jitter_minutes: int = 20
    surges: tuple[Surge, ...] = ()
    camera_outages: tuple[CameraOutage, ...] = ()
    priority_shares: tuple[tuple[Priority, float], ...] = ()
    queue_jumping_share: float = 0.0
    hold_back_share: float = 1.0
    max_hold_hours: int = 48
    empty_share: dict[Direction, float] = dataclasses.field(default_factory=dict)

    @property
    def hours(self) -> int:
        """Hours simulated: the scenario's days, then the drain days in which the backlog may clear."""
        return (self.days + self.drain_days) * 24


def shifted(scenario: Scenario, day: date) -> Scenario:
    """The scenario moved to start on ``day`` (its first day's local midnight), nothing else changed."""
    return dataclasses.replace(scenario, start=day)


def load(source: str | Path) -> Scenario:
    """A scenario from a JSON file, or by name from the scenarios shipped with bordergate (``normal_day_2025``)."""
    path = Path(source)
    if not path.suffix:
        path = Path(str(resources.files("bordergate.simulator") / "scenarios" / f"{source}.json"))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(shipped())
        raise ScenarioInvalid([FieldProblem("file", f"no scenario at {path}; shipped: {known}")]) from None
    except json.JSONDecodeError as exc:
        raise ScenarioInvalid([FieldProblem("file", f"{path.name} is not JSON: {exc}")]) from None
    return from_dict(data)


def shipped() -> list[str]:
    """Names of the scenarios that come with bordergate."""
    folder = resources.files("bordergate.simulator") / "scenarios"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def from_dict(data: Any) -> Scenario:
    """A validated scenario; ScenarioInvalid lists every field to correct at once."""
    f = Fields(data, "")
    days = f.integer("days", 1, 3660)
    drain_days = f.integer("drain_days", 0, 366, default=14)
    simulated = (days or 0) + (drain_days or 0) if days is not None and drain_days is not None else None
    scenario = dict(
        name=f.text("name"), description=f.text("description"), start=f.day("start"), days=days,
        drain_days=drain_days,
        lanes=tuple(f.each("lanes", lambda g: _lane(g, simulated), at_least=1)),
        goods_mix=_goods_mix(f.child("goods_mix")),
        declaration_lead_hours=f.span("declaration_lead_hours", 0, 24 * 90),
        travel_hours=f.span("travel_hours", 0, 24 * 7),
        arrival_jitter_minutes=f.integer("arrival_jitter_minutes", 0, 240, default=20),
        no_show_share=f.share("no_show_share"), late_share=f.share("late_share"),
        lateness_minutes=f.span("lateness_minutes", 0, 24 * 60 * 7),
        plate_misread_share=f.share("plate_misread_share"),
        manual_entry_minutes=f.number("manual_entry_minutes", 0, 120),
        agency_service_minutes=f.number("agency_service_minutes", 0, 24 * 60),
        surges=tuple(f.each("surges", lambda g: _surge(g, days), default=[])),
        camera_outages=tuple(f.each("camera_outages", lambda g: _outage(g, simulated), default=[])),
        priority_shares=_priorities(f.child("priority_shares", default={})),
        queue_jumping_share=f.share("queue_jumping_share", default=0.0),
        hold_back_share=f.share("hold_back_share", default=1.0),
        max_hold_hours=f.integer("max_hold_hours", 0, 24 * 30, default=48),
        empty_share=_empty_shares(f.child("empty_return_share", default={})))
    f.no_others()
    if f.problems:
        raise ScenarioInvalid(f.problems)
    return Scenario(**scenario)


def _lane(f: Fields, simulated: int | None) -> Lane:
    lane = Lane(
        crossing_point=f.code("crossing_point"), direction=f.choice("direction", Direction),
        arrivals_per_day=f.number("arrivals_per_day", 0, 100_000),
        arrivals_by_hour=f.numbers("arrivals_by_hour", 24, 0, 1e6, positive_sum=True),
        capacity_per_hour=f.numbers("capacity_per_hour", 24, 0, MAX_PER_HOUR, integer=True),
        waiting_area=f.integer("waiting_area", 0, 100_000),
        capacity_changes=tuple(f.each("capacity_changes", lambda g: _change(g, simulated), default=[])),
        day_limits=tuple(f.each("day_limits", lambda g: _limit(g, simulated), default=[])))
    f.no_others()
    return lane


def _stretch(f: Fields, simulated: int | None) -> Stretch:
    stretch = Stretch(f.integer("from_day", 0, 3660), f.integer("from_hour", 0, 23, default=0),
                      f.integer("to_day", 0, 3661), f.integer("to_hour", 0, 23, default=0))
    if None not in (stretch.from_day, stretch.to_day) and (stretch.to_day, stretch.to_hour) <= (
            stretch.from_day, stretch.from_hour):
        f.problem("to_day", "the stretch must end after it starts")
    elif None not in (stretch.from_day, stretch.to_day):
        _within(f, stretch.from_day, stretch.to_day + (stretch.to_hour > 0), simulated, "simulated days",
                "days + drain_days")
    return stretch


def _within(f: Fields, from_day: int, to_day: int, last: int | None, what: str, total: str) -> None:
    """Refuse a stretch reaching outside the days it can act on: it would otherwise be ignored without a word."""
    if last is None:
        return
    if from_day >= last:
        f.problem("from_day", f"must be inside the {what} (0 to {last - 1}, {total}); got {from_day}")
    elif to_day > last:
        f.problem("to_day", f"must end by the last of the {what} ({last}, {total}); got {to_day}")


def _change(f: Fields, simulated: int | None) -> CapacityChange:
    change = CapacityChange(_stretch(f, simulated), f.integer("per_hour", 0, MAX_PER_HOUR), f.text("reason"),
                            f.flag("announced", default=True))
    f.no_others()
    return change


def _limit(f: Fields, simulated: int | None) -> DayLimit:
    limit = DayLimit(f.integer("from_day", 0, 3660), f.integer("to_day", 1, 3661), f.integer("trucks", 0, 100_000))
    if None not in (limit.from_day, limit.to_day) and limit.to_day <= limit.from_day:
        f.problem("to_day", "must be after from_day")
    elif None not in (limit.from_day, limit.to_day):
        _within(f, limit.from_day, limit.to_day, simulated, "simulated days", "days + drain_days")
    f.no_others()
    return limit


def _surge(f: Fields, days: int | None) -> Surge:
    surge = Surge(f.integer("from_day", 0, 3660), f.integer("to_day", 1, 3661), f.number("factor", 0, 100),
                  f.choice("direction", Direction, default=None), tuple(f.codes("crossing_points")),
                  tuple(f.texts("goods")))
    if None not in (surge.from_day, surge.to_day):
        # Trucks are drawn for the scenario's days only: a surge in the drain days would change nothing.
        _within(f, surge.from_day, surge.to_day, days, "scenario's days of traffic", "days")
    f.no_others()
    return surge


def _outage(f: Fields, simulated: int | None) -> CameraOutage:
    outage = CameraOutage(_stretch(f, simulated), f.share("misread_share", default=1.0),
                          tuple(f.codes("crossing_points")))
    f.no_others()
    return outage


def _empty_shares(f: Fields) -> dict[Direction, float]:
    shares = {d: f.number(d.value, 0, 0.95, default=0.0) for d in Direction}
    f.no_others()
    return {d: s for d, s in shares.items() if s}


def _goods(f: Fields) -> Goods:
    perishable = f.flag("perishable", default=False)
    life = f.span("shelf_life_hours", 1, 24 * 365) if perishable else (0.0, 0.0)
    goods = Goods(f.text("name"), f.share("share"), perishable, life)
    f.no_others()
    return goods


def _goods_mix(f: Fields) -> dict[Direction, tuple[Goods, ...]]:
    mix = {}
    for direction in Direction:
        goods = tuple(f.each(direction.value, _goods, at_least=1))
        if goods and abs(sum(g.share or 0 for g in goods) - 1) > 0.01:
            f.problem(direction.value, f"shares must add up to 1; they add up to {sum(g.share or 0 for g in goods)}")
        mix[direction] = goods
    f.no_others()
    return mix


def _priorities(f: Fields) -> tuple[tuple[Priority, float], ...]:
    shares = tuple((p, f.share(p.value, default=0.0)) for p in Priority if p is not Priority.NONE)
    f.no_others()
    return tuple((p, s) for p, s in shares if s)

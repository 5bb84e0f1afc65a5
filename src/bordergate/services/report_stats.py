"""The public statistics of citizen reports per handling unit over a period: pure sums over plain records."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Protocol

from bordergate.domain.working_days import VIETNAM, Calendars, NoCalendar
from bordergate.services.civic_data import FiledUnder, categories_in_force, routing_in_force
from bordergate.services.public_report_repositories import HandlingRecord, Rating
from bordergate.services.unit_of_work import UnitOfWork

# Spam is not a report anyone had to handle: it counts nowhere.
NOT_COUNTED = frozenset({"spam"})


@dataclass(frozen=True)
class AnswerClock:
    """One answer against the deadline of the unit that gave it (today the report's current assignment; with
    report_assignments, one per assignment)."""

    unit_code: str
    answer_due: datetime
    answered_at: datetime


@dataclass(frozen=True)
class UnitFigures:
    """A unit's figures over the period; a share or average is None when nothing was there to count."""

    unit_code: str
    received: int
    answered: int
    answered_on_time: int
    on_time_percent: float | None
    median_working_days: float | None
    rating_average: float | None
    ratings: int
    reopened: int
    reopened_percent: float | None


def police_unit(uow: UnitOfWork, day: date, filed_under: FiledUnder | None = None) -> str:
    """The unit tips are counted under: where the routing table in force on ``day`` sends a security tip (as the
    categories in force say it; ``uow`` already entered)."""
    version, categories = categories_in_force(uow, day)
    tip = categories.get("security_tip") or (filed_under or FiledUnder(uow))("security_tip", version)
    return routing_in_force(uow, day).route(tip, None)[0]


def counted_unit(record: HandlingRecord, police: str) -> str:
    """The unit a record counts under: a tip always under the police, wherever it was sent on to (a commune's
    committee holding a tip must not show one)."""
    return police if record.tip else record.unit_code


def clocks_from_reports(records: Iterable[HandlingRecord], police: str) -> list[AnswerClock]:
    """The answers the reports table knows: each answered report's current assignment (reopened ones lost their
    answer, and a transfer its earlier unit's clock, until report_assignments keeps each assignment)."""
    return [AnswerClock(counted_unit(r, police), r.answer_due, r.answered_at) for r in records
            if r.answered_at is not None and r.resolution not in NOT_COUNTED]


class TurnAtAUnit(Protocol):
    """What the statistics read of one unit's turn with a report (domain/report_assignments.AssignmentRecord)."""

    @property
    def unit_code(self) -> str: ...
    @property
    def category_code(self) -> str: ...
    @property
    def answer_due(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def ended_how(self) -> str | None: ...


def clocks_from_assignments(turns: Iterable[TurnAtAUnit], police: str,
                            is_tip: Callable[[str], bool]) -> list[AnswerClock]:
    """Each unit judged on its own turns: every answer against the deadline of the turn it ended (a report sent on
    or reopened has several); a tip's answers (``is_tip`` of its category: FiledUnder.tip, every published version
    of the categories) count under the police."""
    return [AnswerClock(police if is_tip(t.category_code) else t.unit_code, t.answer_due, t.ended_at)
            for t in turns if t.ended_how == "answered" and t.ended_at is not None]


def on_time_share(clocks: Iterable[AnswerClock]) -> tuple[int, int]:
    """(answered on time, answered): on time is at or before the due moment."""
    clocks = list(clocks)
    return sum(c.answered_at <= c.answer_due for c in clocks), len(clocks)


class OfficeTime:
    """Office minutes of working days from the first day of a range to any moment in it, from a table of days
    built once: the figures ask it for every answer of the period (Calendars.working_minutes_between walks each
    day of the span again every time, about 100 µs an answer). A day of a year with no published calendar is
    unknown: a span over it has no figure."""

    def __init__(self, calendars: Calendars, first: date, last: date) -> None:
        self.first = first
        self.before: list[float] = []  # office minutes of the range's working days before each day
        self.unknown_before: list[int] = []  # days of the range before each day with no published calendar
        self.office: list[tuple[datetime, datetime] | None | bool] = []  # False: no calendar
        self.day_minutes: list[float | None] = []
        minutes, unknown, day = 0.0, 0, first
        while day <= last:
            self.before.append(minutes)
            self.unknown_before.append(unknown)
            try:
                calendar = calendars.of(day)
            except NoCalendar:
                self.office.append(False)
                self.day_minutes.append(None)
                unknown += 1
                day += timedelta(days=1)
                continue
            opens, closes = (datetime.combine(day, calendar.opens, VIETNAM),
                             datetime.combine(day, calendar.closes, VIETNAM))
            self.day_minutes.append((closes - opens).total_seconds() / 60)
            if calendar.is_working_day(day):
                self.office.append((opens, closes))
                minutes += (closes - opens).total_seconds() / 60
            else:
                self.office.append(None)
            day += timedelta(days=1)

    def _at(self, moment: datetime) -> tuple[float, int] | None:
        index = (moment.astimezone(VIETNAM).date() - self.first).days
        if not 0 <= index < len(self.office):
            return None
        office = self.office[index]
        if office is False:
            return None
        done = 0.0
        if isinstance(office, tuple):
            done = max(0.0, (min(moment, office[1]) - office[0]).total_seconds() / 60)
        return self.before[index] + done, self.unknown_before[index]

    def working_days_between(self, start: datetime, end: datetime) -> float | None:
        """As Calendars.working_days_between (office time over the length of an office day), None when the span
        reaches a day with no published calendar."""
        begin, finish = self._at(start), self._at(end)
        if begin is None or finish is None or finish[1] != begin[1]:
            return None
        length = self.day_minutes[(start.astimezone(VIETNAM).date() - self.first).days]
        return max(0.0, finish[0] - begin[0]) / length if length else None


def median_working_days(records: Iterable[HandlingRecord], calendars: Calendars) -> float | None:
    """The median working days from filing to answer (office time of the published calendar, so a weekend or Tết
    costs nothing); a span reaching a year with no published calendar is left out, not guessed."""
    answered = [r for r in records if r.answered_at is not None]
    if not answered:
        return None
    first = min(r.filed_at for r in answered).astimezone(VIETNAM).date()
    last = max(r.answered_at for r in answered if r.answered_at).astimezone(VIETNAM).date()
    office = OfficeTime(calendars, first, last)
    spans = [days for r in answered if r.answered_at is not None
             and (days := office.working_days_between(r.filed_at, r.answered_at)) is not None]
    return round(median(spans), 1) if spans else None


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def unit_figures(records: Iterable[HandlingRecord], clocks: Iterable[AnswerClock], ratings: Iterable[Rating],
                 calendars: Calendars, police: str) -> list[UnitFigures]:
    """Each unit's figures, units by code; ratings count under the unit the rated report counts under."""
    by_unit: dict[str, list[HandlingRecord]] = defaultdict(list)
    unit_of: dict[str, str] = {}
    for r in records:
        if r.resolution in NOT_COUNTED:
            continue
        unit = counted_unit(r, police)
        by_unit[unit].append(r)
        unit_of[r.tracking_code] = unit
    clocks_of: dict[str, list[AnswerClock]] = defaultdict(list)
    for c in clocks:
        clocks_of[c.unit_code].append(c)
    stars_of: dict[str, list[int]] = defaultdict(list)
    for rating in ratings:
        if rating.tracking_code in unit_of:
            stars_of[unit_of[rating.tracking_code]].append(rating.stars)
    figures = []
    for unit in sorted(set(by_unit) | set(clocks_of)):
        mine = by_unit.get(unit, [])
        on_time, answered_clocks = on_time_share(clocks_of.get(unit, []))
        stars = stars_of.get(unit, [])
        reopened = sum(r.reopen_count > 0 for r in mine)
        figures.append(UnitFigures(
            unit, len(mine), sum(r.answered_at is not None for r in mine), on_time,
            _percent(on_time, answered_clocks), median_working_days(mine, calendars),
            round(sum(stars) / len(stars), 2) if stars else None, len(stars), reopened,
            _percent(reopened, len(mine))))
    return figures


def received_per_commune(records: Iterable[HandlingRecord]) -> dict[str, int]:
    """Reports received per commune, tips never (a count by commune would tell where a tip came from)."""
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        if not r.tip and r.resolution not in NOT_COUNTED and r.commune_code:
            counts[r.commune_code] += 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class PeriodStatistics:
    """The figures of the reports filed from ``since`` to ``until``: per unit, and received per commune."""

    since: datetime
    until: datetime
    days: int
    units: list[UnitFigures]
    communes: dict[str, int]
    received: int
    answered: int


def period_statistics(uow: UnitOfWork, now: datetime, days: int, calendars: Calendars) -> PeriodStatistics:
    """The statistics of the reports filed in the last ``days`` days, read in one unit of work."""
    since = now - timedelta(days=days)
    with uow:
        filed_under = FiledUnder(uow)
        police = police_unit(uow, now.astimezone(VIETNAM).date(), filed_under)
        records = uow.public_reports.handling(since)
        ratings = uow.public_reports.ratings(since)
        # Each unit is judged on its own turns (report_assignments): a unit that sent a report on in time is not
        # blamed for the next unit's lateness, nor credited with its answer.
        clocks = clocks_from_assignments(uow.reports.assignments_between(since, now + timedelta(seconds=1)), police,
                                         filed_under.tip)
    units = unit_figures(records, clocks, ratings, calendars, police)
    return PeriodStatistics(since, now, days, units, received_per_commune(records),
                            sum(u.received for u in units), sum(u.answered for u in units))

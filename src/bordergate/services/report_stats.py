"""The public statistics of citizen reports per handling unit over a period: pure sums over plain records."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from bordergate.domain.report_rules import ROUTING, category
from bordergate.domain.working_days import Calendars, NoCalendar
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


def police_unit() -> str:
    """The unit tips are counted under: where the routing table sends a security tip."""
    return ROUTING.route(category("security_tip"), None)[0]


def counted_unit(record: HandlingRecord, police: str) -> str:
    """The unit a record counts under: a tip always under the police, wherever it was sent on to (a commune's
    committee holding a tip must not show one)."""
    return police if record.tip else record.unit_code


def clocks_from_reports(records: Iterable[HandlingRecord], police: str) -> list[AnswerClock]:
    """The answers the reports table knows: each answered report's current assignment (reopened ones lost their
    answer, and a transfer its earlier unit's clock, until report_assignments keeps each assignment)."""
    return [AnswerClock(counted_unit(r, police), r.answer_due, r.answered_at) for r in records
            if r.answered_at is not None and r.resolution not in NOT_COUNTED]


def on_time_share(clocks: Iterable[AnswerClock]) -> tuple[int, int]:
    """(answered on time, answered): on time is at or before the due moment."""
    clocks = list(clocks)
    return sum(c.answered_at <= c.answer_due for c in clocks), len(clocks)


def median_working_days(records: Iterable[HandlingRecord], calendars: Calendars) -> float | None:
    """The median working days from filing to answer (office time of the published calendar, so a weekend or Tết
    costs nothing); a span reaching a year with no published calendar is left out, not guessed."""
    spans = []
    for r in records:
        if r.answered_at is None:
            continue
        try:
            spans.append(calendars.working_days_between(r.filed_at, r.answered_at))
        except NoCalendar:
            continue
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
        records = uow.public_reports.handling(since)
        ratings = uow.public_reports.ratings(since)
    police = police_unit()
    units = unit_figures(records, clocks_from_reports(records, police), ratings, calendars, police)
    return PeriodStatistics(since, now, days, units, received_per_commune(records),
                            sum(u.received for u in units), sum(u.answered for u in units))

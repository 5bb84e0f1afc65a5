"""What anyone is told a truck joining the live queue now will wait: by its cargo, and the range where it is wide.

The queue calls legal priorities and perishable cargo close to spoiling first (``call_forward.urgency``), so one
figure cannot be right for every truck: an ordinary truck arriving at 09:00 may wait three hours while a load of
durian with a day of shelf life left is called within minutes. The public is told both. The range's low end is the
wait if none of the trucks still on the road that would be called ahead of the newcomer (live-queue trucks past
their declared arrival, urgent cargo and priorities booked to come) arrives in time; its high end is the wait if
every one of them does, which is also the single figure shown.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bordergate.domain.booking import BookingKind, BookingStatus
from bordergate.domain.call_forward import Place, project

# Sort after every booking id, so a truck checked in at this very moment is ahead of the imaginary newcomers.
NEWCOMER = "~a truck arriving now"
URGENT_NEWCOMER = "~an urgent truck arriving now"
# A range is worth showing only when its ends are this far apart; closer, one figure says as much.
WIDE = timedelta(minutes=20)


@dataclass(frozen=True)
class PublicWait:
    """Minutes a truck joining the live queue now can expect to wait; None beyond the projection's horizon."""

    minutes: int | None
    low: int | None
    high: int | None
    urgent_minutes: int | None

    @property
    def wide(self) -> bool:
        """Whether the range says more than the single figure."""
        return self.low is not None and self.high is not None and self.high - self.low >= WIDE / timedelta(minutes=1)


def newcomer(now: datetime) -> Place:
    """An ordinary truck joining the live queue now."""
    return Place(NEWCOMER, BookingKind.LIVE, BookingStatus.WAITING, queued_at=now)


def _minutes(now: datetime, at: datetime | None) -> int | None:
    return round((at - now) / timedelta(minutes=1)) if at is not None else None


def public_wait(now: datetime, places: Iterable[Place], capacity_at: Callable[[datetime], int],
                called_this_hour: int, urgent: timedelta, ordinary_call: datetime | None) -> PublicWait:
    """The public figures of one lane. ``places`` are the queued bookings; ``ordinary_call`` is the newcomer's
    call as the lane's full projection placed it (computed once with every truck's expected call)."""
    queued = list(places)
    # The latest shelf life still urgent: among urgent loads, the one called last, so the figure is an upper bound.
    urgent_one = Place(URGENT_NEWCOMER, BookingKind.LIVE, BookingStatus.WAITING, queued_at=now,
                       perishable_until=now + urgent)
    urgent_call = project(now, [*queued, urgent_one], capacity_at, called_this_hour, urgent)[URGENT_NEWCOMER]
    # Fixed-hour bookings keep their places whether or not they have come; live-queue trucks on the road may not.
    here = [p for p in queued if p.status is not BookingStatus.BOOKED or p.kind is BookingKind.SLOT]
    low_call = project(now, [*here, newcomer(now)], capacity_at, called_this_hour, urgent)[NEWCOMER]
    minutes = _minutes(now, ordinary_call)
    low = _minutes(now, low_call)
    return PublicWait(minutes=minutes, low=min(low, minutes) if low is not None and minutes is not None else low,
                      high=minutes, urgent_minutes=_minutes(now, urgent_call))


@dataclass(frozen=True)
class PublishedFigure:
    """What the lane published at a moment: the ordinary wait and the wait for urgent cargo, in minutes."""

    at: datetime
    minutes: int | None
    urgent_minutes: int | None


@dataclass(frozen=True)
class Waited:
    """A live-queue truck's wait as it happened: in the waiting area at ``queued_at``, called at ``called_at``."""

    queued_at: datetime
    called_at: datetime
    urgent: bool


@dataclass(frozen=True)
class PublishedError:
    """How far a day's published waits were from the waits trucks had: mean absolute error and bias (published
    minus actual) in minutes, over ``trucks`` live-queue trucks."""

    trucks: int
    mean_error_minutes: int
    bias_minutes: int


def published_error(published: list[PublishedFigure], waited: Iterable[Waited]) -> PublishedError | None:
    """Each truck's wait against the figure for its cargo that was on show before it drove in (the last published
    before the minute of its arrival: figures are kept per minute, and the minute's own was written after it came);
    None when no truck can be scored. ``published`` is in time order."""
    diffs = []
    moments = [figure.at for figure in published]
    for truck in waited:
        shown = bisect_left(moments, truck.queued_at.replace(second=0, microsecond=0)) - 1
        if shown < 0:
            continue
        figure = published[shown]
        told = figure.urgent_minutes if truck.urgent else figure.minutes
        if told is None:
            continue
        diffs.append(told - (truck.called_at - truck.queued_at) / timedelta(minutes=1))
    if not diffs:
        return None
    return PublishedError(len(diffs), round(sum(abs(d) for d in diffs) / len(diffs)), round(sum(diffs) / len(diffs)))


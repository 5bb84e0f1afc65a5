"""How far yesterday's published waits were from the waits trucks had, per crossing point and direction."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from bordergate.domain.booking import Priority
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.checkpoints import Direction
from bordergate.domain.public_waits import PublishedFigure, Waited, published_error
from bordergate.services.unit_of_work import UnitOfWork


def yesterday(now: datetime) -> tuple[datetime, datetime]:
    """The start and end of the gate's previous local day."""
    today = now.astimezone(GATE_TIME).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today - timedelta(days=1)).astimezone(timezone.utc), today.astimezone(timezone.utc)


def _urgent(row: dict[str, Any], urgent: timedelta) -> bool:
    """Whether the truck was called ahead as the public page's urgent figure says: a legal priority, or cargo
    spoiling within ``urgent`` of its arrival in the waiting area."""
    until = row["perishable_until"]
    return Priority(row["priority"]) is not Priority.NONE or (until is not None and until <= row["queued_at"] + urgent)


def yesterday_error(uow: UnitOfWork, crossing_point: str, direction: Direction, now: datetime,
                    urgent: timedelta) -> dict[str, int] | None:
    """Yesterday's live-queue trucks' waits against the figure for their cargo on show when each drove in (inside
    an open unit of work); None when no truck can be scored."""
    start, end = yesterday(now)
    published = [PublishedFigure(*row) for row in uow.published_waits.published(crossing_point, direction, start, end)]
    waited = [Waited(row["queued_at"], row["called_at"], _urgent(row, urgent))
              for row in uow.published_waits.waited(crossing_point, direction, start, end)]
    error = published_error(published, waited)
    if error is None:
        return None
    return {"trucks": error.trucks, "mean_error_minutes": error.mean_error_minutes,
            "bias_minutes": error.bias_minutes}


class YesterdayErrors:
    """Yesterday's error per lane, kept a short while per gate: every status render (each locale, each live push,
    every GET /) asked for it, and it reads a day of the lane's published figures and called trucks.

    Kept by lane, the gate's local day and the urgent rule, so a new day is computed afresh at once; for at most
    ``lifetime`` on the gate's clock, so a truck of yesterday called this morning shows within it.
    """

    def __init__(self, lifetime: timedelta = timedelta(seconds=60)) -> None:
        self.lifetime = lifetime
        self._kept: dict[tuple[str, Direction, datetime, timedelta], tuple[datetime, dict[str, int] | None]] = {}
        self._lock = threading.Lock()

    def of(self, uow: UnitOfWork, crossing_point: str, direction: Direction, now: datetime,
           urgent: timedelta) -> dict[str, int] | None:
        """As ``yesterday_error`` (inside an open unit of work), from what was kept when it is fresh."""
        day = yesterday(now)[0]
        key = (crossing_point, direction, day, urgent)
        with self._lock:
            kept = self._kept.get(key)
        if kept and timedelta(0) <= now - kept[0] < self.lifetime:
            return kept[1]
        error = yesterday_error(uow, crossing_point, direction, now, urgent)
        with self._lock:
            # Other days' figures are never asked for again (the clock only moves on): dropped, so this stays small.
            self._kept = {k: v for k, v in self._kept.items() if k[2] == day}
            self._kept[key] = (now, error)
        return error

"""The dates bordergate deals in: one range for every date and time anyone sends, so none overflows the arithmetic."""
from __future__ import annotations

from datetime import date, datetime

from bordergate.domain.errors import InvalidValue

# Far wider than any trip, tariff, booking or report needs, and far inside what date arithmetic can hold: a day
# of 0001-01-01 or 9999-12-31 turned into the start of a local day, or an hour after, overflows (a 500 before).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
RANGE = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def day_in_range(day: date) -> date:
    """The day, if it lies in bordergate's range; else InvalidValue saying the range."""
    if not EARLIEST <= day <= LATEST:
        raise InvalidValue(f"{day.isoformat()} is not a date bordergate deals in: give one {RANGE}")
    return day


def moment_in_range(moment: datetime) -> datetime:
    """The moment, if its date (as written, in its own time zone) lies in bordergate's range."""
    if not EARLIEST <= moment.date() <= LATEST:
        raise InvalidValue(f"{moment.isoformat()} is not a time bordergate deals in: give one {RANGE}")
    return moment

"""Open311 GeoReport v2's rules: the clients that may post requests, their trust, and what a query may ask."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bordergate.domain.errors import FieldProblem, Invalid

SPAN_DAYS = 90  # the spec: "start_date and end_date ... no more than 90 days"
NAME_LENGTH = (3, 120)


class Trust(StrEnum):
    """How far the gate trusts a client's reports: ``trusted`` (the province's own portals) go live at once;
    ``screened`` (third-party apps) are held from the public until the unit accepts them."""

    TRUSTED = "trusted"
    SCREENED = "screened"


@dataclass(frozen=True)
class Open311Client:
    """An application an administrator registered to post service requests with its api_key (only the key's
    SHA-256 is kept); ``per_minute``/``per_day`` bound what it may post."""

    id: str
    name: str
    trust: Trust
    per_minute: int
    per_day: int
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def source(self) -> str:
        """What a report filed through this client says it came from."""
        return f"open311:{self.id}"


def check_client(name: str, per_minute: int, per_day: int) -> str:
    """The client's name as kept, or Invalid naming what is wrong."""
    problems = []
    name = (name or "").strip()
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1]:
        problems.append(FieldProblem("name", f"give the application's name in {NAME_LENGTH[0]} to "
                                             f"{NAME_LENGTH[1]} characters"))
    if not 1 <= per_minute <= 600:
        problems.append(FieldProblem("per_minute", "allow 1 to 600 requests a minute"))
    if not per_minute <= per_day <= 100_000:
        problems.append(FieldProblem("per_day", "allow at least the minute's number, at most 100,000 a day"))
    if problems:
        raise Invalid(problems)
    return name


@dataclass(frozen=True)
class Open311Settings:
    """BORDERGATE_OPEN311_* as the services read them."""

    jurisdiction_id: str = "langson.gov.vn"
    max_requests: int = 1000
    default_days: int = 90
    per_device_per_day: int = 20
    contact: str = ""


@dataclass(frozen=True)
class Window:
    """The filing dates a ``GET requests`` asks about (inclusive start, exclusive end)."""

    start: datetime
    end: datetime


def window(start: datetime | None, end: datetime | None, now: datetime, default_days: int) -> Window:
    """The dates asked, or the default (the last ``default_days`` days); a span over 90 days is Invalid (400)."""
    if start is None and end is None:
        return Window(now - timedelta(days=default_days), now + timedelta(seconds=1))
    if start is None:
        assert end is not None
        start = end - timedelta(days=min(default_days, SPAN_DAYS))
    if end is None:
        end = min(start + timedelta(days=SPAN_DAYS), now + timedelta(seconds=1))
    if end < start:
        raise Invalid([FieldProblem("end_date", "is before start_date")])
    if end - start > timedelta(days=SPAN_DAYS):
        raise Invalid([FieldProblem("end_date", f"is more than {SPAN_DAYS} days after start_date; ask for "
                                                f"{SPAN_DAYS} days or fewer at a time")])
    return Window(start, end)

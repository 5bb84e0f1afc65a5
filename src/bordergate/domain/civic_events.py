"""Publishing civic data: the admin's command and what the trail keeps of each version (subject "civic_data")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bordergate.domain.commands import Command
from bordergate.domain.events import Event


@dataclass(frozen=True)
class PublishCivicDocument(Command):
    """Publish a new version of a kind of civic data (categories, routing, calendar, communes); it is checked as
    the shipped data is, and counts from ``in_force_from`` (today when not given)."""

    kind: str
    document: dict[str, Any]
    in_force_from: date | None = None


@dataclass(frozen=True)
class _Published(Event):
    """Base of the publications: the version, from when it counts, and the digest of the document published."""

    version: int
    in_force_from: str  # YYYY-MM-DD
    digest: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("civic_data", f"{self.kind}:{self.version}")

    kind = ""


@dataclass(frozen=True)
class CategoriesPublished(_Published):
    """A new version of the report categories was published."""

    kind = "categories"


@dataclass(frozen=True)
class RoutingPublished(_Published):
    """A new version of the routing table (which unit takes which report) was published."""

    kind = "routing"


@dataclass(frozen=True)
class WorkingCalendarPublished(_Published):
    """A year's working calendar was published (or republished with a correction); ``confirmed`` is false while
    its days are the law's rule applied rather than the government's decision."""

    year: int = 0
    confirmed: bool = False

    kind = "calendar"


@dataclass(frozen=True)
class CommunesPublished(_Published):
    """A new version of the province's list of communes and wards was published."""

    kind = "communes"


@dataclass(frozen=True)
class WorkingCalendarMissing(Event):
    """The year ends within the warning days and no calendar is published for the next: from its first day no
    deadline can be counted there, so filings would be refused. Raised once a year by the reports' sweep."""

    year: int
    days_left: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("civic_data", f"calendar_year:{self.year}")


PUBLISHED: dict[str, type[_Published]] = {e.kind: e for e in (CategoriesPublished, RoutingPublished,
                                                              WorkingCalendarPublished, CommunesPublished)}
"""The event each kind of civic data records when a version of it is published."""

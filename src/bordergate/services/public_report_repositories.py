"""The public's reads of citizen reports as a typing.Protocol: the public list and the statistics' plain records."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class PublicFilter:
    """What the public list is narrowed to; None: any."""

    commune: str | None = None
    category: str | None = None
    state: str | None = None
    # The categories the list walks when none is asked for (every category any published version names, tips
    # left out); None: whichever the reports name.
    listed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PublicReportRow:
    """One public report as the list shows it: nothing of its reporter, the place as filed (rounded by the read
    model), never a tip or a hidden report (the repository does not return them)."""

    tracking_code: str
    category_code: str
    commune_code: str | None
    state: str
    resolution: str | None
    unit_code: str
    filed_at: datetime
    answered_at: datetime | None
    lat: float | None
    lon: float | None
    description: str
    category_version: int = 1  # the published categories it was filed under: its category is named as those say


@dataclass(frozen=True)
class HandlingRecord:
    """One report as the statistics count it: where it is, when it was filed and answered, against which due."""

    tracking_code: str
    unit_code: str
    commune_code: str | None
    tip: bool  # counted only in the police unit's totals, never per commune
    resolution: str | None
    filed_at: datetime
    answered_at: datetime | None
    answer_due: datetime
    reopen_count: int


@dataclass(frozen=True)
class Rating:
    """The stars a reporter gave one answer to a report."""

    tracking_code: str
    stars: int


class PublicReportReads(Protocol):
    """Reads for the public side: newest first by keyset, and the period's records for the statistics."""

    def page(self, narrowed: PublicFilter, after: tuple[datetime, str] | None, limit: int) -> list[PublicReportRow]:
        """Public reports (not tips, not hidden) newest first (filed_at, then tracking code, both descending),
        strictly after the ``after`` key when given."""
        ...

    def communes(self) -> list[str]:
        """The communes public reports name, in order: the list's filter offers them."""
        ...

    def handling(self, since: datetime) -> list[HandlingRecord]:
        """Every report filed at or after ``since`` (tips included: the statistics place them)."""
        ...

    def ratings(self, since: datetime) -> list[Rating]:
        """The ratings given to reports filed at or after ``since`` (read from the audit trail's ReportRated)."""
        ...

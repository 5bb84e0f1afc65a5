"""Civic data published as versions: the admin publishes, the services read the version in force on a day."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import structlog

from bordergate.domain import access
from bordergate.domain.civic_documents import (FIRST_VERSION, CivicDocument, CivicKind, calendar_document,
                                               categories_document, communes_document, digest, read_calendar,
                                               read_categories, read_communes, read_routing, routing_document)
from bordergate.domain.civic_events import PUBLISHED, PublishCivicDocument, WorkingCalendarMissing
from bordergate.domain.communes import COMMUNES, SAMPLE_NOTE, Commune
from bordergate.domain.communes import in_force as communes_on
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.report_rules import CATEGORIES, ROUTING, Category, RoutingTable, category
from bordergate.domain.working_days import CALENDARS, VIETNAM, Calendars, WorkingCalendar
from bordergate.services.ports import Clock
from bordergate.services.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)

_SHIPPED_AT = datetime(2026, 12, 8, tzinfo=UTC)
# The data shipped with the code is version 1 of each kind, in force from the start: a gate nobody published to
# works as before, and `civic show` shows what counts.
SHIPPED: dict[str, list[CivicDocument]] = {
    CivicKind.CATEGORIES: [CivicDocument(CivicKind.CATEGORIES, FIRST_VERSION, date.min,
                                         categories_document(CATEGORIES.values()), _SHIPPED_AT, "system")],
    CivicKind.ROUTING: [CivicDocument(CivicKind.ROUTING, FIRST_VERSION, date.min, routing_document(ROUTING),
                                      _SHIPPED_AT, "system")],
    CivicKind.CALENDAR: [CivicDocument(CivicKind.CALENDAR, FIRST_VERSION, date.min, calendar_document(c),
                                       _SHIPPED_AT, "system") for c in CALENDARS.by_year.values()],
    CivicKind.COMMUNES: [CivicDocument(CivicKind.COMMUNES, FIRST_VERSION, date.min,
                                       communes_document(COMMUNES, SAMPLE_NOTE), _SHIPPED_AT, "system")],
}
_EVENTS = PUBLISHED


def in_force(uow: UnitOfWork, kind: str, day: date) -> CivicDocument:
    """The version of ``kind`` that counts on ``day``: the highest published one in force by then, else the
    shipped one (for calendars, use ``calendars_published``: one document a year)."""
    found = uow.civic.in_force(kind, day)
    return found if found is not None else SHIPPED[kind][0]


def calendars_published(uow: UnitOfWork) -> dict[int, WorkingCalendar]:
    """Each year's calendar: the latest published version of that year, else the shipped one."""
    years = {c.year: c for c in CALENDARS.by_year.values()}
    for document in uow.civic.all(CivicKind.CALENDAR):  # oldest first: a republished year replaces the older
        calendar = _parsed(document, read_calendar)
        years[calendar.year] = calendar
    return years


_parsed_cache: dict[tuple[str, str, str], Any] = {}


def _parsed(document: CivicDocument, read: Callable[[dict[str, Any]], Any]) -> Any:
    # Keyed by the content's digest, never by version alone: two databases may hold different version 2s.
    key = (document.kind, str(document.version), document.digest)
    if key not in _parsed_cache:
        if len(_parsed_cache) > 64:
            _parsed_cache.clear()
        _parsed_cache[key] = read(document.document)
    return _parsed_cache[key]


def categories_in_force(uow: UnitOfWork, day: date) -> tuple[int, dict[str, Category]]:
    document = in_force(uow, CivicKind.CATEGORIES, day)
    return document.version, _parsed(document, read_categories)


def category_filed_under(uow: UnitOfWork, code: str, version: int) -> Category:
    """The category ``code`` as the version a report was filed under says it (its names, its clocks)."""
    if version == FIRST_VERSION:
        return category(code)
    kept = [d for d in uow.civic.all(CivicKind.CATEGORIES) if d.version == version]
    found = _parsed(kept[0], read_categories).get(code) if kept else None
    return found if found is not None else category(code)


class FiledUnder:
    """Every published version of the categories, read once: a page naming many reports names each one as the
    version it was filed under says (``uow`` already entered)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.versions: dict[int, dict[str, Category]] = {FIRST_VERSION: dict(CATEGORIES)}
        for document in uow.civic.all(CivicKind.CATEGORIES):  # oldest first
            self.versions[document.version] = _parsed(document, read_categories)
        # Each code as the latest version naming it says: a category retired since still has its name.
        self.ever: dict[str, Category] = {}
        for categories in self.versions.values():
            self.ever.update(categories)

    def __call__(self, code: str, version: int) -> Category:
        """The category as version ``version`` says it, else as the latest version naming it; a code no version
        names (data from elsewhere) is named by its code and kept out of the public's sight, never a KeyError."""
        found = self.versions.get(version, {}).get(code) or self.ever.get(code)
        return found if found is not None else Category(code, "", code, code, code, never_public=True)

    def tip(self, code: str) -> bool:
        """Whether reports of ``code`` are tips (unknown codes are: kept out of sight, not shown)."""
        found = self.ever.get(code)
        return found is None or found.never_public


def routing_in_force(uow: UnitOfWork, day: date) -> RoutingTable:
    document = in_force(uow, CivicKind.ROUTING, day)
    if document.version == FIRST_VERSION:
        return ROUTING
    key = (document.kind, str(document.version), document.digest)
    if key not in _parsed_cache:  # checked when published; read again without the units (they may change)
        _parsed_cache[key] = read_routing(document.document, document.version, None, lambda unit: True)
    table: RoutingTable = _parsed_cache[key]
    return table


def communes_in_force(uow: UnitOfWork, day: date) -> tuple[Commune, ...]:
    """The province's communes and wards that exist on ``day``, by name (``uow`` already entered: a handler's)."""
    return communes_on(_parsed(in_force(uow, CivicKind.COMMUNES, day), read_communes), day)


def commune_choices(uow: UnitOfWork, at: datetime) -> list[dict[str, str]]:
    """The filing form's select: each commune or ward that exists on ``at``'s day, by name (a reader's view)."""
    with uow:
        communes = communes_in_force(uow, at.astimezone(VIETNAM).date())
    return [{"code": c.code, "name": c.name, "kind": c.kind} for c in communes]


def publish_civic_document(cmd: PublishCivicDocument, uow: UnitOfWork, clock: Clock,
                           calendars: Calendars) -> int:
    """Check a document as the shipped data is checked, keep it as the next version of its kind, say so on the
    trail; the version it got."""
    access.require(cmd.actor, access.ADMINISTER)
    if cmd.kind not in _EVENTS:
        raise Invalid([FieldProblem("kind", f"is one of {', '.join(k.value for k in CivicKind)}")])
    now = clock.now()
    today = now.astimezone(VIETNAM).date()
    starts = cmd.in_force_from or today
    if starts < today and cmd.kind in (CivicKind.CATEGORIES, CivicKind.ROUTING):
        # Reports filed since kept the version they were filed under: what was in force then is not rewritten.
        raise Invalid([FieldProblem("in_force_from", f"is {starts.isoformat()}, a day gone by; categories and "
                                                     f"routing count from today ({today.isoformat()}) or later")])
    with uow:
        version = max(uow.civic.latest_version(cmd.kind), FIRST_VERSION) + 1
        extra = _check(uow, cmd.kind, cmd.document, version, starts)
        document = CivicDocument(cmd.kind, version, starts, dict(cmd.document), now, cmd.actor.user_id)
        uow.civic.add(document)
        uow.record(_EVENTS[cmd.kind](cmd.actor.user_id, now, version, starts.isoformat(), digest(document.document),
                                     **extra))
        uow.commit()
    if cmd.kind == CivicKind.CALENDAR and isinstance(calendars.by_year, PublishedCalendars):
        calendars.by_year.forget()  # this process counts on the new year at once; others on their next sweep
    log.info("civic data published", kind=cmd.kind, version=version, in_force_from=starts.isoformat())
    return version


def _check(uow: UnitOfWork, kind: str, document: dict[str, Any], version: int, starts: date) -> dict[str, Any]:
    """The checks the module constants pass; for a calendar, the year and whether it is confirmed."""
    if kind == CivicKind.CATEGORIES:
        read_categories(document)
    elif kind == CivicKind.ROUTING:
        _, categories = categories_in_force(uow, starts)
        communes = [c.code for c in communes_in_force(uow, starts)]
        read_routing(document, version, categories, lambda unit: uow.units.organisation_of(unit) is not None,
                     communes)
    elif kind == CivicKind.CALENDAR:
        calendar = read_calendar(document)
        return {"year": calendar.year, "confirmed": calendar.confirmed}
    else:
        read_communes(document)
    return {}


class PublishedCalendars(Mapping[int, WorkingCalendar]):
    """The calendars by year as published, read once and again when a year is asked for that is not known (a
    year published by another process), after a publication here, or when the sweep asks to refresh."""

    def __init__(self, reader: Callable[[], UnitOfWork]) -> None:
        self._reader = reader
        self._lock = threading.Lock()
        self._years: dict[int, WorkingCalendar] | None = None

    def _load(self) -> dict[int, WorkingCalendar]:
        with self._reader() as uow:
            years = calendars_published(uow)
        with self._lock:
            self._years = years
        return years

    def forget(self) -> None:
        with self._lock:
            self._years = None

    def refresh(self) -> None:
        self._load()

    def __getitem__(self, year: int) -> WorkingCalendar:
        years = self._years if self._years is not None else self._load()
        if year not in years:
            years = self._load()
        return years[year]

    def __iter__(self) -> Iterator[int]:
        return iter(self._years if self._years is not None else self._load())

    def __len__(self) -> int:
        return len(self._years if self._years is not None else self._load())


CALENDAR_WARNING_DAYS = 30  # the brief's "30 days before a year ends": time to get the decision and publish


def _unpublished_next_year(today: date, years: Mapping[int, WorkingCalendar]) -> tuple[int, int] | None:
    """The coming year and the days left in this one, when those are few and no calendar is published for it."""
    days_left = (date(today.year, 12, 31) - today).days + 1
    if days_left > CALENDAR_WARNING_DAYS or today.year + 1 in years:
        return None
    return today.year + 1, days_left


def calendar_missing(uow: UnitOfWork, at: datetime) -> int | None:
    """For the administrator's screen: the coming year, when it is near and no calendar is published for it."""
    with uow:
        found = _unpublished_next_year(at.astimezone(VIETNAM).date(), calendars_published(uow))
    return found[0] if found else None


def warn_of_missing_calendar(uow: UnitOfWork, at: datetime, calendars: Calendars) -> WorkingCalendarMissing | None:
    """Within the last days of a year with no calendar for the next, record it once (the sweep's turn) and log a
    warning for the administrator: from 1 January no deadline can be counted, so no report can be filed."""
    if isinstance(calendars.by_year, PublishedCalendars):
        calendars.by_year.refresh()  # a year published by another process (the CLI) counts from this turn
    found = _unpublished_next_year(at.astimezone(VIETNAM).date(), calendars.by_year)
    if found is None:
        return None
    coming, days_left = found
    if any(e["action"] == WorkingCalendarMissing.__name__
           for e in uow.audit.history("civic_data", f"calendar_year:{coming}")):
        return None
    event = WorkingCalendarMissing("system", at, coming, days_left)
    uow.record(event)
    log.warning("no working calendar is published for next year: publish it with "
                "`bordergate civic publish calendar <file.json>` or reports cannot be filed from 1 January",
                year=coming, days_left=days_left)
    return event


def documents_in_force(uow: UnitOfWork, kind: str, day: date) -> list[CivicDocument]:
    """What counts on ``day`` as documents, for `civic show`: one, or for calendars one a year."""
    if kind not in _EVENTS:
        raise Invalid([FieldProblem("kind", f"is one of {', '.join(k.value for k in CivicKind)}")])
    if kind != CivicKind.CALENDAR:
        return [in_force(uow, kind, day)]
    years = {d.document["year"]: d for d in SHIPPED[CivicKind.CALENDAR]}
    years.update({d.document["year"]: d for d in uow.civic.all(kind)})
    return [years[year] for year in sorted(years)]

"""The public list of citizen reports: filtered, newest first, a page at a time by an opaque keyset cursor."""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from bordergate.domain.dates import EARLIEST, LATEST
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.report_rules import Category
from bordergate.domain.report_states import ReportState, Resolution
from bordergate.services.civic_data import FiledUnder
from bordergate.services.public_report_repositories import PublicFilter, PublicReportRow
from bordergate.services.report_views import PUBLIC_DECIMALS
from bordergate.services.unit_of_work import UnitOfWork

PAGE_SIZE = 20
MOST_PER_PAGE = 100
SUMMARY_CHARACTERS = 200  # the list shows the start of a description; the report page shows it whole
COMMUNE = re.compile(r"[A-Za-z0-9_-]{1,20}")
CATEGORY = re.compile(r"[a-z0-9_]{1,40}")


def listed_categories(filed_under: FiledUnder) -> tuple[str, ...]:
    """Every category a published version names, tips left out (never listed, so not offered as a filter): a
    category retired since still has reports to show."""
    return tuple(code for code, kind in filed_under.ever.items() if not kind.never_public)


def _name(kind: Category, locale: str) -> str:
    return {"vi": kind.name_vi, "zh": kind.name_zh}.get(locale, kind.name_en)


def read_filter(commune: str | None, category: str | None, state: str | None) -> PublicFilter:
    """The filter as asked, each value checked; empty means any."""
    problems = []
    commune, category, state = commune or None, category or None, state or None
    if commune is not None and not COMMUNE.fullmatch(commune):
        problems.append(FieldProblem("commune", "is not a commune code (letters, digits, _ or -, at most 20)"))
    # Checked by shape here, before any unit of work; against the published categories when the list is read.
    if category is not None and not CATEGORY.fullmatch(category):
        problems.append(FieldProblem("category", "is not a category code (small letters, digits or _, at most 40)"))
    if state is not None and state not in {s.value for s in ReportState}:
        problems.append(FieldProblem("state", f"choose one of {', '.join(s.value for s in ReportState)}"))
    if problems:
        raise Invalid(problems)
    return PublicFilter(commune, category, state)


def cursor_of(row: PublicReportRow) -> str:
    """The key after which the next page starts, opaque to the reader."""
    return base64.urlsafe_b64encode(f"{row.filed_at.isoformat()}|{row.tracking_code}".encode()).decode().rstrip("=")


def read_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        moment, _, code = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        at = datetime.fromisoformat(moment)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        at, code = None, ""
    if at is None or at.tzinfo is None or not code or not EARLIEST <= at.date() <= LATEST:
        raise Invalid([FieldProblem("after", "is not a cursor this list gave; start again from the first page")])
    return at, code


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PUBLIC_DECIMALS)


def _item(row: PublicReportRow, locale: str, filed_under: FiledUnder) -> dict[str, Any]:
    kind = filed_under(row.category_code, row.category_version)
    state = ReportState(row.state)
    text = row.description if len(row.description) <= SUMMARY_CHARACTERS else \
        row.description[:SUMMARY_CHARACTERS].rstrip() + "…"
    return {
        "code": row.tracking_code, "url": f"/r/{row.tracking_code}",
        "category": {"code": kind.code, "name": _name(kind, locale)},
        "commune": row.commune_code,
        "state": {"code": state.value, "label": state.label(locale), "colour": state.colour},
        "resolution": Resolution(row.resolution).label(locale) if row.resolution else None,
        "unit": row.unit_code, "filed_at": row.filed_at.isoformat(),
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "lat": _rounded(row.lat), "lon": _rounded(row.lon), "description": text,
        # Published photos come with h17-filing's report_photos (only those an officer published): none until then.
        "photos": [],
    }


def public_list(uow: UnitOfWork, narrowed: PublicFilter, after: str | None, locale: str,
                limit: int = PAGE_SIZE) -> dict[str, Any]:
    """A page of public reports newest first, and the cursor of the next page (None on the last)."""
    if not 1 <= limit <= MOST_PER_PAGE:
        raise Invalid([FieldProblem("limit", f"give 1 to {MOST_PER_PAGE}")])
    key = read_cursor(after)
    with uow:
        filed_under = FiledUnder(uow)
        listed = listed_categories(filed_under)
        if narrowed.category is not None and narrowed.category not in listed:
            raise Invalid([FieldProblem("category", f"choose one of {', '.join(listed)}")])
        walked = replace(narrowed, listed=listed)
        rows = uow.public_reports.page(walked, key, limit + 1)  # one more tells whether a next page exists
    more = len(rows) > limit
    rows = rows[:limit]
    return {"filter": {"commune": narrowed.commune, "category": narrowed.category, "state": narrowed.state},
            "reports": [_item(row, locale, filed_under) for row in rows],
            "next": cursor_of(rows[-1]) if more and rows else None}


def filter_choices(uow: UnitOfWork, locale: str) -> dict[str, list[tuple[str, str]]]:
    """What the list's filter offers: communes public reports name, listed categories, the states."""
    with uow:
        communes = uow.public_reports.communes()
        filed_under = FiledUnder(uow)
    return {"communes": [(c, c) for c in communes],
            "categories": [(c, _name(filed_under.ever[c], locale)) for c in listed_categories(filed_under)],
            "states": [(s.value, s.label(locale)) for s in ReportState]}

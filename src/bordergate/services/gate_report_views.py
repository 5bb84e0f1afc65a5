"""The operators' board's "citizen reports" panel: open reports about the queue and the gate at a crossing point."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain import access
from bordergate.domain.accounts import Principal
from bordergate.services.civic_data import FiledUnder
from bordergate.services.report_escalation import GATE_CATEGORIES
from bordergate.services.unit_inbox_views import item
from bordergate.services.unit_of_work import UnitOfWork


def open_at(uow: UnitOfWork, principal: Principal, crossing_point: str, now: datetime,
            locale: str = "vi") -> list[dict[str, Any]]:
    """Open truck-queue and border-gate reports naming ``crossing_point`` (or linked to a trip there), oldest
    first, with their age, deadline and the declaration an officer linked; never a hidden one."""
    access.require(principal, access.BOARD)
    with uow:
        found = [r for r in uow.reports.open_of_categories(GATE_CATEGORIES) if r.public]
        links = uow.reports.trip_links([r.tracking_code for r in found])
        declared = {code: uow.declarations.get(reference) for code, reference in links.items()}
        filed_under = FiledUnder(uow)
    points = {code: d.trip.crossing_point for code, d in declared.items() if d is not None}
    return [{**item(r, now, locale, filed_under), "trip": links.get(r.tracking_code)} for r in found
            if crossing_point in (r.attributes.get("crossing_point"), points.get(r.tracking_code))]

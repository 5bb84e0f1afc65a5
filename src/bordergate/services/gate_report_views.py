"""The operators' board's "citizen reports" panel: open reports about the queue and the gate at a crossing point."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain import access
from bordergate.domain.accounts import Principal
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
    shown = []
    for report in found:
        if report.attributes.get("crossing_point") != crossing_point and not (
                report.tracking_code in links and _point_of(uow, links[report.tracking_code]) == crossing_point):
            continue
        shown.append({**item(report, now, locale), "trip": links.get(report.tracking_code)})
    return shown


def _point_of(uow: UnitOfWork, reference: str) -> str | None:
    with uow:
        declaration = uow.declarations.get(reference)
    return declaration.trip.crossing_point if declaration else None

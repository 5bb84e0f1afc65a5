"""What the agencies' screens ask: a trip's checks, each agency's inbox at a crossing point, dwell times per day."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from bordergate.domain.access import READ_INBOXES, own_agencies, readable_inboxes, redacted_driver, require
from bordergate.domain.accounts import Principal, Role
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.clearance import NEEDS, AgencyCheck, CheckStatus, TripClearance
from bordergate.domain.errors import Forbidden, NotFound, parsed
from bordergate.domain.inspection import Agency
from bordergate.domain.labels import parse_choice
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import labelled, require_crossing_point, visible_declaration



def clearance(uow: UnitOfWork, principal: Principal, reference: str, locale: str = "vi") -> dict[str, Any]:
    """A trip's agency checks and customs channel, for its declarant and for the officers."""
    with uow:
        visible_declaration(uow, principal, reference)
        found = uow.clearances.get(reference)
    if found is None:
        raise NotFound(f"declaration {reference} has no agency checks on record (declared before they were kept)")
    return _clearance(found, locale)


def inbox(uow: UnitOfWork, principal: Principal, agency_code: str, crossing_point: str, *, locale: str = "vi",
          limit: int = 100) -> dict[str, Any]:
    """What waits for the agency at the crossing point: trucks at the gate first (by arrival), then the rest."""
    agency = parsed("agency", lambda v: parse_choice(Agency, v), agency_code)
    if agency not in readable_inboxes(principal):
        raise Forbidden(f"this is {agency.label('en')}'s inbox; you act for "
                        f"{', '.join(a.label('en') for a in own_agencies(principal))}")
    with uow:
        require_crossing_point(uow, crossing_point)
        rows = uow.clearances.inbox((agency,), crossing_point, limit)
    items = [_inbox_item(row, agency, locale, principal.role) for row in rows]
    waiting = [i for i in items if i["status"]["code"] != CheckStatus.HELD.value]
    return {"agency": labelled(agency, locale), "crossing_point": crossing_point,
            "waiting": waiting, "held": [i for i in items if i["status"]["code"] == CheckStatus.HELD.value]}


def dwell(uow: UnitOfWork, principal: Principal, crossing_point: str, day: date,
          locale: str = "vi") -> dict[str, Any]:
    """Per agency, on a local day: how long trucks waited for it, and how long it took to act, in minutes."""
    require(principal, READ_INBOXES)  # every agency's figures: the management center and the officers
    start = datetime(day.year, day.month, day.day, tzinfo=GATE_TIME)
    with uow:
        require_crossing_point(uow, crossing_point)
        rows = uow.clearances.worked(crossing_point, start, start + timedelta(days=1))
    agencies = []
    for agency in Agency:
        mine = [r for r in rows if r["agency"] == agency.value]
        if not mine:
            continue
        waits = [_minutes(r["first_action_at"] - max(r["arrived_at"] or r["opened_at"], r["opened_at"]))
                 for r in mine]
        acting = [_minutes(r["decided_at"] - r["first_action_at"]) for r in mine]
        agencies.append({
            "agency": labelled(agency, locale), "decided": len(mine),
            "by_source": {s: sum(1 for r in mine if r["source"] == s) for s in sorted({r["source"] for r in mine})},
            "waiting_minutes": _summary(waits), "acting_minutes": _summary(acting)})
    return {"crossing_point": crossing_point, "day": day.isoformat(), "agencies": agencies}


def _clearance(found: TripClearance, locale: str) -> dict[str, Any]:
    return {
        "reference": found.reference, "rule_version": found.rule_version,
        "channel": labelled(found.channel, locale) if found.channel else None,
        "channel_source": labelled(found.channel_source, locale) if found.channel_source else None,
        "channel_reasons": list(found.channel_reasons),
        "cleared": found.cleared,
        "checks": [_check(c, locale) for c in found.checks.values()],
    }


def _check(check: AgencyCheck, locale: str) -> dict[str, Any]:
    return {
        "agency": labelled(check.agency, locale), "why": check.why, "status": labelled(check.status, locale),
        "opened_at": check.opened_at.isoformat(), "decided_at": _iso(check.decided_at),
        "decided_by_system": check.authoritative,
        "source": labelled(check.source, locale) if check.source else None,
        "hold_reason": check.hold_reason, "needs": list(check.needs or NEEDS.get(check.agency, ())),
        "answer": check.answer,
    }


def _inbox_item(row: dict[str, Any], agency: Agency, locale: str, role: Role) -> dict[str, Any]:
    status = CheckStatus(row["status"])
    trip = row["trip"]
    return {
        "reference": row["reference"], "tractor_plate": row["tractor_plate"], "flow": trip["flow"],
        "status": labelled(status, locale), "why": row["why"],
        "since": _iso(row["first_action_at"] or row["opened_at"]), "arrived_at": _iso(row["arrived_at"]),
        "channel": row["channel"] if agency is Agency.CUSTOMS else None,
        "channel_reasons": row["channel_reasons"] if agency is Agency.CUSTOMS else [],
        "awaiting_system": agency is Agency.CUSTOMS and row["channel"] is None,
        "needs": row["needs"] or list(NEEDS.get(agency, ())), "hold_reason": row["hold_reason"],
        "answer": row["answer"],
        "goods": [{"hs_code": g["hs_code"], "description": g["description"], "origin_country": g["origin_country"],
                   "quarantine_required": g["quarantine_required"]} for g in trip["goods"]],
        # The document number for the border guard (immigration) only: domain/access.py says who and why.
        "driver": redacted_driver({"full_name": trip["driver"]["full_name"],
                                   "nationality": trip["driver"]["nationality"],
                                   "document_number": trip["driver"]["document_number"]}, role),
    }


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(median(ordered), 1), "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
            "mean": round(sum(ordered) / len(ordered), 1)}


def _minutes(delta: timedelta) -> float:
    return max(delta.total_seconds(), 0.0) / 60


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None

"""A handling unit's inbox by tab (new, in progress, waiting, near deadline, overdue, answered, escalated) and one
report as its unit reads it: the exact place and the reporter's phone for the assigned unit only."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain import access
from bordergate.domain.access import REDACTED
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import Forbidden, NotFound
from bordergate.domain.report_history import told
from bordergate.domain.report_rules import Category
from bordergate.domain.report_states import ReportState
from bordergate.domain.reports import Report
from bordergate.services.civic_data import FiledUnder
from bordergate.services.report_escalation import GATE_CATEGORIES
from bordergate.services.report_notices import reporters_phone
from bordergate.services.unit_of_work import UnitOfWork

TABS = ("new", "in_progress", "waiting", "near", "overdue", "answered", "escalated")
_HELD = tuple(s.value for s in (ReportState.RECEIVED, ReportState.IN_PROGRESS, ReportState.AWAITING_REPORTER,
                                ReportState.ANSWERED))
_STAGE = {ReportState.RECEIVED: "accept", ReportState.IN_PROGRESS: "answer"}
LIMIT = 500  # a tab lists this many, soonest due first (a province's unit has tens open at once)
PUBLIC_DECIMALS = 4


def running_due(report: Report) -> datetime | None:
    """The deadline the unit works to now: accept, answer (paused while waiting for the reporter: its reply)."""
    a = report.assignment
    return {ReportState.RECEIVED: a.accept_due, ReportState.IN_PROGRESS: a.answer_due,
            ReportState.AWAITING_REPORTER: a.reply_due}.get(report.state)


def tab_of(report: Report, now: datetime) -> str:
    """The one tab a report of the unit sits in (escalated is a supervisor's extra view, across the others)."""
    stage, due = _STAGE.get(report.state), running_due(report)
    if stage is not None and due is not None and now > due:
        return "overdue"
    if stage is not None and report.assignment.near_flagged_stage == stage:
        return "near"
    return {ReportState.RECEIVED: "new", ReportState.IN_PROGRESS: "in_progress",
            ReportState.AWAITING_REPORTER: "waiting"}.get(report.state, "answered")


def escalated(report: Report) -> bool:
    stage = _STAGE.get(report.state)
    return stage is not None and report.assignment.overdue_stage == stage


def inbox(uow: UnitOfWork, principal: Principal, now: datetime, *, tab: str = "new", commune: str | None = None,
          category_code: str | None = None, locale: str = "vi") -> dict[str, Any]:
    """The officer's units' reports in ``tab``, soonest due first, with each tab's count; a supervisor also has
    "escalated" (their unit's overdue reports, and for the coordinating unit's, those sent up to it)."""
    access.require(principal, access.HANDLE_REPORTS)
    supervisor = access.allows(principal, access.SUPERVISE_REPORTS)
    if tab not in TABS or (tab == "escalated" and not supervisor):
        tab = "new"
    with uow:
        codes = uow.units.codes_of(principal.organisation_id or "")
        held = [r for code in codes for r in uow.reports.of_unit(code, _HELD)]
        coordinating = uow.units.coordinating()
        sent_up = uow.reports.escalated(LIMIT) if supervisor and coordinating in codes else []
        filed_under = FiledUnder(uow)
    wanted = [r for r in held if (not commune or r.place.commune_code == commune)
              and (not category_code or r.category_code == category_code)]
    mine = {r.tracking_code for r in held}
    escalations = [r for r in wanted if escalated(r)] + [r for r in sent_up if r.tracking_code not in mine]
    counts = {name: sum(1 for r in wanted if tab_of(r, now) == name) for name in TABS}
    counts["escalated"] = len(escalations)
    chosen = escalations if tab == "escalated" else [r for r in wanted if tab_of(r, now) == tab]
    chosen.sort(key=lambda r: (running_due(r) or r.answered_at or r.filed_at, r.tracking_code))
    # An organisation not (yet) registered as a unit has an empty inbox, and the screen says why.
    return {"units": codes, "registered": bool(codes), "tab": tab, "tabs": [t for t in TABS if t != "escalated" or supervisor],
            "counts": counts, "commune": commune or "", "category": category_code or "",
            "communes": sorted({r.place.commune_code for r in held if r.place.commune_code}),
            # Every category a published version names (a retired one's reports are still handled), latest names.
            "categories": [{"code": c, "name": _name(filed_under.ever[c], locale)} for c in sorted(filed_under.ever)],
            "reports": [item(r, now, locale, filed_under) for r in chosen[:LIMIT]]}


def item(report: Report, now: datetime, locale: str, filed_under: FiledUnder) -> dict[str, Any]:
    """One line of a list: what (named as the categories it was filed under say), where (the commune), its state,
    the deadline it runs to and how old it is."""
    due = running_due(report)
    kind = filed_under(report.category_code, report.category_version)
    return {"code": report.tracking_code, "category": {"code": report.category_code, "name": _name(kind, locale)},
            "commune": report.place.commune_code, "unit": report.unit_code, "urgent": report.urgent,
            "state": {"code": report.state.value, "label": report.state.label(locale), "colour": report.state.colour},
            "due": due.isoformat() if due else None, "overdue": bool(due and now > due and report.state in _STAGE),
            "filed_at": report.filed_at.isoformat(), "age_hours": int((now - report.filed_at).total_seconds() // 3600),
            "hidden": report.hidden, "tip": report.never_public, "escalated": escalated(report),
            "description": report.description if len(report.description) <= 140 else report.description[:139] + "…"}


def detail(uow: UnitOfWork, principal: Principal, code: str, now: datetime, locale: str = "vi") -> dict[str, Any]:
    """One report for its unit's officers (everything), or for the coordinating unit's supervisor once it was sent
    up (the place rounded, the reporter's phone hidden: they are not the assigned unit)."""
    access.require(principal, access.HANDLE_REPORTS)
    with uow:
        report = uow.reports.get(code)
        if report is None:
            raise NotFound(f"there is no report {code}")
        assigned = access.handles_for(principal, uow.units.organisation_of(report.unit_code))
        coordinating = uow.units.coordinating()
        if not assigned and not (report.assignment.escalated_stage and coordinating is not None
                                 and access.coordinates(principal, uow.units.organisation_of(coordinating))):
            raise Forbidden(f"report {code} is another unit's; only the officers of {report.unit_code} open it")
        phone = reporters_phone(uow, report) if assigned else None
        entries = uow.audit.history("report", code)
        trip = uow.reports.trip_links([code]).get(code) if assigned else None
        others = [unit for unit in uow.units.codes() if unit != report.unit_code]
        filed_under = FiledUnder(uow)
    place, digits = report.place, None if assigned else PUBLIC_DECIMALS
    steps = [{"at": e["at"].isoformat(), "action": e["action"], "sentence": sentence} for e in entries
             if (sentence := told(e["action"], dict(e["payload"]), locale, public_only=False)) is not None]
    return {**item(report, now, locale, filed_under), "assigned": assigned, "description": report.description,
            "lat": round(place.lat, digits) if place.lat is not None and digits else place.lat,
            "lon": round(place.lon, digits) if place.lon is not None and digits else place.lon,
            "address": place.address_text if assigned else (REDACTED if place.address_text else None),
            "phone": phone if assigned else (REDACTED if report.contact_phone or report.reporter_user_id else None),
            "attributes": report.attributes if assigned else {},
            "answer": report.answer_text, "resolution": report.resolution.value if report.resolution else None,
            "accept_due": report.assignment.accept_due.isoformat(),
            "answer_due": report.assignment.answer_due.isoformat(),
            "reply_due": report.assignment.reply_due.isoformat() if report.assignment.reply_due else None,
            "duplicate_of": report.duplicate_of, "gate": report.category_code in GATE_CATEGORIES,
            "trip": trip, "units": others, "steps": steps}


def _name(kind: Category, locale: str) -> str:
    return {"vi": kind.name_vi, "en": kind.name_en, "zh": kind.name_zh}.get(locale, kind.name_vi)

"""Reports that need a supervisor: overdue ones escalated (the unit's, then the coordinating unit's), urgent ones
at filing; the phones they are told on; a gate report linked to its trip by the Border Gate Management Center."""
from __future__ import annotations

from datetime import datetime

from bordergate.domain import access, report_commands as rc
from bordergate.domain.errors import Conflict, NotFound, parsed
from bordergate.domain.identifiers import parse_phone
from bordergate.domain.notices import Notice, NoticeKind, local_time, render
from bordergate.domain.report_events import (ReportEscalated, ReportFiled, ReportLinkedToTrip, ReportOverdue,
                                             UnitPhoneSet)
from bordergate.services.civic_data import category_filed_under
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.report_notices import report_in
from bordergate.services.unit_of_work import UnitOfWork

# The reports about the gate itself, shown on the operators' board and linked to a declared trip.
GATE_CATEGORIES = ("truck_queue", "border_gate")
STAGES = {"accept": {"vi": "tiếp nhận", "en": "accept", "zh": "受理"},
          "answer": {"vi": "trả lời", "en": "answer", "zh": "答复"}}


def tell_supervisors(uow: UnitOfWork, ids: Identifiers, at: datetime, whose: str, code: str, kind: NoticeKind,
                     key: str, **values: object) -> int:
    """Queue one notice to each supervisor of unit ``whose`` who gave a phone, once per ``key``; how many."""
    told = 0
    for user_id, phone in uow.units.supervisors(whose):
        # Vietnamese: the province's officers read the gate in it (a per-person language comes with profiles).
        text = render(kind, "vi", code=code, **values)[:500]
        if uow.notices.enqueue(ids.new_id(), Notice(f"{code}:{key}:{user_id}", kind, code, phone, "vi", text), at):
            told += 1
    return told


def tell_overdue(event: ReportOverdue, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows ReportOverdue: the unit's supervisors are told (their inbox's "escalated to me" tab lists it)."""
    tell_supervisors(uow, ids, event.at, event.unit, event.code, NoticeKind.REPORT_OVERDUE,
                     f"overdue:{event.unit}:{event.stage}:{event.due.isoformat()}", unit=event.unit,
                     stage=STAGES[event.stage], due=local_time(event.due, "vi"))


def tell_escalated(event: ReportEscalated, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows ReportEscalated: still overdue a working day on, the coordinating unit's supervisors are told."""
    tell_supervisors(uow, ids, event.at, event.to_unit, event.code, NoticeKind.REPORT_OVERDUE,
                     f"escalated:{event.unit}:{event.stage}:{event.due.isoformat()}", unit=event.unit,
                     stage=STAGES[event.stage], due=local_time(event.due, "vi"))


def tell_urgent(event: ReportFiled, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows ReportFiled: an urgent report (landslide, flood, fire, road danger) reaches the supervisors of the
    unit it was routed to (the disaster-command unit) at once, not at the next look at the inbox."""
    report = report_in(uow, event.code) if event.urgent else None
    if report is None:
        return
    found = category_filed_under(uow, report.category_code, report.category_version)
    tell_supervisors(uow, ids, event.at, report.unit_code, event.code, NoticeKind.REPORT_URGENT, "urgent",
                     unit=report.unit_code, due=local_time(report.assignment.accept_due, "vi"),
                     category={"vi": found.name_vi, "en": found.name_en, "zh": found.name_zh})


def set_unit_phone(cmd: rc.SetUnitPhone, uow: UnitOfWork, clock: Clock) -> str | None:
    """An officer or supervisor gives the phone they are told on (their own: nobody else's)."""
    access.require(cmd.actor, access.HANDLE_REPORTS)
    phone = parsed("phone", parse_phone, cmd.phone) if cmd.phone and cmd.phone.strip() else None
    now = clock.now()
    with uow:
        uow.units.set_phone(cmd.actor.user_id, phone, now)
        uow.record(UnitPhoneSet(cmd.actor.user_id, now, cmd.actor.user_id, phone))
        uow.commit()
    return phone


def link_report_to_trip(cmd: rc.LinkReportToTrip, uow: UnitOfWork, clock: Clock) -> str:
    """An officer of the gate report's unit (the Border Gate Management Center) confirms the declared trip it is
    about; the crossing point is the declaration's. The reporter never sees the declaration."""
    access.require(cmd.actor, access.HANDLE_REPORTS)
    reference = (cmd.declaration_reference or "").strip().upper()
    with uow:
        report = uow.reports.get(cmd.code)
        if report is None:
            raise NotFound(f"there is no report {cmd.code}")
        access.require_own_unit(cmd.actor, uow.units.organisation_of(report.unit_code))
        if report.category_code not in GATE_CATEGORIES:
            raise Conflict(f"report {cmd.code} is not about the gate (truck queue, border gate); only those are "
                           "linked to a declared trip")
        declaration = uow.declarations.get(reference)
        if declaration is None:
            raise NotFound(f"there is no declaration {reference or '(none given)'}; type the declaration's "
                           "reference, like BG261128-7K3M9Q")
        point = declaration.trip.crossing_point
        now = clock.now()
        uow.reports.link_trip(cmd.code, point, reference, cmd.actor.user_id, now)
        uow.record(ReportLinkedToTrip(cmd.actor.user_id, now, cmd.code, point, reference))
        uow.commit()
    return reference

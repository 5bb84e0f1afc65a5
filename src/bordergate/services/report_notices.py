"""The reporter told by SMS at the steps that need them: received, asked for more, answered (queued in the outbox)."""
from __future__ import annotations

from datetime import datetime

from bordergate.domain.notices import Notice, NoticeKind, local_time, render
from bordergate.domain.report_events import ReportAnswered, ReporterAsked, ReportFiled
from bordergate.domain.reports import Report, ReportRules
from bordergate.services.ports import Identifiers
from bordergate.services.unit_of_work import UnitOfWork


def report_in(uow: UnitOfWork, code: str) -> Report | None:
    """The report the command already holds (no second read), else as stored."""
    held = next((r for r in uow.reports.seen if r.tracking_code == code), None)
    return held or uow.reports.get(code)


def reporters_phone(uow: UnitOfWork, report: Report) -> str | None:
    """Where the reporter is told: the phone they gave, else their account's (a citizen signs in by phone)."""
    if report.contact_phone:
        return report.contact_phone
    return citizens_phone(uow, report.reporter_user_id) if report.reporter_user_id else None


def citizens_phone(uow: UnitOfWork, user_id: str) -> str | None:
    user = uow.accounts.user(user_id)
    return user.username if user is not None and user.active and user.username.startswith("+") else None


def tell_reporter(uow: UnitOfWork, ids: Identifiers, at: datetime, code: str, kind: NoticeKind, key: str,
                  **values: object) -> bool:
    """Queue one notice to the report's reporter, once per ``key``; False when they left no phone."""
    report = report_in(uow, code)
    phone = reporters_phone(uow, report) if report else None
    if report is None or phone is None:
        return False
    return _queue(uow, ids, at, report, phone, kind, key, **values)


def tell_followers(uow: UnitOfWork, ids: Identifiers, at: datetime, code: str, kind: NoticeKind, key: str,
                   **values: object) -> int:
    """Queue the notice to each citizen following the report (by the phone they sign in with); how many."""
    report = report_in(uow, code)
    if report is None:
        return 0
    told = 0
    for user_id in uow.reports.followers(code):
        phone = citizens_phone(uow, user_id)
        if phone is not None and _queue(uow, ids, at, report, phone, kind, f"{key}:{user_id}", **values):
            told += 1
    return told


def _queue(uow: UnitOfWork, ids: Identifiers, at: datetime, report: Report, phone: str, kind: NoticeKind,
           key: str, **values: object) -> bool:
    # Vietnamese until citizens choose their language (citizen_profiles.locale, to come).
    code = report.tracking_code
    text = render(kind, "vi", code=code, unit=report.unit_code, **values)[:500]
    return uow.notices.enqueue(ids.new_id(), Notice(f"{code}:{key}", kind, code, phone, "vi", text), at)


def tell_filed(event: ReportFiled, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows ReportFiled: the reporter is told the tracking code, the unit and when the answer is due."""
    report = report_in(uow, event.code)
    due = local_time(report.assignment.answer_due, "vi") if report else "-"
    tell_reporter(uow, ids, event.at, event.code, NoticeKind.REPORT_RECEIVED, "received", due=due)


def tell_asked(event: ReporterAsked, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows ReporterAsked: the unit's question reaches the reporter (their reply restarts its clock)."""
    question = event.question if len(event.question) <= 200 else event.question[:199] + "…"
    tell_reporter(uow, ids, event.at, event.code, NoticeKind.REPORT_ASKED, f"asked:{event.at.isoformat()}",
                  question=question)


def tell_answered(event: ReportAnswered, uow: UnitOfWork, ids: Identifiers, report_rules: ReportRules) -> None:
    """Follows ReportAnswered: the reporter may read, rate or reopen the answer within the window; its followers
    are told it was answered too."""
    key = f"answered:{event.at.isoformat()}"
    tell_reporter(uow, ids, event.at, event.code, NoticeKind.REPORT_ANSWERED, key, days=report_rules.reopen_days)
    tell_followers(uow, ids, event.at, event.code, NoticeKind.REPORT_ANSWERED, key, days=report_rules.reopen_days)

"""The reports' clocks on the server's timer: answered reports whose reopen window lapsed are closed."""
from __future__ import annotations

from datetime import timedelta

from bordergate.domain import access, report_commands as rc
from bordergate.domain.report_states import Party
from bordergate.domain.reports import ReportRules
from bordergate.domain.working_days import Calendars
from bordergate.services.civic_data import warn_of_missing_calendar
from bordergate.services.ports import Clock
from bordergate.services.unit_of_work import UnitOfWork

BATCH = 200  # a turn closes at most this many; the next turn takes the rest


def sweep_report_deadlines(cmd: rc.SweepReportDeadlines, uow: UnitOfWork, clock: Clock, calendars: Calendars,
                           report_rules: ReportRules) -> int:
    """Flag the stages near or past their deadline (escalating those overdue a working day to the coordinating
    unit), then close, as the system, every answered report its
    reporter can no longer reopen; how many were closed."""
    access.require(cmd.actor, access.ADMINISTER)
    now = clock.now()
    with uow:
        coordinating = uow.units.coordinating()
        warn_of_missing_calendar(uow, now, calendars)
        for report in uow.reports.open_at_units(BATCH):
            loaded = report.version
            report.watch_clock(at=now, calendars=calendars, rules=report_rules)
            report.escalate(coordinating, at=now, calendars=calendars)
            if report.version != loaded:
                uow.reports.save(report, loaded)
        lapsed = uow.reports.answered_before(now - timedelta(days=report_rules.reopen_days))[:BATCH]
        for report in lapsed:
            loaded = report.version
            report.close(by=Party.SYSTEM, actor="system", at=now, rules=report_rules)
            uow.reports.save(report, loaded)
        uow.commit()
    return len(lapsed)

"""The handling unit's side of a citizen's report: accept, send on, ask the reporter, answer, close."""
from __future__ import annotations

import re
from dataclasses import asdict

from bordergate.domain import access, report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from bordergate.domain.labels import parse_choice
from bordergate.domain.report_events import UnitRegistered
from bordergate.domain.report_states import Party, ReportState, Resolution
from bordergate.domain.reports import Report, ReportRules
from bordergate.domain.working_days import Calendars
from bordergate.services import open311
from bordergate.services.civic_data import category_filed_under
from bordergate.services.ports import Clock
from bordergate.services.unit_of_work import UnitOfWork

UNIT_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,39}")


def register_unit(cmd: rc.RegisterUnit, uow: UnitOfWork, clock: Clock) -> None:
    """Make an organisation a handling unit (an administrator's step, seeded for the province's units)."""
    access.require(cmd.actor, access.ADMINISTER)
    if not UNIT_CODE.fullmatch(cmd.unit_code):
        raise Invalid([FieldProblem("unit_code", "is 2 to 40 capital letters, digits or _ "
                                                 "(like BQL_CK, UBND_DONG_DANG)")])
    with uow:
        if uow.accounts.organisation(cmd.organisation_id) is None:
            raise NotFound(f"there is no organisation {cmd.organisation_id}")
        uow.units.add(cmd.unit_code, cmd.organisation_id, cmd.coordinating)
        if cmd.profile is not None:
            uow.units.describe(cmd.unit_code, cmd.profile)
        uow.record(UnitRegistered(cmd.actor.user_id, clock.now(), cmd.unit_code, cmd.organisation_id,
                                  cmd.coordinating, asdict(cmd.profile) if cmd.profile else None))
        uow.commit()


def _officers_report(uow: UnitOfWork, actor: Principal, code: str, *,
                     coordinator_may: bool = False) -> tuple[Report, Party]:
    """The report, if ``actor`` is an officer of its unit; where ``coordinator_may`` (sending it on), a
    supervisor of the coordinating unit may act on any report."""
    access.require(actor, access.HANDLE_REPORTS)  # refused in the policy's words before anything is read
    report = uow.reports.get(code)
    if report is None:
        raise NotFound(f"there is no report {code}")
    coordinating = uow.units.coordinating()
    if coordinator_may and coordinating is not None and access.coordinates(
            actor, uow.units.organisation_of(coordinating)):
        return report, Party.COORDINATOR
    access.require_own_unit(actor, uow.units.organisation_of(report.unit_code))
    return report, Party.OFFICER


def accept_report(cmd: rc.AcceptReport, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.accept(by=by, actor=cmd.actor.user_id, at=clock.now())
        open311.release_if_held(uow, report, cmd.actor.user_id, clock.now())  # a screened client's request
        uow.reports.save(report, loaded)
        uow.commit()


def transfer_report(cmd: rc.TransferReport, uow: UnitOfWork, clock: Clock, calendars: Calendars,
                    report_rules: ReportRules) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code, coordinator_may=True)
        if uow.units.organisation_of(cmd.to_unit) is None:
            raise NotFound(f"there is no unit {cmd.to_unit}")
        loaded = report.version
        report.transfer(cmd.to_unit, cmd.reason, by=by, actor=cmd.actor.user_id, at=clock.now(),
                        answer_working_days=category_filed_under(uow, report.category_code,
                                                                 report.category_version).answer_working_days,
                        calendars=calendars, rules=report_rules)
        uow.reports.save(report, loaded)
        uow.commit()


def ask_reporter(cmd: rc.AskReporter, uow: UnitOfWork, clock: Clock, calendars: Calendars,
                 report_rules: ReportRules) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.ask(cmd.question, by=by, actor=cmd.actor.user_id, at=clock.now(), calendars=calendars,
                   rules=report_rules)
        uow.reports.save(report, loaded)
        uow.commit()


def answer_report(cmd: rc.AnswerReport, uow: UnitOfWork, clock: Clock, calendars: Calendars) -> None:
    resolution = parse_choice(Resolution, cmd.resolution)
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.answer(cmd.answer, resolution, by=by, actor=cmd.actor.user_id, at=clock.now(), calendars=calendars)
        uow.reports.save(report, loaded)
        uow.commit()


def close_report(cmd: rc.CloseReport, uow: UnitOfWork, clock: Clock, report_rules: ReportRules) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.close(by=by, actor=cmd.actor.user_id, at=clock.now(), rules=report_rules)
        uow.reports.save(report, loaded)
        uow.commit()


def link_duplicate(cmd: rc.LinkDuplicate, uow: UnitOfWork, clock: Clock) -> None:
    """Close a report as a duplicate of another (an officer of either unit); its reporter, if signed in, and its
    followers follow the original from now on."""
    access.require(cmd.actor, access.HANDLE_REPORTS)
    with uow:
        duplicate, original = uow.reports.get(cmd.code), uow.reports.get(cmd.original)
        if duplicate is None or original is None:
            raise NotFound(f"there is no report {cmd.code if duplicate is None else cmd.original}")
        if not any(access.handles_for(cmd.actor, uow.units.organisation_of(r.unit_code))
                   for r in (duplicate, original)):
            raise Forbidden("only the officers of either report's unit link them as duplicates")
        if original.state is ReportState.CLOSED or original.never_public != duplicate.never_public:
            raise Conflict(f"report {cmd.original} is closed or of another kind; it cannot take the followers")
        now = clock.now()
        people = [*([duplicate.reporter_user_id] if duplicate.reporter_user_id else []),
                  *uow.reports.followers(cmd.code)]
        moved = sum(1 for user_id in people if user_id != original.reporter_user_id
                    and uow.reports.follow(cmd.original, user_id, now))
        loaded = duplicate.version
        duplicate.link_duplicate(cmd.original, moved, by=Party.OFFICER, actor=cmd.actor.user_id, at=now)
        uow.reports.save(duplicate, loaded)
        uow.commit()


def hide_report(cmd: rc.HideReport, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.hide(cmd.reason, by=by, actor=cmd.actor.user_id, at=clock.now())
        uow.reports.save(report, loaded)
        uow.commit()


def show_report(cmd: rc.ShowReport, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.show(cmd.reason, by=by, actor=cmd.actor.user_id, at=clock.now())
        uow.reports.save(report, loaded)
        uow.commit()


def mark_spam(cmd: rc.MarkSpam, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        report, by = _officers_report(uow, cmd.actor, cmd.code)
        loaded = report.version
        report.mark_spam(cmd.reason, by=by, actor=cmd.actor.user_id, at=clock.now())
        uow.reports.save(report, loaded)
        uow.commit()

"""The reporter's side of a citizen's report: file it (signed in or anonymously), add to it, rate, reopen, withdraw."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from bordergate.domain import access, report_commands as rc
from bordergate.domain.errors import Conflict, FieldProblem, Forbidden, Invalid, InvalidValue, NotFound
from bordergate.domain.identifiers import parse_phone
from bordergate.domain.report_events import ReportFollowed, ReportUnfollowed
from bordergate.domain.report_rules import UNREGISTERED_UNIT_RULE, category
from bordergate.domain.report_states import Party, ReportState
from bordergate.domain.report_limits import FilingLimits
from bordergate.domain.reports import Place, Report, ReportRules
from bordergate.domain.working_days import VIETNAM, Calendars
from bordergate.services import report_filing
from bordergate.services.civic_data import categories_in_force, routing_in_force
from bordergate.services.filing_repositories import PhotoStore
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

NOT_YOURS = "only the person who filed this report, or whoever holds its secret link, may do this"


@dataclass(frozen=True)
class Filed:
    """What a reporter is given back: the tracking code, and for an anonymous reporter the secret link's key
    (shown once; only its digest is kept)."""

    tracking_code: str
    secret: str | None


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def file_report(cmd: rc.FileReport, uow: UnitOfWork, clock: Clock, ids: Identifiers, calendars: Calendars,
                report_rules: ReportRules, filing_limits: FilingLimits, photo_store: PhotoStore) -> Filed:
    """File a report and give it to the unit the routing table names; anonymous reporters get a secret link.
    The abuse controls count it first (report_filing.admit), and its photos are kept in the same transaction."""
    now = clock.now()
    by = cmd.actor.user_id if cmd.actor else None
    with uow:  # the limits are counted in the filing's transaction: a refused filing counts nothing
        reporter = report_filing.admit(uow, filing_limits, now, by, cmd.address, cmd.category, cmd.description,
                                       len(cmd.photos))
        filed = file_in(uow, cmd, clock, ids, calendars, report_rules)
        report_filing.remember(uow, filed.tracking_code, reporter, cmd.category, cmd.description, now)
        report_filing.attach_photos(uow, photo_store, filed.tracking_code, cmd.photos, by or "anonymous", now)
        uow.commit()
    return filed


def file_in(uow: UnitOfWork, cmd: rc.FileReport, clock: Clock, ids: Identifiers, calendars: Calendars,
            report_rules: ReportRules) -> Filed:
    """Filing inside a unit of work the caller opened and commits (an Open311 request is filed with its token)."""
    if cmd.actor is not None:
        access.require(cmd.actor, access.FILE_REPORTS)
    now = clock.now()
    secret = ids.new_secret() if cmd.actor is None else None
    # The categories and routing table in force today (published versions, else the shipped ones).
    today = now.astimezone(VIETNAM).date()
    category_version, categories = categories_in_force(uow, today)
    kind = category(cmd.category, categories)
    attributes = kind.read_attributes(dict(cmd.attributes))
    place = Place(cmd.lat, cmd.lon, cmd.accuracy_m, cmd.address_text, cmd.commune_code, cmd.place_source)
    try:
        phone = parse_phone(cmd.contact_phone) if cmd.contact_phone else None
    except InvalidValue as exc:
        raise Invalid([FieldProblem("contact_phone", str(exc))]) from None
    routing = routing_in_force(uow, today)
    unit, rule_index = routing.route(kind, place.commune_code)
    if uow.units.organisation_of(unit) is None:
        # A unit the table names but nobody registered yet (a commune's committee): the coordinating unit
        # takes it and sends it on, rather than the report being lost or refused.
        unit, rule_index = uow.units.coordinating() or "", UNREGISTERED_UNIT_RULE
        if not unit:
            raise Conflict("no unit is registered to take reports yet; an administrator registers the "
                           "province's units first")
    report = Report.file(
        id=ids.new_id(), tracking_code=ids.new_tracking_code(now), category_code=kind.code,
        urgent=kind.urgent, never_public=kind.never_public, place=place, description=cmd.description,
        attributes=attributes, reporter_user_id=cmd.actor.user_id if cmd.actor else None,
        secret_digest=secret_digest(secret) if secret else None, contact_phone=phone,
        source=cmd.source, at=now, actor=cmd.actor.user_id if cmd.actor else "anonymous", unit_code=unit,
        rule_index=rule_index, answer_working_days=kind.answer_working_days, calendars=calendars,
        rules=report_rules, hidden=cmd.held, category_version=category_version, routing_version=routing.version)
    uow.reports.add(report)
    return Filed(report.tracking_code, secret)


def reporters_report(uow: UnitOfWork, msg: rc.ReporterMessage, code: str) -> tuple[Report, str]:
    """The report ``msg`` may act on as its reporter, and the actor the trail names; else NotFound/Forbidden."""
    if msg.actor is not None:
        access.require(msg.actor, access.FILE_REPORTS)  # refused in the policy's words before anything is read
    report = uow.reports.get(code)
    if report is None or (msg.actor is None and msg.secret is None):
        raise NotFound(f"there is no report {code}")
    if msg.actor is not None:
        if report.reporter_user_id != msg.actor.user_id:
            raise Forbidden(NOT_YOURS)
        return report, msg.actor.user_id
    assert msg.secret is not None
    if report.secret_digest is None or not hmac.compare_digest(report.secret_digest, secret_digest(msg.secret)):
        raise Forbidden(NOT_YOURS)
    return report, "secret-link"


def add_information(cmd: rc.AddInformation, uow: UnitOfWork, clock: Clock, calendars: Calendars) -> None:
    with uow:
        report, actor = reporters_report(uow, cmd, cmd.code)
        loaded = report.version
        report.add_information(cmd.text, by=Party.REPORTER, actor=actor, at=clock.now(), calendars=calendars)
        uow.reports.save(report, loaded)
        uow.commit()


def rate_answer(cmd: rc.RateAnswer, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        report, actor = reporters_report(uow, cmd, cmd.code)
        loaded = report.version
        report.rate(cmd.stars, cmd.comment, by=Party.REPORTER, actor=actor, at=clock.now())
        uow.reports.save(report, loaded)
        uow.commit()


def reopen_report(cmd: rc.ReopenReport, uow: UnitOfWork, clock: Clock, calendars: Calendars,
                  report_rules: ReportRules) -> None:
    with uow:
        report, actor = reporters_report(uow, cmd, cmd.code)
        loaded = report.version
        report.reopen(cmd.reason, by=Party.REPORTER, actor=actor, at=clock.now(), calendars=calendars,
                      rules=report_rules)
        uow.reports.save(report, loaded)
        uow.commit()


def withdraw_report(cmd: rc.WithdrawReport, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        report, actor = reporters_report(uow, cmd, cmd.code)
        loaded = report.version
        report.withdraw(by=Party.REPORTER, actor=actor, at=clock.now())
        uow.reports.save(report, loaded)
        uow.commit()


def follow_report(cmd: rc.FollowReport, uow: UnitOfWork, clock: Clock) -> bool:
    """Follow a public report someone else filed (one case, many followers); False if followed already."""
    access.require(cmd.actor, access.FILE_REPORTS)
    with uow:
        report = uow.reports.get(cmd.code)
        if report is None or not report.public:
            raise NotFound(f"there is no report {cmd.code}")
        if report.reporter_user_id == cmd.actor.user_id:
            raise Conflict(f"you filed report {cmd.code}: you are told of each step already")
        if report.state is ReportState.CLOSED:
            raise Conflict(f"report {cmd.code} is closed; file a new report if the problem is back")
        added = uow.reports.follow(cmd.code, cmd.actor.user_id, clock.now())
        if added:
            uow.record(ReportFollowed(cmd.actor.user_id, clock.now(), cmd.code, cmd.actor.user_id))
        uow.commit()
    return added


def unfollow_report(cmd: rc.UnfollowReport, uow: UnitOfWork, clock: Clock) -> None:
    access.require(cmd.actor, access.FILE_REPORTS)
    with uow:
        if uow.reports.unfollow(cmd.code, cmd.actor.user_id):
            uow.record(ReportUnfollowed(cmd.actor.user_id, clock.now(), cmd.code, cmd.actor.user_id))
        uow.commit()

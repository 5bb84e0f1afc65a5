"""The report page as each reader uses it: who they are to it, what they may do there, and their own reports."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain import access
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import NotFound
from bordergate.domain.report_states import TRANSITIONS, Party, ReportState
from bordergate.domain.reports import Report, ReportRules
from bordergate.services.civic_data import FiledUnder
from bordergate.services.report_views import reader_of, report_page
from bordergate.services.unit_of_work import UnitOfWork

# The reporter's steps, in the order the page offers them.
REPORTER_STEPS = ("add_information", "rate", "reopen", "withdraw")


def holds_report(uow: UnitOfWork, code: str, viewer: Principal | None, secret: str | None) -> bool:
    """Whether the asker is the report's reporter (its account, or its secret link): the only one who may add to
    it, rate, reopen or withdraw it. Anyone else is told there is no such report, as a tip is never admitted to."""
    with uow:
        report = uow.reports.get(code)
        return report is not None and reader_of(uow, report, viewer, secret) == "reporter"


def tracking_page(uow: UnitOfWork, code: str, *, viewer: Principal | None, secret: str | None, locale: str,
                  now: datetime, rules: ReportRules) -> dict[str, Any]:
    """The report page (services/report_views.report_page) with the followers, whether the reader follows it,
    the reopen window's end, and the steps this reader may take on it now."""
    page = report_page(uow, code, viewer=viewer, secret=secret, locale=locale)
    with uow:
        report = uow.reports.get(code)
        followers = uow.reports.followers(code)
    if report is None:  # withdrawn between the two reads is still there; only a vanished row gets here
        raise NotFound(f"there is no report {code}")
    following = viewer is not None and viewer.user_id in followers
    if page["reader"] == "public" and following:
        page["reader"] = "follower"
    ends = report.reopen_window_ends(rules)
    page.update(followers=len(followers), following=following, filed_at=report.filed_at.isoformat(),
                actions=actions_for(report, page["reader"], viewer, following, now, rules),
                reopen_until=ends.isoformat() if ends and report.state is ReportState.ANSWERED else None,
                reopen_hours_left=_hours_left(ends, now) if ends and report.state is ReportState.ANSWERED else None)
    return page


def actions_for(report: Report, reader: str, viewer: Principal | None, following: bool, now: datetime,
                rules: ReportRules) -> list[str]:
    """What this reader may do on the page now: the reporter's steps the state allows; following for a signed-in
    citizen who did not file it (a public report still open)."""
    if reader == "reporter":
        return [step for step in REPORTER_STEPS if _reporter_may(report, step, now, rules)]
    if viewer is None or not access.allows(viewer, access.FILE_REPORTS) or not report.public:
        return []
    if following:
        return ["unfollow"]
    return [] if report.state is ReportState.CLOSED else ["follow"]


def _reporter_may(report: Report, step: str, now: datetime, rules: ReportRules) -> bool:
    transition = TRANSITIONS[step]
    if Party.REPORTER not in transition.parties or report.state not in transition.from_states:
        return False
    if step == "rate":
        return report.answers > 0 and report.rated_answer != report.answers
    if step == "reopen":
        ends = report.reopen_window_ends(rules)
        return report.reopen_count < rules.max_reopens and (ends is None or now <= ends)
    return True


def _hours_left(ends: datetime, now: datetime) -> int:
    return max(0, int((ends - now).total_seconds() // 3600))


def my_reports(uow: UnitOfWork, viewer: Principal, locale: str) -> dict[str, list[dict[str, Any]]]:
    """A signed-in citizen's reports, newest first, and the ones they follow."""
    access.require(viewer, access.FILE_REPORTS)
    with uow:
        filed = uow.reports.by_reporter(viewer.user_id)
        followed = [r for r in (uow.reports.get(code) for code in uow.reports.followed_by(viewer.user_id))
                    if r is not None]
        filed_under = FiledUnder(uow)
    return {"filed": [_line(r, locale, filed_under) for r in sorted(filed, key=lambda r: r.filed_at, reverse=True)],
            "followed": [_line(r, locale, filed_under) for r in followed
                         if r.public or r.reporter_user_id == viewer.user_id]}


def _line(report: Report, locale: str, filed_under: FiledUnder) -> dict[str, Any]:
    kind = filed_under(report.category_code, report.category_version)
    name = {"vi": kind.name_vi, "en": kind.name_en, "zh": kind.name_zh}.get(locale, kind.name_vi)
    return {"code": report.tracking_code, "category": name, "filed_at": report.filed_at.isoformat(),
            "state": {"code": report.state.value, "label": report.state.label(locale),
                      "colour": report.state.colour},
            "description": report.description}

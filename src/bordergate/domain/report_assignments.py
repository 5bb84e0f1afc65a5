"""A report's assignments: one record per unit it was given to, with that unit's clocks and how its turn ended."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bordergate.domain.report_states import ReportState
from bordergate.domain.reports import Report

# How a unit's turn with a report ended (None while it runs): answered, sent on to another unit, or the report was
# closed before an answer (withdrawn, duplicate, spam).
ENDINGS = ("answered", "transferred", "withdrawn", "duplicate", "spam")


@dataclass(frozen=True)
class AssignmentRecord:
    """One unit's turn with one report (``seq`` 1 for the first unit; a transfer or a reopening starts the next),
    so statistics judge each unit on its own clocks: ``on_time`` is the answer within ``answer_due`` (a transfer:
    sent on within ``accept_due``); None while it runs or when it ended without an answer."""

    tracking_code: str
    seq: int
    unit_code: str
    category_code: str
    urgent: bool
    assigned_at: datetime
    accept_due: datetime
    answer_due: datetime
    accepted_at: datetime | None = None
    ended_at: datetime | None = None
    ended_how: str | None = None
    on_time: bool | None = None
    overdue_stage: str | None = None
    escalated_stage: str | None = None


def current_record(report: Report, seq: int) -> AssignmentRecord:
    """The report's current assignment as a record, ended if the report was answered or closed."""
    a = report.assignment
    ended_at, how, on_time = None, None, None
    if report.answered_at is not None and report.state in (ReportState.ANSWERED, ReportState.CLOSED):
        ended_at, how, on_time = report.answered_at, "answered", report.answered_at <= a.answer_due
    elif report.state is ReportState.CLOSED and report.resolution is not None:
        ended_at, how = report.closed_at, report.resolution.value
    return AssignmentRecord(report.tracking_code, seq, a.unit_code, report.category_code, a.urgent, a.assigned_at,
                            a.accept_due, a.answer_due, a.accepted_at, ended_at, how, on_time, a.overdue_stage,
                            a.escalated_stage)


def records_after(latest: AssignmentRecord | None, report: Report) -> list[AssignmentRecord]:
    """What the records become after a save: the latest one brought up to date, or (a transfer, a reopening)
    ended and followed by a new one for the fresh clocks. Repositories write exactly these."""
    a = report.assignment
    if latest is None:
        return [current_record(report, 1)]
    if (latest.unit_code, latest.assigned_at) == (a.unit_code, a.assigned_at):
        return [current_record(report, latest.seq)]
    rows = []
    if latest.ended_at is None:  # sent on: the first unit is judged on sending it on within its accept deadline
        rows.append(replace(latest, ended_at=a.assigned_at, ended_how="transferred",
                            on_time=a.assigned_at <= latest.accept_due))
    return [*rows, current_record(report, latest.seq + 1)]

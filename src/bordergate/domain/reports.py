"""A citizen's report of a problem: its states, who may move it between them, and the clocks it runs on."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bordergate.domain.errors import Conflict, Forbidden, Invalid, FieldProblem
from bordergate.domain.events import Event
from bordergate.domain.report_events import (ReportAccepted, ReportAnswered, ReportClosed, ReporterAsked,
                                             ReportFiled, ReportHidden, ReportInformationAdded,
                                             ReportEscalated, ReportLinkedAsDuplicate, ReportMarkedSpam,
                                             ReportNearDeadline, ReportOverdue, ReportRated,
                                             ReportReopened, ReportRouted, ReportShown, ReportTransferred,
                                             ReportWithdrawn)
from bordergate.domain.report_states import ANSWERS, TRANSITIONS, Party, ReportState, Resolution
from bordergate.domain.working_days import Calendars

DESCRIPTION_LENGTH = (10, 4000)  # Open311's limit on a description is 4,000 characters
REASON_MIN = 10  # a transfer or a reopening says why in a sentence, not a letter
ANSWER_MIN = 20
COMMENT_MAX = 500


@dataclass(frozen=True)
class ReportRules:
    """The clocks' settings (config.py's REPORT_* values; these defaults are the design's)."""

    accept_working_days: int = 1
    answer_working_days: int = 3
    reply_working_days: int = 5
    urgent_accept_minutes: int = 60
    urgent_answer_hours: int = 24
    reopen_days: int = 7
    max_reopens: int = 2
    max_transfers: int = 3
    near_deadline_percent: int = 75
    questionnaire_days: int = 28


@dataclass(frozen=True)
class Place:
    """Where the problem is: the phone's position and/or a typed address, and the commune from the list."""

    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    address_text: str | None = None
    commune_code: str | None = None
    source: str = "typed"  # gps | typed | map

    def __post_init__(self) -> None:
        problems = []
        if (self.lat is None) != (self.lon is None):
            problems.append(FieldProblem("place", "give both latitude and longitude, or neither"))
        if self.lat is not None and not -90 <= self.lat <= 90:
            problems.append(FieldProblem("place.lat", "is not a latitude (-90 to 90)"))
        if self.lon is not None and not -180 <= self.lon <= 180:
            problems.append(FieldProblem("place.lon", "is not a longitude (-180 to 180)"))
        if self.lat is None and not (self.address_text or "").strip() and not self.commune_code:
            problems.append(FieldProblem("place", "say where: your location, an address or the commune"))
        if problems:
            raise Invalid(problems)


@dataclass(frozen=True)
class Assignment:
    """The report at one unit: its deadlines, and how long the answer clock was paused waiting for the reporter."""

    unit_code: str
    assigned_at: datetime
    accept_due: datetime
    answer_due: datetime
    urgent: bool = False
    accepted_at: datetime | None = None
    paused_since: datetime | None = None
    reply_due: datetime | None = None
    near_flagged_stage: str | None = None  # the last stage flagged near its deadline (accept, answer)
    overdue_stage: str | None = None  # the last stage flagged overdue
    escalated_stage: str | None = None  # the last overdue stage escalated to the coordinating unit


@dataclass
class Report:
    """One problem a person reported, from filing to its last answer; saved with a version like a Booking."""

    id: str
    tracking_code: str
    category_code: str
    urgent: bool
    never_public: bool
    place: Place
    description: str
    attributes: dict[str, Any]
    reporter_user_id: str | None
    secret_digest: str | None
    contact_phone: str | None
    source: str
    filed_at: datetime
    assignment: Assignment
    state: ReportState = ReportState.RECEIVED
    resolution: Resolution | None = None
    answer_text: str | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    answers: int = 0  # how many times it was answered: a rating is once per answer
    rated_answer: int = 0
    reopen_count: int = 0
    transfer_count: int = 0
    duplicate_of: str | None = None
    hidden: bool = False  # from the public; a tip (never_public) is never shown whatever this says
    version: int = 1
    category_version: int = 1  # the published categories and routing table it was filed under (civic data)
    routing_version: int = 1
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    # --- filing and the clocks --------------------------------------------------------------------------------

    @classmethod
    def file(cls, *, id: str, tracking_code: str, category_code: str, urgent: bool, never_public: bool,
             place: Place, description: str, attributes: dict[str, Any], reporter_user_id: str | None,
             secret_digest: str | None, contact_phone: str | None, source: str, at: datetime, actor: str,
             unit_code: str, rule_index: int, answer_working_days: int | None, calendars: Calendars,
             rules: ReportRules, hidden: bool = False, category_version: int = 1,
             routing_version: int = 1) -> Report:
        """A filed report, already given to the unit the routing table names (``rule_index``); ``hidden`` from
        the public from the start when its sender is not trusted to publish (a screened Open311 client)."""
        text = description.strip()
        if not DESCRIPTION_LENGTH[0] <= len(text) <= DESCRIPTION_LENGTH[1]:
            raise Invalid([FieldProblem("description", f"is {len(text)} characters; say what the problem is in "
                                                       f"{DESCRIPTION_LENGTH[0]} to {DESCRIPTION_LENGTH[1]}")])
        if reporter_user_id is None and secret_digest is None:
            raise ValueError("a report is followed by its reporter's account or by its secret link")
        assignment = assign(unit_code, at, urgent, answer_working_days, calendars, rules)
        report = cls(id=id, tracking_code=tracking_code, category_code=category_code, urgent=urgent,
                     never_public=never_public, place=place, description=text, attributes=dict(attributes),
                     reporter_user_id=reporter_user_id, secret_digest=secret_digest, contact_phone=contact_phone,
                     source=source, filed_at=at, assignment=assignment, hidden=hidden,
                     category_version=category_version, routing_version=routing_version)
        report.events.append(ReportFiled(actor, at, tracking_code, category_code, urgent, place.commune_code,
                                         place.lat, place.lon, source, reporter_user_id is None, dict(attributes),
                                         category_version, never_public))
        report.events.append(ReportRouted("system", at, tracking_code, unit_code, rule_index,
                                          assignment.accept_due, assignment.answer_due, routing_version))
        return report

    @property
    def unit_code(self) -> str:
        return self.assignment.unit_code

    def reopen_window_ends(self, rules: ReportRules) -> datetime | None:
        """When the reporter can no longer reopen the answer (calendar days after it, not working days)."""
        return self.answered_at + timedelta(days=rules.reopen_days) if self.answered_at else None

    # --- the steps ------------------------------------------------------------------------------------------------

    def accept(self, *, by: Party, actor: str, at: datetime) -> None:
        self._step("accept", by)
        self.assignment = replace(self.assignment, accepted_at=at)
        self._changed(ReportAccepted(actor, at, self.tracking_code, self.unit_code), ReportState.IN_PROGRESS)

    def transfer(self, to_unit: str, reason: str, *, by: Party, actor: str, at: datetime,
                 answer_working_days: int | None, calendars: Calendars, rules: ReportRules) -> None:
        """Send the report to another unit, saying why; after ``max_transfers`` only the coordinating unit may."""
        self._step("transfer", by)
        reason = _sentence("reason", reason, REASON_MIN, "say why it goes to that unit")
        if to_unit == self.unit_code:
            raise Conflict(f"report {self.tracking_code} is already at {to_unit}")
        if self.transfer_count >= rules.max_transfers and by is not Party.COORDINATOR:
            raise Forbidden(f"report {self.tracking_code} was sent on {self.transfer_count} times already; only "
                            "the coordinating unit's supervisor sends it on now")
        old = self.unit_code
        self.assignment = assign(to_unit, at, self.urgent, answer_working_days, calendars, rules)
        self.transfer_count += 1
        self._changed(ReportTransferred(actor, at, self.tracking_code, old, to_unit, reason,
                                        self.assignment.accept_due, self.assignment.answer_due), ReportState.RECEIVED)

    def ask(self, question: str, *, by: Party, actor: str, at: datetime, calendars: Calendars,
            rules: ReportRules) -> None:
        """Ask the reporter for more; the answer clock stops until they reply (or the reply wait lapses)."""
        self._step("ask", by)
        question = _sentence("question", question, REASON_MIN, "ask the reporter a question they can answer")
        reply_due = calendars.due_after(at, rules.reply_working_days)
        self.assignment = replace(self.assignment, paused_since=at, reply_due=reply_due)
        self._changed(ReporterAsked(actor, at, self.tracking_code, question, reply_due),
                      ReportState.AWAITING_REPORTER)

    def add_information(self, text: str, *, by: Party, actor: str, at: datetime, calendars: Calendars) -> None:
        """The reporter adds to the report; if the unit was waiting for it, the answer clock runs again, its
        deadline moved on by the working time it was paused."""
        self._step("add_information", by)
        text = _sentence("text", text, 1, "write what you add")
        answer_due = None
        to = None
        if self.state is ReportState.AWAITING_REPORTER:
            answer_due = self._resumed(at, calendars)
            to = ReportState.IN_PROGRESS
        self._changed(ReportInformationAdded(actor, at, self.tracking_code, text, answer_due), to)

    def answer(self, text: str, resolution: Resolution, *, by: Party, actor: str, at: datetime,
               calendars: Calendars) -> None:
        """Answer the report; while waiting for the reporter, only once the reply wait has lapsed."""
        self._step("answer", by)
        text = _sentence("answer", text, ANSWER_MIN, "answer the reporter in a few sentences")
        if resolution not in ANSWERS:
            raise Invalid([FieldProblem("resolution", "an answer settles a report as fixed, explained or "
                                                      "unable to fix")])
        if self.state is ReportState.AWAITING_REPORTER:
            due = self.assignment.reply_due
            if due is not None and at < due:
                raise Conflict(f"report {self.tracking_code} waits for the reporter's reply until "
                               f"{due.isoformat()}; answer after that, or when they reply")
            self.assignment = replace(self.assignment, answer_due=self._resumed(at, calendars))
        on_time = at <= self.assignment.answer_due
        self.resolution, self.answer_text, self.answered_at = resolution, text, at
        self.answers += 1
        self._changed(ReportAnswered(actor, at, self.tracking_code, self.unit_code, resolution.value, text,
                                     on_time), ReportState.ANSWERED)

    def rate(self, stars: int, comment: str, *, by: Party, actor: str, at: datetime) -> None:
        self._step("rate", by)
        if not 1 <= stars <= 5:
            raise Invalid([FieldProblem("stars", "give 1 to 5 stars")])
        if len(comment) > COMMENT_MAX:
            raise Invalid([FieldProblem("comment", f"is {len(comment)} characters; at most {COMMENT_MAX}")])
        if self.rated_answer == self.answers:
            raise Conflict(f"you rated this answer to report {self.tracking_code} already")
        self.rated_answer = self.answers
        self._changed(ReportRated(actor, at, self.tracking_code, stars, comment.strip()), None)

    def reopen(self, reason: str, *, by: Party, actor: str, at: datetime, calendars: Calendars,
               rules: ReportRules) -> None:
        """The answer did not settle it: back to the same unit, with a fresh answer clock, within the window."""
        self._step("reopen", by)
        reason = _sentence("reason", reason, REASON_MIN, "say what is still wrong")
        ends = self.reopen_window_ends(rules)
        if ends is not None and at > ends:
            raise Conflict(f"report {self.tracking_code} could be reopened until {ends.isoformat()} "
                           f"({rules.reopen_days} days after its answer); file a new report instead")
        if self.reopen_count >= rules.max_reopens:
            raise Conflict(f"report {self.tracking_code} was reopened {self.reopen_count} times already, the most "
                           "allowed; file a new report instead")
        fresh = assign(self.unit_code, at, self.urgent, None, calendars, rules)
        self.assignment = replace(fresh, accepted_at=at)
        self.reopen_count += 1
        self.resolution = self.answer_text = self.answered_at = None
        self._changed(ReportReopened(actor, at, self.tracking_code, reason, by.value, fresh.answer_due),
                      ReportState.IN_PROGRESS)

    def close(self, *, by: Party, actor: str, at: datetime, rules: ReportRules) -> None:
        """Close an answered report once its reporter rated it or the reopen window lapsed."""
        self._step("close", by)
        ends = self.reopen_window_ends(rules)
        if self.rated_answer != self.answers and ends is not None and at <= ends:
            raise Conflict(f"report {self.tracking_code} may be reopened until {ends.isoformat()}; close it after "
                           "that, or once its reporter rated the answer")
        assert self.resolution is not None  # answered reports have one
        self.closed_at = at
        self._changed(ReportClosed(actor, at, self.tracking_code, self.resolution.value, by.value),
                      ReportState.CLOSED)

    def withdraw(self, *, by: Party, actor: str, at: datetime) -> None:
        self._step("withdraw", by)
        self.resolution, self.closed_at = Resolution.WITHDRAWN, at
        self._changed(ReportWithdrawn(actor, at, self.tracking_code), ReportState.CLOSED)

    def watch_clock(self, *, at: datetime, calendars: Calendars, rules: ReportRules) -> None:
        """Flag the running stage once when it nears its deadline and once when it passes it (the timer's turn).
        A stage runs while the unit has to accept (received) or answer (in progress); waiting for the reporter
        stops the clock."""
        stage = {ReportState.RECEIVED: "accept", ReportState.IN_PROGRESS: "answer"}.get(self.state)
        if stage is None:
            return
        a = self.assignment
        due = a.accept_due if stage == "accept" else a.answer_due
        if at > due:
            if a.overdue_stage != stage:
                self.assignment = replace(a, overdue_stage=stage, near_flagged_stage=stage)
                self._changed(ReportOverdue("system", at, self.tracking_code, a.unit_code, stage, due), None)
            return
        if a.near_flagged_stage == stage:
            return
        if a.urgent:
            gone, whole = (at - a.assigned_at).total_seconds(), (due - a.assigned_at).total_seconds()
        else:
            gone = calendars.working_minutes_between(a.assigned_at, at)
            whole = calendars.working_minutes_between(a.assigned_at, due)
        if whole > 0 and gone * 100 >= whole * rules.near_deadline_percent:
            self.assignment = replace(a, near_flagged_stage=stage)
            self._changed(ReportNearDeadline("system", at, self.tracking_code, a.unit_code, stage, due), None)

    def escalate(self, to_unit: str | None, *, at: datetime, calendars: Calendars) -> None:
        """A stage still overdue one working day (a day, if urgent) after its deadline goes up to the coordinating
        unit, once; its own supervisors were told when it fell overdue."""
        a, stage = self.assignment, {ReportState.RECEIVED: "accept", ReportState.IN_PROGRESS: "answer"}.get(self.state)
        if stage is None or a.overdue_stage != stage or a.escalated_stage == stage or to_unit in (None, a.unit_code):
            return
        due = a.accept_due if stage == "accept" else a.answer_due
        if a.urgent:
            later = due + timedelta(days=1)
        else:
            office = calendars.of(calendars.first_working_day(due))
            day = (datetime.combine(due.date(), office.closes) - datetime.combine(due.date(), office.opens))
            later = calendars.add_working_minutes(due, int(day.total_seconds() // 60))
        if at > later:
            assert to_unit is not None
            self.assignment = replace(a, escalated_stage=stage)
            self._changed(ReportEscalated("system", at, self.tracking_code, a.unit_code, stage, due, to_unit), None)

    def link_duplicate(self, original: str, moved_followers: int, *, by: Party, actor: str, at: datetime) -> None:
        """Close as a duplicate of ``original`` (the service moves the people following it)."""
        self._step("link_duplicate", by)
        if original == self.tracking_code:
            raise Conflict("a report cannot duplicate itself")
        self.resolution, self.closed_at, self.duplicate_of = Resolution.DUPLICATE, at, original
        self._changed(ReportLinkedAsDuplicate(actor, at, self.tracking_code, original, moved_followers),
                      ReportState.CLOSED)

    def mark_spam(self, reason: str, *, by: Party, actor: str, at: datetime) -> None:
        """Close as spam and hide it: nothing to answer, nothing for the public to read."""
        self._step("mark_spam", by)
        reason = _sentence("reason", reason, REASON_MIN, "say why it is spam")
        self.resolution, self.closed_at, self.hidden = Resolution.SPAM, at, True
        self._changed(ReportMarkedSpam(actor, at, self.tracking_code, reason), ReportState.CLOSED)

    def hide(self, reason: str, *, by: Party, actor: str, at: datetime) -> None:
        self._step("hide", by)
        reason = _sentence("reason", reason, REASON_MIN, "say why the public may not see it")
        if self.hidden:
            raise Conflict(f"report {self.tracking_code} is hidden already")
        self.hidden = True
        self._changed(ReportHidden(actor, at, self.tracking_code, reason), None)

    def show(self, reason: str, *, by: Party, actor: str, at: datetime) -> None:
        self._step("show", by)
        reason = _sentence("reason", reason, REASON_MIN, "say why the public may see it again")
        if not self.hidden:
            raise Conflict(f"report {self.tracking_code} is not hidden")
        self.hidden = False
        self._changed(ReportShown(actor, at, self.tracking_code, reason), None)

    @property
    def public(self) -> bool:
        """Whether anyone may read it on the public page (and, later, Open311)."""
        return not (self.never_public or self.hidden)

    # --- inside -------------------------------------------------------------------------------------------------

    def _step(self, name: str, by: Party) -> None:
        step = TRANSITIONS[name]
        if by not in step.parties:
            raise Forbidden(f"{name.replace('_', ' ')} on a report is for the "
                            f"{' or '.join(sorted(p.value for p in step.parties))}, not the {by.value}")
        if self.state not in step.from_states:
            raise Conflict(f"report {self.tracking_code} is {self.state.label('en').lower()}; "
                           f"{name.replace('_', ' ')} is for a report that is "
                           f"{' or '.join(sorted(s.label('en').lower() for s in step.from_states))}")

    def _resumed(self, at: datetime, calendars: Calendars) -> datetime:
        """The answer deadline moved on by the time the clock was paused (working time; wall time if urgent)."""
        a = self.assignment
        if a.paused_since is None:
            return a.answer_due
        if a.urgent:
            due = a.answer_due + (at - a.paused_since)
        else:
            due = calendars.add_working_minutes(a.answer_due, calendars.working_minutes_between(a.paused_since, at))
        self.assignment = replace(a, answer_due=due, paused_since=None, reply_due=None)
        return due

    def _changed(self, event: Event, to: ReportState | None) -> None:
        if to is not None:
            self.state = to
        self.version += 1
        self.events.append(event)


def assign(unit_code: str, at: datetime, urgent: bool, answer_working_days: int | None, calendars: Calendars,
           rules: ReportRules) -> Assignment:
    """A unit's fresh clocks: working days for ordinary reports, hours for urgent ones (landslide, flood...)."""
    if urgent:
        return Assignment(unit_code, at, at + timedelta(minutes=rules.urgent_accept_minutes),
                          at + timedelta(hours=rules.urgent_answer_hours), urgent=True)
    return Assignment(unit_code, at, calendars.due_after(at, rules.accept_working_days),
                      calendars.due_after(at, answer_working_days or rules.answer_working_days))


def _sentence(name: str, text: str, least: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) < least:
        raise Invalid([FieldProblem(name, f"is {len(text)} characters; {what} (at least {least})")])
    if len(text) > DESCRIPTION_LENGTH[1]:
        raise Invalid([FieldProblem(name, f"is {len(text)} characters; at most {DESCRIPTION_LENGTH[1]}")])
    return text

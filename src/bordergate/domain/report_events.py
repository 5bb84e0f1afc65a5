"""What happens to a citizen's report, in the past tense; subject ("report", tracking code). A public contract."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bordergate.domain.events import Event


@dataclass(frozen=True)
class _ReportEvent(Event):
    """Base of the report's events: each names the report by its tracking code."""

    code: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("report", self.code)


@dataclass(frozen=True)
class ReportFiled(_ReportEvent):
    """A person reported a problem; ``anonymous`` when they did not sign in (they follow it by its secret link)."""

    category: str
    urgent: bool
    commune: str | None
    lat: float | None
    lon: float | None
    source: str
    anonymous: bool
    attributes: dict[str, Any]
    category_version: int = 1  # the published categories it was filed under
    tip: bool = False  # never public (security, smuggling): where an anonymous one came from is sealed


@dataclass(frozen=True)
class ReportRouted(_ReportEvent):
    """The report was given to the unit that handles it, with the deadlines its clocks run to."""

    unit: str
    rule_index: int
    accept_due: datetime
    answer_due: datetime
    routing_version: int = 1  # the published routing table that decided (the rule is ``rule_index`` of it)


@dataclass(frozen=True)
class ReportAccepted(_ReportEvent):
    """An officer of the assigned unit took the report on; the answer clock runs on."""

    unit: str


@dataclass(frozen=True)
class ReportTransferred(_ReportEvent):
    """The unit sent the report on to another one, saying why; the new unit's clocks start afresh."""

    from_unit: str
    to_unit: str
    reason: str
    accept_due: datetime
    answer_due: datetime


@dataclass(frozen=True)
class ReporterAsked(_ReportEvent):
    """The unit asked the reporter for more; its answer clock is paused until they reply."""

    question: str
    reply_due: datetime


@dataclass(frozen=True)
class ReportInformationAdded(_ReportEvent):
    """The reporter added information; a reply to a question restarts the answer clock (``answer_due``)."""

    text: str
    answer_due: datetime | None


@dataclass(frozen=True)
class ReportAnswered(_ReportEvent):
    """The unit answered; ``on_time`` against its answer deadline. The reporter may rate or reopen it."""

    unit: str
    resolution: str
    answer: str
    on_time: bool


@dataclass(frozen=True)
class ReportRated(_ReportEvent):
    """The reporter rated the answer (1 to 5 stars)."""

    stars: int
    comment: str


@dataclass(frozen=True)
class ReportReopened(_ReportEvent):
    """The reporter said the answer did not settle it, within the reopen window; the unit answers again."""

    reason: str
    by: str
    answer_due: datetime


@dataclass(frozen=True)
class ReportClosed(_ReportEvent):
    """The report is closed for good, keeping its resolution; ``by`` an officer or the system's sweep."""

    resolution: str
    by: str


@dataclass(frozen=True)
class ReportWithdrawn(_ReportEvent):
    """The reporter withdrew the report before it was answered."""


@dataclass(frozen=True)
class UnitRegistered(Event):
    """An organisation became a handling unit under a code; ``coordinating`` for the province's centre."""

    unit_code: str
    organisation_id: str
    coordinating: bool
    profile: dict[str, Any] | None = None  # kind, name_vi, name_en, name_zh, commune_code, when given

    @property
    def subject(self) -> tuple[str, str]:
        return ("unit", self.unit_code)


@dataclass(frozen=True)
class ReportNearDeadline(_ReportEvent):
    """Most of a stage's time (``near_deadline_percent``) has gone at the unit: accept or answer soon."""

    unit: str
    stage: str
    due: datetime


@dataclass(frozen=True)
class ReportOverdue(_ReportEvent):
    """A stage's deadline passed at the unit; it escalates to the unit's supervisors."""

    unit: str
    stage: str
    due: datetime


@dataclass(frozen=True)
class ReportFollowed(_ReportEvent):
    """A signed-in citizen follows someone else's report: they are told when it is answered."""

    user_id: str


@dataclass(frozen=True)
class ReportUnfollowed(_ReportEvent):
    """A citizen stopped following a report."""

    user_id: str


@dataclass(frozen=True)
class ReportLinkedAsDuplicate(_ReportEvent):
    """An officer closed the report as a duplicate of ``original``; its reporter and followers follow that one."""

    original: str
    moved_followers: int


@dataclass(frozen=True)
class ReportHidden(_ReportEvent):
    """An officer hid the report from the public (abusive, personal data in it...); it keeps its progress."""

    reason: str


@dataclass(frozen=True)
class ReportShown(_ReportEvent):
    """An officer showed a hidden report to the public again."""

    reason: str


@dataclass(frozen=True)
class ReportMarkedSpam(_ReportEvent):
    """An officer marked the report as spam: closed as spam and hidden (the reporter's standing comes next)."""

    reason: str


@dataclass(frozen=True)
class ReportEscalated(_ReportEvent):
    """A stage still overdue one working day after its deadline: the coordinating unit (``to_unit``) is told."""

    unit: str
    stage: str
    due: datetime
    to_unit: str


@dataclass(frozen=True)
class ReportLinkedToTrip(_ReportEvent):
    """An officer of the Border Gate Management Center confirmed which declared trip a gate report is about
    (for the gate's own follow-up; the reporter never sees the declaration)."""

    crossing_point: str
    declaration_reference: str


@dataclass(frozen=True)
class UnitPhoneSet(Event):
    """An officer or supervisor of a handling unit gave the phone they are told on (overdue and urgent reports);
    ``phone`` None when they took it away. Sealed on the audit trail."""

    user_id: str
    phone: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)


@dataclass(frozen=True)
class QuestionnaireSent(_ReportEvent):
    """Some weeks after the answer its reporter was asked once, by SMS, whether the problem was really fixed;
    ``told`` False when no SMS could be queued (the reporter's account was deactivated since)."""

    answered_at: datetime
    told: bool


@dataclass(frozen=True)
class QuestionnaireAnswered(_ReportEvent):
    """The reporter said whether it was really fixed (``fixed``: yes, no or unsure); counted by the statistics."""

    fixed: str
    comment: str

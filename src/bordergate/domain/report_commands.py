"""What people ask of a citizen's report: the reporter's steps and the handling unit's, in the imperative."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bordergate.domain.accounts import Principal
from bordergate.domain.commands import Command
from bordergate.domain.units import UnitProfile
from bordergate.domain.report_photos import Photo


@dataclass(frozen=True)
class ReporterMessage:
    """Base of the reporter's steps: a signed-in citizen (``actor``), or anyone holding the report's secret link
    (``secret``; ``actor`` None). Filing anonymously needs neither: the answer gives the secret."""

    actor: Principal | None
    secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class FileReport(ReporterMessage):
    """Report a problem; anonymous when ``actor`` is None (a ``contact_phone`` may be given to be told by SMS)."""

    category: str = ""
    description: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    address_text: str | None = None
    commune_code: str | None = None
    place_source: str = "typed"
    attributes: dict[str, Any] = field(default_factory=dict)
    contact_phone: str | None = field(default=None, repr=False)
    source: str = "web"
    held: bool = False  # from the public until its unit accepts it (a screened Open311 client's request)
    # Filing from the phone (issue 17): photos already made clean (adapters/photos.py), and the address the
    # request came from (None: the operator's own command, from the CLI or seeding, is not rate-limited).
    photos: tuple[Photo, ...] = field(default=(), repr=False)
    address: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AddInformation(ReporterMessage):
    """Add to a report (the reply to a question restarts the unit's clock)."""

    code: str = ""
    text: str = ""


@dataclass(frozen=True)
class RateAnswer(ReporterMessage):
    """Rate the unit's answer, once per answer."""

    code: str = ""
    stars: int = 0
    comment: str = ""


@dataclass(frozen=True)
class ReopenReport(ReporterMessage):
    """Say the answer did not settle it, within the reopen window."""

    code: str = ""
    reason: str = ""


@dataclass(frozen=True)
class WithdrawReport(ReporterMessage):
    """Withdraw a report before it is answered."""

    code: str = ""


@dataclass(frozen=True)
class AcceptReport(Command):
    """An officer of the assigned unit takes the report on."""

    code: str


@dataclass(frozen=True)
class TransferReport(Command):
    """Send the report to the unit that should handle it, saying why."""

    code: str
    to_unit: str
    reason: str


@dataclass(frozen=True)
class AskReporter(Command):
    """Ask the reporter for more; the answer clock waits for the reply."""

    code: str
    question: str


@dataclass(frozen=True)
class AnswerReport(Command):
    """Answer the report, saying how it was settled (fixed, explained, unable to fix)."""

    code: str
    answer: str
    resolution: str


@dataclass(frozen=True)
class CloseReport(Command):
    """Close an answered report once it was rated or its reopen window lapsed."""

    code: str


@dataclass(frozen=True)
class RegisterUnit(Command):
    """Make an organisation a handling unit under a code (BQL_CK, UBND_<commune>, CA_TINH...)."""

    unit_code: str
    organisation_id: str
    coordinating: bool = False
    profile: UnitProfile | None = None  # kind, names vi/en/zh, commune (civic data)


@dataclass(frozen=True)
class SweepReportDeadlines(Command):
    """The server's turn: close answered reports whose reopen window lapsed (to come: near and overdue flags)."""


@dataclass(frozen=True)
class FollowReport(Command):
    """Follow a public report (the same problem seen by someone else), instead of filing it again."""

    code: str


@dataclass(frozen=True)
class UnfollowReport(Command):
    """Stop following a report."""

    code: str


@dataclass(frozen=True)
class LinkDuplicate(Command):
    """Close a report as a duplicate of another: one case, its people following the original."""

    code: str
    original: str


@dataclass(frozen=True)
class HideReport(Command):
    """Hide a report from the public, saying why (it stays on the audit trail and in the unit's inbox)."""

    code: str
    reason: str


@dataclass(frozen=True)
class ShowReport(Command):
    """Show a hidden report to the public again, saying why."""

    code: str
    reason: str


@dataclass(frozen=True)
class MarkSpam(Command):
    """Close a report as spam and hide it, saying why."""

    code: str
    reason: str


@dataclass(frozen=True)
class LinkReportToTrip(Command):
    """Confirm which declared trip a gate report (truck queue, border gate) is about: the gate follows it up."""

    code: str
    declaration_reference: str


@dataclass(frozen=True)
class SetUnitPhone(Command):
    """Give (or, empty, take away) the phone a unit's officer or supervisor is told on about overdue and urgent
    reports."""

    phone: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SendQuestionnaires(Command):
    """The server's turn: ask the reporters of reports answered some weeks ago whether it was really fixed."""


@dataclass(frozen=True)
class AnswerQuestionnaire(ReporterMessage):
    """Answer the questionnaire an SMS linked to (``secret`` is its one-time token): was it really fixed?"""

    code: str = ""
    fixed: str = ""
    comment: str = ""

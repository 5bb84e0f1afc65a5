"""The citizen reports' repositories as typing.Protocols: reports (aggregates, versioned) and handling units."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bordergate.domain.report_assignments import AssignmentRecord
from bordergate.domain.questionnaires import Questionnaire
from bordergate.domain.reports import Report
from bordergate.domain.units import UnitProfile


class ReportRepository(Protocol):
    """Report aggregates by tracking code; a save checks the version so two changes never overwrite each other."""

    seen: list[Report]  # every report loaded or added: the unit of work collects their events

    def add(self, report: Report) -> None: ...

    def get(self, tracking_code: str) -> Report | None: ...

    def save(self, report: Report, loaded_version: int) -> None: ...

    def of_unit(self, unit_code: str, states: tuple[str, ...]) -> list[Report]: ...

    def by_reporter(self, user_id: str) -> list[Report]: ...

    def answered_before(self, before: datetime) -> list[Report]:
        """Answered reports answered before ``before``, oldest first, loaded to be changed (they join ``seen``)."""
        ...


    def open_at_units(self, limit: int) -> list[Report]:
        """Reports a unit has to accept or answer, soonest answer due first, loaded to be changed (``seen``)."""
        ...


    def near(self, category_code: str, box: tuple[float, float, float, float], since: datetime) -> list[Report]:
        """Reports of a category filed since ``since`` inside ``box`` (south, north, west, east): the candidates
        domain/duplicates.py decides among."""
        ...

    def follow(self, tracking_code: str, user_id: str, at: datetime) -> bool:
        """Add a follower; False when they followed it already."""
        ...

    def unfollow(self, tracking_code: str, user_id: str) -> bool: ...

    def followers(self, tracking_code: str) -> list[str]:
        """The user ids following a report, in the order they began."""
        ...

    # The handling units' inbox (issue 17): assignments per unit, escalations, gate reports and their trips.

    def assignments_between(self, since: datetime, until: datetime) -> list[AssignmentRecord]:
        """Every unit's turn with a report that began in [since, until), oldest first: "answered on time per
        assignment" for the statistics. The repository writes them itself with each add and save."""
        ...

    def escalated(self, limit: int) -> list[Report]:
        """Open reports whose overdue stage went up to the coordinating unit, soonest answer due first."""
        ...

    def open_of_categories(self, categories: tuple[str, ...]) -> list[Report]:
        """Open reports (not answered, not closed) of these categories, oldest first (the operators' board)."""
        ...

    def link_trip(self, tracking_code: str, crossing_point: str, reference: str, by: str, at: datetime) -> None:
        """Say which declared trip a gate report is about (replacing an earlier link)."""
        ...

    def trip_links(self, tracking_codes: list[str]) -> dict[str, str]:
        """The declaration each of these reports is linked to, for those that are."""
        ...

    def followed_by(self, user_id: str) -> list[str]:
        """The tracking codes a user follows, the latest they began first."""
        ...


class UnitRepository(Protocol):
    """Handling units: the organisation whose officers work each unit's reports, and the coordinating one."""

    def add(self, unit_code: str, organisation_id: str, coordinating: bool) -> None: ...

    def organisation_of(self, unit_code: str) -> str | None: ...

    def coordinating(self) -> str | None: ...

    def codes(self) -> list[str]:
        """Every unit's code, in order (the units a report may be sent on to)."""
        ...

    def codes_of(self, organisation_id: str) -> list[str]:
        """The units an organisation's officers work for (usually one)."""
        ...

    def set_phone(self, user_id: str, phone: str | None, at: datetime) -> None:
        """The phone a unit's officer or supervisor is told on; None takes it away."""
        ...

    def phone_of(self, user_id: str) -> str | None: ...

    def supervisors(self, unit_code: str) -> list[tuple[str, str]]:
        """(user id, phone) of the unit's active supervisors who gave a phone: overdue and urgent reports reach
        them."""
    # Units as the province names them (civic data, issue 17): kind, names vi/en/zh, commune.
    def describe(self, unit_code: str, profile: UnitProfile) -> None: ...

    def profiles(self) -> dict[str, UnitProfile]:
        """Every registered unit's profile by code (units registered without one are left out)."""

class QuestionnaireRepository(Protocol):
    """The questionnaires sent weeks after an answer: one per report, found by its one-time token's digest."""

    def due(self, answered_before: datetime, limit: int) -> list[str]:
        """Tracking codes of reports answered (fixed, explained, unable to fix) by ``answered_before``, not
        hidden, with a reporter to ask and no questionnaire yet, the oldest answer first."""
        ...

    def add(self, questionnaire: Questionnaire) -> None: ...

    def by_token(self, token_digest: str) -> Questionnaire | None: ...

    def of_report(self, tracking_code: str) -> Questionnaire | None: ...

    def answer(self, questionnaire: Questionnaire) -> bool:
        """Keep the answer unless one was kept meanwhile (False then)."""
        ...

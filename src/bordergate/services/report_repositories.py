"""The citizen reports' repositories as typing.Protocols: reports (aggregates, versioned) and handling units."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bordergate.domain.questionnaires import Questionnaire
from bordergate.domain.reports import Report


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

    def followed_by(self, user_id: str) -> list[str]:
        """The tracking codes a user follows, the latest they began first."""
        ...


class UnitRepository(Protocol):
    """Handling units: the organisation whose officers work each unit's reports, and the coordinating one."""

    def add(self, unit_code: str, organisation_id: str, coordinating: bool) -> None: ...

    def organisation_of(self, unit_code: str) -> str | None: ...

    def coordinating(self) -> str | None: ...


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

"""Events of the agencies' work on a trip: checks opened, channels, decisions, answers (a public contract)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordergate.domain.events import Event


@dataclass(frozen=True)
class _ClearanceEvent(Event):
    reference: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class AgencyChecksOpened(_ClearanceEvent):
    """The rule table ``rule_version`` named the agencies that must act on the trip, each with its reason."""

    crossing_point: str
    rule_version: str
    checks: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class CustomsChannelAssigned(_ClearanceEvent):
    """Customs selectivity put the trip in ``channel``: by bordergate's rules, an officer, or the customs system."""

    channel: str
    source: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AgencyActed(_ClearanceEvent):
    """An agency released, held, sent to inspection or refused the trip; ``source`` says who decided it."""

    agency: str
    decision: str
    source: str
    reason: str | None
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyAnswered(_ClearanceEvent):
    """The declarant answered an agency's hold with a note and corrected fields; the agency looks again."""

    agency: str
    note: str
    changed: tuple[str, ...]


@dataclass(frozen=True)
class AgencyChecksRederived(_ClearanceEvent):
    """A correction changed which agencies must act: checks ``added`` and checks ``withdrawn`` before any action."""

    added: tuple[str, ...]
    withdrawn: tuple[str, ...]


@dataclass(frozen=True)
class AgencySystemMessageRefused(Event):
    """A message from an agency's system was not applied (forged, stale, wrong, or a changed replay); logged."""

    agency: str
    message_id: str | None
    why: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("agency_system", self.agency)

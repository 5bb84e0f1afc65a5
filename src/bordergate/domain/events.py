"""Domain events: facts that happened, in the past tense. Their fields are a public contract (audit, feeds)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """Base of all events: who did it (user id, or a system name) and when."""

    actor: str
    at: datetime

    @property
    def subject(self) -> tuple[str, str]:
        """The kind and id of the thing this event changed, for the audit trail."""
        raise NotImplementedError


@dataclass(frozen=True)
class DeclarationSubmitted(Event):
    """A declarant submitted a trip; ``reference`` is what the driver shows at the gate."""

    reference: str
    enterprise_id: str
    crossing_point: str
    tractor_plate: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class DeclarationAmended(Event):
    """Fields of a submitted declaration were corrected; ``changes`` lists field, old and new for each."""

    reference: str
    changes: tuple[dict[str, Any], ...]
    reason: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class DeclarationCancelled(Event):
    """The declarant withdrew the trip; it will not cross on this declaration."""

    reference: str
    reason: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class OrganisationRegistered(Event):
    """An enterprise, customs agency or authority got an account."""

    organisation_id: str
    name: str
    kind: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("organisation", self.organisation_id)


@dataclass(frozen=True)
class UserCreated(Event):
    """A person got a sign-in with a role in an organisation (the password is never recorded)."""

    user_id: str
    username: str
    role: str
    organisation_id: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)


@dataclass(frozen=True)
class AgentAuthorised(Event):
    """An enterprise allowed a customs agency to declare and see declarations on its behalf."""

    enterprise_id: str
    agency_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("organisation", self.enterprise_id)


@dataclass(frozen=True)
class AgentRevoked(Event):
    """An enterprise withdrew a customs agency's authorisation."""

    enterprise_id: str
    agency_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("organisation", self.enterprise_id)


@dataclass(frozen=True)
class CrossingPointAdded(Event):
    """A crossing point was opened for declarations."""

    code: str
    name: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("crossing_point", self.code)


@dataclass(frozen=True)
class FleetEntrySaved(Event):
    """A vehicle or driver was saved (or updated) for reuse in the enterprise's next declarations."""

    enterprise_id: str
    kind: str
    key: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def subject(self) -> tuple[str, str]:
        return (self.kind, f"{self.enterprise_id}:{self.key}")

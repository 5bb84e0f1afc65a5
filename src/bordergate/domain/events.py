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

    @property
    def driver_corrected(self) -> bool:
        """Whether the driver, or a field of theirs, was among the corrected fields."""
        return any(c["field"] == "driver" or c["field"].startswith("driver.") for c in self.changes)


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


@dataclass(frozen=True)
class CheckpointAdded(Event):
    """An operator described a checkpoint of a crossing point: its kind, direction and lanes."""

    checkpoint_id: str
    crossing_point: str
    kind: str
    direction: str
    name: str
    lanes: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("checkpoint", self.checkpoint_id)


@dataclass(frozen=True)
class CameraRegistered(Event):
    """A camera got its own key to post reads at a lane of a checkpoint (the key itself is never recorded)."""

    camera_id: str
    checkpoint_id: str
    name: str
    lane: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("camera", self.camera_id)


@dataclass(frozen=True)
class CameraKeyIssued(Event):
    """A camera's key was replaced; the old key stops working at once."""

    camera_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("camera", self.camera_id)


@dataclass(frozen=True)
class CameraRevoked(Event):
    """A camera may no longer post reads (stolen, replaced, decommissioned)."""

    camera_id: str
    reason: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("camera", self.camera_id)


@dataclass(frozen=True)
class PlateReadDecided(Event):
    """A plate was read at a checkpoint and the barrier was told what to do. ``at`` is when bordergate decided."""

    read_id: str
    checkpoint_id: str
    crossing_point: str
    captured_at: datetime
    source: str
    plate: str
    confidence: float
    outcome: str
    decision: str
    reasons: tuple[str, ...]
    reference: str | None = None
    is_pass: bool = False
    corrects_read_id: str | None = None
    checkpoint_kind: str = ""

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference) if self.reference else ("plate_read", self.read_id)


@dataclass(frozen=True)
class ReadDismissed(Event):
    """An operator reviewed a read and found no declared truck in it (undeclared, or not a plate at all)."""

    read_id: str
    verdict: str
    note: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("plate_read", self.read_id)


@dataclass(frozen=True)
class AlertRaised(Event):
    """Something at the gate needs a person; ``detail`` says what in words."""

    alert_id: str
    kind: str
    detail: str
    crossing_point: str | None
    reference: str | None = None
    camera_id: str | None = None

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference) if self.reference else ("alert", self.alert_id)


@dataclass(frozen=True)
class AlertResolved(Event):
    """An alert was closed: by a person with a note, or by the system when what caused it ended."""

    alert_id: str
    kind: str
    resolution: str
    reference: str | None = None

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference) if self.reference else ("alert", self.alert_id)


@dataclass(frozen=True)
class HoldPlaced(Event):
    """An officer held a truck; the barrier out stays shut and the declarant sees ``reason``."""

    hold_id: str
    reference: str
    agency: str
    reason: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class HoldLifted(Event):
    """An officer lifted a hold."""

    hold_id: str
    reference: str
    agency: str
    note: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class DeclarationCrossed(Event):
    """The truck passed the last barrier of its trip; the declaration is closed."""

    reference: str
    checkpoint_id: str
    crossed_at: datetime

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class NoticesReaddressed(Event):
    """The driver's phone was corrected: notices not yet sent now go to ``phone`` (sent ones stay where they went)."""

    reference: str
    notice_ids: tuple[str, ...]
    phone: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class NoticeSent(Event):
    """A notice left by SMS to ``phone``, the trip's phone when it was sent; ``provider_id`` is the provider's id
    for the message."""

    notice_id: str
    reference: str | None
    kind: str
    phone: str
    provider_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference) if self.reference else ("notice", self.notice_id)

"""The Declaration aggregate: one truck's one trip as declared, its states, corrections and cancellation."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bordergate.domain.corrections import FieldChange, read_field, with_field
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, InvalidValue
from bordergate.domain.events import (DeclarationAmended, DeclarationCancelled, DeclarationCrossed,
                                     DeclarationSubmitted, Event)
from bordergate.domain.labels import Labelled
from bordergate.domain.trip import TripDetails
from bordergate.domain.trip_form import read_trip, trip_to_plain


class DeclarationStatus(Labelled):
    """Where a declaration stands: open until the truck crosses or the trip is cancelled."""

    SUBMITTED = ("submitted", "Đã khai báo", "Submitted", "已申报", "blue")
    CANCELLED = ("cancelled", "Đã hủy", "Cancelled", "已取消", "grey")
    CROSSED = ("crossed", "Đã qua cửa khẩu", "Crossed", "已通关", "green")

    @property
    def is_open(self) -> bool:
        """Open declarations can still be corrected or cancelled."""
        return self is DeclarationStatus.SUBMITTED


@dataclass
class Declaration:
    """A declared trip: who declared it for which enterprise, what they declared, and where it stands."""

    reference: str
    enterprise_id: str
    declared_by: str
    trip: TripDetails
    submitted_at: datetime
    status: DeclarationStatus = DeclarationStatus.SUBMITTED
    version: int = 1
    cancelled_at: datetime | None = None
    crossed_at: datetime | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def submit(cls, *, reference: str, enterprise_id: str, actor: str, trip: TripDetails,
               now: datetime) -> Declaration:
        """A new declaration, already validated; raises the DeclarationSubmitted event."""
        declaration = cls(reference, enterprise_id, actor, trip, now)
        declaration.events.append(DeclarationSubmitted(
            actor=actor, at=now, reference=reference, enterprise_id=enterprise_id,
            crossing_point=trip.crossing_point, tractor_plate=trip.vehicle.tractor_plate.display))
        return declaration

    def amend(self, changes: Mapping[str, Any], *, actor: str, now: datetime,
              crossing_points: Collection[str], reason: str | None = None) -> list[FieldChange]:
        """Correct the named fields in place of starting over; validated as a whole, recorded field by field."""
        self._require_open("corrected")
        if not changes:
            raise Invalid([FieldProblem("changes", "name at least one field to correct")])
        before = trip_to_plain(self.trip)
        trip = _corrected_trip(before, changes, now, crossing_points)
        if trip == self.trip:
            raise Invalid([FieldProblem(path, "already says this; nothing to correct") for path in changes])
        made = _field_changes(before, trip_to_plain(trip), changes)
        self.trip = trip
        self.version += 1
        self.events.append(DeclarationAmended(
            actor=actor, at=now, reference=self.reference, reason=reason,
            changes=tuple({"field": c.field, "old": c.old, "new": c.new} for c in made)))
        return made

    def cancel(self, *, actor: str, now: datetime, reason: str | None = None) -> None:
        """Withdraw the declaration; it stays on record, marked cancelled."""
        self._require_open("cancelled")
        self.status = DeclarationStatus.CANCELLED
        self.cancelled_at = now
        self.version += 1
        self.events.append(DeclarationCancelled(actor=actor, at=now, reference=self.reference, reason=reason))

    def record_crossing(self, *, actor: str, now: datetime, checkpoint_id: str, crossed_at: datetime) -> None:
        """The truck passed the trip's last barrier: the declaration is closed and its plates expected no more."""
        self._require_open("crossed again")
        self.status = DeclarationStatus.CROSSED
        self.crossed_at = crossed_at
        self.version += 1
        self.events.append(DeclarationCrossed(actor=actor, at=now, reference=self.reference,
                                              checkpoint_id=checkpoint_id, crossed_at=crossed_at))

    def _require_open(self, verb: str) -> None:
        if not self.status.is_open:
            raise Conflict(f"declaration {self.reference} is {self.status.label('en').lower()} and cannot be {verb}")


def _corrected_trip(before: dict[str, Any], changes: Mapping[str, Any], now: datetime,
                    crossing_points: Collection[str]) -> TripDetails:
    """The trip with every change applied, read through the same rules as a new declaration."""
    after, problems = before, []
    for path, value in changes.items():
        try:
            after = with_field(after, path, value)
        except InvalidValue as exc:
            problems.append(FieldProblem(path, str(exc)))
    # The arrival rule only bites when the arrival itself is corrected: fixing a phone number
    # must stay possible while the truck is already on its way.
    try:
        trip = read_trip(after, now=now, crossing_points=crossing_points,
                         check_arrival="planned_arrival" in changes)
    except Invalid as invalid:
        raise Invalid(problems + invalid.problems) from None
    if problems:
        raise Invalid(problems)
    return trip


def _field_changes(before: dict[str, Any], after: dict[str, Any], changes: Mapping[str, Any]) -> list[FieldChange]:
    """Old and new value of each corrected field; a field that ends unchanged or vanished is refused."""
    made, problems = [], []
    for path in changes:
        try:
            change = FieldChange(path, read_field(before, path), read_field(after, path))
        except InvalidValue:
            problems.append(FieldProblem(path, "names an item that another change in this correction removes"))
            continue
        if change.old == change.new:
            problems.append(FieldProblem(path, f"is already {change.old!r}; nothing to correct"))
        made.append(change)
    if problems:
        raise Invalid(problems)
    return made

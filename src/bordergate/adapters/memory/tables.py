"""The in-memory gate's state: plain containers the twins read and write, copied for a rollback."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from bordergate.domain.accounts import Organisation, User
from bordergate.domain.allowance import AllowanceRule, AllowanceUse
from bordergate.domain.alerts import Alert
from bordergate.domain.booking import Booking
from bordergate.domain.citizens import SignInCode
from bordergate.domain.capacity import CapacityChange, CapacityPlan, DayLimit
from bordergate.domain.checkpoints import Camera, Checkpoint
from bordergate.domain.civic_documents import CivicDocument
from bordergate.domain.clearance import TripClearance
from bordergate.domain.crossing_points import CrossingPoint
from bordergate.domain.declaration import Declaration
from bordergate.domain.events import Event
from bordergate.domain.fees import Tariff
from bordergate.domain.payments import Payment
from bordergate.domain.plate_reads import PlateRead
from bordergate.domain.open311 import Open311Client
from bordergate.domain.report_assignments import AssignmentRecord
from bordergate.domain.procedures import Catalogue
from bordergate.domain.reports import Report
from bordergate.domain.questionnaires import Questionnaire
from bordergate.domain.sessions import Session, Throttle
from bordergate.domain.units import UnitProfile
from bordergate.services.gate_repositories import HoldRecord
from bordergate.services.open311_repositories import PostedRequest
from bordergate.services.repositories import AssessmentRecord, AuditEntry


@dataclass
class Tables:
    """Everything the in-memory twins keep, by table; each unit of work snapshots it and restores it on rollback.

    Twins never change a stored value in place, they put a new one in its place: so a snapshot needs to copy the
    containers only, not what they hold (a unit of work costs microseconds, not a deep copy of the gate).
    """

    declarations: dict[str, Declaration] = field(default_factory=dict)
    plate_keys: dict[str, tuple[str, datetime | None]] = field(default_factory=dict)  # reference: (point, open until)
    organisations: dict[str, tuple[Organisation, datetime]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    agents: dict[tuple[str, str], datetime | None] = field(default_factory=dict)  # (enterprise, agency): revoked at
    contacts: dict[str, str] = field(default_factory=dict)
    crossing_points: dict[str, CrossingPoint] = field(default_factory=dict)
    vehicles: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (enterprise, plate): entry
    drivers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (enterprise, document): entry
    trip_links: list[tuple[str, str]] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # the events committed, in the order they were written
    checkpoints: dict[str, Checkpoint] = field(default_factory=dict)
    cameras: dict[str, tuple[Camera, str]] = field(default_factory=dict)  # id: (camera, key hash)
    holds: dict[str, HoldRecord] = field(default_factory=dict)
    reads: list[tuple[PlateRead, str | None]] = field(default_factory=list)  # (read, camera id)
    clearances: dict[str, TripClearance] = field(default_factory=dict)
    tariffs: list[Tariff] = field(default_factory=list)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    payments: dict[str, Payment] = field(default_factory=dict)
    receipts: dict[str, dict[str, Any]] = field(default_factory=dict)
    receipt_counters: dict[int, int] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    bookings: dict[str, Booking] = field(default_factory=dict)
    booking_attempts: list[tuple[str, str, datetime]] = field(default_factory=list)
    expected: dict[str, tuple[datetime | None, datetime | None]] = field(default_factory=dict)
    notices: list[dict[str, Any]] = field(default_factory=list)
    reviews: dict[str, dict[str, Any]] = field(default_factory=dict)  # read id: review item
    alerts: dict[str, Alert] = field(default_factory=dict)
    capacity_plans: dict[tuple[str, str], CapacityPlan] = field(default_factory=dict)  # (point, direction)
    capacity_changes: list[CapacityChange] = field(default_factory=list)  # in the order they were made
    day_limits: dict[tuple[str, str, date], DayLimit] = field(default_factory=dict)
    slots: dict[tuple[str, str, datetime], tuple[int, int]] = field(default_factory=dict)  # (capacity, booked)
    regulation: dict[str, dict[str, Any]] = field(default_factory=dict)
    snapshots: dict[tuple[str, str, datetime], dict[str, Any]] = field(default_factory=dict)
    agency_messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    security_log: list[dict[str, Any]] = field(default_factory=list)
    security_log_last_id: int = 0  # as a sequence: ids are never given twice, even after rows are dropped
    sessions: dict[str, Session] = field(default_factory=dict)
    throttles: dict[str, Throttle] = field(default_factory=dict)
    idempotency_keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)  # tracking code: report
    units: dict[str, tuple[str, bool]] = field(default_factory=dict)  # unit code: (organisation id, coordinating)
    report_followers: dict[tuple[str, str], datetime] = field(default_factory=dict)  # (code, user id): since
    open311_clients: dict[str, tuple[Open311Client, str]] = field(default_factory=dict)  # id: (client, digest)
    open311_tokens: dict[str, PostedRequest] = field(default_factory=dict)  # token: the request posted
    report_assignments: dict[tuple[str, int], AssignmentRecord] = field(default_factory=dict)  # (code, seq)
    unit_phones: dict[str, str] = field(default_factory=dict)  # user id: phone
    report_trip_links: dict[str, tuple[str, str]] = field(default_factory=dict)  # code: (point, declaration)
    citizens: dict[str, Any] = field(default_factory=dict)  # user id: CitizenProfile
    sign_in_codes: dict[str, SignInCode] = field(default_factory=dict)
    catalogues: list[Catalogue] = field(default_factory=list)  # procedures catalogues, in the order published
    allowance_rules: list[AllowanceRule] = field(default_factory=list)
    allowance_uses: list[AllowanceUse] = field(default_factory=list)
    civic_documents: dict[tuple[str, int], CivicDocument] = field(default_factory=dict)  # (kind, version)
    unit_profiles: dict[str, UnitProfile] = field(default_factory=dict)  # unit code: profile
    report_questionnaires: dict[str, Questionnaire] = field(default_factory=dict)  # tracking code: questionnaire
    # Filing (issue 17): counters (key, span): (span start, count); standings by key; filings by code.
    rate_counters: dict[tuple[str, str], tuple[datetime, int]] = field(default_factory=dict)
    standings: dict[str, Any] = field(default_factory=dict)
    filings: dict[str, tuple[str, str, datetime]] = field(default_factory=dict)  # code: (reporter, digest, at)
    report_photos: list[Any] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        return {f.name: copy.copy(getattr(self, f.name)) for f in fields(self)}

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Put a snapshot back in place: the twins hold this object, so it is changed, not replaced."""
        for name, value in snapshot.items():
            setattr(self, name, copy.copy(value))


def copied(value: Any) -> Any:
    """What a twin hands back or keeps: a copy, so no test passes through aliasing a database would not have."""
    return copy.deepcopy(value)

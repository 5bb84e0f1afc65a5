"""The repositories the services use, as typing.Protocols: what each is asked and what it answers."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from bordergate.domain.accounts import Organisation, User
from bordergate.domain.clearance import AgencyCheck, TripClearance
from bordergate.domain.crossing_points import CrossingPoint
from bordergate.domain.declaration import Declaration, DeclarationStatus
from bordergate.domain.events import Event
from bordergate.domain.fees import Assessment, Tariff
from bordergate.domain.inspection import Agency
from bordergate.domain.payments import Payment, PaymentStatus
from bordergate.domain.sessions import Session, Throttle
from bordergate.domain.trip import Flow

if TYPE_CHECKING:  # services/idempotency.py imports the unit of work, which imports this module
    from bordergate.services.idempotency import Answer, KeyedRequest

# -- what the repositories hand back besides domain objects ------------------------------------------------------


class DeclarationSummary(TypedDict):
    """One line of a list of declarations: the match keys, not the whole trip."""

    reference: str
    enterprise_id: str
    status: str
    crossing_point: str
    flow: str
    planned_arrival: datetime
    tractor_plate: str
    trailer_plate: str | None
    perishable: bool
    submitted_at: datetime
    version: int


class AuditEntry(TypedDict):
    """One event on the audit trail as read back, its personal values put back (or shown as erased)."""

    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any]


class AssessmentRecord(TypedDict):
    """One revision of a trip's fee assessment; ``current`` marks the one that counts."""

    reference: str
    revision: int
    current: bool
    crossing_point: str
    tariff_version: str | None
    fee_class: str
    total_vnd: int
    lines: list[list[Any]]  # [rule, amount in VND] pairs
    missing: str | None
    assessed_at: datetime
    why: str


# -- declarations and who may make them ----------------------------------------------------------------------------


class DeclarationRepository(Protocol):
    """Declaration aggregates; a save checks the version so two editors never overwrite each other."""

    seen: list[Declaration]  # every declaration loaded or added: the unit of work collects their events

    def add(self, declaration: Declaration) -> None: ...

    def get(self, reference: str) -> Declaration | None: ...

    def open_references(self, since: date) -> list[str]: ...

    def essentials(self, reference: str) -> tuple[DeclarationStatus, Flow, str | None] | None: ...

    def summaries(self, enterprises: frozenset[str] | None, *, status: str | None = None,
                  crossing_point: str | None = None, plate: str | None = None, limit: int = 50,
                  offset: int = 0) -> list[DeclarationSummary]: ...

    def save(self, declaration: Declaration, loaded_version: int) -> None: ...

    @property
    def plate_keys(self) -> PlateKeyRepository: ...


class PlateKeyRepository(Protocol):
    """The plates cameras look for: filed for open trips, closed when a trip crosses."""

    def prune(self, before: datetime) -> int: ...


class AccountRepository(Protocol):
    """Who has an account, in which organisation, and which agencies act for which enterprises."""

    def add_organisation(self, org: Organisation, at: datetime) -> None: ...

    def organisation(self, organisation_id: str) -> Organisation | None: ...

    def organisation_by_tax_code(self, tax_code: str) -> Organisation | None: ...

    def list_organisations(self) -> list[Organisation]: ...

    def list_users(self) -> list[User]: ...

    def add_user(self, user: User, at: datetime) -> None: ...

    def user_by_username(self, username: str) -> User | None: ...

    def user(self, user_id: str) -> User | None: ...

    def set_password(self, user_id: str, password_hash: str) -> None: ...

    def deactivate(self, user_id: str) -> bool: ...

    def authorise(self, enterprise_id: str, agency_id: str, by: str, at: datetime) -> None: ...

    def revoke(self, enterprise_id: str, agency_id: str, at: datetime) -> bool: ...

    def enterprises_represented_by(self, agency_id: str) -> frozenset[str]: ...

    def contact_phone(self, enterprise_id: str) -> str | None: ...

    def set_contact_phone(self, enterprise_id: str, phone: str | None, at: datetime) -> None: ...


class CrossingPointRepository(Protocol):
    """The gates declarations may name, by code."""

    def add(self, point: CrossingPoint) -> None: ...

    def get(self, code: str) -> CrossingPoint | None: ...

    def list(self) -> list[CrossingPoint]: ...

    def active_codes(self) -> frozenset[str]: ...


class FleetRepository(Protocol):
    """Saved vehicles (by tractor plate) and drivers (by document) of each enterprise: their details with an "id".

    Saving answers the entry's id and whether anything changed."""

    def save_vehicle(self, enterprise_id: str, plate: str, details: dict[str, Any], new_id: str,
                     at: datetime) -> tuple[str, bool]: ...

    def save_driver(self, enterprise_id: str, document: str, details: dict[str, Any], new_id: str,
                    at: datetime) -> tuple[str, bool]: ...

    def vehicle(self, enterprise_id: str, vehicle_id: str) -> dict[str, Any] | None: ...

    def driver(self, enterprise_id: str, driver_id: str) -> dict[str, Any] | None: ...

    def vehicles(self, enterprise_id: str) -> list[dict[str, Any]]: ...

    def drivers(self, enterprise_id: str) -> list[dict[str, Any]]: ...


class TripLinkRepository(Protocol):
    """Links between declarations (a trip and its empty return), written once with both."""

    def link(self, outbound_reference: str, return_reference: str, at: datetime) -> None: ...

    def of(self, reference: str) -> dict[str, str | None]: ...

    def empty(self, references: list[str]) -> set[str]: ...


class AuditRepository(Protocol):
    """The append-only audit trail: events written in order, a subject's history read back oldest first."""

    def append(self, events: list[Event]) -> None: ...

    def history(self, subject_type: str, subject_id: str) -> list[AuditEntry]: ...


# -- agencies and fees ------------------------------------------------------------------------------------------------


class ClearanceRepository(Protocol):
    """TripClearance aggregates; a save checks the version so two officers never overwrite each other."""

    seen: list[TripClearance]  # every clearance loaded or added: the unit of work collects their events

    def add(self, clearance: TripClearance) -> None: ...

    def get(self, reference: str) -> TripClearance | None: ...

    def save(self, clearance: TripClearance, loaded_version: int) -> None: ...

    def outstanding(self, reference: str) -> tuple[AgencyCheck, ...] | None: ...

    def history(self, enterprise_id: str, since: datetime) -> tuple[int, int]: ...

    def inbox(self, agencies: tuple[Agency, ...], crossing_point: str, limit: int) -> list[dict[str, Any]]: ...

    def worked(self, crossing_point: str, since: datetime, until: datetime) -> list[dict[str, Any]]: ...


class AgencyMessageRepository(Protocol):
    """Messages agencies' systems sent, by their id: a retry finds the first answer here."""

    def get(self, agency: str, message_id: str) -> dict[str, Any] | None: ...

    def add(self, agency: str, message_id: str, digest: str, at: datetime, outcome: dict[str, Any]) -> None: ...


class FeeRepository(Protocol):
    """Tariffs, assessments, payments, receipts and refunds; a payment changes state only from pending."""

    def tariffs(self) -> list[Tariff]: ...

    def publish(self, tariff: Tariff, by: str, at: datetime) -> None: ...

    def current(self, reference: str) -> AssessmentRecord | None: ...

    def assessments(self, reference: str) -> list[AssessmentRecord]: ...

    def add_assessment(self, reference: str, crossing_point: str, assessment: Assessment, why: str, at: datetime,
                       *, first: bool = False) -> int: ...

    def outstanding(self, reference: str) -> int | None: ...

    def payments_of(self, reference: str) -> list[Payment]: ...

    def add_payment(self, payment: Payment) -> None: ...

    def by_order(self, provider: str, order_id: str) -> Payment | None: ...

    def settle(self, payment_id: str, status: PaymentStatus, *, transaction_id: str | None = None,
               paid_at: datetime | None = None, receipt_number: str | None = None) -> bool: ...

    def mark_refunded(self, payment_id: str) -> None: ...

    def next_receipt_number(self, year: int) -> int: ...

    def add_receipt(self, number: str, payment: Payment, at: datetime) -> None: ...

    def receipt(self, number: str) -> dict[str, Any] | None: ...

    def add_refund(self, refund: dict[str, Any]) -> None: ...

    def refunds_of(self, reference: str) -> list[dict[str, Any]]: ...

    def reconciliation(self, since: datetime, until: datetime,
                       crossing_point: str | None) -> list[dict[str, Any]]: ...


# -- sign-ins, requests, the security log, retention -----------------------------------------------------------------


class SessionRepository(Protocol):
    """One record per sign-in: started, last seen, its absolute end, and who revoked it and why."""

    def start(self, session: Session) -> None: ...

    def with_user(self, session_id: str) -> tuple[Session, User] | None: ...

    def seen(self, session_id: str, now: datetime) -> None: ...

    def revoke(self, session_id: str, at: datetime, by: str, why: str) -> int: ...

    def revoke_of_user(self, user_id: str, at: datetime, by: str, why: str, keep: str | None = None) -> int: ...

    def revoke_all(self, at: datetime, by: str, why: str, keep: str | None = None) -> int: ...


class ThrottleRepository(Protocol):
    """Failed sign-ins per account and per address, shared by every server process."""

    def of(self, keys: list[str]) -> dict[str, Throttle]: ...

    def for_update(self, key: str, now: datetime) -> Throttle: ...

    def save(self, throttle: Throttle) -> None: ...

    def clear(self, key: str) -> None: ...

    def forget(self, quiet_since: datetime, now: datetime) -> None: ...


class IdempotencyKeyRepository(Protocol):
    """Idempotency keys; every change is conditional on the claim token, so a request that lost its key changes
    nothing."""

    def purge(self, now: datetime) -> None: ...

    def insert(self, request: KeyedRequest, token: str, now: datetime, *, expires_at: datetime,
               running_until: datetime) -> bool: ...

    def get(self, key_id: str) -> dict[str, Any] | None: ...

    def take_over(self, key_id: str, old_token: str, token: str, running_until: datetime) -> None: ...

    def settle(self, key_id: str, token: str, events: list[Event]) -> bool: ...

    def answer(self, key_id: str, token: str | None, answer: Answer) -> None: ...

    def release(self, key_id: str, token: str, now: datetime) -> None: ...


class SecurityLogRepository(Protocol):
    """Refused requests, bounded in rows and per source a minute; past that a refusal is only counted."""

    def add(self, *, kind: str, source: str, detail: str, at: datetime, rows: int,
            per_source_per_minute: int) -> bool: ...


class PersonalDataRepository(Protocol):
    """Finds what retention erases and erases it; the audit trail keeps digests and loses the values."""

    def trips_due(self, cutoff: datetime, limit: int) -> list[str]: ...

    def erase_trip(self, reference: str, at: datetime) -> None: ...

    def drivers_unused(self, cutoff: datetime) -> list[dict[str, Any]]: ...

    def erase_driver(self, entry: dict[str, Any]) -> None: ...

"""Commands: what a person asks bordergate to do, in the imperative. One handler each."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bordergate.domain.accounts import Principal


@dataclass(frozen=True)
class Command:
    """Base of all commands: every command is made by someone."""

    actor: Principal


@dataclass(frozen=True)
class SubmitDeclaration(Command):
    """Declare a trip for an enterprise; ``vehicle_id``/``driver_id`` reuse saved entries instead of typing."""

    enterprise_id: str
    trip: dict[str, Any]
    vehicle_id: str | None = None
    driver_id: str | None = None
    # "And back empty": the return trip declared with this one ({"planned_arrival": ...}), linked both ways.
    return_empty: dict[str, Any] | None = None


@dataclass(frozen=True)
class SubmitDeclarationAnswered(SubmitDeclaration):
    """SubmitDeclaration answered with the trips as the declarant now sees them (labels in ``locale``), built from
    what the command stored: the API's answer, with no second read of what it has just written."""

    locale: str = "vi"


@dataclass(frozen=True)
class AmendDeclaration(Command):
    """Correct named fields (``{"driver.phone": "+84..."}``) of a submitted declaration."""

    reference: str
    changes: dict[str, Any]
    reason: str | None = None


@dataclass(frozen=True)
class CancelDeclaration(Command):
    """Withdraw a declaration that will not be used."""

    reference: str
    reason: str | None = None


@dataclass(frozen=True)
class RegisterOrganisation(Command):
    """Open an account for an enterprise, customs agency or authority."""

    name: str
    kind: str
    tax_code: str | None = None


@dataclass(frozen=True)
class CreateUser(Command):
    """Give a person a sign-in with a role (and organisation, except drivers)."""

    username: str
    password: str
    full_name: str
    role: str
    organisation_id: str | None = None


@dataclass(frozen=True)
class AuthoriseAgent(Command):
    """An enterprise lets a customs agency declare for it."""

    enterprise_id: str
    agency_id: str


@dataclass(frozen=True)
class RevokeAgent(Command):
    """An enterprise withdraws a customs agency's authorisation."""

    enterprise_id: str
    agency_id: str


@dataclass(frozen=True)
class AddCrossingPoint(Command):
    """Open a crossing point for declarations."""

    code: str
    name: str
    province: str = ""
    border_markers: str = ""
    counterpart: str = ""


@dataclass(frozen=True)
class SaveVehicle(Command):
    """Keep a vehicle in an enterprise's fleet so the next declaration only picks it."""

    enterprise_id: str
    vehicle: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SaveDriver(Command):
    """Keep a driver in an enterprise's list so the next declaration only picks them."""

    enterprise_id: str
    driver: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AddCheckpoint(Command):
    """Describe a checkpoint of a crossing point: its kind, the direction it carries, and its lanes."""

    crossing_point: str
    kind: str
    direction: str
    name: str
    lanes: int = 1


@dataclass(frozen=True)
class RegisterCamera(Command):
    """Register a camera at a lane of a checkpoint; the answer holds its key, shown only this once."""

    checkpoint_id: str
    name: str
    lane: int = 1


@dataclass(frozen=True)
class IssueCameraKey(Command):
    """Replace a camera's key (lost, leaked or routine rotation); the old key stops working at once."""

    camera_id: str


@dataclass(frozen=True)
class RevokeCamera(Command):
    """Stop a camera from posting reads; its history stays."""

    camera_id: str
    reason: str | None = None


@dataclass(frozen=True)
class CameraMessage:
    """Base of what cameras send: they prove themselves with their own key, not a person's sign-in."""

    camera_key: str


@dataclass(frozen=True)
class RecordCameraRead(CameraMessage):
    """A camera read a plate. ``read_id`` is the camera's own id for the read, so a retry is recognised."""

    captured_at: Any
    plate: str
    confidence: float
    direction: str | None = None
    read_id: str | None = None
    image_ref: str | None = None
    from_image: bool = False


@dataclass(frozen=True)
class ReportHeartbeat(CameraMessage):
    """A camera says it is alive when it has nothing to read."""


@dataclass(frozen=True)
class EnterPlate(Command):
    """An operator enters a plate by hand at a checkpoint whose camera is down."""

    checkpoint_id: str
    plate: str
    captured_at: Any = None
    note: str | None = None


@dataclass(frozen=True)
class ResolveReview(Command):
    """An operator settles a read in review: the declaration it is, the plate it really says, or a dismissal."""

    read_id: str
    reference: str | None = None
    plate: str | None = None
    dismiss: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ResolveAlert(Command):
    """A person closes an alert, saying what was done."""

    alert_id: str
    note: str


@dataclass(frozen=True)
class SweepGate(Command):
    """Look for what no read reveals: silent cameras and trucks in the yard too long."""


@dataclass(frozen=True)
class PlaceHold(Command):
    """An officer holds a truck at its exit barrier, with the reason the declarant will see."""

    reference: str
    reason: str


@dataclass(frozen=True)
class LiftHold(Command):
    """An officer lifts their agency's hold."""

    hold_id: str
    note: str | None = None


@dataclass(frozen=True)
class BookCrossing(Command):
    """Book a declared truck's crossing: a fixed hour (``slot_start``) or the live queue."""

    reference: str
    kind: str
    slot_start: Any = None
    direction: str | None = None


@dataclass(frozen=True)
class CancelBooking(Command):
    """Give up the truck's place; late cancellations count against the enterprise."""

    reference: str
    reason: str | None = None


@dataclass(frozen=True)
class CheckIn(Command):
    """An operator checks a truck in at the waiting area by hand (the camera does it by plate read)."""

    reference: str


@dataclass(frozen=True)
class SetPriority(Command):
    """An operator grants (or removes) a legal priority class, having seen the papers."""

    reference: str
    priority: str


@dataclass(frozen=True)
class SetCapacityPlan(Command):
    """The usual trucks per hour for each of the 24 local hours, for one crossing point and direction."""

    crossing_point: str
    direction: str
    hourly: tuple[int, ...]


@dataclass(frozen=True)
class ChangeCapacity(Command):
    """Change capacity for a stretch of time (0: closed), with the reason people are told."""

    crossing_point: str
    direction: str | None
    starts_at: Any
    ends_at: Any
    per_hour: int
    reason: str


@dataclass(frozen=True)
class SetDayLimit(Command):
    """What the other side accepts on a day: at most ``trucks`` in ``direction``."""

    crossing_point: str
    direction: str
    day: Any
    trucks: int


@dataclass(frozen=True)
class IssueRegulationOrder(Command):
    """Hold trucks at a named staging area; calls stop until the order is lifted."""

    crossing_point: str
    staging_area: str
    message: str
    direction: str | None = None


@dataclass(frozen=True)
class LiftRegulationOrder(Command):
    """End a hold order; calls resume."""

    order_id: str


@dataclass(frozen=True)
class RunCallForward(Command):
    """Call trucks forward as capacity frees, expire missed calls, mark no-shows, publish expected waits."""


@dataclass(frozen=True)
class DeliverNotices(Command):
    """Send the notices waiting in the outbox."""


@dataclass(frozen=True)
class RecordAgencyDecision(Command):
    """An officer records their agency's decision on a trip: release, hold (saying what is needed), inspect or
    refuse."""

    reference: str
    agency: str
    action: str
    reason: str | None = None
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RerouteChannel(Command):
    """A customs officer moves a trip to another channel, with the reason kept on the record."""

    reference: str
    channel: str
    reason: str


@dataclass(frozen=True)
class AnswerAgencyHold(Command):
    """The declarant answers an agency's hold: a note, and corrections of the named fields, without starting over."""

    reference: str
    agency: str
    note: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApplySystemMessage:
    """A message from an agency's own system, already checked for its signature; ``digest`` is the body's
    SHA-256, so a replay with a changed body is told apart from a plain retry."""

    agency: str
    message_id: str
    kind: str
    reference: str
    digest: str
    sent_at: Any
    channel: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PublishTariff(Command):
    """Publish a tariff version (a document: lines, rules, the date it is in force from)."""

    document: dict[str, Any]


@dataclass(frozen=True)
class StartPayment(Command):
    """Open an order with the payment provider for what is still due on a trip."""

    reference: str
    return_url: str | None = None


@dataclass(frozen=True)
class RecordCashPayment(Command):
    """An operator records cash taken at the counter for a trip's fee."""

    reference: str
    amount_vnd: int


@dataclass(frozen=True)
class ConfirmPayment:
    """A payment provider's callback, already checked for its signature."""

    provider: str
    order_id: str
    transaction_id: str
    amount_vnd: int
    status: str
    paid_at: Any = None


@dataclass(frozen=True)
class ErasePersonalData(Command):
    """Pseudonymise the drivers of trips finished longer ago than the retention period (an administrator, or the
    server's sweep)."""

    batch: int = 500


@dataclass(frozen=True)
class SetContactPhone(Command):
    """Give the number an enterprise is told on when an agency holds one of its trips (None removes it)."""

    enterprise_id: str
    phone: str | None

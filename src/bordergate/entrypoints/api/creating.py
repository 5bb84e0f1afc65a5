"""Every POST that creates something, in one table: whose Idempotency-Keys it takes and how a lost answer is rebuilt."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import Conflict
from bordergate.domain.payments import PaymentStatus
from bordergate.services import call_forwarding, control_views, queue_views, views
from bordergate.services.fees import order_description

Rebuilt = tuple[dict[str, Any] | list[Any], str | None]  # the answer's body and its Location


@dataclass(frozen=True)
class Rebuilding:
    """What a rebuilder may use: the gate, who asked and in what language, the request, and what its change did
    (the events committed with the key, as the audit trail keeps them)."""

    gate: Gate
    principal: Principal | None
    locale: str
    path_params: dict[str, str]
    body: dict[str, Any]
    effects: list[dict[str, Any]]

    def event(self, action: str) -> dict[str, Any]:
        """The fields of the first ``action`` event the change recorded."""
        for effect in self.effects:
            if effect["action"] == action:
                return effect["payload"]
        raise Conflict(f"the first request with this Idempotency-Key changed something, but not with {action}; "
                       "its answer cannot be rebuilt: look the result up, or send a new key")

    def count(self, action: str) -> int:
        return sum(1 for effect in self.effects if effect["action"] == action)


@dataclass(frozen=True)
class Creating:
    """A creating POST. ``rebuild`` answers a retry whose first answer was lost after the change committed (the
    server died between commit and answer); None when the route's own idempotency answers the retry (a read's
    camera_read_id, a vehicle saved by its plate), so the route simply runs again. ``sender`` is whose keys these
    are: the signed-in user's, or (cameras, which have no user) the camera's; ``reporter``: the signed-in user's,
    else the holder's of a report's secret link."""

    rebuild: Callable[[Rebuilding], Rebuilt] | None
    sender: str = "user"


def _declaration(r: Rebuilding) -> Rebuilt:
    # The first declaration of the change is the one asked for; an empty return declared with it follows it.
    reference = r.event("DeclarationSubmitted")["reference"]
    body = views.declared(r.gate.reader(), r.principal, reference, r.locale, r.gate.tracking_url)
    return body, f"/api/v1/declarations/{reference}"


def _named(action: str, field: str, answer_field: str = "id") -> Callable[[Rebuilding], Rebuilt]:
    """For routes that answer only the new thing's id (or code)."""
    return lambda r: ({answer_field: r.event(action)[field]}, None)


def _online_payment(r: Rebuilding) -> Rebuilt:
    started = r.event("PaymentStarted")
    # Providers key orders by bordergate's payment id (docs/payments.md): asking again gets the same order back.
    order = r.gate.payments.create_order(started["payment_id"], started["amount_vnd"],
                                         order_description(started["reference"]), r.body.get("return_url") or "")
    return {"payment_id": started["payment_id"], "amount_vnd": started["amount_vnd"], "provider": started["provider"],
            "order_id": started["order_id"], "redirect_url": order.redirect_url, "qr_text": order.qr_text,
            "status": PaymentStatus.PENDING.value}, None


def _cash_payment(r: Rebuilding) -> Rebuilt:
    paid = r.event("PaymentReceived")
    return {"payment_id": paid["payment_id"], "reference": paid["reference"], "status": PaymentStatus.PAID.value,
            "amount_vnd": paid["amount_vnd"], "receipt_number": paid["receipt_number"], "replayed": False}, None


def _booking(r: Rebuilding) -> Rebuilt:
    made = r.event("BookingMade")
    with r.gate.reader() as uow:
        booking = uow.bookings.get(made["booking_id"])
        warning = call_forwarding.shelf_life_warning(uow, booking, r.gate.clock.now(), r.gate.rules)
    return {**queue_views.booking(r.gate.reader(), r.principal, made["reference"], r.locale), "warning": warning}, None


def _checkpoint(r: Rebuilding) -> Rebuilt:
    added = r.event("CheckpointAdded")
    found = control_views.checkpoints(r.gate.reader(), r.principal, added["crossing_point"], r.locale)
    return next(c for c in found if c["id"] == added["checkpoint_id"]), None


def _camera(r: Rebuilding) -> Rebuilt:
    camera_id = r.event("CameraRegistered")["camera_id"]
    # Only a digest of the key is stored, so the lost key cannot be shown again; nobody ever saw it, so a new one
    # (audited as any other) is the answer the first request would have given.
    key = r.gate.bus.handle(commands.IssueCameraKey(r.principal, camera_id))
    return {**control_views.camera(r.gate.reader(), r.principal, camera_id, r.locale), "key": key}, None


def _report_filed(r: Rebuilding) -> Rebuilt:
    # Only the secret link's digest is kept, so a lost anonymous answer comes back without it: the tracking
    # code still finds the report, and its public page says so.
    code = r.event("ReportFiled")["code"]
    return {"tracking_code": code, "url": f"/r/{code}"}, f"/r/{code}"


def _manual_read(r: Rebuilding) -> Rebuilt:
    read_id = r.event("PlateReadDecided")["read_id"]
    with r.gate.reader() as uow:
        read, checkpoint = uow.reads.get(read_id), uow.checkpoints.get(r.path_params["checkpoint_id"])
    return control_views.read_answer(read, r.locale, checkpoint_name=checkpoint.name), None


def _open311_request(r: Rebuilding) -> Rebuilt:
    received = r.event("Open311RequestReceived")  # answered as JSON, whichever format was asked (a rare case)
    if received["held"]:
        return [{"token": received["token"]}], None
    return [{"service_request_id": received["code"], "service_notice": None, "account_id": None}], None


V1 = "/api/v1"
# The test suite checks this table against the route table: a POST answering 201 that is missing here fails it.
CREATING: dict[tuple[str, str], Creating] = {
    ("POST", f"{V1}/declarations"): Creating(_declaration),
    ("POST", f"{V1}/enterprises/{{enterprise_id}}/vehicles"): Creating(None),
    ("POST", f"{V1}/enterprises/{{enterprise_id}}/drivers"): Creating(None),
    ("POST", f"{V1}/organisations"): Creating(_named("OrganisationRegistered", "organisation_id")),
    ("POST", f"{V1}/users"): Creating(_named("UserCreated", "user_id")),
    ("POST", f"{V1}/crossing-points"): Creating(_named("CrossingPointAdded", "code", "code")),
    ("POST", f"{V1}/declarations/{{reference}}/payments"): Creating(_online_payment),
    ("POST", f"{V1}/declarations/{{reference}}/payments/cash"): Creating(_cash_payment),
    ("POST", f"{V1}/declarations/{{reference}}/booking"): Creating(_booking),
    ("POST", f"{V1}/crossing-points/{{code}}/capacity-changes"):
        Creating(lambda r: ({"bookings_moved": r.count("BookingMoved")}, None)),
    ("POST", f"{V1}/regulation-orders"): Creating(_named("RegulationOrderIssued", "order_id")),
    ("POST", f"{V1}/checkpoints"): Creating(_checkpoint),
    ("POST", f"{V1}/checkpoints/{{checkpoint_id}}/cameras"): Creating(_camera),
    ("POST", f"{V1}/checkpoints/{{checkpoint_id}}/manual-reads"): Creating(_manual_read),
    ("POST", f"{V1}/declarations/{{reference}}/holds"): Creating(_named("HoldPlaced", "hold_id")),
    ("POST", f"{V1}/plate-reads"): Creating(None, sender="camera"),
    ("POST", f"{V1}/plate-reads/image"): Creating(None, sender="camera"),
    # Open311 (issue 17): the client's keys; a lost answer is rebuilt from the request's event (as JSON).
    ("POST", "/open311/v2/requests.{fmt}"): Creating(_open311_request, sender="open311"),
    # The report page's twins (issue 17): the reporter by account or secret link (X-Report-Secret), followers.
    ("POST", "/citizen/api/reports/{tracking_code}/information"): Creating(
        lambda r: ({"code": r.event("ReportInformationAdded")["code"], "added": True}, None), sender="reporter"),
    ("POST", "/citizen/api/reports/{tracking_code}/rating"): Creating(
        lambda r: ({"code": r.event("ReportRated")["code"], "stars": r.event("ReportRated")["stars"]}, None),
        sender="reporter"),
    ("POST", "/citizen/api/reports/{tracking_code}/follow"): Creating(
        lambda r: ({"code": r.event("ReportFollowed")["code"], "following": True}, None)),
    # A citizen's report from the phone (issue 17): the page's offline drafts resend with their key.
    ("POST", "/citizen/api/reports"): Creating(_report_filed, sender="citizen"),
}


def creating_route(methods: set[str] | list[str] | None, path: str) -> Creating | None:
    """The table's entry for a route, if it creates something."""
    return next((CREATING[(m, path)] for m in sorted(methods or ()) if (m, path) in CREATING), None)

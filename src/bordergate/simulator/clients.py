"""How the simulator reaches the system it drives: the same commands and read models the API uses, in-process.

``GateClient`` is what a simulated border needs from bordergate, in the words of the people who use it: an
enterprise declares and books, a camera reads a plate, an operator types one in or takes cash, an officer
releases a check, the management center sets capacity and the call-forward loop turns. ``InProcess`` sends each
as a command on the gate's bus and reads back through the API's own read models, so answers are the API's JSON;
``simulator.http.OverHttp`` sends the same over HTTP to a running server.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.errors import ChangedMeanwhile
from bordergate.domain.inspection import Agency
from bordergate.services import agency_views, control_views, fee_views, queue_views
from bordergate.services.authentication import SYSTEM, principal_for

# The officer who acts for each agency: plant and animal quarantine share the quarantine officers.
OFFICER_OF = {"customs": "customs", "border_guard": "border_guard", "plant_quarantine": "quarantine",
              "animal_quarantine": "quarantine", "health": "health"}
ROLES = ("declarant", "operator", "customs", "border_guard", "quarantine", "health")


@dataclass(frozen=True)
class Cast:
    """Who the simulator plays, the same in-process and over HTTP: a center, an enterprise, an account a role."""

    tag: str
    center: str = "Trung tâm mô phỏng / Simulation center"
    enterprise: str = "Công ty mô phỏng / Simulated Freight Co."

    @classmethod
    def new(cls) -> Cast:
        return cls(secrets.token_hex(3))

    @property
    def tax_code(self) -> str:
        return f"49{int(self.tag, 16) % 10 ** 8:08d}"

    def account(self, role: str) -> tuple[str, str, str]:
        """Username, a new random password and full name of the role's account."""
        return f"sim-{role}-{self.tag}", secrets.token_urlsafe(18), f"Simulated {role}"


class GateClient(Protocol):
    """What the simulated border does to bordergate; every answer is the API's JSON for it."""

    def now(self) -> datetime: ...

    def checkpoint(self, crossing_point: str, kind: str, direction: str, name: str) -> str: ...

    def camera(self, checkpoint_id: str, name: str) -> str: ...

    def capacity_plan(self, crossing_point: str, direction: str, hourly: tuple[int, ...]) -> None: ...

    def capacity_change(self, crossing_point: str, direction: str, starts_at: datetime, ends_at: datetime,
                        per_hour: int, reason: str) -> None: ...

    def day_limit(self, crossing_point: str, direction: str, day: date, trucks: int) -> None: ...

    def declare(self, trip: dict[str, Any]) -> str: ...

    def amend(self, reference: str, changes: dict[str, Any], reason: str) -> None: ...

    def book(self, reference: str) -> dict[str, Any]: ...

    def cancel_booking(self, reference: str, reason: str) -> None: ...

    def check_in(self, reference: str) -> None: ...

    def camera_read(self, key: str, plate: str, at: datetime, confidence: float) -> dict[str, Any]: ...

    def enter_plate(self, checkpoint_id: str, plate: str, at: datetime, note: str) -> dict[str, Any]: ...

    def call_forward(self) -> None: ...

    def board(self, crossing_point: str, direction: str) -> dict[str, Any]: ...

    def clearance(self, reference: str) -> dict[str, Any]: ...

    def decide(self, reference: str, agency: str, decision: str) -> None: ...

    def fee(self, reference: str) -> dict[str, Any]: ...

    def pay_cash(self, reference: str, amount_vnd: int) -> None: ...


class InProcess:
    """bordergate in this process: commands on its bus, answers from the API's read models."""

    def __init__(self, gate: Gate, people: dict[str, Any]) -> None:
        self.gate, self.people = gate, people
        self.handle = gate.bus.handle

    @classmethod
    def with_people(cls, gate: Gate) -> InProcess:
        """A new enterprise with a declarant, and the center's operator and officers, each a new account."""
        handle, cast = gate.bus.handle, Cast.new()
        center = handle(commands.RegisterOrganisation(SYSTEM, cast.center, "authority"))
        shipper = handle(commands.RegisterOrganisation(SYSTEM, cast.enterprise, "enterprise", cast.tax_code))
        people = {}
        for role in ROLES:
            username, password, full_name = cast.account(role)
            user = handle(commands.CreateUser(SYSTEM, username, password, full_name, role,
                                              shipper if role == "declarant" else center))
            people[role] = principal_for(gate.reader(), user)
        people["enterprise"] = shipper
        return cls(gate, people)

    def now(self) -> datetime:
        return self.gate.clock.now()

    def checkpoint(self, crossing_point: str, kind: str, direction: str, name: str) -> str:
        return self.handle(commands.AddCheckpoint(self.people["operator"], crossing_point, kind, direction, name, 2))

    def camera(self, checkpoint_id: str, name: str) -> str:
        return self.handle(commands.RegisterCamera(self.people["operator"], checkpoint_id, name))[1]

    def capacity_plan(self, crossing_point: str, direction: str, hourly: tuple[int, ...]) -> None:
        self.handle(commands.SetCapacityPlan(self.people["operator"], crossing_point, direction, hourly))

    def capacity_change(self, crossing_point: str, direction: str, starts_at: datetime, ends_at: datetime,
                        per_hour: int, reason: str) -> None:
        self.handle(commands.ChangeCapacity(self.people["operator"], crossing_point, direction, starts_at, ends_at,
                                            per_hour, reason))

    def day_limit(self, crossing_point: str, direction: str, day: date, trucks: int) -> None:
        self.handle(commands.SetDayLimit(self.people["operator"], crossing_point, direction, day, trucks))

    def declare(self, trip: dict[str, Any]) -> str:
        return self.handle(commands.SubmitDeclaration(self.people["declarant"], self.people["enterprise"], trip))

    def amend(self, reference: str, changes: dict[str, Any], reason: str) -> None:
        self.handle(commands.AmendDeclaration(self.people["declarant"], reference, changes, reason))

    def book(self, reference: str) -> dict[str, Any]:
        return self.handle(commands.BookCrossing(self.people["declarant"], reference, "live"))

    def cancel_booking(self, reference: str, reason: str) -> None:
        self.handle(commands.CancelBooking(self.people["declarant"], reference, reason))

    def check_in(self, reference: str) -> None:
        self.handle(commands.CheckIn(self.people["operator"], reference))

    def camera_read(self, key: str, plate: str, at: datetime, confidence: float) -> dict[str, Any]:
        answer = self.handle(commands.RecordCameraRead(key, captured_at=at, plate=plate, confidence=confidence))
        return control_views.read_answer(answer.read, "en", checkpoint_name=answer.checkpoint_name)

    def enter_plate(self, checkpoint_id: str, plate: str, at: datetime, note: str) -> dict[str, Any]:
        answer = self.handle(commands.EnterPlate(self.people["operator"], checkpoint_id, plate, at, note))
        return control_views.read_answer(answer.read, "en", checkpoint_name=answer.checkpoint_name)

    def call_forward(self) -> None:
        self.handle(commands.RunCallForward(self.people["operator"]))

    def board(self, crossing_point: str, direction: str) -> dict[str, Any]:
        return queue_views.queue_board(self.gate.reader(), self.people["operator"], crossing_point, direction,
                                       self.now(), self.gate.rules.perishable_urgent, "en")

    def clearance(self, reference: str) -> dict[str, Any]:
        return agency_views.clearance(self.gate.reader(), self.people["declarant"], reference, "en")

    def decide(self, reference: str, agency: str, decision: str) -> None:
        officer = self.people[OFFICER_OF[agency]]
        self.handle(commands.RecordAgencyDecision(officer, reference, Agency(agency).value, decision))

    def fee(self, reference: str) -> dict[str, Any]:
        return fee_views.fee(self.gate.reader(), self.people["declarant"], reference, "en")

    def pay_cash(self, reference: str, amount_vnd: int) -> None:
        self.handle(commands.RecordCashPayment(self.people["operator"], reference, amount_vnd))


class Patient:
    """A client that sends a request again when another actor changed the same record first (ChangedMeanwhile):
    each request is one transaction, so one refused this way saved nothing. On a gate shared with its timer or
    with people, as in the replayed demo or a server driven over HTTP, that happens now and then."""

    ATTEMPTS = 3

    def __init__(self, client: GateClient) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Any:
        action = getattr(self.client, name)
        if not callable(action):
            return action

        def again(*args: Any, **kwargs: Any) -> Any:
            for _ in range(self.ATTEMPTS - 1):
                try:
                    return action(*args, **kwargs)
                except ChangedMeanwhile:
                    continue
            return action(*args, **kwargs)

        return again

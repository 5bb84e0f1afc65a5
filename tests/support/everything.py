"""A gate on SQLite with one person per role and one of everything a route's path names, for the route-by-role
matrix and the fuzzing by role."""
from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import text

from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.accounts import Role
from bordergate.domain import report_commands
from bordergate.domain.accounts import Principal
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from tests.support.citizens import with_citizen_sandboxes
from bordergate.services.authentication import SYSTEM
from bordergate.services.ports import FixedClock
from tests.builders import PASSWORD
from tests.conftest import CHEAP_PASSWORDS, NOW
from tests.integration.queue_helpers import POINT, a_queue_desk
from tests.support.asgi import call

SETTINGS = {"secret_key": "test-secret-of-at-least-32-characters", "public_url": "http://gate.test",
            "sandbox_payments": True, "sweep_seconds": 0}
# The person of the world who has each role (the declarant and the agent both act for the fruit enterprise).
PEOPLE = {Role.DECLARANT: "minh", Role.AGENT: "agent", Role.DRIVER: "driver", Role.OPERATOR: "operator",
          Role.CUSTOMS: "customs", Role.BORDER_GUARD: "guard", Role.QUARANTINE: "quarantine", Role.HEALTH: "health",
          Role.TRAFFIC_POLICE: "police", Role.ADMIN: "admin", Role.CITIZEN: "citizen",
          Role.UNIT_OFFICER: "unitofficer", Role.UNIT_SUPERVISOR: "unitchief"}


@dataclass
class Everything:
    gate: Gate
    app: FastAPI
    ids: dict[str, str]  # path parameter -> a real one
    tokens: dict[Role, str]  # each role's sign-in token
    holds: dict[Role, str]  # each officer's own agency's hold on the trip
    camera_key: str


def a_gate_with_one_of_everything(sqlite_template: Path, folder: Path) -> Everything:
    """A declaration of the fruit enterprise (durian re-exported: it has a fee), booked, paid with a receipt, a
    second payment pending, a hold by each agency, a regulation order, a read in review and an alert; Huu Nghi's
    checkpoints with a camera each. Made through the same commands as everywhere else."""
    path = folder / "everything.db"
    shutil.copy(sqlite_template, path)
    gate = bootstrap(Settings(database_url=f"sqlite:///{path}", db_pool_size=5, **SETTINGS),
                     clock=FixedClock(NOW), rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    desk = a_queue_desk(gate)
    world, handle = desk.world, gate.bus.handle
    handle(commands.SetCapacityPlan(world.operator, POINT, "inbound", (4,) * 24))
    # Citizens' reports (issue 17): a citizen, and a handling unit's officer and supervisor.
    unit = handle(commands.RegisterOrganisation(SYSTEM, "UBND xã Đồng Đăng", "unit"))
    users = {role: handle(commands.CreateUser(SYSTEM, PEOPLE[role], PASSWORD, PEOPLE[role].title(), role.value,
                                              None if role is Role.CITIZEN else unit))
             for role in (Role.CITIZEN, Role.UNIT_OFFICER, Role.UNIT_SUPERVISOR)}
    # The citizen's report (the report page and its steps): at the province's coordinating unit, the only one here.
    handle(report_commands.RegisterUnit(SYSTEM, "TT_PVHCC", unit, coordinating=True))
    report = handle(report_commands.FileReport(
        Principal(users[Role.CITIZEN], PEOPLE[Role.CITIZEN], Role.CITIZEN, None), category="road_damage",
        description="A deep pothole on the road to the gate", lat=21.85, lon=106.76, commune_code="X"))
    truck = desk.declare("durian", by=world.minh, enterprise=world.fruit, flow="temporary_import_reexport")
    desk.book(truck)
    for plate, confidence in (("29C-999.99", 0.4), ("29C-888.88", 0.95)):  # to review; undeclared: an alert
        handle(commands.RecordCameraRead(desk.huu_nghi.keys["yard_entry"], captured_at=NOW, plate=plate,
                                         confidence=confidence))
    holds = {officer.role: handle(commands.PlaceHold(officer, truck.reference, "papers to check"))
             for officer in (world.customs, world.guard, world.quarantine, world.health)}
    order = handle(commands.IssueRegulationOrder(world.operator, POINT, "Km 18", "Wait at the rest area"))
    body, signed = gate.payments.callback(handle(commands.StartPayment(world.minh, truck.reference))["order_id"], NOW)
    pending = handle(commands.StartPayment(world.minh, truck.reference))
    with_citizen_sandboxes(gate)  # the demo's /sandbox/sms and /sandbox/vneid are routes too (issue 17)
    app = create_app(gate)
    paid = call(app, "POST", "/api/v1/payment-providers/sandbox/callback",
                {"content-type": "application/json", **signed}, body)
    assert paid.status == 200, paid.body
    with gate.engine.connect() as connection:
        one = lambda sql: connection.execute(text(sql)).scalar_one()  # noqa: E731
        ids = {"reference": truck.reference, "hold_id": holds[Role.CUSTOMS], "order_id": order,
               "payment_order": pending["order_id"], "read_id": one("SELECT id FROM plate_reads LIMIT 1"),
               "alert_id": one("SELECT id FROM alerts LIMIT 1"), "number": json.loads(paid.body)["receipt_number"],
               "checkpoint_id": desk.huu_nghi.checkpoints["yard_entry"],
               "camera_id": desk.huu_nghi.cameras["yard_entry"], "enterprise_id": world.fruit,
               "agency_id": world.agency, "code": POINT, "direction": "inbound", "day": "2026-11-27",
               "version": "LS-2026-1", "provider": "sandbox", "anywhere": "somewhere",
               "key": gate.tracking.key_for(truck.reference), "user_id": world.minh.user_id,
               "tracking_code": report.tracking_code}
        ids.update({"fmt": "json", "service_code": "road_damage"})  # Open311 (issue 17)
    tokens = {}
    for role, username in PEOPLE.items():
        answer = call(app, "POST", "/api/v1/auth/token", {"content-type": "application/x-www-form-urlencoded"},
                      f"username={username}&password={PASSWORD}".encode())
        assert answer.status == 200, answer.body
        tokens[role] = json.loads(answer.body)["access_token"]
    return Everything(gate, app, ids, tokens, holds, desk.huu_nghi.keys["highway_approach"])

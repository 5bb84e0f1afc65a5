"""Builders for readable test data: a_trip(goods="durian"), a world with an enterprise, an agency and officers."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.accounts import Principal
from bordergate.services.authentication import SYSTEM, principal_for

PASSWORD = "a-long-test-password"

GOODS = {
    "durian": {"hs_code": "0810.60", "description": "Fresh durian", "packages": 1200, "gross_weight_kg": "24000",
               "value": "36000", "currency": "USD", "origin_country": "VN", "perishable": True,
               "shelf_life_hours": 240, "quarantine_required": True},
    "phones": {"hs_code": "8517.13", "description": "Mobile phones", "packages": 400, "gross_weight_kg": "6000",
               "value": "1200000", "currency": "USD", "origin_country": "CN", "perishable": False,
               "quarantine_required": False},
}


def a_trip(gate: Gate, *, goods: str = "durian", plate: str = "12C-123.45", point: str = "HUU_NGHI",
           hours_ahead: float = 6, **overrides: Any) -> dict[str, Any]:
    """A valid export trip as plain data; keyword overrides replace top-level fields."""
    trip = {
        "crossing_point": point, "flow": "export",
        "planned_arrival": (gate.clock.now() + timedelta(hours=hours_ahead)).isoformat(),
        "vehicle": {"tractor_plate": plate, "trailer_plate": "12R-012.34", "vehicle_class": "reefer",
                    "gross_weight_kg": 42000, "axles": 5, "container_size": "40ft"},
        "driver": {"full_name": "Trần Văn Bình", "document_number": "001088012345", "nationality": "VN",
                   "phone": "0912345678"},
        "goods": [copy.deepcopy(GOODS[goods])],
        "containers": ["MSKU9070323"],
        "customs_declaration_number": "305123456789",
    }
    trip.update(overrides)
    return trip


@dataclass
class World:
    """Two enterprises, a customs agency authorised by the second, and officers at the gate."""

    farm: str
    fruit: str
    agency: str
    center: str
    lan: Principal
    minh: Principal
    agent: Principal
    customs: Principal
    usernames: dict[str, str]
    operator: Principal | None = None
    guard: Principal | None = None
    quarantine: Principal | None = None
    health: Principal | None = None
    police: Principal | None = None

    def officer_for(self, agency: str) -> Principal:
        """The world's officer who acts for ``agency`` (plant and animal quarantine share one officer)."""
        return {"customs": self.customs, "border_guard": self.guard, "plant_quarantine": self.quarantine,
                "animal_quarantine": self.quarantine, "health": self.health}[agency]


def a_world(gate: Gate) -> World:
    handle = gate.bus.handle
    center = handle(commands.RegisterOrganisation(SYSTEM, "Border Gate Management Center", "authority"))
    farm = handle(commands.RegisterOrganisation(SYSTEM, "Nông sản Xứ Lạng", "enterprise", "4900100254"))
    fruit = handle(commands.RegisterOrganisation(SYSTEM, "Trái cây Miền Nam", "enterprise", "0312345678"))
    agency = handle(commands.RegisterOrganisation(SYSTEM, "Đại lý Hải quan Đồng Đăng", "customs_agency",
                                                  "4900765432"))
    people = {"lan": ("declarant", farm), "minh": ("declarant", fruit), "agent": ("agent", agency),
              "customs": ("customs", center), "admin": ("admin", center), "driver": ("driver", None),
              "operator": ("operator", center), "guard": ("border_guard", center),
              "quarantine": ("quarantine", center), "health": ("health", center),
              "police": ("traffic_police", center)}
    ids = {name: handle(commands.CreateUser(SYSTEM, name, PASSWORD, name.title(), role, org))
           for name, (role, org) in people.items()}
    handle(commands.AuthoriseAgent(SYSTEM, fruit, agency))
    who = {name: principal_for(gate.uow(), user_id) for name, user_id in ids.items()}
    return World(farm, fruit, agency, center, who["lan"], who["minh"], who["agent"], who["customs"],
                 {name: name for name in people}, who["operator"], who["guard"], who["quarantine"], who["health"],
                 who["police"])


def clear_agencies(gate: Gate, world: World, reference: str) -> list[str]:
    """Every agency still to act on the trip releases it, each by its own officer; returns the agencies."""
    with gate.reader() as uow:
        outstanding = [check.agency.value for check in uow.clearances.outstanding(reference) or ()]
    for agency in outstanding:
        gate.bus.handle(commands.RecordAgencyDecision(world.officer_for(agency), reference, agency, "release"))
    return outstanding


@dataclass
class Gateway:
    """A crossing point's checkpoints on the outbound and inbound ways, each with one camera and its key."""

    checkpoints: dict[str, str]
    keys: dict[str, str]
    cameras: dict[str, str]


OUTBOUND = ("highway_approach", "waiting_area_entry", "yard_entry", "inspection", "border_out")
INBOUND = ("border_in", "gate_exit")


def a_gateway(gate: Gate, operator: Principal, point: str = "HUU_NGHI") -> Gateway:
    """Checkpoints named after their kind (inbound yard entry is 'yard_entry_in'), one camera on lane 1 of each."""
    handle = gate.bus.handle
    checkpoints, keys, cameras = {}, {}, {}
    for direction, kinds in (("outbound", OUTBOUND), ("inbound", INBOUND + ("yard_entry",))):
        for kind in kinds:
            name = kind if direction == "outbound" or kind != "yard_entry" else "yard_entry_in"
            checkpoints[name] = handle(commands.AddCheckpoint(operator, point, kind, direction, name, lanes=2))
            cameras[name], keys[name] = handle(commands.RegisterCamera(operator, checkpoints[name], f"cam {name}"))
    return Gateway(checkpoints, keys, cameras)

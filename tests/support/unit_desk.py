"""Handling units on a wired gate, for the inbox's HTTP and browser tests: UBND_X (an officer and a supervisor),
STNMT (an officer), TT_PVHCC coordinating (a supervisor), BQL_CK (an officer), and reports filed through the bus."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.bootstrap import Gate
from bordergate.domain import commands, report_commands as rc
from bordergate.services.authentication import SYSTEM
from bordergate.services.reporting import Filed
from tests.builders import PASSWORD

# username: (role, unit)
STAFF = {"xofficer": ("unit_officer", "UBND_X"), "xchief": ("unit_supervisor", "UBND_X"),
         "envofficer": ("unit_officer", "STNMT"), "centrechief": ("unit_supervisor", "TT_PVHCC"),
         "gateofficer": ("unit_officer", "BQL_CK")}


@dataclass
class UnitDesk:
    gate: Gate
    users: dict[str, str]  # username: user id

    def file(self, category: str = "road_damage", **fields: object) -> Filed:
        """An anonymous report with a contact phone (its secret lets the reporter add information)."""
        given = {"lat": 21.853, "lon": 106.761, "commune_code": "X", "address_text": "Km 12, QL1A",
                 "description": "A deep pothole mid-road", "contact_phone": "+84913000222", **fields}
        filed = self.gate.bus.handle(rc.FileReport(None, category=category, **given))  # type: ignore[arg-type]
        assert isinstance(filed, Filed)
        return filed


def a_unit_desk(gate: Gate) -> UnitDesk:
    handle = gate.bus.handle
    orgs = {}
    for code in ("UBND_X", "STNMT", "TT_PVHCC", "BQL_CK", "BCH_PCTT"):
        orgs[code] = handle(commands.RegisterOrganisation(SYSTEM, f"Unit {code}", "unit"))
        handle(rc.RegisterUnit(SYSTEM, code, orgs[code], code == "TT_PVHCC"))
    users = {name: handle(commands.CreateUser(SYSTEM, name, PASSWORD, name.title(), role, orgs[unit]))
             for name, (role, unit) in STAFF.items()}
    return UnitDesk(gate, users)

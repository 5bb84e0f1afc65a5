"""A province's public reports for the public list and statistics tests: units registered, reports filed through
the bus in two communes, one answered and rated, a tip and a hidden report that the public must never see."""
from __future__ import annotations

from dataclasses import dataclass, field

from bordergate.bootstrap import Gate
from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role
from bordergate.services.ports import FixedClock
from bordergate.services.reporting import Filed

ADMIN = Principal("admin-1", "admin", Role.ADMIN, None)
UNITS = ("UBND_X", "UBND_Y", "STNMT", "TT_PVHCC", "BCH_PCTT", "BQL_CK", "CA_TINH")
PHONE = "+84912345678"
EXACT = (21.853467, 106.761234)  # the public reads 21.8535, 106.7612
TIP_TEXT = "A truck unloads cigarettes at night behind the market"
HIDDEN_TEXT = "Insults about a named neighbour, hidden by the unit"


@dataclass
class Province:
    gate: Gate
    organisations: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)

    def officer(self, unit: str) -> Principal:
        return Principal(f"officer-{unit}", f"officer-{unit}", Role.UNIT_OFFICER, self.organisations[unit])

    def file(self, name: str, category: str, commune: str, text: str, **extra: object) -> Filed:
        filed = self.gate.bus.handle(rc.FileReport(  # type: ignore[arg-type]
            None, category=category, description=text, lat=EXACT[0], lon=EXACT[1], commune_code=commune,
            place_source="gps", contact_phone=PHONE, **extra))
        assert isinstance(filed, Filed)
        self.codes[name] = filed.tracking_code
        return filed


def a_province(gate: Gate) -> Province:
    """Units, then: a pothole in X answered in a working day and rated 4 stars, rubbish in Y, a traffic jam in X,
    a security tip from X and a hidden report in Y."""
    province = Province(gate)
    for unit in UNITS:
        org = gate.bus.handle(commands.RegisterOrganisation(ADMIN, f"Unit {unit}", "unit"))
        gate.bus.handle(rc.RegisterUnit(ADMIN, unit, org, unit == "TT_PVHCC"))
        province.organisations[unit] = org
    clock: FixedClock = gate.clock  # type: ignore[assignment]
    pothole = province.file("pothole", "road_damage", "X", "A deep pothole in the middle of the road")
    clock.advance(hours=1)
    province.file("rubbish", "environment", "Y", "Rubbish burnt by the river every evening")
    clock.advance(hours=1)
    province.file("jam", "traffic", "X", "Cars parked on both sides block the road", attributes={"blocking": "yes"})
    clock.advance(hours=1)
    province.file("tip", "security_tip", "X", TIP_TEXT)
    hidden = province.file("hidden", "urban_order", "Y", HIDDEN_TEXT)
    officer = province.officer("UBND_X")
    gate.bus.handle(rc.AcceptReport(officer, province.codes["pothole"]))
    clock.advance(days=3)  # Friday 11:00 to Monday 11:00: one working day
    gate.bus.handle(rc.AnswerReport(officer, province.codes["pothole"], "We filled the pothole this morning, thank "
                                    "you for telling us.", "fixed"))
    gate.bus.handle(rc.RateAnswer(None, pothole.secret, code=province.codes["pothole"], stars=4, comment="Quick"))
    gate.bus.handle(rc.HideReport(province.officer("UBND_Y"), hidden.tracking_code,
                                  "It names and insults a private person"))
    return province

"""What a fresh gate starts with: crossing points, handling units, sample procedures, the allowance rule, once."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from bordergate.bootstrap import Gate
from bordergate.domain import commands, report_commands as rc
from bordergate.domain.communes import COMMUNES
from bordergate.domain.crossing_points import LANG_SON
from bordergate.domain.allowance import SEEDED_RULE
from bordergate.domain.service_commands import PublishAllowanceRule, PublishProcedures
from bordergate.domain.units import PROVINCE_UNITS, UnitKind, UnitProfile, committee_code
from bordergate.services.authentication import SYSTEM

SAMPLE_CATALOGUE = "procedures_lang_son.json"


def seed_crossing_points(gate: Gate) -> int:
    """Lang Son's four gates, once; crossing points added later by administrators are kept."""
    with gate.reader() as uow:
        if uow.crossing_points.list():
            return 0
    for point in LANG_SON:
        gate.bus.handle(commands.AddCrossingPoint(SYSTEM, point.code, point.name, point.province,
                                                  point.border_markers, point.counterpart))
    return len(LANG_SON)


def sample_catalogue() -> dict[str, Any]:
    """The procedures catalogue shipped with bordergate: a sample, to be replaced by the province's published list."""
    text = resources.files("bordergate.catalogues").joinpath(SAMPLE_CATALOGUE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def seed_public_services(gate: Gate) -> tuple[int, bool]:
    """The sample procedures catalogue and the (unconfirmed) allowance rule, each once, through the bus; what an
    administrator published since is kept. Returns (procedures published, allowance rule published)."""
    with gate.reader() as uow:
        has_catalogue, has_rule = uow.procedures.current() is not None, bool(uow.allowance.rules())
    published = 0
    if not has_catalogue:
        published = gate.bus.handle(PublishProcedures(SYSTEM, sample_catalogue()))["procedures"]
    if not has_rule:
        gate.bus.handle(PublishAllowanceRule(SYSTEM, dict(SEEDED_RULE)))
    return published, not has_rule
# The communes whose people's committees the seed registers as units (routing sends road damage, urban order and
# traffic there); the others' reports go to the coordinating unit, which sends them on.
SEEDED_COMMITTEES = ("DONG_DANG", "TAM_THANH", "LOC_BINH")


def seed_units(gate: Gate) -> dict[str, str]:
    """The province's handling units (names vi/en/zh, kind, commune) with an organisation each, once; their codes
    and organisation ids (none when units were registered already)."""
    with gate.reader() as uow:
        if uow.units.coordinating() is not None:
            return {}
    names = {c.code: c.name for c in COMMUNES}
    units = {code: profile for code, (profile, _) in PROVINCE_UNITS.items()}
    for commune in SEEDED_COMMITTEES:
        name = names[commune]
        units[committee_code(commune)] = UnitProfile(
            UnitKind.COMMUNE, f"UBND {name[0].lower()}{name[1:]}", f"People's Committee of {name}",
            f"{name}人民委员会", commune)
    organisations = {}
    for code, profile in units.items():
        organisation = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, profile.name_vi, "unit"))
        coordinating = code in PROVINCE_UNITS and PROVINCE_UNITS[code][1]
        gate.bus.handle(rc.RegisterUnit(SYSTEM, code, organisation, coordinating, profile))
        organisations[code] = organisation
    return organisations

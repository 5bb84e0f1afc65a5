"""What a fresh gate starts with: Lang Son's crossing points, the sample procedures and the allowance rule, once."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.crossing_points import LANG_SON
from bordergate.domain.allowance import SEEDED_RULE
from bordergate.domain.service_commands import PublishAllowanceRule, PublishProcedures
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

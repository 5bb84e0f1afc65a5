"""What a fresh gate starts with: Lang Son's crossing points, added once through the bus like any other change."""
from __future__ import annotations

from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.crossing_points import LANG_SON
from bordergate.services.authentication import SYSTEM


def seed_crossing_points(gate: Gate) -> int:
    """Lang Son's four gates, once; crossing points added later by administrators are kept."""
    with gate.reader() as uow:
        if uow.crossing_points.list():
            return 0
    for point in LANG_SON:
        gate.bus.handle(commands.AddCrossingPoint(SYSTEM, point.code, point.name, point.province,
                                                  point.border_markers, point.counterpart))
    return len(LANG_SON)

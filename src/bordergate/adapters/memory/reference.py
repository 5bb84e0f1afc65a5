"""In-memory twin of the crossing points."""
from __future__ import annotations

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.crossing_points import CrossingPoint
from bordergate.domain.errors import Conflict


class InMemoryCrossingPoints:
    """Crossing points by code, listed in code order."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, point: CrossingPoint) -> None:
        if point.code in self.tables.crossing_points:
            raise Conflict(f"crossing point {point.code} exists already")
        self.tables.crossing_points[point.code] = copied(point)

    def get(self, code: str) -> CrossingPoint | None:
        found = self.tables.crossing_points.get(code)
        return copied(found) if found else None

    def list(self) -> list[CrossingPoint]:
        return [copied(p) for _, p in sorted(self.tables.crossing_points.items())]

    def active_codes(self) -> frozenset[str]:
        return frozenset(code for code, p in self.tables.crossing_points.items() if p.active)

"""In-memory twins of the procedures catalogue and the border-resident allowance."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.allowance import AllowanceRule, AllowanceUse
from bordergate.domain.errors import Conflict
from bordergate.domain.procedures import Catalogue, Procedure


class InMemoryProcedures:
    """The catalogues by version; the last published is searched, word by word as the databases' indexes do."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def publish(self, catalogue: Catalogue, by: str, at: datetime) -> None:
        if any(c.version == catalogue.version for c in self.tables.catalogues):
            raise Conflict(f"catalogue version {catalogue.version} is published already; give a new version")
        self.tables.catalogues = [*self.tables.catalogues, catalogue]

    def current(self) -> Catalogue | None:
        return replace(self.tables.catalogues[-1], procedures=()) if self.tables.catalogues else None

    def get(self, code: str) -> Procedure | None:
        found = [p for p in self._procedures() if p.code == code]
        return found[0] if found else None

    def candidates(self, words: tuple[str, ...]) -> list[Procedure]:
        asked = set(words)
        return [p for p in self._procedures() if asked & set(p.search_text.split(" "))]

    def _procedures(self) -> tuple[Procedure, ...]:
        return self.tables.catalogues[-1].procedures if self.tables.catalogues else ()


class InMemoryAllowance:
    """Allowance rules by version and uses in the order they were recorded."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def publish_rule(self, rule: AllowanceRule, by: str, at: datetime) -> None:
        if any(r.version == rule.version for r in self.tables.allowance_rules):
            raise Conflict(f"allowance rule version {rule.version} is published already; give a new version")
        self.tables.allowance_rules = [*self.tables.allowance_rules, rule]

    def rules(self) -> list[AllowanceRule]:
        return list(self.tables.allowance_rules)

    def record(self, use: AllowanceUse) -> None:
        self.tables.allowance_uses = [*self.tables.allowance_uses, use]

    def uses(self, resident_key: str, since: date, until: date) -> list[AllowanceUse]:
        found = [u for u in self.tables.allowance_uses if u.resident_key == resident_key and since <= u.day <= until]
        return sorted(found, key=lambda u: (u.day, u.recorded_at, u.id))

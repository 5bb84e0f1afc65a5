"""The public services' repositories as typing.Protocols: the procedures catalogue and the border-resident allowance."""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bordergate.domain.allowance import AllowanceRule, AllowanceUse
from bordergate.domain.procedures import Catalogue, Procedure


class ProcedureRepository(Protocol):
    """The catalogue in force (its procedures searchable) and every version ever published."""

    def publish(self, catalogue: Catalogue, by: str, at: datetime) -> None:
        """Keep the version and make its procedures the ones searched, replacing the last version's."""
        ...

    def current(self) -> Catalogue | None:
        """The version in force without its procedures (version, note, synonyms, ignored words); None before any."""
        ...

    def get(self, code: str) -> Procedure | None: ...

    def candidates(self, words: tuple[str, ...]) -> list[Procedure]:
        """Procedures whose folded text holds any of the words, in no particular order: the database finds, the
        domain ranks (domain/procedures.rank), so every engine gives the same list."""
        ...


class AllowanceRepository(Protocol):
    """Versions of the allowance rule and the uses recorded at the resident lanes."""

    def publish_rule(self, rule: AllowanceRule, by: str, at: datetime) -> None: ...

    def rules(self) -> list[AllowanceRule]: ...

    def record(self, use: AllowanceUse) -> None: ...

    def uses(self, resident_key: str, since: date, until: date) -> list[AllowanceUse]:
        """A resident's uses from ``since`` to ``until`` (both included), oldest first."""
        ...

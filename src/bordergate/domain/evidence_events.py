"""Events of the evidence itself: personal data erased by the retention rule (a public contract)."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.domain.events import Event


@dataclass(frozen=True)
class PersonalDataErased(Event):
    """The retention rule pseudonymised the drivers of trips finished before ``before`` (their references) and
    deleted saved drivers unused since; the audit trail keeps the digests of what was erased."""

    before: str
    references: tuple[str, ...]
    saved_drivers: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("retention", self.before[:10])

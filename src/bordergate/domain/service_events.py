"""What happens to the public services' data, in the past tense: catalogue, allowance rule and uses. A public contract."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.domain.events import Event


@dataclass(frozen=True)
class ProceduresPublished(Event):
    """An administrator published a version of the procedures catalogue; it replaces the one searched until now."""

    version: str
    procedures: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("procedure_catalogue", self.version)


@dataclass(frozen=True)
class AllowanceRulePublished(Event):
    """An administrator published a version of the border-resident allowance, in force from a day; ``confirmed``
    when it was checked against the law in force."""

    version: str
    in_force_from: str
    value_vnd_per_day: int
    times_per_month: int
    confirmed: bool

    @property
    def subject(self) -> tuple[str, str]:
        return ("allowance_rule", self.version)


@dataclass(frozen=True)
class AllowanceUseRecorded(Event):
    """A border guard or customs officer recorded goods a resident brought across duty-free on a day."""

    use_id: str
    resident: str
    crossing_point: str
    day: str
    value_vnd: int
    source: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("allowance_use", self.use_id)

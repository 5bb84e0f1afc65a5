"""Commands: what a person asks bordergate to do, in the imperative. One handler each."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bordergate.domain.accounts import Principal


@dataclass(frozen=True)
class Command:
    """Base of all commands: every command is made by someone."""

    actor: Principal


@dataclass(frozen=True)
class SubmitDeclaration(Command):
    """Declare a trip for an enterprise; ``vehicle_id``/``driver_id`` reuse saved entries instead of typing."""

    enterprise_id: str
    trip: dict[str, Any]
    vehicle_id: str | None = None
    driver_id: str | None = None


@dataclass(frozen=True)
class AmendDeclaration(Command):
    """Correct named fields (``{"driver.phone": "+84..."}``) of a submitted declaration."""

    reference: str
    changes: dict[str, Any]
    reason: str | None = None


@dataclass(frozen=True)
class CancelDeclaration(Command):
    """Withdraw a declaration that will not be used."""

    reference: str
    reason: str | None = None


@dataclass(frozen=True)
class RegisterOrganisation(Command):
    """Open an account for an enterprise, customs agency or authority."""

    name: str
    kind: str
    tax_code: str | None = None


@dataclass(frozen=True)
class CreateUser(Command):
    """Give a person a sign-in with a role (and organisation, except drivers)."""

    username: str
    password: str
    full_name: str
    role: str
    organisation_id: str | None = None


@dataclass(frozen=True)
class AuthoriseAgent(Command):
    """An enterprise lets a customs agency declare for it."""

    enterprise_id: str
    agency_id: str


@dataclass(frozen=True)
class RevokeAgent(Command):
    """An enterprise withdraws a customs agency's authorisation."""

    enterprise_id: str
    agency_id: str


@dataclass(frozen=True)
class AddCrossingPoint(Command):
    """Open a crossing point for declarations."""

    code: str
    name: str
    province: str = ""
    border_markers: str = ""
    counterpart: str = ""


@dataclass(frozen=True)
class SaveVehicle(Command):
    """Keep a vehicle in an enterprise's fleet so the next declaration only picks it."""

    enterprise_id: str
    vehicle: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SaveDriver(Command):
    """Keep a driver in an enterprise's list so the next declaration only picks them."""

    enterprise_id: str
    driver: dict[str, Any] = field(default_factory=dict)

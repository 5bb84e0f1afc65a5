"""What administrators and Open311 clients ask of the gate, in the imperative."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bordergate.domain.commands import Command
from bordergate.domain.report_commands import ReporterMessage


@dataclass(frozen=True)
class RegisterOpen311Client(Command):
    """Register an application that posts service requests; the answer is its api_key, shown once."""

    name: str
    trust: str
    per_minute: int = 60
    per_day: int = 2000


@dataclass(frozen=True)
class RevokeOpen311Client(Command):
    """Revoke a client's api_key."""

    client_id: str


@dataclass(frozen=True)
class PostServiceRequest(ReporterMessage):
    """An Open311 client posts a service request on a person's behalf (GeoReport v2 ``POST requests``): filed as
    an anonymous report, through the same FileReport."""

    api_key: str = field(default="", repr=False)
    service_code: str = ""
    description: str = ""
    lat: float | None = None
    lon: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    device_id: str | None = None
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)
    media_url: str | None = None

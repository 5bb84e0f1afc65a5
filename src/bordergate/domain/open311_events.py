"""What happens to Open311 clients and the requests they post, in the past tense. A public contract."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.domain.events import Event


@dataclass(frozen=True)
class Open311ClientRegistered(Event):
    """An administrator registered an application to post service requests (never its key: only its digest is
    kept, off the trail)."""

    client_id: str
    name: str
    trust: str
    per_minute: int
    per_day: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("open311_client", self.client_id)


@dataclass(frozen=True)
class Open311ClientRevoked(Event):
    """An administrator revoked a client's key: its requests are refused from now on."""

    client_id: str
    name: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("open311_client", self.client_id)


@dataclass(frozen=True)
class Open311RequestReceived(Event):
    """A client posted a service request that became report ``code``; ``held`` when the client is screened (the
    public sees it once the unit accepts it). The names the client gave are sealed; an email is never kept;
    ``media_url`` is a link kept as given, never fetched."""

    code: str
    client_id: str
    token: str
    held: bool
    device_id: str | None
    first_name: str | None
    last_name: str | None
    media_url: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("report", self.code)


@dataclass(frozen=True)
class Open311RequestReleased(Event):
    """The unit accepted a screened client's request: the public (and the client, by its token) sees it now."""

    code: str
    client_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("report", self.code)

"""The Open311 repository as a typing.Protocol: clients, the requests they posted (tokens), public reports' query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bordergate.domain.open311 import Open311Client
from bordergate.domain.reports import Report


@dataclass(frozen=True)
class PostedRequest:
    """A request a client posted: the ``token`` it may ask with, the report it became, and when the public saw it
    (``released_at``: at once for a trusted client, when the unit accepted it for a screened one; None while held)."""

    token: str
    code: str
    client_id: str
    device_id: str | None
    media_url: str | None
    posted_at: datetime
    released_at: datetime | None


@dataclass(frozen=True)
class ReportQuery:
    """Which public reports a ``GET requests`` asks for (None: any), newest filed first."""

    codes: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    filed_from: datetime | None = None
    filed_before: datetime | None = None
    states: tuple[str, ...] | None = None
    limit: int = 1000
    offset: int = 0


class Open311Repository(Protocol):
    """Clients by id and by their key's digest; posted requests by token and by report."""

    def add_client(self, client: Open311Client, key_digest: str) -> None: ...

    def client(self, client_id: str) -> Open311Client | None: ...

    def client_by_key(self, key_digest: str) -> Open311Client | None: ...

    def revoke(self, client_id: str, at: datetime) -> None: ...

    def clients(self) -> list[Open311Client]: ...

    def add_request(self, posted: PostedRequest) -> None: ...

    def posted_since(self, client_id: str, since: datetime, device_id: str | None = None) -> int:
        """How many requests the client (from this device, if given) posted since ``since``."""
        ...

    def by_token(self, token: str) -> PostedRequest | None: ...

    def held(self, code: str) -> PostedRequest | None:
        """The request that became report ``code``, if it is still held from the public."""
        ...

    def release(self, code: str, at: datetime) -> None: ...

    def public_reports(self, query: ReportQuery) -> list[Report]:
        """Reports anyone may read (no tip, nothing hidden or held), newest filed first."""
        ...

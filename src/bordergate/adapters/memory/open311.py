"""The in-memory twin of the Open311 repository."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.errors import Conflict
from bordergate.domain.open311 import Open311Client
from bordergate.domain.reports import Report
from bordergate.services.open311_repositories import PostedRequest, ReportQuery


class InMemoryOpen311:
    """Clients by id or key digest; posted requests by token or report."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add_client(self, client: Open311Client, key_digest: str) -> None:
        if any(digest == key_digest for _, digest in self.tables.open311_clients.values()):
            raise Conflict("that key is taken; register the client again for a new one")
        self.tables.open311_clients[client.id] = (client, key_digest)

    def client(self, client_id: str) -> Open311Client | None:
        found = self.tables.open311_clients.get(client_id)
        return found[0] if found else None

    def client_by_key(self, key_digest: str) -> Open311Client | None:
        return next((client for client, digest in self.tables.open311_clients.values() if digest == key_digest),
                    None)

    def revoke(self, client_id: str, at: datetime) -> None:
        found = self.tables.open311_clients.get(client_id)
        if found and found[0].revoked_at is None:
            self.tables.open311_clients[client_id] = (replace(found[0], revoked_at=at), found[1])

    def clients(self) -> list[Open311Client]:
        return sorted((client for client, _ in self.tables.open311_clients.values()),
                      key=lambda client: (client.created_at, client.id))

    def add_request(self, posted: PostedRequest) -> None:
        self.tables.open311_tokens[posted.token] = posted

    def posted_since(self, client_id: str, since: datetime, device_id: str | None = None) -> int:
        return sum(1 for p in self.tables.open311_tokens.values() if p.client_id == client_id
                   and p.posted_at >= since and (device_id is None or p.device_id == device_id))

    def by_token(self, token: str) -> PostedRequest | None:
        return self.tables.open311_tokens.get(token)

    def held(self, code: str) -> PostedRequest | None:
        return next((p for p in self.tables.open311_tokens.values() if p.code == code and p.released_at is None),
                    None)

    def release(self, code: str, at: datetime) -> None:
        held = self.held(code)
        if held is not None:
            self.tables.open311_tokens[held.token] = replace(held, released_at=at)

    def public_reports(self, query: ReportQuery) -> list[Report]:
        found = [r for r in self.tables.reports.values() if r.public
                 and (query.codes is None or r.tracking_code in query.codes)
                 and (query.categories is None or r.category_code in query.categories)
                 and (query.filed_from is None or r.filed_at >= query.filed_from)
                 and (query.filed_before is None or r.filed_at < query.filed_before)
                 and (query.states is None or r.state.value in query.states)]
        found.sort(key=lambda r: r.tracking_code)
        found.sort(key=lambda r: r.filed_at, reverse=True)
        return [copied(r) for r in found[query.offset:query.offset + query.limit]]

"""Idempotency-Keys in SQL: claimed by one request at a time, settled with its change, answered afterwards."""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bordergate.adapters.payloads import event_payload
from bordergate.adapters.sql.idempotency_tables import idempotency_keys
from bordergate.domain.events import Event
from bordergate.services.idempotency import ANSWERED, COMMITTED, RUNNING, Answer, KeyedRequest

k = idempotency_keys.c


@cache
def _claim_new(dialect: str):
    # ON CONFLICT DO NOTHING: of two requests racing with one key, exactly one inserts; the other finds its row.
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(idempotency_keys).on_conflict_do_nothing(index_elements=["id"]).returning(k.id)


class SqlIdempotencyKeys:
    """The keys' rows; every change is conditional on the claim token, so a request that lost its key changes
    nothing."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def purge(self, now: datetime) -> None:
        self.connection.execute(delete(idempotency_keys).where(k.expires_at <= now))

    def insert(self, request: KeyedRequest, token: str, now: datetime, *, expires_at: datetime,
               running_until: datetime) -> bool:
        inserted = self.connection.execute(_claim_new(self.connection.dialect.name), {
            "id": request.id, "scope": request.scope[:80], "method": request.method[:8],
            "path": request.path[:500].replace("\x00", ""), "key": request.key, "fingerprint": request.fingerprint,
            "state": RUNNING, "claim": token, "created_at": now, "running_until": running_until,
            "expires_at": expires_at}).first()
        return inserted is not None

    def get(self, key_id: str) -> dict[str, Any] | None:
        # FOR UPDATE (PostgreSQL): two retries of a dead holder's key do not both take it over.
        row = self.connection.execute(select(idempotency_keys).where(k.id == key_id).with_for_update()).mappings()
        return dict(found) if (found := row.first()) else None

    def take_over(self, key_id: str, old_token: str, token: str, running_until: datetime) -> None:
        self.connection.execute(update(idempotency_keys).where(k.id == key_id, k.claim == old_token)
                                .values(claim=token, running_until=running_until))

    def settle(self, key_id: str, token: str, events: list[Event]) -> bool:
        effects = [{"action": type(e).__name__, "subject": list(e.subject), "payload": event_payload(e)}
                   for e in events]
        done = self.connection.execute(
            update(idempotency_keys).where(k.id == key_id, k.claim == token, k.state == RUNNING)
            .values(state=COMMITTED, effects=effects))
        return done.rowcount == 1

    def answer(self, key_id: str, token: str | None, answer: Answer) -> None:
        holder = k.claim == token if token else k.state == COMMITTED
        self.connection.execute(update(idempotency_keys).where(k.id == key_id, holder, k.state != ANSWERED).values(
            state=ANSWERED, status=answer.status, headers=answer.headers, body=answer.body))

    def release(self, key_id: str, token: str, now: datetime) -> None:
        mine = (k.id == key_id, k.claim == token)
        self.connection.execute(delete(idempotency_keys).where(*mine, k.state == RUNNING))
        self.connection.execute(update(idempotency_keys).where(*mine, k.state == COMMITTED).values(running_until=now))

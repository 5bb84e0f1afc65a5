"""In-memory twins of sign-in sessions and throttles, Idempotency-Keys and the security log."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.adapters.payloads import event_payload
from bordergate.domain.accounts import User
from bordergate.domain.errors import Conflict
from bordergate.domain.events import Event
from bordergate.domain.sessions import SEEN_EVERY, Session, Throttle
from bordergate.services.idempotency import ANSWERED, COMMITTED, RUNNING, Answer, KeyedRequest


class InMemorySessions:
    """One session per sign-in; revoking counts and marks only open ones (not revoked, not past their end)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def start(self, session: Session) -> None:
        if session.id in self.tables.sessions:
            raise Conflict(f"session {session.id} exists already")
        self.tables.sessions[session.id] = session

    def with_user(self, session_id: str) -> tuple[Session, User] | None:
        session = self.tables.sessions.get(session_id)
        user = self.tables.users.get(session.user_id) if session else None
        return (session, user) if session and user else None  # frozen: copies would be the same values

    def seen(self, session_id: str, now: datetime) -> None:
        """Note that the session was used; a no-op when another request of this minute already did."""
        session = self.tables.sessions.get(session_id)
        if session and session.revoked_at is None and session.last_seen_at <= now - SEEN_EVERY:
            self.tables.sessions[session_id] = replace(session, last_seen_at=now)

    def revoke(self, session_id: str, at: datetime, by: str, why: str) -> int:
        return self._revoke(lambda s: s.id == session_id, at, by, why)

    def revoke_of_user(self, user_id: str, at: datetime, by: str, why: str, keep: str | None = None) -> int:
        return self._revoke(lambda s: s.user_id == user_id and s.id != keep, at, by, why)

    def revoke_all(self, at: datetime, by: str, why: str, keep: str | None = None) -> int:
        return self._revoke(lambda s: s.id != keep, at, by, why)

    def open_of_user(self, user_id: str, now: datetime) -> list[Session]:
        return sorted((s for s in self.tables.sessions.values()
                       if s.user_id == user_id and s.revoked_at is None and s.expires_at > now),
                      key=lambda s: s.started_at)

    def _revoke(self, which: Callable[[Session], bool], at: datetime, by: str, why: str) -> int:
        ending = [s for s in self.tables.sessions.values() if which(s) and s.revoked_at is None and s.expires_at > at]
        for session in ending:
            self.tables.sessions[session.id] = replace(session, revoked_at=at, revoked_by=by, revoked_why=why)
        return len(ending)


class InMemoryThrottles:
    """Failed sign-ins by key (``account:<username>``, ``address:<ip>``)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def of(self, keys: list[str]) -> dict[str, Throttle]:
        return {key: self.tables.throttles[key] for key in keys if key in self.tables.throttles}

    def for_update(self, key: str, now: datetime) -> Throttle:
        """The key's throttle, made with no failure yet when it has none (one process: nothing to lock)."""
        if key not in self.tables.throttles:
            self.tables.throttles[key] = Throttle(key, failures=0, locks=0, last_failure_at=now)
        return self.tables.throttles[key]

    def save(self, throttle: Throttle) -> None:
        if throttle.key in self.tables.throttles:  # an UPDATE: a key never marked has no row
            self.tables.throttles[throttle.key] = throttle

    def clear(self, key: str) -> None:
        self.tables.throttles.pop(key, None)

    def forget(self, quiet_since: datetime, now: datetime) -> None:
        self.tables.throttles = {
            key: t for key, t in self.tables.throttles.items()
            if not (t.last_failure_at is not None and t.last_failure_at < quiet_since
                    and (t.locked_until is None or t.locked_until <= now))}


class InMemoryIdempotencyKeys:
    """The keys' rows; every change is conditional on the claim token, as the SQL one's WHERE clauses are."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def purge(self, now: datetime) -> None:
        self.tables.idempotency_keys = {i: row for i, row in self.tables.idempotency_keys.items()
                                        if row["expires_at"] > now}

    def insert(self, request: KeyedRequest, token: str, now: datetime, *, expires_at: datetime,
               running_until: datetime) -> bool:
        if request.id in self.tables.idempotency_keys:
            return False  # the other request holds it; this one finds its row
        self.tables.idempotency_keys[request.id] = {
            "id": request.id, "scope": request.scope[:80], "method": request.method[:8],
            "path": request.path[:500].replace("\x00", ""), "key": request.key, "fingerprint": request.fingerprint,
            "state": RUNNING, "claim": token, "created_at": now, "running_until": running_until,
            "expires_at": expires_at, "effects": None, "status": None, "headers": None, "body": None}
        return True

    def get(self, key_id: str) -> dict[str, Any] | None:
        found = self.tables.idempotency_keys.get(key_id)
        return copied(found) if found else None

    def take_over(self, key_id: str, old_token: str, token: str, running_until: datetime) -> None:
        self._change(key_id, lambda row: row["claim"] == old_token, claim=token, running_until=running_until)

    def settle(self, key_id: str, token: str, events: list[Event]) -> bool:
        effects = [{"action": type(e).__name__, "subject": list(e.subject), "payload": event_payload(e)}
                   for e in events]
        return self._change(key_id, lambda row: row["claim"] == token and row["state"] == RUNNING,
                            state=COMMITTED, effects=effects)

    def answer(self, key_id: str, token: str | None, answer: Answer) -> None:
        def holder(row: dict[str, Any]) -> bool:
            held: bool = row["claim"] == token if token else row["state"] == COMMITTED
            return held and row["state"] != ANSWERED
        self._change(key_id, holder, state=ANSWERED, status=answer.status, headers=copied(answer.headers),
                     body=answer.body)

    def release(self, key_id: str, token: str, now: datetime) -> None:
        row = self.tables.idempotency_keys.get(key_id)
        if row is None or row["claim"] != token:
            return
        if row["state"] == RUNNING:
            del self.tables.idempotency_keys[key_id]
        elif row["state"] == COMMITTED:
            self.tables.idempotency_keys[key_id] = {**row, "running_until": now}

    def _change(self, key_id: str, where: Callable[[dict[str, Any]], bool], **values: Any) -> bool:
        """A changed row is a new dict in its place: a snapshot holds the old one (tables.py)."""
        row = self.tables.idempotency_keys.get(key_id)
        if row is None or not where(row):
            return False
        self.tables.idempotency_keys[key_id] = {**row, **values}
        return True


class InMemorySecurityLog:
    """At most ``rows`` rows (the oldest go first) and ``per_source_per_minute`` a minute from one source."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, *, kind: str, source: str, detail: str, at: datetime, rows: int,
            per_source_per_minute: int) -> bool:
        # Counting the refusal (adapters/metrics REFUSED) is the SQL adapter's; the twin keeps only the rows.
        recent = sum(1 for row in self.tables.security_log
                     if row["source"] == source[:64] and row["at"] > at - timedelta(minutes=1))
        if recent >= per_source_per_minute:
            return False
        self.tables.security_log_last_id += 1
        added = self.tables.security_log_last_id
        self.tables.security_log = [row for row in self.tables.security_log if row["id"] > added - rows]
        self.tables.security_log.append({"id": added, "at": at, "kind": kind[:40], "source": source[:64],
                                         "detail": detail[:500]})
        return True

    def latest(self, limit: int = 100) -> list[dict[str, Any]]:
        return [copied(row) for row in reversed(self.tables.security_log)][:limit]

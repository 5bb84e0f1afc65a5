"""Sign-in sessions and sign-in throttles in SQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bordergate.adapters.sql.accounts import user_from_row
from bordergate.adapters.sql.session_tables import sessions, sign_in_throttles
from bordergate.adapters.sql.tables import users
from bordergate.domain.accounts import User
from bordergate.domain.sessions import SEEN_EVERY, Session, Throttle

# Built once: every authenticated request runs it. The session and its user in one indexed read.
_SESSION_AND_USER = (select(sessions, users.c.username, users.c.full_name, users.c.role, users.c.organisation_id,
                            users.c.password_hash, users.c.active)
                     .join(users, users.c.id == sessions.c.user_id)
                     .where(sessions.c.id == bindparam("session_id")))
_SEEN = (update(sessions).where(sessions.c.id == bindparam("session_id"),
                                sessions.c.last_seen_at <= bindparam("due"), sessions.c.revoked_at.is_(None))
         .values(last_seen_at=bindparam("now")))


class SqlSessions:
    """One row per sign-in: started, last seen, its absolute end, and who revoked it and why."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def start(self, session: Session) -> None:
        self.connection.execute(insert(sessions).values(
            id=session.id, user_id=session.user_id, started_at=session.started_at,
            last_seen_at=session.last_seen_at, expires_at=session.expires_at))

    def with_user(self, session_id: str) -> tuple[Session, User] | None:
        row = self.connection.execute(_SESSION_AND_USER, {"session_id": session_id}).mappings().first()
        if row is None:
            return None
        session = Session(row["id"], row["user_id"], row["started_at"], row["last_seen_at"], row["expires_at"],
                          row["revoked_at"], row["revoked_by"], row["revoked_why"])
        return session, user_from_row({**row, "id": row["user_id"]})

    def seen(self, session_id: str, now: datetime) -> None:
        """Note that the session was used; a no-op when another request of this minute already did."""
        self.connection.execute(_SEEN, {"session_id": session_id, "now": now, "due": now - SEEN_EVERY})

    def revoke(self, session_id: str, at: datetime, by: str, why: str) -> int:
        return self._revoke(sessions.c.id == session_id, at, by, why)

    def revoke_of_user(self, user_id: str, at: datetime, by: str, why: str, keep: str | None = None) -> int:
        """End every open session of a person (but ``keep``); how many were open."""
        return self._revoke(and_(sessions.c.user_id == user_id, sessions.c.id != (keep or "")), at, by, why)

    def revoke_all(self, at: datetime, by: str, why: str, keep: str | None = None) -> int:
        return self._revoke(sessions.c.id != (keep or ""), at, by, why)

    def open_of_user(self, user_id: str, now: datetime) -> list[Session]:
        rows = self.connection.execute(select(sessions).where(
            sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None), sessions.c.expires_at > now)
            .order_by(sessions.c.started_at)).mappings()
        return [Session(**row) for row in rows]

    def _revoke(self, which, at: datetime, by: str, why: str) -> int:
        # Sessions past their absolute end are already closed; only open ones are counted and marked.
        return self.connection.execute(update(sessions).where(
            which, sessions.c.revoked_at.is_(None), sessions.c.expires_at > at)
            .values(revoked_at=at, revoked_by=by, revoked_why=why)).rowcount


class SqlThrottles:
    """Failed sign-ins per account and per address, shared by every server process through the database."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of(self, keys: list[str]) -> dict[str, Throttle]:
        rows = self.connection.execute(select(sign_in_throttles).where(sign_in_throttles.c.key.in_(keys))).mappings()
        return {row["key"]: Throttle(**row) for row in rows}

    def mark(self, key: str, now: datetime) -> None:
        """A row for the key with no failure yet (if it has none): a sign-in is being tried under it."""
        upsert = (postgresql.insert if self.connection.dialect.name == "postgresql" else sqlite.insert)(
            sign_in_throttles).values(key=key, failures=0, locks=0, last_failure_at=now)
        self.connection.execute(upsert.on_conflict_do_nothing(index_elements=["key"]))

    def for_update(self, key: str, now: datetime) -> Throttle:
        """The key's throttle, locked until this transaction ends (two processes counting the same key queue)."""
        self.mark(key, now)
        row = self.connection.execute(select(sign_in_throttles).where(sign_in_throttles.c.key == key)
                                      .with_for_update()).mappings().one()
        return Throttle(**row)

    def save(self, throttle: Throttle) -> None:
        self.connection.execute(update(sign_in_throttles).where(sign_in_throttles.c.key == throttle.key).values(
            failures=throttle.failures, window_from=throttle.window_from, locks=throttle.locks,
            locked_until=throttle.locked_until, last_failure_at=throttle.last_failure_at))

    def clear(self, key: str) -> None:
        self.connection.execute(delete(sign_in_throttles).where(sign_in_throttles.c.key == key))

    def forget(self, quiet_since: datetime, now: datetime) -> None:
        """Drop keys with no failure since ``quiet_since`` and no lock left: usernames a stranger made up."""
        self.connection.execute(delete(sign_in_throttles).where(
            sign_in_throttles.c.last_failure_at < quiet_since,
            or_(sign_in_throttles.c.locked_until.is_(None), sign_in_throttles.c.locked_until <= now)))

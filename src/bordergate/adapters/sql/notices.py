"""The notice outbox in SQL: written with the change that causes it, sent later, each exactly once."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bordergate.adapters.sql.queue_tables import notices
from bordergate.domain.citizens import CODE_SENT_TEXT
from bordergate.domain.notices import DECLARANT_KINDS, Notice, NoticeKind

n = notices.c
# A sign-in code's text is the code: it is overwritten in the very UPDATE that ends the notice's sending.
_TEXT_KEPT = case((n.kind == NoticeKind.SIGN_IN_CODE.value, CODE_SENT_TEXT), else_=n.text)


@cache
def _enqueue(dialect: str):
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # RETURNING says whether the row went in: psycopg's rowcount for INSERT ... ON CONFLICT DO NOTHING is not 1.
    return insert(notices).on_conflict_do_nothing(index_elements=["key"]).returning(notices.c.id)


class SqlNotices:
    """Pending notices are claimed (one sender at a time each), sent, and marked sent or retried later."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def enqueue(self, notice_id: str, notice: Notice, at: datetime) -> bool:
        """Queue a notice; False when one with the same key was already queued (it is never sent twice)."""
        result = self.connection.execute(_enqueue(self.connection.dialect.name), {
            "id": notice_id, "key": notice.key, "kind": notice.kind.value, "reference": notice.reference,
            "phone": notice.phone, "locale": notice.locale, "text": notice.text, "created_at": at,
            "status": "pending", "attempts": 0, "next_attempt_at": at})
        return result.first() is not None

    def readdress(self, reference: str, phone: str) -> list[str]:
        """Send the trip's notices to the driver not yet sent to ``phone`` (a claim in flight too: a lapsed one is
        sent again); returns their ids. Notices to the declarant keep the enterprise's number."""
        waiting = (n.reference == reference) & n.status.in_(("pending", "sending")) & (n.phone != phone) \
            & n.kind.notin_([kind.value for kind in DECLARANT_KINDS])
        ids = [row[0] for row in self.connection.execute(select(n.id).where(waiting).order_by(n.created_at, n.key))]
        if ids:
            self.connection.execute(update(notices).where(n.id.in_(ids)).values(phone=phone))
        return ids

    def claim(self, now: datetime, limit: int, lease: timedelta) -> list[dict[str, Any]]:
        """Take up to ``limit`` notices due now; a claim lapses after ``lease`` if its sender died."""
        query = (select(notices).where(n.status.in_(("pending", "sending")), n.next_attempt_at <= now)
                 .order_by(n.next_attempt_at).limit(limit))
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = [dict(row) for row in self.connection.execute(query).mappings()]
        for row in rows:
            self.connection.execute(update(notices).where(n.id == row["id"]).values(
                status="sending", attempts=n.attempts + 1, next_attempt_at=now + lease))
        return rows

    def sent(self, notice_id: str, at: datetime, provider_id: str, phone: str) -> None:
        """Mark a notice sent, and to which number: a correction during the send must not rewrite where it went."""
        self.connection.execute(update(notices).where(n.id == notice_id).values(
            status="sent", sent_at=at, provider_id=provider_id[:100], last_error=None, phone=phone, text=_TEXT_KEPT))

    def failed(self, notice_id: str, retry_at: datetime | None, error: str) -> None:
        """A failed send: tried again at ``retry_at``, or given up on (``None``) and left for a person to see."""
        values: dict[str, Any] = {"status": "pending" if retry_at else "failed", "last_error": error[:500]}
        if retry_at:
            values["next_attempt_at"] = retry_at
        else:
            values["text"] = _TEXT_KEPT
        self.connection.execute(update(notices).where(n.id == notice_id).values(**values))

    def forget_unsent(self, kind: NoticeKind, before: datetime) -> int:
        """Delete notices of ``kind`` queued before ``before`` and never sent: a sign-in code past its life."""
        return self.connection.execute(delete(notices).where(
            n.kind == kind.value, n.created_at < before, n.status != "sent")).rowcount

    def for_reference(self, reference: str) -> list[dict[str, Any]]:
        rows = self.connection.execute(select(notices).where(n.reference == reference)
                                       .order_by(n.created_at, n.key)).mappings()
        return [dict(row) for row in rows]

"""Open311 clients, their posted requests and the public reports' query in SQL."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.open311_tables import open311_clients, open311_tokens
from bordergate.adapters.sql.report_tables import reports
from bordergate.adapters.sql.reports import _report
from bordergate.domain.errors import Conflict
from bordergate.domain.open311 import Open311Client, Trust
from bordergate.domain.reports import Report
from bordergate.services.open311_repositories import PostedRequest, ReportQuery

c, t, r = open311_clients.c, open311_tokens.c, reports.c


def _client(row: RowMapping) -> Open311Client:
    return Open311Client(row["id"], row["name"], Trust(row["trust"]), row["per_minute"], row["per_day"],
                         row["created_at"], row["revoked_at"])


def _posted(row: RowMapping) -> PostedRequest:
    return PostedRequest(row["token"], row["tracking_code"], row["client_id"], row["device_id"], row["media_url"],
                         row["posted_at"], row["released_at"])


class SqlOpen311:
    """Clients by id or key digest; posted requests by token or report."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_client(self, client: Open311Client, key_digest: str) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(open311_clients).values(
                    id=client.id, name=client.name, key_digest=key_digest, trust=client.trust.value,
                    per_minute=client.per_minute, per_day=client.per_day, created_at=client.created_at))
        except IntegrityError:
            raise Conflict("that key is taken; register the client again for a new one") from None

    def client(self, client_id: str) -> Open311Client | None:
        row = self.connection.execute(select(open311_clients).where(c.id == client_id)).mappings().first()
        return _client(row) if row else None

    def client_by_key(self, key_digest: str) -> Open311Client | None:
        row = self.connection.execute(select(open311_clients).where(c.key_digest == key_digest)).mappings().first()
        return _client(row) if row else None

    def revoke(self, client_id: str, at: datetime) -> None:
        self.connection.execute(update(open311_clients).where(c.id == client_id, c.revoked_at.is_(None))
                                .values(revoked_at=at))

    def clients(self) -> list[Open311Client]:
        rows = self.connection.execute(select(open311_clients).order_by(c.created_at, c.id)).mappings()
        return [_client(row) for row in rows]

    def add_request(self, posted: PostedRequest) -> None:
        self.connection.execute(insert(open311_tokens).values(
            token=posted.token, tracking_code=posted.code, client_id=posted.client_id, device_id=posted.device_id,
            media_url=posted.media_url, posted_at=posted.posted_at, released_at=posted.released_at))

    def posted_since(self, client_id: str, since: datetime, device_id: str | None = None) -> int:
        where: list[Any] = [t.client_id == client_id, t.posted_at >= since]
        if device_id is not None:
            where.append(t.device_id == device_id)
        return int(self.connection.execute(select(func.count()).select_from(open311_tokens).where(*where))
                   .scalar_one())

    def by_token(self, token: str) -> PostedRequest | None:
        row = self.connection.execute(select(open311_tokens).where(t.token == token)).mappings().first()
        return _posted(row) if row else None

    def held(self, code: str) -> PostedRequest | None:
        row = self.connection.execute(select(open311_tokens).where(
            t.tracking_code == code, t.released_at.is_(None))).mappings().first()
        return _posted(row) if row else None

    def release(self, code: str, at: datetime) -> None:
        self.connection.execute(update(open311_tokens).where(t.tracking_code == code, t.released_at.is_(None))
                                .values(released_at=at))

    def public_reports(self, query: ReportQuery) -> list[Report]:
        where: list[Any] = [r.never_public.is_(False), r.hidden.is_(False)]
        if query.codes is not None:
            where.append(r.tracking_code.in_(query.codes))
        if query.categories is not None:
            where.append(r.category_code.in_(query.categories))
        if query.filed_from is not None:
            where.append(r.filed_at >= query.filed_from)
        if query.filed_before is not None:
            where.append(r.filed_at < query.filed_before)
        if query.states is not None:
            where.append(r.state.in_(query.states))
        rows = self.connection.execute(select(reports).where(*where).order_by(r.filed_at.desc(), r.tracking_code)
                                       .limit(query.limit).offset(query.offset)).mappings()
        return [_report(row) for row in rows]

"""Civic documents in SQL: one row a published version, never updated."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, RowMapping, func, insert, select
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.civic_tables import civic_documents as t
from bordergate.domain.civic_documents import CivicDocument
from bordergate.domain.errors import Conflict


class SqlCivicDocuments:
    """Published versions by kind."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, document: CivicDocument) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(t).values(
                    kind=document.kind, version=document.version, in_force_from=document.in_force_from,
                    document=document.document, published_at=document.published_at,
                    published_by=document.published_by))
        except IntegrityError:
            raise Conflict(f"version {document.version} of {document.kind} was just published by someone else; "
                           f"look at it, then publish again") from None

    def all(self, kind: str) -> list[CivicDocument]:
        rows = self.connection.execute(select(t).where(t.c.kind == kind).order_by(t.c.version)).mappings()
        return [_document(r) for r in rows]

    def in_force(self, kind: str, day: date) -> CivicDocument | None:
        rows = self.connection.execute(select(t).where(t.c.kind == kind, t.c.in_force_from <= day)
                                       .order_by(t.c.version.desc()).limit(1)).mappings()
        return next((_document(r) for r in rows), None)

    def latest_version(self, kind: str) -> int:
        return int(self.connection.execute(select(func.max(t.c.version)).where(t.c.kind == kind)).scalar() or 0)


def _document(row: RowMapping) -> CivicDocument:
    return CivicDocument(row["kind"], row["version"], row["in_force_from"], row["document"], row["published_at"],
                         row["published_by"])

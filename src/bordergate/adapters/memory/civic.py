"""The civic documents' in-memory twin."""
from __future__ import annotations

from datetime import date

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.civic_documents import CivicDocument
from bordergate.domain.errors import Conflict


class InMemoryCivicDocuments:
    """Published versions by (kind, version)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, document: CivicDocument) -> None:
        key = (document.kind, document.version)
        if key in self.tables.civic_documents:
            raise Conflict(f"version {document.version} of {document.kind} was just published by someone else; "
                           f"look at it, then publish again")
        self.tables.civic_documents[key] = document

    def all(self, kind: str) -> list[CivicDocument]:
        return sorted((d for (k, _), d in self.tables.civic_documents.items() if k == kind), key=lambda d: d.version)

    def in_force(self, kind: str, day: date) -> CivicDocument | None:
        return next((d for d in reversed(self.all(kind)) if d.in_force_from <= day), None)

    def latest_version(self, kind: str) -> int:
        return max((v for (k, v) in self.tables.civic_documents if k == kind), default=0)

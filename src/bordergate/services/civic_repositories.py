"""The civic documents' repository as a typing.Protocol: published versions of categories, routing, calendars."""
from __future__ import annotations

from datetime import date
from typing import Protocol

from bordergate.domain.civic_documents import CivicDocument


class CivicDocumentRepository(Protocol):
    """Every published version of each kind of civic data; nothing is ever changed, a correction is a new one."""

    def add(self, document: CivicDocument) -> None:
        """Keep a new version; Conflict if that kind already has it (two admins publishing at once)."""

    def all(self, kind: str) -> list[CivicDocument]:
        """Every version of ``kind``, oldest first (a province publishes tens, not thousands)."""
        ...

    def in_force(self, kind: str, day: date) -> CivicDocument | None:
        """The highest version of ``kind`` counting by ``day`` (one row read: each filing asks)."""
        ...

    def latest_version(self, kind: str) -> int:
        """The highest version of ``kind`` published, 0 when none."""
        ...

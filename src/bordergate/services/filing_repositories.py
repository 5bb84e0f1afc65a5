"""Ports for filing reports: rate counters, standings and filings remembered, the photos' rows and their files."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bordergate.domain.report_limits import Counter, Standing
from bordergate.domain.report_photos import Photo


class FilingRecordRepository(Protocol):
    """What the abuse controls keep: counters taken by one conditional update each, standings, recent filings."""

    def take(self, counter: Counter) -> bool:
        """Count one more in the counter's span (a new span starts again at one); False, counting nothing, when
        the span is full."""
        ...

    def standing(self, key: str) -> Standing | None: ...

    def save_standing(self, standing: Standing) -> None: ...

    def remember(self, tracking_code: str, reporter_key: str, text_digest: str, filed_at: datetime) -> None: ...

    def same_filing(self, reporter_key: str, text_digest: str, since: datetime) -> str | None:
        """The tracking code of the reporter's filing with this digest since ``since``, if any."""
        ...

    def reporter_of(self, tracking_code: str) -> str | None:
        """Whose standing a report counts against (None: filed before standings, or by the system)."""
        ...


@dataclass(frozen=True)
class StoredPhoto:
    """A photo's row: which report, its place among the report's photos, what it is, who may see it."""

    tracking_code: str
    seq: int
    sha256: str
    width: int
    height: int
    size: int
    storage_key: str
    thumb_key: str
    visibility: str
    at: datetime


class ReportPhotoRepository(Protocol):
    def add(self, photo: StoredPhoto) -> None: ...

    def of(self, tracking_code: str) -> list[StoredPhoto]:
        """The report's photos in the order they were added."""
        ...


class PhotoStore(Protocol):
    """Where photo files live (a folder; a bucket would do): put by key, read back by key."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes | None: ...

"""A report's photos: what is kept of one (a clean re-encoding named by its SHA-256), who may see it, its events."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bordergate.domain.report_events import _ReportEvent


class PhotoVisibility(enum.Enum):
    """Photos show people and plates: the handling unit alone sees them until an officer publishes one."""

    UNIT_ONLY = "unit_only"
    PUBLIC = "public"
    REDACTED = "redacted"


@dataclass(frozen=True)
class Photo:
    """A photo as kept: re-encoded from its pixels alone (no EXIF, GPS, XMP or ICC), at most the long side the
    settings allow, with a thumbnail; ``sha256`` of ``jpeg`` names it."""

    sha256: str
    width: int
    height: int
    jpeg: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.jpeg)

    @property
    def storage_key(self) -> str:
        return f"{self.sha256}.jpg"

    @property
    def thumb_key(self) -> str:
        return f"{self.sha256}.thumb.jpg"


@dataclass(frozen=True)
class ReportPhotoAdded(_ReportEvent):
    """A photo was attached to the report (``seq`` from 1), seen by the handling unit only until published."""

    seq: int
    sha256: str
    width: int
    height: int
    size: int
    visibility: str

"""Personal data: which fields name a person, where they appear on the audit trail, and what replaces them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bordergate.domain.report_rules import CATEGORIES

# A driver's name, identity document and phone name a person; nationality and plates do not on their own.
PERSONAL_DRIVER_FIELDS = ("full_name", "document_number", "phone")

# What a pseudonymised trip says instead: values the trip's own validator still reads (a trip is read back
# through read_trip), the same for everyone so that erased trips cannot be linked to each other.
ERASED_DRIVER = {"full_name": "(erased)", "document_number": "ERASED", "phone": "+000000000"}

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Retention:
    """How long personal data of finished trips is kept: ``days`` after the trip crossed or was cancelled
    (0: kept for good)."""

    days: int = 0

    def cutoff(self, now: datetime) -> datetime | None:
        """Trips finished before this moment are due for pseudonymisation; None when nothing ever is."""
        return now - timedelta(days=self.days) if self.days > 0 else None


def is_personal_field(field: str) -> bool:
    """A corrected field that names the driver: ``driver``, ``driver.phone``, ..."""
    if field == "driver":
        return True
    section, _, leaf = field.partition(".")
    return section == "driver" and leaf in PERSONAL_DRIVER_FIELDS


def personal_paths(action: str, subject_type: str, payload: dict[str, Any]) -> list[Path]:
    """Where an audit event's payload holds personal data (paths of keys and list indices)."""
    if action == "DeclarationAmended":
        return [("changes", i, side) for i, change in enumerate(payload.get("changes") or ())
                if is_personal_field(str(change.get("field", ""))) for side in ("old", "new")]
    if action == "FleetEntrySaved" and subject_type == "driver":
        details = payload.get("details") or {}
        return [("key",), *(("details", name) for name in PERSONAL_DRIVER_FIELDS if name in details)]
    if action in ("NoticeSent", "NoticesReaddressed", "ContactPhoneSet", "UnitPhoneSet"):
        return [("phone",)]
    if action == "CitizenRegistered":
        return [("phone",)]
    if action == "IdentityLinked":
        return [(name,) for name in ("vneid_subject", "phone") if payload.get(name) is not None]
    # A tip's category may be one an admin published since (civic data): the event says it is a tip.
    if action == "ReportFiled" and payload.get("anonymous") and (
            payload.get("tip") or _is_tip(str(payload.get("category")))):
        # Where an anonymous tip was sent from can name the person who sent it (their home, their shop).
        return [(name,) for name in ("lat", "lon") if payload.get(name) is not None]
    if action == "Open311RequestReceived":  # the names an Open311 client gave for the person: never public
        return [(name,) for name in ("first_name", "last_name") if payload.get(name)]
    return []


def _is_tip(category: str) -> bool:
    found = CATEGORIES.get(category)
    return found is not None and found.never_public


def personal_subject(subject_type: str, subject_id: str) -> tuple[str, str] | None:
    """A subject id that holds personal data, split into what stays and what is personal: a saved driver is
    ``<enterprise>:<document number>``."""
    if subject_type == "driver" and ":" in subject_id:
        enterprise, _, document = subject_id.partition(":")
        return f"{enterprise}:", document
    return None


def owner_of(action: str, subject_type: str, subject_id: str, payload: dict[str, Any]) -> str:
    """Whose personal data an audit event holds, so that it is erased with them: a trip (``declaration:<ref>``)
    or a saved driver (``driver:<enterprise>:<document>``)."""
    if subject_type == "driver":
        return f"driver:{subject_id}"
    reference = payload.get("reference")
    if reference:
        return f"declaration:{reference}"
    return f"{subject_type}:{subject_id}"

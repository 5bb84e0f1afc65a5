"""An event as the trail stores it: its own fields as JSON-ready data, the same for SQL and the in-memory twins."""
from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

from bordergate.domain.events import Event


def event_payload(event: Event) -> dict[str, Any]:
    """An event's own fields as JSON-ready data (actor and time have their own columns)."""
    fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event) if f.name not in ("actor", "at")}
    return {name: _plain(value) for name, value in fields.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value

"""The gate's repositories as typing.Protocols: checkpoints, cameras, holds, plate reads, reviews, alerts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypedDict

from bordergate.domain.alerts import Alert
from bordergate.domain.barrier import AgencyHold
from bordergate.domain.checkpoints import Camera, CameraStatus, Checkpoint
from bordergate.domain.plate_reads import Pass, PlateRead, TripOnRecord


class HoldRecord(TypedDict):
    """An officer's hold on a trip, lifted or not."""

    id: str
    reference: str
    agency: str
    reason: str
    placed_by: str
    placed_at: datetime
    lifted_by: str | None
    lifted_at: datetime | None
    lift_note: str | None


@dataclass(frozen=True)
class CameraCredentials:
    """What a camera's key is checked against, and the checkpoint it watches: one lookup for every read."""

    id: str
    name: str
    key_hash: str
    status: CameraStatus
    checkpoint: Checkpoint
    silent_alert_id: str | None = None  # the open "camera silent" alert, if one was raised


class CheckpointRepository(Protocol):
    """Checkpoints of the crossing points, listed by crossing point, direction and name."""

    def add(self, checkpoint: Checkpoint, at: datetime) -> None: ...

    def get(self, checkpoint_id: str) -> Checkpoint | None: ...

    def named(self, crossing_point: str, name: str) -> Checkpoint | None: ...

    def list(self, crossing_point: str | None = None) -> list[Checkpoint]: ...


class CameraRepository(Protocol):
    """Cameras with the hash of their key; a camera's last read or heartbeat says it is alive."""

    def add(self, camera: Camera, key_hash: str) -> None: ...

    def get(self, camera_id: str) -> Camera | None: ...

    def credentials(self, camera_id: str) -> CameraCredentials | None: ...

    def set_key(self, camera_id: str, key_hash: str) -> None: ...

    def revoke(self, camera_id: str, at: datetime) -> None: ...

    def heartbeat(self, camera_id: str, at: datetime) -> None: ...

    def last_heard(self) -> list[dict[str, Any]]: ...

    # Last: a method named list shadows the builtin in the annotations after it.
    def list(self, checkpoint_id: str | None = None) -> list[Camera]: ...


class HoldRepository(Protocol):
    """Officers' holds on trucks; a lifted hold stays on record."""

    def place(self, hold: AgencyHold, reference: str, by: str, at: datetime) -> None: ...

    def get(self, hold_id: str) -> HoldRecord | None: ...

    def lift(self, hold_id: str, by: str, at: datetime, note: str | None) -> bool: ...

    def active(self, reference: str) -> tuple[AgencyHold, ...]: ...

    def for_declaration(self, reference: str) -> list[HoldRecord]: ...


class PlateReadRepository(Protocol):
    """Append-only plate reads; what a new read needs to know about a truck's earlier passes."""

    def add(self, read: PlateRead) -> bool: ...

    def get(self, read_id: str) -> PlateRead | None: ...

    def find(self, camera_id: str, camera_read_id: str) -> PlateRead | None: ...

    def candidates(self, crossing_point: str, keys: set[str], captured_at: datetime) -> list[TripOnRecord]: ...

    def passes(self, reference: str) -> list[Pass]: ...

    def elsewhere(self, read_as: str, crossing_point: str, at: datetime, window: timedelta,
                  min_confidence: float) -> list[dict[str, Any]]: ...

    def in_yard_since(self, cutoff: datetime) -> list[dict[str, Any]]: ...

    def of_declaration(self, reference: str) -> list[PlateRead]: ...


class ReviewRepository(Protocol):
    """Reads a person must confirm, correct or dismiss, oldest first."""

    def open(self, read: PlateRead) -> None: ...

    def get(self, read_id: str) -> dict[str, Any] | None: ...

    def resolve(self, read_id: str, *, by: str, at: datetime, resolution: str, resolved_read_id: str | None,
                note: str | None) -> bool: ...

    def listing(self, crossing_point: str | None, status: str,
                limit: int) -> list[tuple[dict[str, Any], PlateRead]]: ...


class AlertRepository(Protocol):
    """Alerts raised once per dedupe key while open, resolved by a person or by what ends them."""

    def raise_(self, alert: Alert) -> bool: ...

    def get(self, alert_id: str) -> Alert | None: ...

    def open_for(self, dedupe_key: str) -> Alert | None: ...

    def open_for_any(self, dedupe_keys: list[str]) -> list[Alert]: ...

    def resolve(self, alert_id: str, *, by: str, at: datetime, resolution: str) -> bool: ...

    def listing(self, *, status: str | None, crossing_point: str | None, kind: str | None,
                reference: str | None = None, limit: int = 100) -> list[Alert]: ...

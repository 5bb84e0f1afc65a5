"""Checkpoints of a crossing point and the cameras that watch them: where a truck is seen, in which order."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from bordergate.domain.labels import Labelled
from bordergate.domain.trip import Flow


class Direction(Labelled):
    """Which way a lane carries trucks: out of Vietnam towards China, or into Vietnam."""

    OUTBOUND = ("outbound", "Chiều xuất", "Outbound (to China)", "出境")
    INBOUND = ("inbound", "Chiều nhập", "Inbound (into Vietnam)", "入境")


class CheckpointKind(Labelled):
    """A place on a truck's way through the gate where a camera reads its plate and a barrier may stand."""

    HIGHWAY_APPROACH = ("highway_approach", "Camera đường dẫn", "Highway approach camera", "公路引道摄像头", "grey")
    WAITING_AREA_ENTRY = ("waiting_area_entry", "Cổng bãi chờ", "Waiting-area entry", "待检区入口", "blue")
    YARD_ENTRY = ("yard_entry", "Cổng bãi kiểm hóa", "Yard entry", "监管场站入口", "teal")
    INSPECTION = ("inspection", "Khu kiểm tra", "Inspection area", "查验区", "amber")
    BORDER_OUT = ("border_out", "Đường biên (xuất)", "Border line, out", "边境线出境", "green")
    BORDER_IN = ("border_in", "Đường biên (nhập)", "Border line, in", "边境线入境", "green")
    GATE_EXIT = ("gate_exit", "Cổng ra nội địa", "Gate exit inland", "出关内陆出口", "green")

    @property
    def has_barrier(self) -> bool:
        """The approach camera only watches; every other checkpoint can stop a truck."""
        return self is not CheckpointKind.HIGHWAY_APPROACH

    @property
    def waits_for_the_call(self) -> bool:
        """Where a queue runs, these barriers let through only trucks called forward."""
        return self in (CheckpointKind.YARD_ENTRY, CheckpointKind.BORDER_OUT)

    @property
    def heeds_holds(self) -> bool:
        """Officers' holds stop a truck at the barriers out of control, and at the line coming in."""
        return self.releases_the_truck or self is CheckpointKind.BORDER_IN

    @property
    def releases_the_truck(self) -> bool:
        """The last barrier of a direction: past it the truck has left bordergate's control."""
        return self in (CheckpointKind.BORDER_OUT, CheckpointKind.GATE_EXIT)


# (design) The way through the gate in each direction, in order. Outbound trucks queue before they cross; inbound
# trucks enter from China, are cleared in the yard and leave inland. The approach camera and the inspection area are
# not on every truck's way (a truck may come by a local road; only selected trucks are inspected), so a missing read
# there is no sign of a skipped checkpoint.
ROUTE: dict[Direction, tuple[CheckpointKind, ...]] = {
    Direction.OUTBOUND: (CheckpointKind.HIGHWAY_APPROACH, CheckpointKind.WAITING_AREA_ENTRY,
                         CheckpointKind.YARD_ENTRY, CheckpointKind.INSPECTION, CheckpointKind.BORDER_OUT),
    Direction.INBOUND: (CheckpointKind.BORDER_IN, CheckpointKind.YARD_ENTRY, CheckpointKind.INSPECTION,
                        CheckpointKind.GATE_EXIT),
}
OPTIONAL_STOPS = frozenset({CheckpointKind.HIGHWAY_APPROACH, CheckpointKind.INSPECTION})

_FLOW_DIRECTION = {
    Flow.EXPORT: Direction.OUTBOUND,
    Flow.TEMPORARY_EXPORT_FOR_REIMPORT: Direction.OUTBOUND,
    Flow.IMPORT: Direction.INBOUND,
    Flow.TEMPORARY_IMPORT_FOR_REEXPORT: Direction.INBOUND,
}


def direction_of(flow: Flow) -> Direction | None:
    """The way a trip of this flow crosses; None for transit and transshipment, which may go either way."""
    return _FLOW_DIRECTION.get(flow)


def stops_before(kind: CheckpointKind, direction: Direction) -> tuple[CheckpointKind, ...]:
    """The checkpoints every truck must pass before ``kind`` in ``direction``."""
    route = ROUTE[direction]
    if kind not in route:
        return ()
    return tuple(k for k in route[:route.index(kind)] if k not in OPTIONAL_STOPS)


def allowed_kinds(direction: Direction) -> tuple[CheckpointKind, ...]:
    """The kinds of checkpoint a lane in ``direction`` can be."""
    return ROUTE[direction]


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint of a crossing point: its kind, the direction its lanes carry and how many lanes it has."""

    id: str
    crossing_point: str
    kind: CheckpointKind
    direction: Direction
    name: str
    lanes: int = 1
    active: bool = True


class CameraStatus(Labelled):
    """A revoked camera's reads are refused; it keeps its history."""

    ACTIVE = ("active", "Đang hoạt động", "Active", "运行中", "green")
    REVOKED = ("revoked", "Đã thu hồi", "Revoked", "已吊销", "grey")


@dataclass(frozen=True)
class Camera:
    """A camera (or its ANPR box) at one lane of a checkpoint, with its own key to post reads."""

    id: str
    checkpoint_id: str
    name: str
    lane: int
    status: CameraStatus
    registered_at: datetime
    last_heartbeat_at: datetime | None = None


# A camera key is '<camera id>.<secret>': the id says which camera is asking, the secret proves it. Only a SHA-256
# digest is kept, so a leaked database does not leak keys.
def camera_key(camera_id: str, secret: str) -> str:
    """The key handed once to a camera's installer."""
    return f"{camera_id}.{secret}"


def camera_of_key(key: str) -> str | None:
    """The camera a key claims to belong to, or None when it is not shaped like a camera key."""
    camera_id, dot, secret = key.partition(".")
    return camera_id if dot and camera_id and secret else None


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, digest: str) -> bool:
    """Constant-time comparison, so response times reveal nothing about a stored digest."""
    return hmac.compare_digest(key_digest(key), digest)

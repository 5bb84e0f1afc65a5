"""Checkpoints, their cameras, and officers' holds on trucks, in SQL."""
from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, bindparam, func, insert, literal, select, update

from bordergate.adapters.sql.tables import alerts, cameras, checkpoints, holds, plate_reads
from bordergate.domain.barrier import AgencyHold
from bordergate.domain.checkpoints import Camera, CameraStatus, Checkpoint, CheckpointKind, Direction
from bordergate.services.gate_repositories import CameraCredentials, HoldRecord


def _checkpoint(row) -> Checkpoint:
    return Checkpoint(id=row["id"], crossing_point=row["crossing_point"], kind=CheckpointKind(row["kind"]),
                      direction=Direction(row["direction"]), name=row["name"], lanes=row["lanes"],
                      active=row["active"])


def _camera(row) -> Camera:
    return Camera(id=row["id"], checkpoint_id=row["checkpoint_id"], name=row["name"], lane=row["lane"],
                  status=CameraStatus(row["status"]), registered_at=row["registered_at"],
                  last_heartbeat_at=row["last_heartbeat_at"])


_CHECKPOINT = select(checkpoints).where(checkpoints.c.id == bindparam("id"))
# A camera's credentials, where it stands, and whether it is reported silent, in one round trip: every read
# starts with this.
_silent = (select(alerts.c.id).where(alerts.c.dedupe_key == literal("silent:") + cameras.c.id,
                                     alerts.c.status == "open").limit(1).scalar_subquery())
_CAMERA_AT = (select(cameras, checkpoints.c.crossing_point, checkpoints.c.kind, checkpoints.c.direction,
                     checkpoints.c.name.label("checkpoint_name"), checkpoints.c.lanes,
                     checkpoints.c.active.label("checkpoint_active"), _silent.label("silent_alert_id"))
              .join(checkpoints, checkpoints.c.id == cameras.c.checkpoint_id)
              .where(cameras.c.id == bindparam("id")))


class SqlCheckpoints:
    """Checkpoints of the crossing points."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, checkpoint: Checkpoint, at: datetime) -> None:
        self.connection.execute(insert(checkpoints).values(
            id=checkpoint.id, crossing_point=checkpoint.crossing_point, kind=checkpoint.kind.value,
            direction=checkpoint.direction.value, name=checkpoint.name, lanes=checkpoint.lanes,
            active=checkpoint.active, created_at=at))

    def get(self, checkpoint_id: str) -> Checkpoint | None:
        row = self.connection.execute(_CHECKPOINT, {"id": checkpoint_id}).mappings().first()
        return _checkpoint(row) if row else None

    def named(self, crossing_point: str, name: str) -> Checkpoint | None:
        row = self.connection.execute(select(checkpoints).where(
            checkpoints.c.crossing_point == crossing_point, checkpoints.c.name == name)).mappings().first()
        return _checkpoint(row) if row else None

    def list(self, crossing_point: str | None = None) -> list[Checkpoint]:
        query = select(checkpoints).order_by(checkpoints.c.crossing_point, checkpoints.c.direction,
                                             checkpoints.c.name)
        if crossing_point:
            query = query.where(checkpoints.c.crossing_point == crossing_point)
        return [_checkpoint(row) for row in self.connection.execute(query).mappings()]


class SqlCameras:
    """Cameras with the hash of their key; a camera's last read or heartbeat says it is alive."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, camera: Camera, key_hash: str) -> None:
        self.connection.execute(insert(cameras).values(
            id=camera.id, checkpoint_id=camera.checkpoint_id, name=camera.name, lane=camera.lane,
            key_hash=key_hash, status=camera.status.value, registered_at=camera.registered_at))

    def get(self, camera_id: str) -> Camera | None:
        row = self.connection.execute(select(cameras).where(cameras.c.id == camera_id)).mappings().first()
        return _camera(row) if row else None

    def credentials(self, camera_id: str) -> CameraCredentials | None:
        """The camera's key hash and status with its checkpoint, or None for an unknown camera."""
        row = self.connection.execute(_CAMERA_AT, {"id": camera_id}).mappings().first()
        if row is None:
            return None
        checkpoint = Checkpoint(row["checkpoint_id"], row["crossing_point"], CheckpointKind(row["kind"]),
                                Direction(row["direction"]), row["checkpoint_name"], row["lanes"],
                                row["checkpoint_active"])
        return CameraCredentials(row["id"], row["name"], row["key_hash"], CameraStatus(row["status"]), checkpoint,
                                 row["silent_alert_id"])

    def list(self, checkpoint_id: str | None = None) -> list[Camera]:
        query = select(cameras).order_by(cameras.c.checkpoint_id, cameras.c.lane, cameras.c.name)
        if checkpoint_id:
            query = query.where(cameras.c.checkpoint_id == checkpoint_id)
        return [_camera(row) for row in self.connection.execute(query).mappings()]

    def set_key(self, camera_id: str, key_hash: str) -> None:
        self.connection.execute(update(cameras).where(cameras.c.id == camera_id).values(key_hash=key_hash))

    def revoke(self, camera_id: str, at: datetime) -> None:
        self.connection.execute(update(cameras).where(cameras.c.id == camera_id).values(
            status=CameraStatus.REVOKED.value, revoked_at=at))

    def heartbeat(self, camera_id: str, at: datetime) -> None:
        self.connection.execute(update(cameras).where(cameras.c.id == camera_id).values(last_heartbeat_at=at))

    def last_heard(self) -> list[dict[str, Any]]:
        """Each active camera with the last moment it was heard from: a read received or a heartbeat."""
        last_read = (select(func.max(plate_reads.c.received_at))
                     .where(plate_reads.c.camera_id == cameras.c.id).scalar_subquery())
        rows = self.connection.execute(
            select(cameras.c.id, cameras.c.name, cameras.c.registered_at, cameras.c.last_heartbeat_at,
                   last_read.label("last_read_at"), checkpoints.c.crossing_point,
                   checkpoints.c.id.label("checkpoint_id"), checkpoints.c.name.label("checkpoint_name"))
            .join(checkpoints, checkpoints.c.id == cameras.c.checkpoint_id)
            .where(cameras.c.status == CameraStatus.ACTIVE.value)).mappings()
        return [dict(row) for row in rows]


_ACTIVE_HOLDS = (select(holds.c.id, holds.c.agency, holds.c.reason)
                 .where(holds.c.reference == bindparam("reference"), holds.c.lifted_at.is_(None))
                 .order_by(holds.c.placed_at))


class SqlHolds:
    """Officers' holds on trucks; a lifted hold stays on record."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def place(self, hold: AgencyHold, reference: str, by: str, at: datetime) -> None:
        self.connection.execute(insert(holds).values(
            id=hold.id, reference=reference, agency=hold.agency, reason=hold.reason, placed_by=by, placed_at=at))

    def get(self, hold_id: str) -> HoldRecord | None:
        row = self.connection.execute(select(holds).where(holds.c.id == hold_id)).mappings().first()
        return cast(HoldRecord, dict(row)) if row else None

    def lift(self, hold_id: str, by: str, at: datetime, note: str | None) -> bool:
        """Lift an active hold; False when it was already lifted (by someone else meanwhile)."""
        result = self.connection.execute(update(holds).where(holds.c.id == hold_id, holds.c.lifted_at.is_(None))
                                         .values(lifted_by=by, lifted_at=at, lift_note=note))
        return result.rowcount == 1

    def active(self, reference: str) -> tuple[AgencyHold, ...]:
        rows = self.connection.execute(_ACTIVE_HOLDS, {"reference": reference})
        return tuple(AgencyHold(id=row[0], agency=row[1], reason=row[2]) for row in rows)

    def for_declaration(self, reference: str) -> list[HoldRecord]:
        rows = self.connection.execute(select(holds).where(holds.c.reference == reference)
                                       .order_by(holds.c.placed_at)).mappings()
        return [cast(HoldRecord, dict(row)) for row in rows]

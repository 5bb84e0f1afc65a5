"""In-memory twins of the gate's checkpoints, cameras, officers' holds and plate reads."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.barrier import AgencyHold
from bordergate.domain.checkpoints import Camera, CameraStatus, Checkpoint
from bordergate.domain.errors import Conflict
from bordergate.domain.plate_reads import Pass, PlateRead, TripOnRecord
from bordergate.services.gate_repositories import CameraCredentials, HoldRecord

# Reads' matching and the doubts about a plate are SQL queries over indexes; the twin does not imitate them.
_NOT_TWINNED = "the in-memory gate does not match plates; test plate matching against SQLite or PostgreSQL"


class InMemoryCheckpoints:
    """Checkpoints by id, listed by crossing point, direction and name."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, checkpoint: Checkpoint, at: datetime) -> None:
        if checkpoint.id in self.tables.checkpoints:
            raise Conflict(f"checkpoint {checkpoint.id} exists already")
        self.tables.checkpoints[checkpoint.id] = checkpoint

    def get(self, checkpoint_id: str) -> Checkpoint | None:
        return self.tables.checkpoints.get(checkpoint_id)  # frozen: a copy would be the same value

    def named(self, crossing_point: str, name: str) -> Checkpoint | None:
        return next((c for c in self.tables.checkpoints.values()
                     if c.crossing_point == crossing_point and c.name == name), None)

    def list(self, crossing_point: str | None = None) -> list[Checkpoint]:
        found = [c for c in self.tables.checkpoints.values()
                 if not crossing_point or c.crossing_point == crossing_point]
        return sorted(found, key=lambda c: (c.crossing_point, c.direction.value, c.name))


class InMemoryCameras:
    """Cameras by id with the hash of their key."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, camera: Camera, key_hash: str) -> None:
        if camera.id in self.tables.cameras:
            raise Conflict(f"camera {camera.id} exists already")
        self.tables.cameras[camera.id] = (camera, key_hash)

    def get(self, camera_id: str) -> Camera | None:
        found = self.tables.cameras.get(camera_id)
        return found[0] if found else None

    def credentials(self, camera_id: str) -> CameraCredentials | None:
        found = self.tables.cameras.get(camera_id)
        if found is None:
            return None
        camera, key_hash = found
        checkpoint = self.tables.checkpoints[camera.checkpoint_id]
        return CameraCredentials(camera.id, camera.name, key_hash, camera.status, checkpoint)

    def set_key(self, camera_id: str, key_hash: str) -> None:
        camera, _ = self.tables.cameras[camera_id]
        self.tables.cameras[camera_id] = (camera, key_hash)

    def revoke(self, camera_id: str, at: datetime) -> None:
        camera, key_hash = self.tables.cameras[camera_id]
        self.tables.cameras[camera_id] = (replace(camera, status=CameraStatus.REVOKED), key_hash)

    def heartbeat(self, camera_id: str, at: datetime) -> None:
        camera, key_hash = self.tables.cameras[camera_id]
        self.tables.cameras[camera_id] = (replace(camera, last_heartbeat_at=at), key_hash)

    def last_heard(self) -> list[dict[str, Any]]:
        heard = []
        for camera, _ in self.tables.cameras.values():
            if camera.status is not CameraStatus.ACTIVE:
                continue
            checkpoint = self.tables.checkpoints[camera.checkpoint_id]
            reads = [read.received_at for read, by in self.tables.reads if by == camera.id]
            heard.append({"id": camera.id, "name": camera.name, "registered_at": camera.registered_at,
                          "last_heartbeat_at": camera.last_heartbeat_at, "last_read_at": max(reads, default=None),
                          "crossing_point": checkpoint.crossing_point, "checkpoint_id": checkpoint.id,
                          "checkpoint_name": checkpoint.name})
        return heard

    def list(self, checkpoint_id: str | None = None) -> list[Camera]:
        found = [c for c, _ in self.tables.cameras.values() if not checkpoint_id or c.checkpoint_id == checkpoint_id]
        return sorted(found, key=lambda c: (c.checkpoint_id, c.lane, c.name))


class InMemoryHolds:
    """Officers' holds by id; a lifted hold stays on record."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def place(self, hold: AgencyHold, reference: str, by: str, at: datetime) -> None:
        if hold.id in self.tables.holds:
            raise Conflict(f"hold {hold.id} exists already")
        self.tables.holds[hold.id] = HoldRecord(id=hold.id, reference=reference, agency=hold.agency,
                                                reason=hold.reason, placed_by=by, placed_at=at, lifted_by=None,
                                                lifted_at=None, lift_note=None)

    def get(self, hold_id: str) -> HoldRecord | None:
        found = self.tables.holds.get(hold_id)
        return copied(found) if found else None

    def lift(self, hold_id: str, by: str, at: datetime, note: str | None) -> bool:
        found = self.tables.holds.get(hold_id)
        if found is None or found["lifted_at"] is not None:
            return False
        self.tables.holds[hold_id] = HoldRecord({**found, "lifted_by": by, "lifted_at": at, "lift_note": note})
        return True

    def active(self, reference: str) -> tuple[AgencyHold, ...]:
        return tuple(AgencyHold(h["id"], h["agency"], h["reason"]) for h in self.for_declaration(reference)
                     if h["lifted_at"] is None)

    def for_declaration(self, reference: str) -> list[HoldRecord]:
        return sorted((copied(h) for h in self.tables.holds.values() if h["reference"] == reference),
                      key=lambda h: h["placed_at"])


class InMemoryPlateReads:
    """Stored reads and a trip's passes; matching a read to the trips is left to SQL (see _NOT_TWINNED)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, read: PlateRead) -> bool:
        s = read.sighting
        if s.camera_id and self.find(s.camera_id, s.camera_read_id or ""):
            return False
        self.tables.reads.append((copied(read), s.camera_id))
        return True

    def get(self, read_id: str) -> PlateRead | None:
        return next((copied(read) for read, _ in self.tables.reads if read.id == read_id), None)

    def find(self, camera_id: str, camera_read_id: str) -> PlateRead | None:
        return next((copied(read) for read, by in self.tables.reads
                     if by == camera_id and read.sighting.camera_read_id == camera_read_id), None)

    def candidates(self, crossing_point: str, keys: set[str], captured_at: datetime) -> list[TripOnRecord]:
        raise NotImplementedError(_NOT_TWINNED)

    def passes(self, reference: str) -> list[Pass]:
        return [Pass(r.checkpoint_kind, r.sighting.checkpoint_id, r.sighting.captured_at, r.direction)
                for r in self.of_declaration(reference) if r.is_pass]

    def elsewhere(self, read_as: str, crossing_point: str, at: datetime, window: timedelta,
                  min_confidence: float) -> list[dict[str, Any]]:
        raise NotImplementedError(_NOT_TWINNED)

    def in_yard_since(self, cutoff: datetime) -> list[dict[str, Any]]:
        raise NotImplementedError(_NOT_TWINNED)

    def of_declaration(self, reference: str) -> list[PlateRead]:
        return sorted((copied(read) for read, _ in self.tables.reads if read.reference == reference),
                      key=lambda r: (r.sighting.captured_at, r.received_at))

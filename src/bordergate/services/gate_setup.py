"""Use cases of setting up smart control: checkpoints, cameras and their keys."""
from __future__ import annotations

from functools import partial

from bordergate.domain import commands
from bordergate.domain.access import RUN_THE_GATE, require
from bordergate.domain.checkpoints import (Camera, CameraStatus, Checkpoint, CheckpointKind, Direction, allowed_kinds,
                                           camera_key, key_digest)
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound, collect
from bordergate.domain.events import CameraKeyIssued, CameraRegistered, CameraRevoked, CheckpointAdded
from bordergate.domain.labels import parse_choice
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.views import require_crossing_point
from bordergate.services.unit_of_work import UnitOfWork

MAX_LANES = 32


def add_checkpoint(cmd: commands.AddCheckpoint, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """Describe a checkpoint; its kind must exist on a lane of its direction."""
    require(cmd.actor, RUN_THE_GATE)
    problems: list[FieldProblem] = []
    kind = collect(problems, "kind", partial(parse_choice, CheckpointKind), cmd.kind)
    direction = collect(problems, "direction", partial(parse_choice, Direction), cmd.direction)
    name = " ".join(cmd.name.split())
    if not name:
        problems.append(FieldProblem("name", "give the checkpoint a name people at the gate use"))
    if not 1 <= cmd.lanes <= MAX_LANES:
        problems.append(FieldProblem("lanes", f"must be between 1 and {MAX_LANES}"))
    if kind and direction and kind not in allowed_kinds(direction):
        problems.append(FieldProblem("kind", f"a {kind.label('en').lower()} is not on the {direction.value} way; "
                                             f"choose one of: {', '.join(allowed_kinds(direction))}"))
    if problems:
        raise Invalid(problems)
    now = clock.now()
    with uow:
        require_crossing_point(uow, cmd.crossing_point)
        if uow.checkpoints.named(cmd.crossing_point, name):
            raise Conflict(f"{cmd.crossing_point} already has a checkpoint named {name!r}")
        checkpoint = Checkpoint(ids.new_id(), cmd.crossing_point, kind, direction, name, cmd.lanes)
        uow.checkpoints.add(checkpoint, now)
        uow.record(CheckpointAdded(actor=cmd.actor.user_id, at=now, checkpoint_id=checkpoint.id,
                                   crossing_point=checkpoint.crossing_point, kind=kind.value,
                                   direction=direction.value, name=name, lanes=cmd.lanes))
        uow.commit()
    return checkpoint.id


def register_camera(cmd: commands.RegisterCamera, uow: UnitOfWork, clock: Clock,
                    ids: Identifiers) -> tuple[str, str]:
    """Register a camera at a lane; returns its id and its key, which is never shown again."""
    require(cmd.actor, RUN_THE_GATE)
    name = " ".join(cmd.name.split())
    problems = [] if name else [FieldProblem("name", "give the camera a name (e.g. 'HN yard gate lane 1')")]
    now = clock.now()
    with uow:
        checkpoint = uow.checkpoints.get(cmd.checkpoint_id)
        if checkpoint is None:
            raise NotFound(f"no checkpoint {cmd.checkpoint_id}")
        if not 1 <= cmd.lane <= checkpoint.lanes:
            problems.append(FieldProblem("lane", f"{checkpoint.name} has lanes 1 to {checkpoint.lanes}"))
        if problems:
            raise Invalid(problems)
        camera = Camera(ids.new_id(), checkpoint.id, name, cmd.lane, CameraStatus.ACTIVE, now)
        key = camera_key(camera.id, ids.new_secret())
        uow.cameras.add(camera, key_digest(key))
        uow.record(CameraRegistered(actor=cmd.actor.user_id, at=now, camera_id=camera.id,
                                    checkpoint_id=checkpoint.id, name=name, lane=cmd.lane))
        uow.commit()
    return camera.id, key


def issue_camera_key(cmd: commands.IssueCameraKey, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> str:
    """A new key for an active camera; the old one is refused from this moment."""
    require(cmd.actor, RUN_THE_GATE)
    now = clock.now()
    with uow:
        camera = _camera(uow, cmd.camera_id)
        if camera.status is CameraStatus.REVOKED:
            raise Conflict(f"camera {camera.name} is revoked; register a new camera instead")
        key = camera_key(camera.id, ids.new_secret())
        uow.cameras.set_key(camera.id, key_digest(key))
        uow.record(CameraKeyIssued(actor=cmd.actor.user_id, at=now, camera_id=camera.id))
        uow.commit()
    return key


def revoke_camera(cmd: commands.RevokeCamera, uow: UnitOfWork, clock: Clock) -> None:
    """Refuse a camera's reads from now on."""
    require(cmd.actor, RUN_THE_GATE)
    now = clock.now()
    with uow:
        camera = _camera(uow, cmd.camera_id)
        if camera.status is CameraStatus.REVOKED:
            raise Conflict(f"camera {camera.name} is already revoked")
        uow.cameras.revoke(camera.id, now)
        uow.record(CameraRevoked(actor=cmd.actor.user_id, at=now, camera_id=camera.id, reason=cmd.reason))
        uow.commit()


def _camera(uow: UnitOfWork, camera_id: str) -> Camera:
    camera = uow.cameras.get(camera_id)
    if camera is None:
        raise NotFound(f"no camera {camera_id}")
    return camera

"""REST routes cameras call with their own key: plate reads (text or picture) and heartbeats."""
from __future__ import annotations

import hashlib
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, Security, UploadFile, status
from fastapi.security import APIKeyHeader

from bordergate.domain import commands
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import FieldProblem, Invalid, parsed
from bordergate.entrypoints.api.control_schemas import PlateReadIn
from bordergate.entrypoints.api.deps import GateDep, LocaleDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.inputs import Moment
from bordergate.services import control_views, plate_control

router = APIRouter(prefix="/api/v1", tags=["cameras"], route_class=IdempotentRoute)
_camera_key = APIKeyHeader(name="X-Camera-Key", auto_error=False,
                           description="The camera's key, as issued when it was registered")
CameraKey = Annotated[str | None, Security(_camera_key)]
MAX_PICTURE_BYTES = 10_000_000


def _answer(gate, answer, locale: str, response: Response) -> dict[str, Any]:
    response.status_code = status.HTTP_200_OK if answer.replayed else status.HTTP_201_CREATED
    return control_views.read_answer(answer.read, locale, replayed=answer.replayed,
                                     checkpoint_name=answer.checkpoint_name)


@router.post("/plate-reads", status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "A retry of a read already recorded: the same decision again"}})
def post_read(body: PlateReadIn, key: CameraKey, gate: GateDep, locale: LocaleDep,
              response: Response) -> dict[str, Any]:
    """A camera reports a plate; the answer is the barrier's decision (open, hold, divert) with its reasons."""
    answer = gate.bus.handle(commands.RecordCameraRead(
        key or "", captured_at=body.captured_at, plate=body.plate, confidence=body.confidence,
        direction=body.direction.value if body.direction else None, read_id=body.read_id, image_ref=body.image_ref))
    return _answer(gate, answer, locale, response)


@router.post("/plate-reads/image", status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "A retry of a read already recorded: the same decision again"}})
def post_picture(key: CameraKey, gate: GateDep, locale: LocaleDep, response: Response,
                 picture: Annotated[UploadFile, File(description="JPEG or PNG from the camera")],
                 captured_at: Annotated[Moment, Form()],
                 crop: Annotated[bool, Form(description="true when the picture is the plate alone")] = False,
                 read_id: Annotated[str | None, Form(max_length=64)] = None,
                 direction: Annotated[Direction | None, Form()] = None) -> dict[str, Any]:
    """A camera without its own ANPR posts a picture; bordergate reads the plate, then decides as for text."""
    with gate.reader() as uow:
        plate_control.authenticate_camera(uow, key)  # before spending CPU on a stranger's picture
    image = picture.file.read(MAX_PICTURE_BYTES + 1)
    if not image or len(image) > MAX_PICTURE_BYTES:
        raise Invalid([FieldProblem("picture", f"send one JPEG or PNG of at most {MAX_PICTURE_BYTES:,} bytes")])
    readings = parsed("picture", partial(gate.plate_reader().read, crop=crop), image)
    if not readings:
        raise Invalid([FieldProblem("picture", "no plate could be read in this picture; send a sharper or closer "
                                               "picture, or the operator enters the plate by hand")])
    best = readings[0]
    answer = gate.bus.handle(commands.RecordCameraRead(
        key or "", captured_at=captured_at, plate=best.text, confidence=best.confidence,
        direction=direction.value if direction else None, read_id=read_id,
        image_ref=f"sha256:{hashlib.sha256(image).hexdigest()}", from_image=True))
    body = _answer(gate, answer, locale, response)
    body["recognised"] = {"plate": best.plate, "text": best.text, "confidence": best.confidence, "rows": best.rows}
    return body


@router.post("/cameras/heartbeat", status_code=status.HTTP_204_NO_CONTENT)
def heartbeat(key: CameraKey, gate: GateDep) -> Response:
    """A camera with nothing to read says it is alive, so it is not reported silent."""
    gate.bus.handle(commands.ReportHeartbeat(key or ""))
    return Response(status_code=status.HTTP_204_NO_CONTENT)

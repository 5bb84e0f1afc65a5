"""A control room for smart-control tests: Huu Nghi's checkpoints with cameras, and what the gate has stored."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bordergate.adapters.sql.tables import audit_log, plate_reads
from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.alerts import Alert
from bordergate.domain.plate_reads import PlateRead
from bordergate.services.plate_control import ReadAnswer
from tests.builders import Gateway, World, a_gateway, a_trip, a_world, clear_agencies

PLATE = "12C-123.45"
CONFIDENT = 0.95
UNSURE = 0.5
# The stops every outbound truck must be read at before the border (approach and inspection are optional).
OUTBOUND_WAY = ("waiting_area_entry", "yard_entry")


@dataclass
class ControlRoom:
    """The people at the gate, Huu Nghi's cameras, and the questions a control room asks of the store."""

    gate: Gate
    world: World
    huu_nghi: Gateway

    def declare(self, **trip: Any) -> str:
        """Lan declares a trip for her farm; keyword overrides as in ``a_trip``."""
        return self.gate.bus.handle(commands.SubmitDeclaration(self.world.lan, self.world.farm,
                                                               a_trip(self.gate, **trip)))

    def read(self, checkpoint: str, plate: str = PLATE, confidence: float = CONFIDENT, *,
             at: datetime | None = None, gateway: Gateway | None = None, **sent: Any) -> ReadAnswer:
        """The camera of ``checkpoint`` sends a read, as the API would hand it to the bus."""
        key = (gateway or self.huu_nghi).keys[checkpoint]
        return self.send(key, plate, confidence, at=at, **sent)

    def send(self, key: str, plate: str = PLATE, confidence: float = CONFIDENT, *, at: datetime | None = None,
             **sent: Any) -> ReadAnswer:
        """A read under any camera key, good or bad."""
        return self.gate.bus.handle(commands.RecordCameraRead(
            key, captured_at=at or self.gate.clock.now(), plate=plate, confidence=confidence, **sent))

    def clear(self, reference: str) -> None:
        """Every agency that must act on the trip releases it, so only the barrier's other reasons remain."""
        clear_agencies(self.gate, self.world, reference)

    def drive_up_to_the_border(self, plate: str = PLATE) -> None:
        """The truck is read at each stop before the border, a few minutes apart."""
        for checkpoint in OUTBOUND_WAY:
            self.read(checkpoint, plate)
            self.gate.clock.advance(minutes=5)

    def reads(self, reference: str) -> list[PlateRead]:
        with self.gate.reader() as uow:
            return uow.reads.of_declaration(reference)

    def status(self, reference: str) -> str:
        with self.gate.reader() as uow:
            return uow.declarations.get(reference).status.value

    def alerts(self, kind: str | None = None, status: str | None = "open") -> list[Alert]:
        with self.gate.reader() as uow:
            return uow.alerts.listing(status=status, crossing_point=None, kind=kind)

    def reviews(self, status: str = "open") -> list[tuple[dict[str, Any], PlateRead]]:
        with self.gate.reader() as uow:
            return uow.reviews.listing(None, status, 50)

    def history(self, subject_type: str, subject_id: str) -> list[dict[str, Any]]:
        with self.gate.reader() as uow:
            return uow.audit.history(subject_type, subject_id)

    def stored(self) -> tuple[int, int]:
        """How many reads and audit rows the gate holds: unchanged when a request stored nothing."""
        with self.gate.engine.connect() as connection:
            return tuple(connection.execute(select(func.count()).select_from(table)).scalar_one()
                         for table in (plate_reads, audit_log))


def a_control_room(gate: Gate) -> ControlRoom:
    """Everyone of ``a_world`` and Huu Nghi's checkpoints, one camera each."""
    world = a_world(gate)
    return ControlRoom(gate, world, a_gateway(gate, world.operator))


def reasons(answer: ReadAnswer) -> list[str]:
    """The codes of why the barrier stays shut, in order."""
    return [because.reason.value for because in answer.read.barrier.reasons]


def decision(answer: ReadAnswer) -> str:
    return answer.read.barrier.decision.value

"""A queue desk for queue tests: Huu Nghi running an export queue, trucks declared and booked, and what drivers hear."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.accounts import Principal
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.checkpoints import Direction
from bordergate.services import queue_views
from bordergate.services.plate_control import ReadAnswer
from tests.builders import Gateway, World, a_gateway, a_trip, a_world

POINT, WAY = "HUU_NGHI", "outbound"
LANE = f"{POINT}:{WAY}"
TODAY = date(2026, 11, 27)  # the tests' NOW is 08:00 on this day in Lang Son


def local(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    """A moment as people at the gate say it: ``local(10)`` is 10:00 today in Lang Son (UTC+7)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=GATE_TIME)


def iso(moment: datetime) -> str:
    """A moment as the read models give it: ISO 8601 in UTC."""
    return moment.astimezone(UTC).isoformat()


def said(moment: datetime) -> str:
    """How notices write a moment: '10:00 27/11'."""
    return moment.astimezone(GATE_TIME).strftime("%H:%M %d/%m")


@dataclass(frozen=True)
class Truck:
    """One declared truck: its declaration, the plate painted on it, its driver's phone (E.164), who declared it."""

    reference: str
    plate: str
    phone: str
    declarant: Principal


@dataclass
class QueueDesk:
    """The people of ``a_world``, Huu Nghi's cameras, and the moves and questions of a queue test."""

    gate: Gate
    world: World
    huu_nghi: Gateway
    trucks: int = field(default=0)

    @property
    def handle(self):
        return self.gate.bus.handle

    def plan(self, per_hour: int = 4, closed: range | tuple[int, ...] = ()) -> None:
        """Huu Nghi's export lanes pass ``per_hour`` trucks every local hour except the ``closed`` ones."""
        hourly = tuple(0 if hour in closed else per_hour for hour in range(24))
        self.handle(commands.SetCapacityPlan(self.world.operator, POINT, WAY, hourly))

    def declare(self, goods: str = "phones", *, shelf_life_hours: int | None = None, by: Principal | None = None,
                enterprise: str | None = None, plate: str | None = None, **trip: Any) -> Truck:
        """A new truck (its own plate and driver) declared by Lan for her farm, unless ``by`` someone else."""
        self.trucks += 1
        n = self.trucks
        plate = plate or f"12C-{100 + n:03d}.{10 + n % 90:02d}"
        phone = f"0912{n:06d}"
        made = a_trip(self.gate, goods=goods, plate=plate, driver={
            "full_name": f"Lái xe số {n}", "document_number": f"0010880{n:05d}", "nationality": "VN",
            "phone": phone}, **trip)
        if shelf_life_hours is not None:
            made["goods"][0]["shelf_life_hours"] = shelf_life_hours
        declarant = by or self.world.lan
        reference = self.handle(commands.SubmitDeclaration(declarant, enterprise or self.world.farm, made))
        return Truck(reference, plate, "+84" + phone[1:], declarant)

    def book(self, truck: Truck, slot: datetime | None = None, *, by: Principal | None = None) -> dict[str, Any]:
        """Book the truck's crossing: the hour ``slot``, or the live queue without one."""
        kind = "slot" if slot is not None else "live"
        return self.handle(commands.BookCrossing(by or truck.declarant, truck.reference, kind, slot))

    def cancel(self, truck: Truck, *, by: Principal | None = None) -> None:
        self.handle(commands.CancelBooking(by or truck.declarant, truck.reference, "plans changed"))

    def arrive_at_waiting_area(self, truck: Truck) -> ReadAnswer:
        """The waiting area's camera reads the truck: that checks it in."""
        return self._read("waiting_area_entry", truck)

    def drive_in(self, truck: Truck) -> ReadAnswer:
        """The truck drives up to the yard-entry barrier and its camera reads it."""
        return self._read("yard_entry", truck)

    def _read(self, checkpoint: str, truck: Truck) -> ReadAnswer:
        return self.handle(commands.RecordCameraRead(self.huu_nghi.keys[checkpoint],
                                                     captured_at=self.gate.clock.now(), plate=truck.plate,
                                                     confidence=0.95))

    def run(self) -> dict[str, int]:
        """One turn of the call-forward loop; what it did on Huu Nghi's export lanes."""
        return self.handle(commands.RunCallForward(self.world.operator))[LANE]

    def deliver(self) -> dict[str, int]:
        return self.handle(commands.DeliverNotices(self.world.operator))

    def booking(self, truck: Truck) -> dict[str, Any]:
        """The truck's booking as its declarant sees it (the active one, or how the last one ended)."""
        return queue_views.booking(self.gate.reader(), truck.declarant, truck.reference, "en")

    def status(self, truck: Truck) -> str:
        return self.booking(truck)["status"]["code"]

    def called(self, *trucks: Truck) -> list[Truck]:
        """Which of ``trucks`` stand called forward now."""
        return [truck for truck in trucks if self.status(truck) == "called"]

    def hour(self, starts_at: datetime) -> dict[str, Any]:
        """An hour's capacity, places booked and places free, as the booking screen shows them."""
        return queue_views.free_hours(self.gate.reader(), POINT, WAY, starts_at, 1, self.gate.clock.now())[0]

    def public(self) -> dict[str, Any]:
        """Huu Nghi's export queue as anyone sees it without signing in."""
        lanes = queue_views.public_queues(self.gate.reader(), "en")
        return next(lane for lane in lanes if (lane["crossing_point"], lane["direction"]["code"]) == (POINT, WAY))

    def notices(self, truck: Truck, kind: str | None = None) -> list[dict[str, Any]]:
        """What the outbox holds for the truck's driver, oldest first, optionally of one kind."""
        with self.gate.reader() as uow:
            rows = uow.notices.for_reference(truck.reference)
        return [row for row in rows if kind is None or row["kind"] == kind]

    def texts(self, truck: Truck) -> list[str]:
        """The SMS the driver's phone received, in order."""
        return self.gate.sms.to(truck.phone)

    def strikes(self, enterprise: str | None = None) -> int:
        with self.gate.reader() as uow:
            return uow.bookings.strikes(enterprise or self.world.farm,
                                        self.gate.clock.now() - self.gate.rules.strike_window)

    def active_bookings(self) -> int:
        with self.gate.reader() as uow:
            return len(uow.bookings.active_at(POINT, Direction.OUTBOUND))

    def minutes_later(self, minutes: float) -> None:
        self.gate.clock.advance(minutes=minutes)

    def at(self, moment: datetime) -> None:
        """Move the clock forward to ``moment``."""
        assert moment >= self.gate.clock.now(), "the clock never runs back"
        self.gate.clock.advance(seconds=(moment - self.gate.clock.now()).total_seconds())


def a_queue_desk(gate: Gate, per_hour: int | None = 4, **plan: Any) -> QueueDesk:
    """Everyone of ``a_world``, Huu Nghi's cameras, and (unless ``per_hour`` is None) its export capacity plan."""
    world = a_world(gate)
    desk = QueueDesk(gate, world, a_gateway(gate, world.operator))
    if per_hour is not None:
        desk.plan(per_hour, **plan)
    return desk


def hours(n: float) -> timedelta:
    return timedelta(hours=n)

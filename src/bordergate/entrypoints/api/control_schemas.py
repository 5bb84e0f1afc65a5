"""Wire shapes of smart control: checkpoints, cameras, plate reads, reviews, alerts and holds."""
from __future__ import annotations

from pydantic import Field

from bordergate.entrypoints.api.inputs import In, Moment

from bordergate.domain.checkpoints import CheckpointKind, Direction


class CheckpointIn(In):
    """A checkpoint of a crossing point: what kind it is, which way its lanes carry trucks, how many lanes."""

    crossing_point: str = Field(examples=["HUU_NGHI"])
    kind: CheckpointKind
    direction: Direction
    name: str = Field(max_length=120, examples=["Hữu Nghị yard gate (export)"])
    lanes: int = Field(1, ge=1, le=32)


class CameraIn(In):
    """A camera at one lane of the checkpoint; its key is in the answer, shown only once."""

    name: str = Field(max_length=120, examples=["HN yard gate lane 1"])
    lane: int = Field(1, ge=1, le=32)


class RevocationIn(In):
    reason: str | None = Field(None, max_length=500)


class PlateReadIn(In):
    """What a camera's ANPR box sends for each truck it sees."""

    captured_at: Moment = Field(examples=["2026-11-28T08:15:00+07:00"],
                                       description="When the picture was taken, with its time zone")
    plate: str = Field(max_length=32, examples=["12C-123.45"], description="The text the camera read, as read")
    confidence: float = Field(ge=0, le=1, strict=True, examples=[0.93],
                              description="The camera's certainty, a number from 0 to 1")
    direction: Direction | None = Field(None, description="Checked against the camera's checkpoint when sent")
    read_id: str | None = Field(None, max_length=64, examples=["cam7-000123"],
                                description="The camera's own id for this read; a retry with it is recognised")
    image_ref: str | None = Field(None, max_length=200, description="Where the camera keeps the picture")


class ManualReadIn(In):
    """A plate an operator typed because the checkpoint's camera is down."""

    plate: str = Field(max_length=32, examples=["12C-123.45"])
    captured_at: Moment | None = Field(None, description="When the truck was there; now if not given")
    note: str | None = Field(None, max_length=500, examples=["camera 2 down, read by the gate guard"])


class ReviewIn(In):
    """Settle a read in review with exactly one of: the declaration it is, the plate it says, or a dismissal."""

    reference: str | None = Field(None, max_length=24, examples=["BG261128-7K3M9Q"])
    plate: str | None = Field(None, max_length=32, examples=["12C-123.45"])
    dismiss: str | None = Field(None, description="undeclared (a truck with no declaration) or not_a_plate")
    note: str | None = Field(None, max_length=500)


class NoteIn(In):
    note: str = Field(max_length=500, examples=["driver sent back to declare; truck left the waiting area"])


class HoldIn(In):
    reason: str = Field(max_length=500, examples=["phytosanitary certificate missing"],
                        description="Shown to the declarant, so they know what to bring")


class LiftIn(In):
    note: str | None = Field(None, max_length=500)


class BookingIn(In):
    """A place for the declared truck: a fixed hour, or the live queue (the first free place)."""

    kind: str = Field(examples=["slot"], description="slot (a fixed hour) or live (the live queue)")
    slot_start: Moment | None = Field(None, examples=["2026-12-01T08:00:00+07:00"],
                                             description="The hour booked, for kind slot")
    direction: str | None = Field(None, description="Only for transit and transshipment: outbound or inbound")


class CancelBookingIn(In):
    reason: str | None = Field(None, max_length=500)


class PriorityIn(In):
    priority: str = Field(examples=["live_animals"],
                          description="none, emergency, live_animals or official (granted on papers seen)")


class CapacityPlanIn(In):
    hourly: list[int] = Field(min_length=24, max_length=24, examples=[[0] * 7 + [40] * 12 + [0] * 5],
                              description="Trucks per hour for each local hour 00-23 (0: closed)")


class CapacityChangeIn(In):
    direction: str | None = Field(None, description="outbound, inbound, or both when left out")
    starts_at: Moment
    ends_at: Moment
    per_hour: int = Field(ge=0, le=1000, description="Trucks per hour meanwhile; 0 closes the crossing point")
    reason: str = Field(max_length=500, examples=["Tết holiday: the Chinese side is closed"])


class DayLimitIn(In):
    trucks: int = Field(ge=0, le=100000, examples=[300], description="What the other side accepts that day")


class RegulationOrderIn(In):
    crossing_point: str = Field(examples=["TAN_THANH"])
    direction: str | None = Field(None, description="outbound, inbound, or both when left out")
    staging_area: str = Field(max_length=200, examples=["Bãi đỗ Km 18 QL4A"])
    message: str = Field(max_length=500, examples=["Dừng tại bãi Km 18 đến khi có thông báo"])

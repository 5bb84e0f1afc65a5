"""Alerts: what a person in the control room must look at, and the rules that raise them."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bordergate.domain.checkpoints import CheckpointKind, Direction, stops_before
from bordergate.domain.labels import Labelled


@dataclass(frozen=True)
class ControlLimits:
    """The thresholds of smart control, from the settings: how sure a read must be, how long is too long."""

    min_confidence: float = 0.80
    yard_dwell_limit: timedelta = timedelta(hours=8)
    camera_silence: timedelta = timedelta(minutes=5)
    clone_window: timedelta = timedelta(minutes=30)


class AlertKind(Labelled):
    """Something that does not add up at the gate."""

    UNDECLARED_TRUCK = ("undeclared_truck", "Xe chưa khai báo", "Undeclared truck", "未申报车辆", "red")
    CHECKPOINT_SKIPPED = ("checkpoint_skipped", "Bỏ qua trạm kiểm soát", "Checkpoint skipped", "跳过检查点", "amber")
    OVERSTAY_IN_YARD = ("overstay_in_yard", "Ở bãi quá lâu", "In the yard too long", "场内滞留超时", "amber")
    CLONED_PLATE = ("cloned_plate", "Nghi biển số giả", "Same plate in two places", "疑似套牌", "red")
    EXIT_WITHOUT_CLEARANCE = ("exit_without_clearance", "Ra khi chưa thông quan", "Exit without clearance",
                              "未放行即出境", "red")
    CAMERA_SILENT = ("camera_silent", "Camera mất tín hiệu", "Camera silent", "摄像头无信号", "amber")


# Alerts that say the truck read may not be the truck declared, so its read opens no barrier until an operator has
# confirmed it in the review queue. Only a cloned plate says that of a read that matched a trip: an undeclared truck
# matched none (it is diverted or held anyway), a skipped checkpoint is already a reason at the last barrier, and an
# overstay, a silent camera or an exit without clearance are about where a truck is or what it lacks, not who it is.
IDENTITY_IN_DOUBT = frozenset({AlertKind.CLONED_PLATE})


class AlertStatus(Labelled):
    """An open alert waits for a person; a resolved one says who closed it (or that the system saw it end)."""

    OPEN = ("open", "Đang mở", "Open", "待处理", "red")
    RESOLVED = ("resolved", "Đã xử lý", "Resolved", "已处理", "grey")


@dataclass(frozen=True)
class Alert:
    """One alert. ``dedupe_key`` keeps one open alert per thing gone wrong, however often it is seen."""

    id: str
    kind: AlertKind
    crossing_point: str | None
    detail: str
    dedupe_key: str
    raised_at: datetime
    checkpoint_id: str | None = None
    camera_id: str | None = None
    reference: str | None = None
    plate: str | None = None
    read_id: str | None = None
    status: AlertStatus = AlertStatus.OPEN
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None


def skipped_stops(kind: CheckpointKind, direction: Direction,
                  passed: Collection[CheckpointKind]) -> tuple[CheckpointKind, ...]:
    """The checkpoints a truck now at ``kind`` should have passed already but has no read at."""
    return tuple(stop for stop in stops_before(kind, direction) if stop not in passed)


def too_close_for_travel(a: datetime, b: datetime, window: timedelta) -> bool:
    """Two sightings of one plate at different crossing points this close in time cannot be one truck."""
    return abs(a - b) < window


def doubt_lifted(confirmed_here: Collection[datetime], seen_elsewhere: Collection[datetime]) -> bool:
    """A plate seen elsewhere is no longer in doubt here once an operator confirmed a read of the trip here captured
    after every sighting elsewhere (a new sighting elsewhere puts it in doubt again)."""
    return bool(confirmed_here) and max(confirmed_here) >= max(seen_elsewhere)


def overstay_cutoff(now: datetime, limit: timedelta) -> datetime:
    """Trucks that entered the yard before this moment and have not left are overstaying."""
    return now - limit


def silent_since(last_heard: datetime | None, registered_at: datetime) -> datetime:
    """When a camera was last heard from; a camera never heard counts from its registration."""
    return last_heard or registered_at

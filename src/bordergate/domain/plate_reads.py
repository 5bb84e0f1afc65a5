"""Plate reads: a sighting of a plate at a checkpoint, what it matched and what the barrier was told."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bordergate.domain.barrier import BarrierDecision, Reason
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.labels import Labelled
from bordergate.domain.plate_matching import Candidate, MatchOutcome, PlateRole

MAX_PLATE_TEXT = 32


class ReadSource(Labelled):
    """Who read the plate: a camera's own ANPR, bordergate from a camera's picture, or a person."""

    CAMERA = ("camera", "Camera", "Camera ANPR", "摄像头识别", "blue")
    CAMERA_IMAGE = ("camera_image", "Ảnh từ camera", "Read from a camera picture", "摄像头图片识别", "blue")
    MANUAL = ("manual", "Nhập tay", "Entered by hand", "人工录入", "amber")
    REVIEW = ("review", "Xác nhận của điều hành", "Confirmed by an operator", "人工复核", "teal")


class ReviewStatus(Labelled):
    """A read in the review queue waits for a person until someone confirms, corrects or dismisses it."""

    OPEN = ("open", "Chờ xác nhận", "Waiting for review", "待复核", "amber")
    RESOLVED = ("resolved", "Đã xác nhận", "Reviewed", "已复核", "grey")


@dataclass(frozen=True)
class Sighting:
    """A plate as one source saw it, before matching: where, when, and how sure."""

    checkpoint_id: str
    captured_at: datetime
    plate_text: str
    confidence: float
    source: ReadSource
    camera_id: str | None = None
    camera_read_id: str | None = None
    image_ref: str | None = None
    direction: Direction | None = None
    note: str | None = None

    def problems(self, checkpoint_direction: Direction) -> list[FieldProblem]:
        """What is wrong with this sighting as sent; empty when it can be matched."""
        problems = []
        if not any(char.isalnum() for char in self.plate_text):
            problems.append(FieldProblem("plate", "send the plate text the camera read (it has no letters or digits)"))
        # A line break may join the rows of a two-row plate; any other control character is a broken feed.
        elif any(unicodedata.category(char) == "Cc" and char != "\n" for char in self.plate_text.strip()):
            problems.append(FieldProblem("plate", "contains control characters; send the text as read"))
        elif len(self.plate_text) > MAX_PLATE_TEXT:
            problems.append(FieldProblem("plate", f"is {len(self.plate_text)} characters; a plate read has at "
                                                  f"most {MAX_PLATE_TEXT}"))
        if not 0.0 <= self.confidence <= 1.0:
            problems.append(FieldProblem("confidence", "must be between 0 and 1 (the camera's certainty)"))
        if self.captured_at.tzinfo is None:
            problems.append(FieldProblem("captured_at", "give the time zone (e.g. 2026-11-28T08:15:00+07:00)"))
        if self.direction is not None and self.direction is not checkpoint_direction:
            problems.append(FieldProblem(
                "direction", f"this camera's checkpoint carries {checkpoint_direction.value} traffic, "
                             f"not {self.direction.value}; check the camera's registration"))
        return problems

    def require_valid(self, checkpoint_direction: Direction) -> None:
        problems = self.problems(checkpoint_direction)
        if problems:
            raise Invalid(problems)


@dataclass(frozen=True)
class TripOnRecord:
    """An open declaration whose plate a read may be: enough to choose between trips of one truck."""

    reference: str
    plate: str
    role: PlateRole
    planned_arrival: datetime
    seen_at_gate: bool
    essentials: tuple[Any, ...] | None = None  # (status, flow, trailer plate) as the declaration has them, when known


def candidates_for(trips: Iterable[TripOnRecord], captured_at: datetime) -> list[Candidate]:
    """One candidate per plate: a truck with several open trips is the trip it is on, not an ambiguity.

    A plate is on one vehicle, so two declarations with the same plate are two trips of one truck: the one already
    seen at the gate, else the one planned nearest the moment of the read.
    """
    chosen: dict[str, TripOnRecord] = {}
    for trip in trips:
        best = chosen.get(trip.plate)
        if best is None or _sooner(trip, best, captured_at):
            chosen[trip.plate] = trip
    return [Candidate(t.reference, t.plate, t.role) for t in chosen.values()]


def _sooner(trip: TripOnRecord, other: TripOnRecord, at: datetime) -> bool:
    return ((not trip.seen_at_gate, abs(trip.planned_arrival - at), trip.reference)
            < (not other.seen_at_gate, abs(other.planned_arrival - at), other.reference))


@dataclass(frozen=True)
class Pass:
    """A trip's first read at a checkpoint: the stops on its way, in capture order."""

    kind: CheckpointKind
    checkpoint_id: str
    captured_at: datetime
    direction: Direction


@dataclass(frozen=True)
class PlateRead:
    """A stored read with its verdict: the match, the barrier decision, and whether it was the trip's pass."""

    id: str
    sighting: Sighting
    crossing_point: str
    checkpoint_kind: CheckpointKind
    direction: Direction
    received_at: datetime
    actor: str
    read_as: str
    outcome: MatchOutcome
    barrier: BarrierDecision
    reference: str | None = None
    role: PlateRole | None = None
    is_pass: bool = False
    corrects_read_id: str | None = None
    suggestions: tuple[dict[str, Any], ...] = field(default=())
    match_reasons: tuple[str, ...] = field(default=())

    @property
    def needs_review(self) -> bool:
        """No barrier acts on it alone: the read fits no trip surely, or its plate was just seen elsewhere."""
        return self.outcome is not MatchOutcome.MATCHED or any(
            b.reason is Reason.PLATE_IN_DOUBT for b in self.barrier.reasons)

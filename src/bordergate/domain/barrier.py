"""Barrier decisions: whether a truck read at a checkpoint may go on, and every reason it may not."""
from __future__ import annotations

from dataclasses import dataclass, field

from bordergate.domain.clearance import AgencyCheck, CheckStatus
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.labels import Labelled
from bordergate.domain.plate_matching import MatchOutcome


class Decision(Labelled):
    """What the barrier does: let the truck on, keep it here, or send it elsewhere (to declare, to wait)."""

    OPEN = ("open", "Mở barie", "Open", "放行", "green")
    HOLD = ("hold", "Giữ lại", "Hold", "暂停", "amber")
    DIVERT = ("divert", "Chuyển hướng", "Divert", "引导离开", "red")


class Reason(Labelled):
    """Why a barrier stays shut; each names what must happen before the truck may go on."""

    NOT_DECLARED = ("not_declared", "Chưa khai báo", "Not declared", "未申报", "red")
    PLATE_UNSURE = ("plate_unsure", "Biển số chưa chắc chắn", "Plate needs a person to confirm", "车牌待人工确认",
                    "amber")
    PLATE_IN_DOUBT = ("plate_in_doubt", "Nghi biển số giả: chờ xác nhận", "Same plate elsewhere: a person confirms",
                      "疑似套牌，待人工确认", "red")
    WRONG_DIRECTION = ("wrong_direction", "Sai chiều", "Declared for the other direction", "方向与申报不符", "red")
    NOT_CALLED_FORWARD = ("not_called_forward", "Chưa được gọi", "Not yet called forward", "尚未叫号", "amber")
    AGENCY_HOLD = ("agency_hold", "Cơ quan chức năng đang giữ", "Held by an agency", "监管部门扣留", "red")
    AGENCY_PENDING = ("agency_pending", "Chờ cơ quan chức năng", "Waiting for an agency's release", "等待监管部门放行",
                      "amber")
    AGENCY_REFUSED = ("agency_refused", "Bị từ chối, phải quay lại", "Refused by an agency: the truck returns",
                      "被拒绝，须退回", "red")
    FEE_UNPAID = ("fee_unpaid", "Chưa nộp phí", "Fee unpaid", "费用未缴", "amber")
    CHECKPOINT_SKIPPED = ("checkpoint_skipped", "Chưa qua trạm trước", "An earlier checkpoint has no read",
                          "未经过前序检查点", "amber")


@dataclass(frozen=True)
class Because:
    """One reason with the particulars an operator or driver needs (which agency, how much, which plates)."""

    reason: Reason
    detail: str


@dataclass(frozen=True)
class AgencyHold:
    """An officer's hold on a truck: the agency (by role) and the reason the declarant is shown."""

    id: str
    agency: str
    reason: str


@dataclass(frozen=True)
class Clearance:
    """What is known about a matched truck when it is read. ``None`` means the gate does not run that check yet.

    ``plate_doubt`` says why this may not be the declared truck (its plate was just read at another crossing
    point); until an operator confirms the read it holds at every checkpoint.
    ``skipped`` names the checkpoints before this one that have no read of the truck. ``called_forward`` comes
    from the queue, ``agency_checks`` (those not yet released) from the agencies, and ``fee_outstanding_vnd``
    from fee collection; where a crossing point runs none of these, they are None and no barrier waits for them.
    """

    trip_direction: Direction | None
    holds: tuple[AgencyHold, ...] = ()
    skipped: tuple[CheckpointKind, ...] = ()
    called_forward: bool | None = None
    fee_outstanding_vnd: int | None = None
    agency_checks: tuple[AgencyCheck, ...] | None = None
    queue_note: str = "wait in the waiting area until the truck is called"
    plate_doubt: str | None = None


@dataclass(frozen=True)
class BarrierDecision:
    """The decision and its reasons, in the order a person should deal with them; empty reasons with OPEN."""

    decision: Decision
    reasons: tuple[Because, ...] = field(default=())


def decide_unmatched(kind: CheckpointKind, direction: Direction, outcome: MatchOutcome,
                     confident: bool) -> BarrierDecision:
    """A read that fits no open declaration, or not surely one: never opens; a person reviews it."""
    if outcome is MatchOutcome.NO_MATCH and confident:
        # An outbound truck is sent back to declare; one that has come in from China cannot be turned round at the
        # line or inside the gate: it is held for the border guard.
        if direction is Direction.INBOUND:
            return BarrierDecision(Decision.HOLD, (Because(
                Reason.NOT_DECLARED, "no open declaration at this crossing point has this plate; the border guard "
                                     "deals with the truck"),))
        return BarrierDecision(Decision.DIVERT, (Because(
            Reason.NOT_DECLARED, "no open declaration at this crossing point has this plate; declare the trip first"),))
    detail = {
        MatchOutcome.AMBIGUOUS: "the read fits more than one declared truck",
        MatchOutcome.LOW_CONFIDENCE: "the read is not sure enough to act on",
        MatchOutcome.NO_MATCH: "the camera is not sure of the read and it fits no declared truck",
    }[outcome]
    return BarrierDecision(Decision.HOLD, (Because(Reason.PLATE_UNSURE, detail + "; an operator is confirming it"),))


def decide(kind: CheckpointKind, direction: Direction, clearance: Clearance) -> BarrierDecision:
    """The decision for a declared truck read at a checkpoint of ``kind`` on a lane going ``direction``."""
    reasons: list[Because] = []
    if clearance.plate_doubt:
        # Everything below is about the declared truck; first a person must see that this is that truck.
        reasons.append(Because(Reason.PLATE_IN_DOUBT, f"{clearance.plate_doubt}; an operator confirms this is the "
                                                      "declared truck (review queue)"))
    if clearance.trip_direction not in (None, direction):
        reasons.append(Because(Reason.WRONG_DIRECTION,
                               f"the trip is declared {clearance.trip_direction.label('en').lower()} but was read on "
                               f"a {direction.label('en').lower()} lane"))
    if kind.waits_for_the_call and clearance.called_forward is False:
        reasons.append(Because(Reason.NOT_CALLED_FORWARD, clearance.queue_note))
    if kind.heeds_holds:
        reasons += [Because(Reason.AGENCY_HOLD, f"{hold.agency}: {hold.reason}") for hold in clearance.holds]
    if kind.releases_the_truck and clearance.skipped:
        # The last barrier never lets out a truck whose way through the gate has a gap: it may have dodged the yard.
        names = ", ".join(stop.label("en").lower() for stop in clearance.skipped)
        reasons.append(Because(Reason.CHECKPOINT_SKIPPED, f"no read at {names}; an operator checks and enters it"))
    if kind.releases_the_truck:
        reasons += [_missing(check) for check in clearance.agency_checks or ()]
    if kind.releases_the_truck and (clearance.fee_outstanding_vnd or 0) > 0:
        reasons.append(Because(Reason.FEE_UNPAID, f"{clearance.fee_outstanding_vnd:,} VND is still to pay"))
    if any(r.reason is Reason.AGENCY_REFUSED for r in reasons):
        return BarrierDecision(Decision.DIVERT, tuple(reasons))
    return BarrierDecision(Decision.HOLD if reasons else Decision.OPEN, tuple(reasons))


def _missing(check: AgencyCheck) -> Because:
    """What one agency's unreleased check still asks, in words the driver and the operator can act on."""
    agency = check.agency.label("en")
    if check.status is CheckStatus.REFUSED:
        return Because(Reason.AGENCY_REFUSED, f"{agency}: {check.hold_reason or 'refused'}; the truck goes back")
    if check.status is CheckStatus.HELD:
        return Because(Reason.AGENCY_HOLD, f"{agency}: {check.hold_reason}; the declarant must send "
                                           f"{', '.join(check.needs) or 'what was asked'}")
    return Because(Reason.AGENCY_PENDING, f"{agency}: {check.status.label('en').lower()}")

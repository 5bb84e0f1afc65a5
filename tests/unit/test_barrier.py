"""Barrier decisions: a cleared truck goes on, and a truck that may not is told every reason, in plain words."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.barrier import AgencyHold, BarrierDecision, Clearance, Decision, Reason, decide, decide_unmatched
from bordergate.domain.checkpoints import ROUTE, CheckpointKind, Direction
from bordergate.domain.plate_matching import MatchOutcome

OUTBOUND, INBOUND = Direction.OUTBOUND, Direction.INBOUND
(APPROACH, WAITING_AREA, YARD, INSPECTION, BORDER_OUT, BORDER_IN,
 GATE_EXIT) = (CheckpointKind.HIGHWAY_APPROACH, CheckpointKind.WAITING_AREA_ENTRY, CheckpointKind.YARD_ENTRY,
               CheckpointKind.INSPECTION, CheckpointKind.BORDER_OUT, CheckpointKind.BORDER_IN, CheckpointKind.GATE_EXIT)
RELEASE = (BORDER_OUT, GATE_EXIT)
ON_THE_WAY = [(direction, kind) for direction, route in ROUTE.items() for kind in route]


def a_hold(agency: str = "customs", reason: str = "documents to check", id: str = "H-1") -> AgencyHold:
    return AgencyHold(id, agency, reason)


def a_truck(direction: Direction | None = OUTBOUND, *, holds=(), skipped=(), called_forward=None,
            fee=None) -> Clearance:
    """What is known about a declared truck; by default it is cleared and the gate runs no queue and no fees."""
    return Clearance(direction, tuple(holds), tuple(skipped), called_forward, fee)


def reasons_of(decision: BarrierDecision) -> list[Reason]:
    return [because.reason for because in decision.reasons]


def at(kind: CheckpointKind, clearance: Clearance, lane: Direction | None = None) -> BarrierDecision:
    """The decision at ``kind`` on a lane of the truck's own direction (or of ``lane``)."""
    return decide(kind, lane or clearance.trip_direction or OUTBOUND, clearance)


# Declared trucks


@pytest.mark.parametrize(("direction", "kind"), ON_THE_WAY)
def test_a_cleared_truck_goes_through_every_barrier_on_its_way(direction, kind):
    assert at(kind, a_truck(direction)) == BarrierDecision(Decision.OPEN, ())


@pytest.mark.parametrize(("lane", "kind"), ON_THE_WAY)
def test_a_transit_trip_may_use_a_lane_of_either_direction(lane, kind):
    assert at(kind, a_truck(None), lane).decision is Decision.OPEN


@pytest.mark.parametrize(("declared", "lane", "kind"), [(OUTBOUND, INBOUND, BORDER_IN), (INBOUND, OUTBOUND, YARD),
                                                        (INBOUND, OUTBOUND, BORDER_OUT)])
def test_a_truck_read_on_a_lane_of_the_other_direction_is_held(declared, lane, kind):
    decision = at(kind, a_truck(declared), lane)
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.WRONG_DIRECTION]


def test_the_wrong_direction_hold_says_both_directions():
    decision = at(BORDER_IN, a_truck(OUTBOUND), INBOUND)
    assert decision.reasons[0].detail == ("the trip is declared outbound (to china) but was read on a "
                                          "inbound (into vietnam) lane")


@pytest.mark.parametrize("kind", [YARD, BORDER_OUT])
def test_a_truck_not_yet_called_forward_waits_at_the_yard_and_the_border_line(kind):
    decision = at(kind, a_truck(called_forward=False))
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.NOT_CALLED_FORWARD]
    assert decision.reasons[0].detail == "wait in the waiting area until the truck is called"


@pytest.mark.parametrize("kind", [APPROACH, WAITING_AREA, INSPECTION])
def test_a_truck_not_yet_called_forward_may_still_reach_the_waiting_area(kind):
    assert at(kind, a_truck(called_forward=False)).decision is Decision.OPEN


@pytest.mark.parametrize("kind", [YARD, BORDER_OUT])
@pytest.mark.parametrize("called_forward", [True, None])
def test_a_called_truck_or_a_gate_without_a_queue_lets_the_truck_on(kind, called_forward):
    assert at(kind, a_truck(called_forward=called_forward)).decision is Decision.OPEN


@pytest.mark.parametrize(("direction", "kind"), [(OUTBOUND, BORDER_OUT), (INBOUND, GATE_EXIT), (INBOUND, BORDER_IN)])
def test_a_truck_held_by_an_agency_stays_at_the_border_line_and_the_last_barrier(direction, kind):
    decision = at(kind, a_truck(direction, holds=[a_hold("quarantine", "samples at the lab")]))
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.AGENCY_HOLD]
    assert decision.reasons[0].detail == "quarantine: samples at the lab"


@pytest.mark.parametrize(("direction", "kind"), [(OUTBOUND, APPROACH), (OUTBOUND, WAITING_AREA), (OUTBOUND, YARD),
                                                 (OUTBOUND, INSPECTION), (INBOUND, YARD), (INBOUND, INSPECTION)])
def test_a_truck_held_by_an_agency_may_still_drive_to_the_yard_and_the_inspection_area(direction, kind):
    assert at(kind, a_truck(direction, holds=[a_hold()])).decision is Decision.OPEN


def test_every_agency_hold_on_a_truck_is_listed_in_the_order_given():
    holds = [a_hold("customs", "seal broken", "H-1"), a_hold("border_guard", "driver to interview", "H-2")]
    decision = at(BORDER_OUT, a_truck(holds=holds))
    assert [b.detail for b in decision.reasons] == ["customs: seal broken", "border_guard: driver to interview"]


@pytest.mark.parametrize(("direction", "kind"), [(OUTBOUND, BORDER_OUT), (INBOUND, GATE_EXIT)])
def test_a_truck_with_fees_to_pay_is_not_released(direction, kind):
    decision = at(kind, a_truck(direction, fee=1_500_000))
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.FEE_UNPAID]
    assert decision.reasons[0].detail == "1,500,000 VND is still to pay"


@pytest.mark.parametrize(("direction", "kind"), [(OUTBOUND, WAITING_AREA), (OUTBOUND, YARD), (INBOUND, BORDER_IN),
                                                 (INBOUND, YARD)])
def test_fees_are_paid_before_release_so_earlier_barriers_do_not_ask(direction, kind):
    assert at(kind, a_truck(direction, fee=1_500_000)).decision is Decision.OPEN


@pytest.mark.parametrize("fee", [0, None])
def test_a_truck_with_nothing_to_pay_or_at_a_gate_without_fees_is_released(fee):
    assert at(BORDER_OUT, a_truck(fee=fee)).decision is Decision.OPEN


@pytest.mark.parametrize(("direction", "kind", "skipped"), [(OUTBOUND, BORDER_OUT, [YARD]),
                                                            (INBOUND, GATE_EXIT, [BORDER_IN, YARD])])
def test_a_truck_with_no_read_at_an_earlier_checkpoint_is_not_released(direction, kind, skipped):
    decision = at(kind, a_truck(direction, skipped=skipped))
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.CHECKPOINT_SKIPPED]


def test_the_skipped_checkpoints_are_named_for_the_operator():
    decision = at(BORDER_OUT, a_truck(skipped=[WAITING_AREA, YARD]))
    assert decision.reasons[0].detail == "no read at waiting-area entry, yard entry; an operator checks and enters it"


@pytest.mark.parametrize(("direction", "kind"), [(OUTBOUND, YARD), (OUTBOUND, INSPECTION), (INBOUND, YARD)])
def test_a_missed_read_does_not_stop_a_truck_before_its_last_barrier(direction, kind):
    assert at(kind, a_truck(direction, skipped=[WAITING_AREA])).decision is Decision.OPEN


def test_a_truck_that_may_not_leave_for_several_reasons_is_told_all_of_them_in_order():
    truck = a_truck(holds=[a_hold("customs", "x-ray"), a_hold("quarantine", "samples")], skipped=[YARD],
                    called_forward=False, fee=250_000)
    decision = at(BORDER_OUT, truck)
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.NOT_CALLED_FORWARD, Reason.AGENCY_HOLD, Reason.AGENCY_HOLD,
                                    Reason.CHECKPOINT_SKIPPED, Reason.FEE_UNPAID]


clearances = st.builds(
    a_truck, st.sampled_from([OUTBOUND, INBOUND, None]),
    holds=st.lists(st.builds(a_hold, st.sampled_from(["customs", "quarantine", "border_guard"])), max_size=3),
    skipped=st.lists(st.sampled_from([WAITING_AREA, YARD, BORDER_IN]), max_size=2, unique=True),
    called_forward=st.sampled_from([True, False, None]), fee=st.one_of(st.none(), st.integers(0, 10**9)))


@given(st.sampled_from(CheckpointKind), st.sampled_from(Direction), clearances)
def test_a_declared_truck_is_opened_for_or_held_never_diverted_and_a_hold_always_says_why(kind, lane, clearance):
    decision = decide(kind, lane, clearance)
    assert decision.decision in (Decision.OPEN, Decision.HOLD)
    assert (decision.decision is Decision.OPEN) == (decision.reasons == ())
    assert all(because.detail for because in decision.reasons)


@given(st.sampled_from([APPROACH, WAITING_AREA, INSPECTION]), clearances)
def test_on_the_approach_the_waiting_area_and_the_inspection_area_only_a_wrong_lane_stops_a_truck(kind, clearance):
    assert set(reasons_of(decide(kind, OUTBOUND, clearance))) <= {Reason.WRONG_DIRECTION}


# Reads that fit no declared truck, or not surely one


@pytest.mark.parametrize("kind", [APPROACH, WAITING_AREA, YARD, INSPECTION, BORDER_OUT])
def test_an_undeclared_truck_is_sent_away_to_declare_before_it_crosses(kind):
    decision = decide_unmatched(kind, OUTBOUND, MatchOutcome.NO_MATCH, confident=True)
    assert decision.decision is Decision.DIVERT
    assert reasons_of(decision) == [Reason.NOT_DECLARED]
    assert "declare the trip first" in decision.reasons[0].detail


@pytest.mark.parametrize("kind", [BORDER_IN, YARD, INSPECTION, GATE_EXIT])
def test_an_undeclared_truck_come_in_from_china_is_held_not_turned_round(kind):
    decision = decide_unmatched(kind, INBOUND, MatchOutcome.NO_MATCH, confident=True)
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.NOT_DECLARED]


@pytest.mark.parametrize("kind", list(CheckpointKind))
@pytest.mark.parametrize(("outcome", "confident"), [(MatchOutcome.NO_MATCH, False), (MatchOutcome.AMBIGUOUS, True),
                                                    (MatchOutcome.AMBIGUOUS, False),
                                                    (MatchOutcome.LOW_CONFIDENCE, True),
                                                    (MatchOutcome.LOW_CONFIDENCE, False)])
def test_an_unsure_read_holds_the_truck_while_an_operator_confirms_the_plate(kind, outcome, confident):
    decision = decide_unmatched(kind, OUTBOUND, outcome, confident)
    assert decision.decision is Decision.HOLD
    assert reasons_of(decision) == [Reason.PLATE_UNSURE]
    assert decision.reasons[0].detail.endswith("; an operator is confirming it")


def test_an_unsure_read_says_what_is_unsure_about_it():
    details = {outcome: decide_unmatched(YARD, OUTBOUND, outcome, confident).reasons[0].detail
               for outcome, confident in [(MatchOutcome.AMBIGUOUS, True), (MatchOutcome.LOW_CONFIDENCE, True),
                                          (MatchOutcome.NO_MATCH, False)]}
    assert details[MatchOutcome.AMBIGUOUS].startswith("the read fits more than one declared truck")
    assert details[MatchOutcome.LOW_CONFIDENCE].startswith("the read is not sure enough to act on")
    assert details[MatchOutcome.NO_MATCH].startswith("the camera is not sure of the read")


# Labels


@pytest.mark.parametrize("enum", [Decision, Reason])
def test_decisions_and_reasons_carry_a_label_in_each_language_and_a_colour(enum):
    for locale in ("vi", "en", "zh"):
        labels = [member.label(locale) for member in enum]
        assert all(labels) and len(set(labels)) == len(labels), locale
    assert all(member.colour in {"green", "amber", "red"} for member in enum)


def test_every_reason_is_named_for_what_it_is():
    assert Reason.FEE_UNPAID.label("en") == "Fee unpaid"
    assert Reason.AGENCY_HOLD.label("vi") == "Cơ quan chức năng đang giữ"
    assert Decision.HOLD.label("zh") == "暂停"
    assert Decision.OPEN.label("fr") == "Mở barie"  # an unknown locale falls back to Vietnamese


@pytest.mark.parametrize("direction, kind", ON_THE_WAY)
def test_a_cleared_truck_whose_plate_was_just_seen_at_another_crossing_point_is_held_at_every_checkpoint(direction,
                                                                                                         kind):
    doubted = Clearance(direction, plate_doubt="12C12345 was also read at TAN_THANH 3 min apart")
    held = decide(kind, direction, doubted)
    assert held.decision is Decision.HOLD
    assert reasons_of(held)[0] is Reason.PLATE_IN_DOUBT and "TAN_THANH" in held.reasons[0].detail

"""Agency checks on a trip: who must act, what each decision does, and what the last barrier asks of them."""
from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bordergate.domain.barrier import Clearance, Decision, Reason, decide
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.clearance import NEEDS, Action, CheckStatus, Source, TripClearance
from bordergate.domain.clearance_events import (AgencyActed, AgencyAnswered, AgencyChecksOpened,
                                                AgencyChecksRederived, CustomsChannelAssigned)
from bordergate.domain.errors import Conflict, Invalid
from bordergate.domain.inspection import LANG_SON_2025, Agency, Channel
from bordergate.domain.trip import TripDetails
from bordergate.domain.trip_form import read_trip
from bordergate.services.ports import FixedClock
from tests import builders

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=40)
CUSTOMS, GUARD, PLANT = Agency.CUSTOMS, Agency.BORDER_GUARD, Agency.PLANT_QUARANTINE
OFFICER, SYSTEM, RULES = Source.OFFICER, Source.SYSTEM, Source.RULES


def a_trip(goods: str = "phones", *, flow: str = "export") -> TripDetails:
    """A trip carrying one line of ``goods`` (a key of builders.GOODS): phones need no quarantine, durian does."""
    raw = builders.a_trip(SimpleNamespace(clock=FixedClock(NOW)), goods=goods, flow=flow)
    raw["goods"] = [copy.deepcopy(builders.GOODS[goods])]
    return read_trip(raw, now=NOW, crossing_points={"HUU_NGHI"})


def a_clearance(goods: str = "phones", channel: Channel | None = Channel.YELLOW, *,
                trip: TripDetails | None = None) -> TripClearance:
    """The checks opened for a trip; customs is in ``channel`` by selectivity (None: its system will send it)."""
    return TripClearance.open(reference="BG261127-ABCDEF", enterprise_id="farm", trip=trip or a_trip(goods),
                              table=LANG_SON_2025, actor="lan", now=NOW,
                              channel=(channel, ["a rule"]) if channel else None)


def kinds(clearance: TripClearance) -> list[str]:
    return [type(e).__name__ for e in clearance.events]


def status(clearance: TripClearance, agency: Agency) -> CheckStatus:
    return clearance.checks[agency].status


# Opening the checks and the customs channel


def test_declaring_opens_a_waiting_check_for_each_agency_the_rule_table_names():
    clearance = a_clearance("durian", channel=None)
    assert list(clearance.checks) == [CUSTOMS, GUARD, PLANT]
    assert {c.status for c in clearance.checks.values()} == {CheckStatus.WAITING}
    assert clearance.checks[PLANT].why == "plant products (HS chapters 06-14, 44)"
    assert clearance.channel is None and clearance.rule_version == "lang-son-2025-1"
    opened, = clearance.events
    assert isinstance(opened, AgencyChecksOpened) and (opened.actor, opened.at) == ("lan", NOW)
    assert [c["agency"] for c in opened.checks] == ["customs", "border_guard", "plant_quarantine"]


def test_a_green_channel_is_released_by_selectivity_without_asking_an_officer():
    clearance = a_clearance(channel=Channel.GREEN)
    customs = clearance.checks[CUSTOMS]
    assert (customs.status, customs.source, customs.decided_at) == (CheckStatus.RELEASED, RULES, NOW)
    assert not customs.authoritative
    assert [c.agency for c in clearance.outstanding()] == [GUARD]
    assert kinds(clearance) == ["AgencyChecksOpened", "CustomsChannelAssigned", "AgencyActed"]
    assigned, released = clearance.events[1:]
    assert (assigned.channel, assigned.source, assigned.reasons) == ("green", "rules", ("a rule",))
    assert isinstance(released, AgencyActed)
    assert (released.agency, released.decision, released.source) == ("customs", "release", "rules")


@pytest.mark.parametrize("channel", [Channel.YELLOW, Channel.RED])
def test_a_yellow_or_red_channel_leaves_customs_to_an_officer(channel):
    clearance = a_clearance(channel=channel)
    assert (clearance.channel, clearance.channel_source) == (channel, RULES)
    assert status(clearance, CUSTOMS) is CheckStatus.WAITING
    assert [c.agency for c in clearance.outstanding()] == [CUSTOMS, GUARD]


# Officers' decisions and agencies' systems


@pytest.mark.parametrize("action", list(Action))
def test_an_officer_cannot_confirm_what_the_customs_system_already_released(action):
    clearance = a_clearance()
    clearance.reroute(Channel.GREEN, source=SYSTEM, by="system:customs", now=NOW, reason="VNACCS")
    assert status(clearance, CUSTOMS) is CheckStatus.RELEASED and clearance.checks[CUSTOMS].authoritative
    events = len(clearance.events)
    with pytest.raises(Conflict):
        clearance.act(CUSTOMS, action, source=OFFICER, by="customs", now=LATER, reason="looked again")
    assert status(clearance, CUSTOMS) is CheckStatus.RELEASED and clearance.checks[CUSTOMS].decided_by == \
        "system:customs"
    assert len(clearance.events) == events


def test_a_hold_names_what_the_declarant_must_send():
    clearance = a_clearance("durian")
    clearance.act(PLANT, Action.HOLD, source=OFFICER, by="quarantine", now=LATER, reason="  no  certificate ")
    plant = clearance.checks[PLANT]
    assert (plant.status, plant.hold_reason, plant.needs) == (CheckStatus.HELD, "no certificate", NEEDS[PLANT])
    assert (plant.first_action_at, plant.decided_at) == (LATER, None)
    held = clearance.events[-1]
    assert (held.decision, held.reason, held.needs, held.actor) == ("hold", "no certificate", NEEDS[PLANT],
                                                                  "quarantine")


def test_a_hold_may_ask_for_something_particular():
    clearance = a_clearance()
    clearance.act(GUARD, Action.HOLD, source=OFFICER, by="guard", now=LATER, reason="passport expired",
                  needs=("a valid passport",))
    assert clearance.checks[GUARD].needs == ("a valid passport",)


@pytest.mark.parametrize("action", [Action.HOLD, Action.REFUSE])
@pytest.mark.parametrize("reason", [None, "   "])
def test_holding_or_refusing_a_truck_needs_a_reason_the_declarant_will_see(action, reason):
    clearance = a_clearance()
    with pytest.raises(Invalid) as refused:
        clearance.act(GUARD, action, source=OFFICER, by="guard", now=LATER, reason=reason)
    assert [p.field for p in refused.value.problems] == ["reason"]
    assert status(clearance, GUARD) is CheckStatus.WAITING and len(clearance.events) == 2


def test_answering_a_hold_sends_the_check_back_to_the_agency():
    clearance = a_clearance()
    clearance.act(GUARD, Action.HOLD, source=OFFICER, by="guard", now=NOW, reason="driver's phone unreachable")
    clearance.answer(GUARD, note="new  number", changed=("driver.phone",), by="lan", now=LATER)
    guard = clearance.checks[GUARD]
    assert (guard.status, guard.answer) == (CheckStatus.ANSWERED, "new number")
    assert guard.status.waits_on_agency and guard in clearance.outstanding()
    answered = clearance.events[-1]
    assert isinstance(answered, AgencyAnswered)
    assert (answered.agency, answered.note, answered.changed, answered.actor) == ("border_guard", "new number",
                                                                                 ("driver.phone",), "lan")
    clearance.act(GUARD, Action.RELEASE, source=OFFICER, by="guard", now=LATER + timedelta(minutes=5))
    assert (guard.status, guard.first_action_at, guard.decided_at) == (CheckStatus.RELEASED, NOW,
                                                                      LATER + timedelta(minutes=5))


def test_only_a_held_check_can_be_answered():
    clearance = a_clearance()
    with pytest.raises(Conflict, match="not holding"):
        clearance.answer(GUARD, note="here it is", changed=(), by="lan", now=LATER)
    assert status(clearance, GUARD) is CheckStatus.WAITING


def test_an_answer_must_say_or_correct_something():
    clearance = a_clearance()
    clearance.act(GUARD, Action.HOLD, source=OFFICER, by="guard", now=NOW, reason="passport unreadable")
    with pytest.raises(Invalid) as empty:
        clearance.answer(GUARD, note="  ", changed=(), by="lan", now=LATER)
    assert [p.field for p in empty.value.problems] == ["note"]
    assert status(clearance, GUARD) is CheckStatus.HELD


@pytest.mark.parametrize("first", [Action.RELEASE, Action.REFUSE])
def test_a_release_or_a_refusal_is_final(first):
    clearance = a_clearance()
    clearance.act(GUARD, first, source=OFFICER, by="guard", now=NOW, reason="forged pass")
    with pytest.raises(Conflict, match="nothing is left to decide"):
        clearance.act(GUARD, Action.RELEASE, source=OFFICER, by="guard", now=LATER)
    assert clearance.checks[GUARD].decided_at == NOW


def test_an_agency_with_no_check_on_the_trip_cannot_act_on_it():
    with pytest.raises(Conflict, match="no check"):
        a_clearance("phones").act(PLANT, Action.RELEASE, source=OFFICER, by="quarantine", now=LATER)


# Corrections


def test_a_correction_that_adds_plant_products_adds_plant_quarantine():
    clearance = a_clearance("phones")
    clearance.rederive(a_trip("durian"), LANG_SON_2025, by="lan", now=LATER)
    assert (status(clearance, PLANT), clearance.checks[PLANT].opened_at) == (CheckStatus.WAITING, LATER)
    rederived = clearance.events[-1]
    assert isinstance(rederived, AgencyChecksRederived)
    assert (rederived.added, rederived.withdrawn, rederived.actor) == (("plant_quarantine",), (), "lan")


def test_a_correction_that_drops_plant_products_withdraws_the_untouched_plant_check():
    clearance = a_clearance("durian")
    clearance.rederive(a_trip("phones"), LANG_SON_2025, by="lan", now=LATER)
    assert status(clearance, PLANT) is CheckStatus.WITHDRAWN
    assert PLANT not in [c.agency for c in clearance.outstanding()]
    assert clearance.events[-1].withdrawn == ("plant_quarantine",)
    with pytest.raises(Conflict):
        clearance.act(PLANT, Action.RELEASE, source=OFFICER, by="quarantine", now=LATER)


def test_a_check_already_acted_on_is_not_withdrawn_by_a_correction():
    clearance = a_clearance("durian")
    clearance.act(PLANT, Action.HOLD, source=OFFICER, by="quarantine", now=NOW, reason="soil on the fruit")
    events = len(clearance.events)
    clearance.rederive(a_trip("phones"), LANG_SON_2025, by="lan", now=LATER)
    assert status(clearance, PLANT) is CheckStatus.HELD
    assert len(clearance.events) == events


def test_a_correction_that_changes_no_agency_records_nothing():
    clearance = a_clearance("durian")
    clearance.rederive(a_trip("durian"), LANG_SON_2025, by="lan", now=LATER)
    assert kinds(clearance) == ["AgencyChecksOpened", "CustomsChannelAssigned"]


def test_plant_products_corrected_away_and_back_bring_plant_quarantine_back():
    clearance = a_clearance("durian")
    clearance.rederive(a_trip("phones"), LANG_SON_2025, by="lan", now=NOW)
    clearance.rederive(a_trip("durian"), LANG_SON_2025, by="lan", now=LATER)
    assert PLANT in [c.agency for c in clearance.outstanding()]


# The customs channel


def test_an_officer_reroutes_a_green_trip_to_red_and_customs_must_act_again():
    clearance = a_clearance(channel=Channel.GREEN)
    clearance.reroute(Channel.RED, source=OFFICER, by="customs", now=LATER, reason="tip-off: hidden cargo")
    customs = clearance.checks[CUSTOMS]
    assert (clearance.channel, clearance.channel_source, clearance.channel_reasons) == (
        Channel.RED, OFFICER, ("tip-off: hidden cargo",))
    assert (customs.status, customs.decided_at, customs.source) == (CheckStatus.WAITING, None, None)
    assert customs in clearance.outstanding()
    assigned = clearance.events[-1]
    assert isinstance(assigned, CustomsChannelAssigned)
    assert (assigned.channel, assigned.source, assigned.actor) == ("red", "officer", "customs")


def test_a_green_undone_by_a_new_channel_has_no_first_action_left():
    clearance = a_clearance(channel=Channel.GREEN)
    clearance.reroute(Channel.RED, source=OFFICER, by="customs", now=LATER, reason="tip-off")
    assert clearance.checks[CUSTOMS].first_action_at is None


@pytest.mark.parametrize("reason", [None, "", "  \n "])
def test_rerouting_needs_a_reason(reason):
    clearance = a_clearance(channel=Channel.YELLOW)
    with pytest.raises(Invalid) as refused:
        clearance.reroute(Channel.RED, source=OFFICER, by="customs", now=LATER, reason=reason)
    assert [p.field for p in refused.value.problems] == ["reason"]
    assert (clearance.channel, clearance.channel_source) == (Channel.YELLOW, RULES)


def test_the_customs_systems_channel_overrides_an_officers_and_cannot_be_rerouted_by_one():
    clearance = a_clearance(channel=Channel.YELLOW)
    clearance.act(CUSTOMS, Action.RELEASE, source=OFFICER, by="customs", now=NOW)
    clearance.reroute(Channel.RED, source=SYSTEM, by="system:customs", now=LATER, reason=None)
    assert (clearance.channel, clearance.channel_source) == (Channel.RED, SYSTEM)
    assert status(clearance, CUSTOMS) is CheckStatus.WAITING
    with pytest.raises(Conflict, match="authoritative"):
        clearance.reroute(Channel.GREEN, source=OFFICER, by="customs", now=LATER, reason="I checked it")
    assert clearance.channel is Channel.RED and status(clearance, CUSTOMS) is CheckStatus.WAITING
    clearance.reroute(Channel.GREEN, source=SYSTEM, by="system:customs", now=LATER, reason=None)
    assert status(clearance, CUSTOMS) is CheckStatus.RELEASED and clearance.checks[CUSTOMS].authoritative


def test_an_officer_cannot_reroute_a_trip_customs_has_decided():
    clearance = a_clearance(channel=Channel.YELLOW)
    clearance.act(CUSTOMS, Action.RELEASE, source=OFFICER, by="customs", now=NOW)
    with pytest.raises(Conflict, match="can no longer change"):
        clearance.reroute(Channel.RED, source=OFFICER, by="customs", now=LATER, reason="second thoughts")
    assert status(clearance, CUSTOMS) is CheckStatus.RELEASED


def test_every_change_is_one_event_with_who_and_when():
    clearance = a_clearance("durian", channel=Channel.YELLOW)
    clearance.act(PLANT, Action.HOLD, source=OFFICER, by="quarantine", now=NOW, reason="no certificate")
    clearance.answer(PLANT, note="certificate attached", changed=(), by="lan", now=LATER)
    clearance.act(PLANT, Action.RELEASE, source=OFFICER, by="quarantine", now=LATER)
    clearance.act(CUSTOMS, Action.INSPECT, source=OFFICER, by="customs", now=LATER)
    assert [(type(e).__name__, e.actor, getattr(e, "decision", None)) for e in clearance.events] == [
        ("AgencyChecksOpened", "lan", None), ("CustomsChannelAssigned", "lan", None),
        ("AgencyActed", "quarantine", "hold"), ("AgencyAnswered", "lan", None),
        ("AgencyActed", "quarantine", "release"), ("AgencyActed", "customs", "inspect")]
    assert all(e.subject == ("declaration", "BG261127-ABCDEF") for e in clearance.events)
    assert status(clearance, CUSTOMS) is CheckStatus.INSPECTING


# The last barrier


def at_the_last_barrier(clearance: TripClearance, kind=CheckpointKind.BORDER_OUT, way=Direction.OUTBOUND):
    return decide(kind, way, Clearance(way, agency_checks=tuple(clearance.outstanding())))


def test_the_last_barrier_names_every_agency_still_to_release():
    clearance = a_clearance("durian", channel=Channel.RED)
    clearance.act(CUSTOMS, Action.INSPECT, source=OFFICER, by="customs", now=NOW)
    clearance.act(PLANT, Action.HOLD, source=OFFICER, by="quarantine", now=NOW, reason="no certificate")
    decision = at_the_last_barrier(clearance)
    assert decision.decision is Decision.HOLD
    assert [(b.reason, b.detail) for b in decision.reasons] == [
        (Reason.AGENCY_PENDING, "Customs: physical inspection"),
        (Reason.AGENCY_PENDING, "Border guard: waiting for the agency"),
        (Reason.AGENCY_HOLD, "Plant quarantine: no certificate; the declarant must send phytosanitary "
                             "certificate, quarantine registration")]


@pytest.mark.parametrize(("kind", "way", "flow"), [(CheckpointKind.BORDER_OUT, Direction.OUTBOUND, "export"),
                                                   (CheckpointKind.GATE_EXIT, Direction.INBOUND, "import")])
def test_a_refused_truck_is_diverted_at_the_last_barrier(kind, way, flow):
    clearance = a_clearance(trip=a_trip(flow=flow))
    clearance.act(GUARD, Action.REFUSE, source=OFFICER, by="guard", now=NOW, reason="driver is banned")
    decision = at_the_last_barrier(clearance, kind, way)
    assert decision.decision is Decision.DIVERT
    assert [b.reason for b in decision.reasons] == [Reason.AGENCY_PENDING, Reason.AGENCY_REFUSED]
    assert decision.reasons[1].detail == "Border guard: driver is banned; the truck goes back"


def test_a_truck_every_agency_released_passes_the_last_barrier():
    clearance = a_clearance("durian", channel=Channel.GREEN)
    for agency in (GUARD, PLANT):
        clearance.act(agency, Action.RELEASE, source=OFFICER, by="officer", now=LATER)
    assert clearance.cleared
    assert at_the_last_barrier(clearance).decision is Decision.OPEN


@pytest.mark.parametrize("kind", [CheckpointKind.WAITING_AREA_ENTRY, CheckpointKind.YARD_ENTRY,
                                  CheckpointKind.INSPECTION])
def test_barriers_inside_the_gate_do_not_wait_for_the_agencies(kind):
    clearance = a_clearance("durian", channel=Channel.RED)
    clearance.act(PLANT, Action.REFUSE, source=OFFICER, by="quarantine", now=NOW, reason="pests")
    assert at_the_last_barrier(clearance, kind).decision is Decision.OPEN

"""Use case: the agencies clear a declared trip, through the bus on both databases, up to the last barrier."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden
from bordergate.domain.inspection import Channel, History, assign_channel
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services import agency_views
from bordergate.services.agencies import AgencySetup
from tests.builders import a_trip, a_world, clear_agencies
from tests.conftest import CHEAP_PASSWORDS
from tests.integration.control_helpers import ControlRoom, a_control_room, decision, reasons

TODAY = date(2026, 11, 27)  # the gate's local day at the fixed clock (08:00 in Lang Son)


def act(room: ControlRoom, reference: str, agency: str, action: str = "release", reason: str | None = None,
        officer=None):
    """The agency's own officer (or ``officer``) records a decision on the trip."""
    who = officer or room.world.officer_for(agency)
    return room.gate.bus.handle(commands.RecordAgencyDecision(who, reference, agency, action, reason))


def checks(room: ControlRoom, reference: str) -> dict[str, dict]:
    """The trip's checks as its declarant sees them, by agency code."""
    view = agency_views.clearance(room.gate.reader(), room.world.lan, reference, "en")
    return {c["agency"]["code"]: c for c in view["checks"]}


def inbox(room: ControlRoom, agency: str, who=None) -> dict:
    return agency_views.inbox(room.gate.reader(), who or room.world.officer_for(agency), agency, "HUU_NGHI",
                              locale="en")


def system_message(reference: str, kind: str, *, agency: str = "customs", message_id: str = "m-1",
                   digest: str = "d" * 64, channel: str | None = None, sent_at=None):
    return commands.ApplySystemMessage(agency, message_id, kind, reference, digest, sent_at, channel)


@pytest.mark.parametrize(("goods", "agencies"), [("durian", ["customs", "border_guard", "plant_quarantine"]),
                                                 ("phones", ["customs", "border_guard"])])
def test_declaring_opens_the_checks_the_goods_need(gate, goods, agencies):
    room = a_control_room(gate)
    reference = room.declare(goods=goods)
    view = agency_views.clearance(gate.reader(), room.world.lan, reference, "en")
    assert [c["agency"]["code"] for c in view["checks"]] == agencies
    assert {c["status"]["code"] for c in view["checks"]} == {"waiting"} and not view["cleared"]
    # A new enterprise has its documents checked; the channel comes from bordergate's selectivity rules.
    assert view["channel_source"]["code"] == "rules"
    assert "a new enterprise (0 trips cleared): documents are checked" in view["channel_reasons"]


@pytest.mark.parametrize(("officer", "agency"), [("guard", "customs"), ("quarantine", "border_guard"),
                                                 ("customs", "plant_quarantine"), ("lan", "customs")])
def test_only_an_officer_of_the_agency_records_its_decision(gate, officer, agency):
    room = a_control_room(gate)
    reference = room.declare(goods="durian")
    trail = len(room.history("declaration", reference))
    with pytest.raises(Forbidden):
        act(room, reference, agency, officer=getattr(room.world, officer))
    assert checks(room, reference)[agency]["status"]["code"] == "waiting"
    assert len(room.history("declaration", reference)) == trail


def test_a_hold_is_answered_with_a_note_and_a_correction_in_one_step_and_then_released(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    act(room, reference, "border_guard", "hold", reason="the driver's phone does not answer")
    held, = inbox(room, "border_guard")["held"]
    assert (held["reference"], held["hold_reason"]) == (reference, "the driver's phone does not answer")
    assert held["needs"] == ["driver's passport or border pass", "vehicle registration"]

    answered = gate.bus.handle(commands.AnswerAgencyHold(room.world.lan, reference, "border_guard",
                                                         "new number for the driver", {"driver.phone": "0912000111"}))
    assert answered["status"] == "answered" and "border_guard" in answered["outstanding"]
    box = inbox(room, "border_guard")
    assert box["held"] == [] and [(i["reference"], i["status"]["code"], i["answer"]) for i in box["waiting"]] == [
        (reference, "answered", "new number for the driver")]
    with gate.reader() as uow:
        assert uow.declarations.get(reference).trip.driver.phone == "+84912000111"
    trail = [(r["action"], r["payload"].get("changed")) for r in room.history("declaration", reference)]
    assert ("DeclarationAmended", None) in trail and ("AgencyAnswered", ["driver.phone"]) in trail

    assert act(room, reference, "border_guard")["status"] == "released"
    assert inbox(room, "border_guard") == {**box, "waiting": [], "held": []}


def test_a_correction_that_adds_plant_products_opens_plant_quarantine(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"goods[0].hs_code": "0810.60"}))
    assert list(checks(room, reference)) == ["customs", "border_guard", "plant_quarantine"]
    rederived, = [r for r in room.history("declaration", reference) if r["action"] == "AgencyChecksRederived"]
    assert rederived["payload"]["added"] == ["plant_quarantine"]


def test_the_last_barrier_holds_for_the_agencies_until_every_one_has_released(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="durian")
    room.drive_up_to_the_border()
    held = room.read("border_out")
    assert decision(held) == "hold" and reasons(held) == ["agency_pending"] * 3
    assert [b.detail.split(":")[0] for b in held.read.barrier.reasons] == ["Customs", "Border guard",
                                                                          "Plant quarantine"]
    act(room, reference, "plant_quarantine", "hold", reason="no phytosanitary certificate")
    gate.clock.advance(minutes=1)
    assert reasons(room.read("border_out")) == ["agency_pending", "agency_pending", "agency_hold"]
    assert room.status(reference) == "submitted"

    assert clear_agencies(gate, room.world, reference) == ["customs", "border_guard", "plant_quarantine"]
    gate.clock.advance(minutes=1)
    assert decision(room.read("border_out")) == "open"
    assert room.status(reference) == "crossed"


def test_a_refused_truck_is_diverted_at_the_border(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    act(room, reference, "border_guard", "refuse", reason="the driver is barred from leaving")
    room.drive_up_to_the_border()
    diverted = room.read("border_out")
    assert decision(diverted) == "divert" and "agency_refused" in reasons(diverted)
    assert room.status(reference) == "submitted"


def test_the_inbox_lists_trucks_already_read_at_the_gate_first(gate, clock):
    room = a_control_room(gate)
    still_away = room.declare(plate="29C-111.22")
    clock.advance(minutes=1)
    second_in = room.declare(plate="15C-333.44")
    clock.advance(minutes=1)
    first_in = room.declare(plate="14C-555.66")
    room.read("waiting_area_entry", "14C-555.66")
    clock.advance(minutes=3)
    room.read("waiting_area_entry", "15C-333.44")
    waiting = inbox(room, "border_guard")["waiting"]
    assert [i["reference"] for i in waiting] == [first_in, second_in, still_away]
    assert waiting[2]["arrived_at"] is None and waiting[0]["arrived_at"] < waiting[1]["arrived_at"]


def test_a_truck_at_the_gate_is_in_a_full_inbox_before_trucks_still_on_the_road(gate, clock):
    room = a_control_room(gate)
    room.declare(plate="29C-111.22")
    clock.advance(minutes=1)
    at_the_gate = room.declare(plate="15C-333.44")
    room.read("waiting_area_entry", "15C-333.44")
    box = agency_views.inbox(gate.reader(), room.world.guard, "border_guard", "HUU_NGHI", limit=1)
    assert [i["reference"] for i in box["waiting"]] == [at_the_gate]


def test_a_trip_corrected_to_another_crossing_point_waits_in_that_crossing_points_inbox(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"crossing_point": "TAN_THANH"}))
    at = {point: [i["reference"] for i in agency_views.inbox(gate.reader(), room.world.guard, "border_guard",
                                                             point)["waiting"]] for point in ("HUU_NGHI", "TAN_THANH")}
    assert at == {"HUU_NGHI": [], "TAN_THANH": [reference]}


def test_the_management_center_may_read_an_agencys_inbox(gate):
    room = a_control_room(gate)
    reference = room.declare()
    assert [i["reference"] for i in inbox(room, "customs", room.world.operator)["waiting"]] == [reference]


def test_a_declarant_may_not_read_an_agencys_inbox(gate):
    room = a_control_room(gate)
    with pytest.raises(Forbidden):
        inbox(room, "customs", room.world.lan)


def test_every_agency_step_is_on_the_audit_trail_with_its_actor(gate, clock):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    clock.advance(minutes=5)
    act(room, reference, "customs", "inspect")
    world = room.world
    trail = [(r["action"], r["actor"], r["payload"].get("agency"), r["payload"].get("decision"),
              r["payload"].get("source")) for r in room.history("declaration", reference)
             if r["action"].startswith(("Agency", "Customs"))]
    assert trail == [("AgencyChecksOpened", world.lan.user_id, None, None, None),
                     ("CustomsChannelAssigned", world.lan.user_id, None, None, "rules"),
                     ("AgencyActed", world.customs.user_id, "customs", "inspect", "officer")]
    assert room.history("declaration", reference)[-1]["at"] == clock.now()


def test_dwell_times_per_agency_for_the_day(gate, clock):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    clock.advance(minutes=60)
    room.drive_up_to_the_border()  # first read now; ten minutes to reach the yard
    clock.advance(minutes=20)
    act(room, reference, "border_guard", "hold", reason="passport unreadable")  # waited 30 minutes
    clock.advance(minutes=10)
    act(room, reference, "customs")  # waited 40 minutes, decided at once
    clock.advance(minutes=5)
    gate.bus.handle(commands.AnswerAgencyHold(room.world.lan, reference, "border_guard", "a clear scan"))
    clock.advance(minutes=10)
    act(room, reference, "border_guard")  # 25 minutes from its hold to its release

    day = agency_views.dwell(gate.reader(), room.world.operator, "HUU_NGHI", TODAY, "en")
    figures = {a["agency"]["code"]: (a["decided"], a["by_source"], a["waiting_minutes"]["median"],
                                     a["acting_minutes"]["median"]) for a in day["agencies"]}
    assert figures == {"customs": (1, {"officer": 1}, 40.0, 0.0),
                       "border_guard": (1, {"officer": 1}, 30.0, 25.0)}
    assert agency_views.dwell(gate.reader(), room.world.operator, "HUU_NGHI", TODAY - timedelta(days=1),
                              "en")["agencies"] == []
    with pytest.raises(Forbidden):
        agency_views.dwell(gate.reader(), room.world.lan, "HUU_NGHI", TODAY)


def test_the_customs_systems_green_channel_releases_customs_and_no_officer_confirms_it(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    applied = gate.bus.handle(system_message(reference, "channel_assigned", channel="green"))
    assert applied == {"message_id": "m-1", "reference": reference, "applied": True, "status": "released",
                       "channel": "green", "replayed": False}
    customs = checks(room, reference)["customs"]
    assert (customs["status"]["code"], customs["source"]["code"], customs["decided_by_system"]) == (
        "released", "system", True)
    assert room.history("declaration", reference)[-1]["actor"] == "system:customs"
    with pytest.raises(Conflict):
        act(room, reference, "customs", "hold", reason="I want to see the invoice")
    with pytest.raises(Conflict, match="authoritative"):
        gate.bus.handle(commands.RerouteChannel(room.world.customs, reference, "red", "tip-off"))
    assert checks(room, reference)["customs"] == customs


def test_a_system_message_sent_again_is_answered_as_the_first_time_and_changes_nothing(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    first = gate.bus.handle(system_message(reference, "channel_assigned", channel="red"))
    trail, before = room.history("declaration", reference), checks(room, reference)
    again = gate.bus.handle(system_message(reference, "channel_assigned", channel="red"))
    assert again == {**first, "replayed": True}
    assert room.history("declaration", reference) == trail and checks(room, reference) == before
    with pytest.raises(Conflict, match="different body"):
        gate.bus.handle(system_message(reference, "channel_assigned", channel="green", digest="e" * 64))
    assert room.history("declaration", reference) == trail and checks(room, reference) == before


def test_a_message_id_reused_for_another_body_is_kept_on_the_audit_trail(gate):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    gate.bus.handle(system_message(reference, "released"))
    with pytest.raises(Conflict):
        gate.bus.handle(system_message(reference, "released", digest="e" * 64))
    refused = room.history("agency_system", "customs")
    assert [r["action"] for r in refused] == ["AgencySystemMessageRefused"]


def test_the_border_guards_system_reporting_the_exit_marks_the_trip_crossed(gate, clock):
    room = a_control_room(gate)
    reference = room.declare(goods="phones")
    applied = gate.bus.handle(system_message(reference, "vehicle_exited", agency="border_guard", sent_at=clock.now()))
    assert (applied["status"], applied["replayed"]) == ("released", False)
    assert room.status(reference) == "crossed"
    guard = checks(room, reference)["border_guard"]
    assert (guard["status"]["code"], guard["decided_by_system"]) == ("released", True)
    crossed = [r for r in room.history("declaration", reference) if r["action"] == "DeclarationCrossed"]
    assert [r["actor"] for r in crossed] == ["system:border_guard"]


def test_a_vehicle_the_border_guard_saw_leave_before_every_release_raises_an_exit_alert(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()  # durian from a new enterprise: customs (yellow) and plant quarantine still to act
    gate.bus.handle(system_message(reference, "vehicle_exited", agency="border_guard", sent_at=clock.now()))
    assert room.status(reference) == "crossed"
    alert, = room.alerts("exit_without_clearance")
    assert alert.reference == reference and alert.crossing_point == "HUU_NGHI"
    assert "Customs, Plant quarantine" in alert.detail and "border guard system" in alert.detail.lower()


# Customs selectivity


@pytest.fixture
def selective_gate(database_url, clock):
    """A gate whose selectivity sends a quarter of the trips to inspection at random, and none to documents."""
    settings = Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", db_pool_size=5, random_red_rate=0.25, random_yellow_rate=0.0)
    wired = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(wired)
    yield wired
    wired.engine.dispose()


def test_random_inspection_reaches_its_rate_over_many_trips(selective_gate):
    gate, world = selective_gate, a_world(selective_gate)
    references = [gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, goods="phones")))
                  for _ in range(400)]
    with gate.reader() as uow:
        channels = Counter(uow.clearances.get(ref).channel for ref in references)
    # A new enterprise is never green; the random draw alone sends trips on to red.
    assert set(channels) == {Channel.YELLOW, Channel.RED}
    assert channels[Channel.RED] / 400 == pytest.approx(0.25, abs=0.06)


def test_an_auditor_with_the_key_reproduces_every_trips_channel(gate):
    room = a_control_room(gate)
    references = [room.declare(plate=f"12C-123.4{i}") for i in range(5)]
    with gate.reader() as uow:
        stored = [(uow.clearances.get(r).channel, list(uow.clearances.get(r).channel_reasons)) for r in references]
        trips = [uow.declarations.get(r).trip for r in references]
    setup = gate.agencies
    assert stored == [assign_channel(trip, History(0, 0), setup.selectivity, setup.draws_for(ref))
                      for trip, ref in zip(trips, references, strict=True)]


def test_the_draw_is_fixed_by_the_key_and_the_reference_alone():
    keyed, other = AgencySetup(draw_key=b"auditor's key"), AgencySetup(draw_key=b"another key")
    draws = [keyed.draws_for(f"BG261127-AAAA0{i}").random() for i in range(20)]
    assert draws == [keyed.draws_for(f"BG261127-AAAA0{i}").random() for i in range(20)]
    assert len(set(draws)) == 20
    assert [other.draws_for(f"BG261127-AAAA0{i}").random() for i in range(20)] != draws

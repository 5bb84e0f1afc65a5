"""Use case: an agency holds a trip; the enterprise that declared it is told by SMS, and its portal shows it."""
from __future__ import annotations

import pytest

from bordergate.domain import commands
from bordergate.domain.errors import Forbidden
from bordergate.services import history_views
from bordergate.services.authentication import SYSTEM
from tests.integration.control_helpers import a_control_room

CONTACT = "+84912000111"


def deliver(room) -> dict[str, int]:
    return room.gate.bus.handle(commands.DeliverNotices(room.world.operator))


def history(room, reference: str, locale: str = "en", who=None) -> list[dict]:
    return history_views.history(room.gate.reader(), who or room.world.lan, reference, locale)


def test_an_agency_s_hold_is_sent_to_the_enterprise_s_contact_phone_and_told_in_the_portal(gate):
    room = a_control_room(gate)
    gate.bus.handle(commands.SetContactPhone(room.world.lan, room.world.farm, "0912 000 111"))
    reference = room.declare(goods="durian")

    gate.bus.handle(commands.RecordAgencyDecision(room.world.quarantine, reference, "plant_quarantine", "hold",
                                                  "the phytosanitary certificate is missing"))
    assert deliver(room)["sent"] == 1

    [text] = gate.sms.to(CONTACT)
    assert text.startswith("bordergate: Kiểm dịch thực vật tạm dừng chuyến " + reference)
    assert "the phytosanitary certificate is missing" in text
    told = [entry["sentence"] for entry in history(room, reference)]
    assert "Plant quarantine held the truck for information (the phytosanitary certificate is missing)" in told
    assert f"SMS sent to the enterprise ({CONTACT}): “{text}”" in told


def test_an_officer_s_hold_at_the_barrier_is_told_to_the_enterprise_too(gate):
    room = a_control_room(gate)
    gate.bus.handle(commands.SetContactPhone(room.world.lan, room.world.farm, CONTACT))
    reference = room.declare()
    gate.bus.handle(commands.PlaceHold(room.world.guard, reference, "driver's border pass expired"))
    deliver(room)
    [text] = gate.sms.to(CONTACT)
    assert "Biên phòng" in text and "driver's border pass expired" in text


def test_correcting_the_driver_s_phone_does_not_send_the_enterprise_s_notice_to_the_driver(gate):
    room = a_control_room(gate)
    gate.bus.handle(commands.SetContactPhone(room.world.lan, room.world.farm, CONTACT))
    reference = room.declare()
    gate.bus.handle(commands.RecordAgencyDecision(room.world.customs, reference, "customs", "hold", "invoice"))
    gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"driver.phone": "0987654321"},
                                              "new SIM"))
    deliver(room)
    assert len(gate.sms.to(CONTACT)) == 1 and gate.sms.to("+84987654321") == []


def test_without_a_contact_phone_the_hold_is_in_the_portal_and_no_sms_goes_anywhere(gate):
    room = a_control_room(gate)
    reference = room.declare()
    gate.bus.handle(commands.RecordAgencyDecision(room.world.customs, reference, "customs", "hold", "invoice"))
    assert deliver(room)["sent"] == 0
    assert "Hải quan tạm dừng, yêu cầu bổ sung (invoice)" in [e["sentence"] for e in history(room, reference, "vi")]


def test_only_the_enterprise_s_own_declarants_or_an_administrator_give_its_contact_phone(gate):
    room = a_control_room(gate)
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.SetContactPhone(room.world.minh, room.world.farm, CONTACT))
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.SetContactPhone(room.world.agent, room.world.fruit, CONTACT))
    assert gate.bus.handle(commands.SetContactPhone(SYSTEM, room.world.farm, "0912000111")) == CONTACT
    with gate.reader() as uow:
        trail = uow.audit.history("organisation", room.world.farm)
    assert trail[-1]["action"] == "ContactPhoneSet" and trail[-1]["payload"]["phone"] == CONTACT


def test_the_number_a_notice_went_to_is_hidden_from_an_officer_who_may_not_read_it(gate):
    room = a_control_room(gate)
    gate.bus.handle(commands.SetContactPhone(room.world.lan, room.world.farm, CONTACT))
    reference = room.declare()
    gate.bus.handle(commands.RecordAgencyDecision(room.world.customs, reference, "customs", "hold", "invoice"))
    deliver(room)
    [sent] = [e for e in history(room, reference, who=room.world.customs) if e["action"] == "NoticeSent"]
    assert sent["phone"] == "•••" and CONTACT not in sent["sentence"]

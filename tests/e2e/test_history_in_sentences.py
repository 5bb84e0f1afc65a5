"""A whole journey, then its history in the declarant's portal: sentences in vi, en and zh, never an event's code
name, never a camera's id."""
from __future__ import annotations

import html
import re

import pytest

from bordergate.domain import commands
from bordergate.domain.events import Event
from bordergate.services import fee_views
from tests.builders import PASSWORD, clear_agencies
from tests.integration.queue_helpers import a_queue_desk
from tests.support.forms import post_form

CONTACT = "+84912000111"


def _event_names() -> set[str]:
    found, todo = set(), [Event]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            found.add(sub.__name__)
    return found


def history_section(page: str) -> str:
    """The text of the portal page's history card, as a person reads it (tags dropped, attributes with them)."""
    section = re.search(r'<section class="card" data-section="history">(.*?)</section>', page, re.S)
    assert section, "the trip page has no history"
    return html.unescape(re.sub(r"<[^>]+>", " ", section.group(1)))


@pytest.fixture
def journey(gate):
    """Lan's durian truck from declaration to the border: booked, checked in and called by camera, held by
    quarantine and answered, released, SMS sent, across the line (the tariff has no line for exported fruit in a
    container, so no fee could be assessed)."""
    desk = a_queue_desk(gate)
    handle, world = gate.bus.handle, desk.world
    handle(commands.SetContactPhone(world.lan, world.farm, CONTACT))
    truck = desk.declare("durian")
    desk.book(truck)
    desk.arrive_at_waiting_area(truck)
    desk.run()
    desk.drive_in(truck)
    handle(commands.RecordAgencyDecision(world.quarantine, truck.reference, "plant_quarantine", "hold",
                                         "phytosanitary certificate missing"))
    handle(commands.AnswerAgencyHold(world.lan, truck.reference, "plant_quarantine", "certificate uploaded"))
    clear_agencies(gate, world, truck.reference)
    assert fee_views.fee(gate.reader(), world.lan, truck.reference, "en")["due_vnd"] is None
    desk.deliver()
    desk._read("border_out", truck)
    return truck


SAYS = {
    "vi": ["Đặt chỗ qua", "Xe vào bãi chờ", "Kiểm dịch thực vật tạm dừng, yêu cầu bổ sung",
           "Đã gửi SMS tới doanh nghiệp", "hệ thống"],
    "en": ["Booked at", "The truck checked in at the waiting area", "The truck was called forward",
           "Plant quarantine held the truck for information (phytosanitary certificate missing)",
           "Plant quarantine released the truck", "SMS sent to the driver", "SMS sent to the enterprise",
           "camera cam waiting_area_entry (waiting_area_entry)", "Fee not assessed: no line of the tariff applies to this trip",
           "Plate 12C-101.11 read at border_out: barrier Open", "The truck crossed the border at border_out",
           "bordergate"],
    "zh": ["预约", "车辆进入待检区", "植物检疫暂停，要求补充", "短信已发送至企业", "bordergate系统"],
}


def test_the_portal_tells_a_whole_journey_in_sentences_without_code_names_or_camera_ids(client, gate, journey):
    post_form(client, "/signin", "/signin", {"username": "lan", "password": PASSWORD, "next": "/portal"})
    for locale, says in SAYS.items():
        page = client.get(f"/portal/{journey.reference}", params={"lang": locale})
        assert page.status_code == 200, page.text
        shown = history_section(page.text)

        assert "camera:" not in shown, locale
        assert [name for name in _event_names() if re.search(rf"\b{name}\b", shown)] == [], locale
        for words in says:
            assert words in shown, (locale, words)
        # The SMS as they were sent: the driver's (in Vietnamese, the driver's language) and the enterprise's.
        assert "bordergate: xe 12C-101.11 được gọi vào" in shown
        assert "tạm dừng chuyến" in shown and CONTACT in shown


def test_an_enterprise_gives_its_contact_phone_over_the_api_and_a_bad_number_names_the_field(
        client, world, sign_in):
    lan, url = sign_in("lan"), f"/api/v1/enterprises/{world.farm}/contact-phone"
    answer = client.put(url, json={"phone": "0912 000 111"}, headers=lan)
    assert answer.status_code == 200 and answer.json() == {"enterprise_id": world.farm, "phone": CONTACT}
    refused = client.put(url, json={"phone": "call me"}, headers=lan)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "phone"
    assert client.put(url, json={"phone": None}, headers=lan).json()["phone"] is None
    assert client.put(f"/api/v1/enterprises/{world.farm}/contact-phone", json={"phone": CONTACT},
                      headers=sign_in("minh")).status_code == 403

"""The agency consoles: officers sign in, work their agency's inbox at a crossing point and decide, in a browser."""
from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from bordergate.domain import commands
from tests.browser.conftest import keep_screenshot
from tests.builders import PASSWORD, a_trip, a_world
from tests.integration.queue_helpers import a_queue_desk


def sign_in(screen: Page, url: str, username: str, then: str = "/agency") -> None:
    screen.goto(f"{url}/signin?lang=en&next={quote(then, safe='')}")
    screen.get_by_label("Username").fill(username)
    screen.get_by_label("Password").fill(PASSWORD)
    screen.get_by_role("button", name="Sign in").click()


def test_a_quarantine_officer_holds_the_durian_for_its_certificate_sees_the_answer_live_and_releases_it(
        served, screen, clock):
    gate, url = served
    desk = a_queue_desk(gate)
    world = desk.world
    durian = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    more = [gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, plate=plate)))
            for plate in ("29C-456.78", "12C-888.99")]
    clock.advance(minutes=35)
    gate.bus.handle(commands.RecordCameraRead(desk.huu_nghi.keys["waiting_area_entry"], captured_at=clock.now(),
                                              plate="12C-123.45", confidence=0.95))
    clock.advance(minutes=20)
    gate.bus.handle(commands.RecordAgencyDecision(world.quarantine, more[1], "plant_quarantine", "release"))
    gate.bus.handle(commands.RecordAgencyDecision(world.quarantine, more[0], "plant_quarantine", "hold",
                                                  "Quarantine registration number missing"))

    sign_in(screen, url, "quarantine")
    expect(screen).to_have_url(re.compile(r"/agency$"))
    switcher = screen.get_by_role("navigation", name="Agency")
    expect(switcher.get_by_role("link", name="Animal quarantine")).to_be_visible()
    screen.get_by_label("Crossing point").select_option("HUU_NGHI")
    screen.get_by_role("button", name="Show").click()

    trip = screen.locator(f'[data-group="work"] [data-reference="{durian}"]')
    expect(trip).to_contain_text("12C-123.45")
    expect(trip).to_contain_text("Export")
    expect(trip).to_contain_text("0810.60")
    expect(trip).to_contain_text("Fresh durian")
    expect(trip).to_contain_text("Trần Văn Bình")
    expect(trip).not_to_contain_text("001088012345")  # the driver's document is the border guard's, not quarantine's
    expect(trip).to_contain_text("plant products (HS chapters 06-14, 44)")
    expect(trip).to_contain_text("phytosanitary certificate")
    expect(trip.locator("[data-arrived]")).to_have_text("08:35 27/11")
    expect(screen.locator(f'[data-reference="{more[1]}"]')).to_have_count(0)
    expect(screen.locator('#dwell tr[data-agency="plant_quarantine"] [data-decided]')).to_have_text("1")

    decide = trip.locator("form.decide")
    decide.get_by_label("Reason").fill("The phytosanitary certificate is not attached")
    decide.get_by_label("What the declarant must provide").fill("phytosanitary certificate")
    decide.get_by_role("button", name="Hold for information").click()

    expect(screen.locator("[data-notice]")).to_contain_text(durian)
    held = screen.locator(f'[data-group="held"] [data-reference="{durian}"]')
    expect(held.locator("[data-hold]")).to_contain_text("The phytosanitary certificate is not attached")
    screen.evaluate("window.sameScreen = true")

    gate.bus.handle(commands.AnswerAgencyHold(world.lan, durian, "plant_quarantine",
                                              note="Phytosanitary certificate VN-PC-2026-0412 uploaded"))

    answered = screen.locator(f'[data-group="work"] [data-reference="{durian}"]')
    expect(answered.locator("[data-answer]")).to_contain_text("VN-PC-2026-0412", timeout=10_000)
    expect(answered).to_have_attribute("data-status", "answered")
    assert screen.evaluate("window.sameScreen") is True  # shown live, not by a reload
    keep_screenshot(screen, "agency-console")

    answered.get_by_role("button", name="Release").click()
    expect(screen.locator("[data-notice]")).to_contain_text("Released")
    expect(screen.locator(f'[data-reference="{durian}"]')).to_have_count(0)
    expect(screen.locator(f'[data-group="held"] [data-reference="{more[0]}"]')).to_be_visible()
    expect(screen.locator('#dwell tr[data-agency="plant_quarantine"] [data-decided]')).to_have_text("2")


def test_a_hold_without_a_reason_is_refused_next_to_the_reason_field_and_stays_there_through_live_updates(
        served, screen):
    gate, url = served
    world = a_world(gate)
    durian = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    sign_in(screen, url, "quarantine", then="/agency?agency=plant_quarantine&point=HUU_NGHI")
    decide = screen.locator(f'[data-reference="{durian}"] form.decide')

    with screen.expect_response(lambda response: response.url.endswith("/agency/decisions")) as refused:
        decide.get_by_role("button", name="Hold for information").click()

    assert refused.value.status == 422
    error = decide.locator('[data-error-for$=":decision:reason"]').get_by_role("alert")
    expect(error).to_have_text("say why the trip is held; the declarant will see it")
    expect(decide.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    expect(screen.locator("#inbox")).to_have_attribute("data-updated", re.compile(r"\d+"), timeout=10_000)
    expect(screen.locator(f'[data-reference="{durian}"] form.decide [role="alert"]')).to_have_text(
        "say why the trip is held; the declarant will see it")


def test_a_customs_officer_moves_a_trip_to_the_red_channel_giving_the_reason(served, screen):
    gate, url = served
    world = a_world(gate)
    durian = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    sign_in(screen, url, "customs", then="/agency?point=HUU_NGHI")
    trip = screen.locator(f'[data-reference="{durian}"]')
    expect(trip.locator("[data-channel]")).to_have_attribute("data-channel", "yellow")
    expect(trip).to_contain_text("a new enterprise (0 trips cleared): documents are checked")
    expect(screen.get_by_role("navigation", name="Agency")).to_have_count(0)  # customs officers act for one agency

    reroute = trip.locator("form.reroute")
    reroute.get_by_label("New channel").select_option("red")
    reroute.get_by_label("Why the channel changes").fill("Seal number differs from the declaration")
    reroute.get_by_role("button", name="Change the channel").click()

    expect(screen.locator("[data-notice]")).to_contain_text("Red: physical inspection")
    expect(trip.locator("[data-channel]")).to_have_attribute("data-channel", "red")
    expect(trip).to_contain_text("Seal number differs from the declaration")


def test_a_border_guard_officer_cannot_open_the_quarantine_inbox_and_is_pointed_to_their_own(served, screen):
    gate, url = served
    a_world(gate)
    sign_in(screen, url, "guard")
    expect(screen.locator("h2").first).to_contain_text("Border guard")

    response = screen.goto(f"{url}/agency?agency=plant_quarantine&point=HUU_NGHI")

    assert response.status == 403
    expect(screen.locator("[data-refused]")).to_contain_text("This inbox cannot be opened")
    expect(screen.locator("[data-refused]").get_by_role("link", name="Border guard")).to_be_visible()
    expect(screen.locator("form.decide")).to_have_count(0)


def test_the_console_speaks_vietnamese_by_default_and_chinese_by_the_switch(served, screen):
    gate, url = served
    world = a_world(gate)
    gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    sign_in(screen, url, "quarantine", then="/agency?point=HUU_NGHI&lang=vi")
    expect(screen.locator("h1")).to_have_text("Bàn làm việc cơ quan chức năng")
    expect(screen.locator("form.decide button[value=hold]")).to_have_text("Tạm dừng, yêu cầu bổ sung")
    expect(screen.locator(".needs li").first).to_have_text("giấy chứng nhận kiểm dịch thực vật")
    screen.get_by_role("link", name="中文").click()
    expect(screen.locator("h1")).to_have_text("联检单位工作台")

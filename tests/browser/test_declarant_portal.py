"""The declarant portal in a real browser: declare, pay, reuse the fleet, correct a field, book, follow the truck."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from bordergate.domain import commands
from bordergate.services import views
from bordergate.services.authentication import SYSTEM
from tests.browser.conftest import keep_screenshot
from tests.builders import PASSWORD, a_trip, a_world
from tests.integration.queue_helpers import a_queue_desk

REEXPORT = "temporary_import_reexport"
DURIAN = {"HS code": "0810.60", "Goods description": "Fresh durian", "Packages": "1200", "Goods weight (kg)": "24000",
          "Value": "36000", "Currency": "USD", "Country of origin": "VN", "Shelf life (hours)": "240"}


def sign_in(screen: Page, url: str, username: str = "lan") -> None:
    screen.goto(f"{url}/signin?lang=en")
    screen.get_by_label("Username").fill(username)
    screen.get_by_label("Password").fill(PASSWORD)
    screen.get_by_role("button", name="Sign in").click()
    expect(screen).to_have_url(re.compile(r"/portal$"))


def fill(form, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)


def fill_durian(form) -> None:
    """One goods line: fresh durian, perishable (240 h) and for plant quarantine."""
    fill(form, DURIAN)
    form.get_by_label("Perishable", exact=True).check()
    form.get_by_label("Needs quarantine", exact=True).check()


def fill_reexport_of_durian(form, plate: str = "12C-123.45") -> None:
    """A 40-ft reefer re-exporting fresh durian through Huu Nghi this afternoon, every field typed."""
    form.get_by_label("Crossing point").select_option("HUU_NGHI")
    form.get_by_label("Flow").select_option(REEXPORT)
    form.get_by_label("Planned arrival (gate time, UTC+7)").fill("2026-11-27T14:00")
    fill(form, {"Tractor plate": plate, "Trailer plate": "12R-012.34", "Gross weight (kg)": "42000", "Axles": "5",
                "Full name": "Trần Văn Bình", "ID card or passport number": "001088012345", "Nationality": "VN",
                "Driver's phone": "0912345678", "Container numbers": "MSKU9070323",
                "Customs declaration number": "305123456789"})
    form.get_by_label("Vehicle class").select_option("reefer")
    form.get_by_label("Container size").select_option("40ft")
    fill_durian(form)


def declared(gate, world) -> list[dict]:
    return views.declarations(gate.reader(), world.lan, locale="en")


def test_declaring_a_reexport_of_fresh_fruit_in_a_40_ft_container_and_paying_its_4_000_000_vnd(served, screen):
    gate, url = served
    world = a_world(gate)
    gate.bus.handle(commands.SetCapacityPlan(world.operator, "HUU_NGHI", "inbound", (4,) * 24))
    sign_in(screen, url)
    screen.get_by_role("link", name="Declare a trip").click()
    form = screen.locator("form[action='/portal/declare']")
    fill_reexport_of_durian(form)
    form.get_by_role("button", name="Declare", exact=True).click()

    expect(screen).to_have_url(re.compile(r"/portal/BG\w+-\w+\?done=declared$"))
    reference = screen.locator("[data-reference]").inner_text()
    fee = screen.locator("[data-section=fee]")
    expect(fee.locator("[data-total]")).to_have_text("4,000,000 VND")
    expect(fee).to_contain_text("temporary import for re-export")
    fee.get_by_role("button", name="Pay 4,000,000 VND online").click()

    expect(screen).to_have_url(re.compile(r"/sandbox-pay/SBX-\w+$"))
    screen.get_by_role("button", name="Pay 4,000,000 VND").click()

    expect(screen).to_have_url(f"{url}/portal/{reference}?done=paid")
    expect(fee.locator("[data-paid]")).to_have_text("Paid")
    receipt = fee.locator("[data-receipt]")
    expect(receipt).to_have_text("Receipt BL2026-000001 (PDF)")
    with screen.expect_download() as download:
        receipt.click()
    assert download.value.suggested_filename == "BL2026-000001.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    keep_screenshot(screen, "declarant-portal")

    screen.get_by_role("link", name="All declarations").first.click()
    row = screen.locator(f"tr[data-reference='{reference}']")
    expect(row.locator("[data-due]")).to_have_text("Paid")
    expect(row.locator("[data-booking]")).to_have_text("Not booked")


def test_a_repeat_declaration_picks_the_saved_vehicle_and_driver_and_needs_only_the_arrival_and_the_goods(
        served, screen):
    gate, url = served
    world = a_world(gate)
    gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, flow=REEXPORT)))
    sign_in(screen, url)
    screen.goto(f"{url}/portal/declare")
    form = screen.locator("form[action='/portal/declare']")
    expect(form.get_by_label("Crossing point")).to_have_value("HUU_NGHI")  # where the last trip went
    expect(form.get_by_label("Flow")).to_have_value(REEXPORT)
    form.get_by_label("Saved vehicle").select_option(label="12C-123.45 + 12R-012.34 · Refrigerated truck · "
                                                           "40-ft container")
    form.get_by_label("Saved driver").select_option(label="Trần Văn Bình · 001088012345 · +84912345678")
    form.get_by_label("Planned arrival (gate time, UTC+7)").fill("2026-11-28T09:30")
    fill_durian(form)
    expect(form.get_by_label("Tractor plate")).to_have_value("")
    form.get_by_role("button", name="Declare", exact=True).click()

    expect(screen).to_have_url(re.compile(r"\?done=declared$"))
    expect(screen.locator("[data-plate]")).to_have_text("12C-123.45 + 12R-012.34")
    expect(screen.locator("[data-driver]")).to_have_text("Trần Văn Bình · 001088012345 (VN)")
    expect(screen.locator("[data-phone]")).to_have_text("+84912345678")
    expect(screen.locator("[data-section=fee] [data-total]")).to_have_text("4,000,000 VND")
    assert len(declared(gate, world)) == 2


def test_a_bad_plate_is_named_next_to_its_field_in_a_422_and_nothing_is_saved(served, screen):
    gate, url = served
    world = a_world(gate)
    sign_in(screen, url)
    screen.goto(f"{url}/portal/declare")
    form = screen.locator("form[action='/portal/declare']")
    fill_reexport_of_durian(form, plate="ABC")
    with screen.expect_response(lambda r: r.url.endswith("/portal/declare") and r.request.method == "POST") as sent:
        form.get_by_role("button", name="Declare", exact=True).click()

    assert sent.value.status == 422
    plate = screen.locator("[data-field='vehicle.tractor_plate']")
    expect(plate.locator("[data-error]")).to_contain_text("'ABC' is not a Vietnamese plate")
    expect(plate.locator("input")).to_have_attribute("aria-invalid", "true")
    expect(screen.locator("[data-error]")).to_have_count(1)
    expect(screen.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(form.get_by_label("Full name")).to_have_value("Trần Văn Bình")  # what was typed stays
    assert declared(gate, world) == []


def test_correcting_the_drivers_phone_changes_that_field_and_keeps_everything_else(served, screen):
    gate, url = served
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, flow=REEXPORT)))
    before = views.declaration(gate.reader(), world.lan, reference)
    sign_in(screen, url)
    screen.goto(f"{url}/portal/{reference}")
    correction = screen.locator("[data-section=correct]")
    # The field is chosen by its name in the reader's language, with what it says now; the form sends its path.
    expect(correction.get_by_label("Field", exact=True).locator("option[value='driver.phone']")).to_have_text(
        "Driver's phone: +84912345678")
    correction.get_by_label("Field", exact=True).select_option(label="Driver's phone: +84912345678")
    fill(correction, {"New value": "0987 654 321", "Reason": "the driver has a new SIM"})
    correction.get_by_role("button", name="Correct").click()

    expect(screen).to_have_url(re.compile(r"\?done=corrected$"))
    expect(screen.locator("[data-phone]")).to_have_text("+84987654321")
    expect(screen.locator("[data-plate]")).to_have_text("12C-123.45 + 12R-012.34")
    expect(screen.locator("#history [data-action=DeclarationAmended]")).to_contain_text(
        "driver.phone: +84912345678 → +84987654321")
    after = views.declaration(gate.reader(), world.lan, reference)
    assert after["driver"] == {**before["driver"], "phone": "+84987654321"}
    assert {k: v for k, v in after.items() if k not in ("driver", "version")} == {
        k: v for k, v in before.items() if k not in ("driver", "version")}

    correction.get_by_label("Field", exact=True).select_option("driver.phone")
    fill(correction, {"New value": "12"})
    correction.get_by_role("button", name="Correct").click()
    expect(correction.locator("[data-error='driver.phone']")).to_contain_text("'12' is not a phone number")


def test_joining_the_live_queue_shows_the_booking_and_then_its_expected_call_without_a_reload(served, screen):
    gate, url = served
    desk = a_queue_desk(gate, per_hour=4)
    truck = desk.declare()  # arrives at 14:00
    sign_in(screen, url)
    screen.goto(f"{url}/portal/{truck.reference}")
    screen.get_by_role("button", name="Join the live queue").click()

    expect(screen).to_have_url(re.compile(r"\?done=booked$"))
    queue = screen.locator("#live")
    expect(queue.locator("[data-booking]")).to_have_attribute("data-booking", "booked")
    expect(queue.locator("[data-booking]")).to_contain_text("Live queue")
    screen.evaluate("window.loadedOnce = true")

    desk.run()  # the call-forward loop works out each truck's expected call

    expect(queue.locator("[data-expected]")).to_have_text("14:00 27/11/2026 (UTC+7)", timeout=10_000)
    assert screen.evaluate("window.loadedOnce") is True
    expect(screen.get_by_role("button", name="Cancel the booking")).to_be_visible()
    screen.goto(f"{url}/portal")
    expect(screen.locator(f"tr[data-reference='{truck.reference}'] [data-booking]")).to_contain_text(
        "expected call 14:00 27/11/2026")


def test_an_agent_chooses_the_enterprise_it_declares_for_and_sees_that_enterprises_saved_fleet(served, screen):
    gate, url = served
    world = a_world(gate)
    gate.bus.handle(commands.AuthoriseAgent(SYSTEM, world.farm, world.agency))
    gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    sign_in(screen, url, "agent")
    screen.goto(f"{url}/portal/declare")
    screen.get_by_label("Declare for").select_option(label="Nông sản Xứ Lạng")
    screen.get_by_role("button", name="Show its saved vehicles and drivers").click()
    form = screen.locator("form[action='/portal/declare']")
    expect(form.locator("input[name=enterprise_id]")).to_have_value(world.farm)
    expect(form.get_by_label("Saved vehicle").locator("option")).to_have_count(2)

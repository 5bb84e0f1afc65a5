"""A receipt's QR code scanned with a phone: a page in the reader's language, and the language switch stays on it."""
from __future__ import annotations

from playwright.sync_api import expect

from bordergate.domain import commands
from tests.builders import a_trip, a_world


def test_a_phone_scanning_the_receipt_reads_it_is_genuine_in_chinese_and_switches_to_vietnamese_on_the_same_page(
        served, phone):
    gate, url = served
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm,
                                                           a_trip(gate, flow="temporary_import_reexport")))
    paid = gate.bus.handle(commands.RecordCashPayment(world.operator, reference, 4_000_000))
    receipt = gate.receipt_url(paid["receipt_number"]).replace(gate.settings.public_url, url)

    phone.goto(receipt + "?lang=zh")
    card = phone.locator("[data-receipt]")
    expect(card).to_contain_text("口岸开具的真实收据")
    expect(card.locator("[data-point]")).to_have_text("友谊关")
    expect(card.locator("[data-amount]")).to_have_text("4,000,000 VND")
    expect(card.locator(".plate")).to_have_text("12C-123.45")

    phone.get_by_role("link", name="Tiếng Việt").click()
    expect(card).to_contain_text("Biên lai hợp lệ do cửa khẩu phát hành")
    expect(card.locator("[data-point]")).to_have_text("Hữu Nghị")
    assert phone.url == receipt + "?lang=vi"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the receipt page is {width} px wide on a 360-px phone"

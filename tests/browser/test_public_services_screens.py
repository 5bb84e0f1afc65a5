"""A phone looks for a procedure typed without diacritics, opens it, then follows its application by receipt code."""
from __future__ import annotations

from playwright.sync_api import expect

from bordergate.seeding import seed_public_services
from tests.browser.conftest import keep_screenshot


def test_a_phone_finds_the_passport_typed_without_diacritics_then_follows_its_application(served, phone):
    gate, url = served
    seed_public_services(gate)
    phone.goto(url + "/services")
    phone.get_by_label("Tìm thủ tục hành chính (gõ có dấu hay không dấu đều được)").fill("lam ho chieu")
    phone.get_by_role("button", name="Tìm").click()
    first = phone.locator("[data-procedure]").first
    expect(first).to_have_attribute("data-procedure", "XC-01")
    first.get_by_role("link").click()
    expect(phone.locator("h2")).to_have_text("Cấp hộ chiếu phổ thông ở trong nước")
    expect(phone.locator("[data-fee]")).to_contain_text("200.000 VND")
    keep_screenshot(phone, "procedure")

    phone.get_by_role("link", name="Tra cứu hồ sơ theo mã biên nhận").click()
    phone.get_by_label("Mã biên nhận (trên giấy tiếp nhận hồ sơ bộ phận một cửa đưa bạn)").fill(
        "000.00.25.h35-261202-0002")
    phone.get_by_role("button", name="Tra cứu").click()
    application = phone.locator("[data-application]")
    expect(application).to_have_attribute("data-state", "in_progress")
    expect(application.get_by_role("status")).to_have_text("Đang giải quyết")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the status page is {width} px wide on a 360-px phone"

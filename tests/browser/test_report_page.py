"""The report page on a phone: opened by its secret link, the reporter adds information, sees the unit's answer
arrive without reloading, rates it and reopens it."""
from __future__ import annotations

from playwright.sync_api import expect

from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role
from bordergate.services.authentication import SYSTEM
from tests.builders import PASSWORD
from tests.support.accessibility import axe_findings, blocking, described, phone_measures
from tests.browser.conftest import keep_screenshot

ANSWER = "Đã vá ổ gà sáng nay; cảm ơn bạn đã báo."


def test_an_anonymous_reporter_follows_a_report_by_its_secret_link_to_the_answer_rates_and_reopens_it(
        served, browser):
    gate, url = served
    # A phone's context that may load axe-core (the page's own CSP would refuse it).
    phone = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                bypass_csp=True, locale="vi-VN").new_page()
    unit = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Trung tâm Phục vụ hành chính công", "unit"))
    gate.bus.handle(rc.RegisterUnit(SYSTEM, "TT_PVHCC", unit, coordinating=True))
    officer = Principal(gate.bus.handle(commands.CreateUser(SYSTEM, "officer", PASSWORD, "Officer", "unit_officer",
                                                            unit)), "officer", Role.UNIT_OFFICER, unit)
    filed = gate.bus.handle(rc.FileReport(None, category="road_damage", description="Ổ gà sâu giữa đường Km 12",
                                          lat=21.8531, lon=106.7612, commune_code="X"))
    code = filed.tracking_code

    phone.goto(f"{url}/r/{code}?k={filed.secret}")
    assert phone.url == f"{url}/r/{code}"  # the secret left the address bar
    expect(phone.locator("[data-reader]")).to_have_attribute("data-reader", "reporter")
    expect(phone.locator('[data-step="ReportFiled"]')).to_contain_text(code)
    phone.locator("#information-text").fill("Ổ gà đã rộng 2 m, hai xe máy bị ngã.")
    phone.locator('form[data-action="add_information"] button').click()
    expect(phone.locator("[data-done]")).to_have_attribute("data-done", "information")
    expect(phone.locator('[data-step="ReportInformationAdded"]')).to_be_visible()

    gate.bus.handle(rc.AcceptReport(officer, code))
    gate.bus.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    expect(phone.locator("[data-answer]")).to_contain_text(ANSWER)  # pushed live: no reload
    expect(phone.locator('[data-report-state]')).to_have_attribute("data-report-state", "answered")
    keep_screenshot(phone, "report-page")

    # With every form the reporter has, the page is read by axe-core and measured as held in a hand.
    findings = blocking(axe_findings(phone))
    assert not findings, described("/r/{code} @ 360", findings)
    unfit = {what: found for what, found in phone_measures(phone).items() if isinstance(found, list) and found}
    assert not unfit, unfit

    phone.locator('form[data-action="rate"] input[value="4"]').check()
    phone.locator("#rating-comment").fill("Nhanh")
    phone.locator('form[data-action="rate"] button').click()
    expect(phone.locator("[data-done]")).to_have_attribute("data-done", "rated")
    expect(phone.locator('form[data-action="rate"]')).to_have_count(0)

    expect(phone.locator("[data-reopen-left]")).to_have_attribute("data-reopen-left", "168")
    phone.locator("#reopen-reason").fill("Ổ gà lại bị vỡ sau trận mưa đêm qua.")
    phone.locator('form[data-action="reopen"] button').click()
    expect(phone.locator("[data-report-state]")).to_have_attribute("data-report-state", "in_progress")
    expect(phone.locator('[data-step="ReportReopened"]')).to_be_visible()
    phone.context.close()

"""The unit inbox in a browser: an officer signs in, accepts a report, asks the reporter, answers it; a supervisor
finds the report that went overdue in the "escalated to me" tab."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from bordergate.domain import report_commands as rc
from bordergate.services.authentication import SYSTEM
from tests.browser.conftest import keep_screenshot
from tests.browser.test_agency_console import sign_in
from tests.support.accessibility import axe_findings, blocking, described
from tests.support.unit_desk import a_unit_desk


def test_an_officer_accepts_asks_and_answers_and_the_supervisor_finds_the_overdue_one_escalated(
        served, browser, clock):
    gate, url = served
    # The CSP is bypassed only to load axe-core, which reads both screens for serious and critical findings.
    screen = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
    desk = a_unit_desk(gate)
    pothole = desk.file()
    late = desk.file(description="The street light by the school is out")

    sign_in(screen, url, "xofficer", then="/unit/")
    expect(screen).to_have_url(re.compile(r"/unit/$"))
    tabs = screen.get_by_role("navigation", name="Reports by where they stand")
    expect(tabs.locator('[data-tab="new"]')).to_have_text("New (2)")
    expect(tabs.locator('[data-tab="escalated"]')).to_have_count(0)  # a supervisor's tab
    screen.get_by_role("link", name=pothole.tracking_code).click()
    expect(screen.locator("[data-phone]")).to_have_text("+84913000222")
    expect(screen.locator("[data-place]")).to_contain_text("21.853, 106.761")

    screen.get_by_role("button", name="Accept").click()
    expect(screen.locator("[data-state]")).to_have_attribute("data-state", "in_progress")
    ask = screen.locator('form[data-action="ask"]')
    ask.get_by_label("Question").fill("Which lane of the road is the pothole in?")
    ask.get_by_role("button", name="Ask the reporter").click()
    expect(screen.locator("[data-state]")).to_have_attribute("data-state", "awaiting_reporter")
    answer = screen.locator('form[data-action="answer"]')
    answer.get_by_label("Answer").fill("We filled the pothole this morning; thank you for telling us.")
    answer.get_by_role("button", name="Answer").click()  # too early: the reporter has not replied yet
    expect(screen.locator("[data-failed]")).to_contain_text("waits for the reporter's reply")

    gate.bus.handle(rc.AddInformation(None, pothole.secret, code=pothole.tracking_code, text="The left lane."))
    screen.goto(f"{url}/unit/reports/{pothole.tracking_code}")  # the reporter replied meanwhile
    answer = screen.locator('form[data-action="answer"]')
    answer.get_by_label("Answer").fill("We filled the pothole this morning; thank you for telling us.")
    answer.get_by_label("Resolution").select_option("fixed")
    answer.get_by_role("button", name="Answer").click()
    expect(screen.locator("[data-state]")).to_have_attribute("data-state", "answered")
    expect(screen.locator("[data-notice]")).to_be_visible()
    keep_screenshot(screen, "unit-report")
    assert not blocking(axe_findings(screen)), described("unit report", blocking(axe_findings(screen)))

    clock.advance(days=4)  # Tuesday: the street light, due Monday 17:00, was never accepted (overdue)
    gate.bus.handle(rc.SweepReportDeadlines(SYSTEM))
    screen.context.clear_cookies()
    sign_in(screen, url, "xchief", then="/unit/")
    escalated = screen.get_by_role("navigation", name="Reports by where they stand").locator('[data-tab="escalated"]')
    expect(escalated).to_have_text("Escalated to me (1)")
    escalated.click()
    expect(screen.locator(f'tr[data-report="{late.tracking_code}"]')).to_contain_text("Overdue")
    expect(screen.locator(f'tr[data-report="{pothole.tracking_code}"]')).to_have_count(0)
    keep_screenshot(screen, "unit-inbox")
    assert not blocking(axe_findings(screen)), described("unit inbox", blocking(axe_findings(screen)))
    screen.context.close()

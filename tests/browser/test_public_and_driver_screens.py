"""The screens without a password: the public status page and a driver's page, updating live in a real browser."""
from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import keep_screenshot
from tests.support.accessibility import phone_measures
from tests.integration.queue_helpers import a_queue_desk


def test_the_public_page_shows_each_lane_and_updates_without_a_reload(served, screen):
    gate, url = served
    desk = a_queue_desk(gate, per_hour=2)
    desk.run()  # publishes the lane's figures
    screen.goto(f"{url}/?lang=en")
    lane = screen.locator('[data-point="HUU_NGHI"] tr[data-direction="outbound"]')
    expect(lane.locator("[data-waiting]")).to_have_text("0")
    screen.evaluate("window.loadedOnce = true")

    trucks = [desk.declare() for _ in range(3)]
    for truck in trucks:
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
    desk.run()

    expect(lane.locator("[data-waiting]")).not_to_have_text("0", timeout=10_000)
    assert screen.evaluate("window.loadedOnce") is True  # the same page, not a reload
    expect(screen.locator("#history")).to_have_attribute("data-points", re.compile(r"[1-9]\d*"), timeout=10_000)
    # One line per direction and figure, named for its direction: inbound and outbound are never one line.
    series = json.loads(screen.locator("#history").get_attribute("data-series"))
    assert series and all(re.match(r"(Outbound \(to China\)|Inbound \(into Vietnam\)) · ", label) for label in series)
    keep_screenshot(screen, "public-status")


def test_the_public_page_speaks_vietnamese_by_default_and_chinese_by_the_switch(served, screen):
    gate, url = served
    a_queue_desk(gate).run()
    screen.goto(url)
    expect(screen.locator("h1")).to_have_text("Hàng chờ qua cửa khẩu")
    screen.get_by_role("link", name="中文").click()
    expect(screen.locator("h1")).to_have_text("口岸排队实况")


def test_a_driver_sees_the_call_forward_with_its_deadline_counting_down(served, phone):
    gate, url = served
    desk = a_queue_desk(gate, per_hour=2)
    truck = desk.declare()
    desk.book(truck)
    desk.arrive_at_waiting_area(truck)
    phone.goto(gate.tracking_url(truck.reference).replace(gate.settings.public_url, url) + "?lang=en")
    expect(phone.locator("[data-queue]")).to_have_attribute("data-queue", "waiting")
    expect(phone.locator("[data-called]")).to_have_count(0)

    desk.run()  # the call-forward loop calls the truck

    called = phone.locator("[data-called]")
    expect(called).to_be_visible(timeout=10_000)
    expect(called).to_contain_text("You are called forward")
    # Minutes and seconds with their units ("19:53" reads like a time of day), counting down.
    countdown = called.locator("[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^(19|20) min \d\d? s$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=5_000)  # it counts down
    # The seconds tick outside the live region; a screen reader hears the minutes left, once a minute.
    assert countdown.get_attribute("aria-live") == "off" and countdown.get_attribute("role") == "timer"
    expect(called.locator("[data-countdown-said]")).to_have_text(
        re.compile(r"^(19|20) min left to reach the checkpoint$"))
    fits_a_phone(phone)
    assert phone.locator("#trip .reference").count() == 1 and phone.locator("#trip .plate").count() >= 1
    keep_screenshot(phone, "driver-called")

    # The public page on the same phone: in English its queue table was 469 px wide and hid "Expected wait".
    phone.goto(f"{url}/?lang=en")
    expect(phone.locator('[data-point="HUU_NGHI"] [data-wait]')).to_be_visible()
    fits_a_phone(phone)


def fits_a_phone(page) -> None:
    """At 360 px: nothing wider than the screen; references, plates, pills on one line; 44-px targets; 16-px inputs."""
    measured = phone_measures(page)
    assert measured["scrollWidth"] <= measured["width"] == 360, f"{measured['scrollWidth']} px wide"
    assert measured["wider"] == [], "wider than the screen"
    assert measured["scrolls"] == [], "scrolling sideways inside the page"
    assert measured["wrapped"] == [], "broken over lines"
    assert measured["small"] == [], "targets under 44 px tall"
    assert measured["tinyText"] == [], "input text under 16 px"


def test_a_person_signs_in_and_lands_on_the_screen_of_their_role_and_a_wrong_password_is_said_plainly(served, screen):
    gate, url = served
    a_queue_desk(gate)
    screen.goto(f"{url}/signin?lang=en")
    screen.get_by_label("Username").fill("operator")
    screen.get_by_label("Password").fill("not the password")
    screen.get_by_role("button", name="Sign in").click()
    expect(screen.get_by_role("alert")).to_have_text("Wrong username or password.")
    screen.get_by_label("Password").fill("a-long-test-password")
    screen.get_by_role("button", name="Sign in").click()
    expect(screen).to_have_url(re.compile(r"/board"))
    cookie, = [c for c in screen.context.cookies() if c["name"] == "bordergate_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

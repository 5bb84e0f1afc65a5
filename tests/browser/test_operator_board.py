"""The operators' board in a real browser: the control room settles reads, types plates, steers the queue, live."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

from playwright.sync_api import Page, expect

from bordergate.domain import commands
from bordergate.services.plate_control import ReadAnswer
from tests.browser.conftest import keep_screenshot
from tests.builders import PASSWORD, clear_agencies
from tests.integration.control_helpers import UNSURE
from tests.integration.queue_helpers import QueueDesk, Truck, a_queue_desk, local
from tests.support.forms import post_from_page


def sign_in(screen: Page, url: str, username: str, next_page: str = "/board") -> None:
    screen.goto(f"{url}/signin?lang=en&next={quote(next_page)}")
    screen.get_by_label("Username").fill(username)
    screen.get_by_label("Password").fill(PASSWORD)
    screen.get_by_role("button", name="Sign in").click()


def seen(desk: QueueDesk, checkpoint: str, truck: Truck, *, minutes_ago: float = 0,
         confidence: float = 0.95) -> ReadAnswer:
    """The checkpoint's camera reads the truck's plate (a buffered read may arrive minutes late)."""
    gate = desk.gate
    return gate.bus.handle(commands.RecordCameraRead(
        desk.huu_nghi.keys[checkpoint], captured_at=gate.clock.now() - timedelta(minutes=minutes_ago),
        plate=truck.plate, confidence=confidence))


def a_morning_at_huu_nghi(gate) -> QueueDesk:
    """Ten trucks crossed before eight, three are in the yard (one at inspection), and the export queue opened at
    eight: trucks waiting and called, a read in review and an undeclared truck at the yard gate."""
    desk = a_queue_desk(gate, per_hour=None)
    for crossed_ago in (175, 160, 130, 118, 100, 80, 64, 50, 31, 12):
        truck = desk.declare()
        clear_agencies(gate, desk.world, truck.reference)
        for checkpoint, before in (("waiting_area_entry", 45), ("yard_entry", 30), ("border_out", 0)):
            seen(desk, checkpoint, truck, minutes_ago=crossed_ago + before)
    for stops in (("waiting_area_entry", "yard_entry"), ("waiting_area_entry", "yard_entry"),
                  ("waiting_area_entry", "yard_entry", "inspection")):
        truck = desk.declare()
        for n, checkpoint in enumerate(stops):
            seen(desk, checkpoint, truck, minutes_ago=40 - 10 * n)
    desk.plan(per_hour=6)
    for waited in (52, 38, 30, 21, 14, 6):
        truck = desk.declare()
        desk.book(truck)
        seen(desk, "waiting_area_entry", truck, minutes_ago=waited)
    desk.run()
    for _ in range(2):
        desk.book(desk.declare())
    seen(desk, "waiting_area_entry", desk.declare(), confidence=UNSURE)
    seen(desk, "yard_entry", Truck("", "29C-999.99", "", desk.world.lan))
    return desk


def test_the_board_shows_the_lane_at_a_glance_with_the_day_hour_by_hour(served, screen):
    gate, url = served
    a_morning_at_huu_nghi(gate)
    sign_in(screen, url, "operator")
    expect(screen).to_have_url(re.compile(r"/board"))
    counts = {name: screen.locator(f'[data-count="{name}"] .n') for name in
              ("booked", "waiting", "called", "in_yard", "at_inspection", "crossed_today")}
    expect(counts["crossed_today"]).to_have_text("10")
    expect(counts["in_yard"]).to_have_text("2")
    expect(counts["at_inspection"]).to_have_text("1")
    expect(counts["booked"]).to_have_text("2")
    expect(counts["called"]).not_to_have_text("0")
    expect(screen.locator("[data-called] [data-due]").first).to_have_text(re.compile(r"^1?\d:\d\d$"))
    expect(screen.locator("#alerts")).to_contain_text("29C99999")
    expect(screen.locator("[data-review]")).to_have_count(2)  # the unsure read, and the plate no truck carries
    expect(screen.locator("#day-chart")).to_have_attribute("data-crossed", "10")
    keep_screenshot(screen, "operator-board")


def test_an_operator_confirms_an_unsure_read_as_its_declaration_and_it_leaves_the_review_queue(served, screen):
    gate, url = served
    desk = a_queue_desk(gate)
    truck = desk.declare()
    unsure = seen(desk, "waiting_area_entry", truck, confidence=UNSURE).read
    sign_in(screen, url, "operator")
    waiting_read = screen.locator(f'[data-review="{unsure.id}"]')
    expect(waiting_read).to_contain_text(truck.plate)
    expect(waiting_read).to_contain_text("50% sure")

    waiting_read.get_by_role("button", name=f"Confirm as {truck.reference}").click()

    expect(screen.locator(f'[data-review="{unsure.id}"]')).to_have_count(0)
    expect(screen.locator("#reviews")).to_contain_text("No read waits for a person.")
    with gate.reader() as uow:
        (item, _), = uow.reviews.listing(None, "resolved", 5)
    assert (item["resolution"], item["resolved_by"]) == ("confirmed", desk.world.operator.user_id)


def test_a_correction_no_declaration_fits_is_said_next_to_the_plate_and_the_read_stays_in_review(served, screen):
    gate, url = served
    desk = a_queue_desk(gate)
    unsure = seen(desk, "waiting_area_entry", desk.declare(), confidence=UNSURE).read
    sign_in(screen, url, "operator")
    screen.locator(f'[data-review="{unsure.id}"]').get_by_role("link", name="Correct…").click()
    panel = screen.locator('[data-panel="review"]')
    panel.get_by_label("Or the plate it really says").fill("12C-999.99")
    panel.get_by_role("button", name="Save").click()

    expect(panel.locator('[data-error="plate"]')).to_contain_text("no open declaration")
    expect(panel.get_by_label("Or the plate it really says")).to_have_value("12C-999.99")
    expect(screen.locator(f'[data-review="{unsure.id}"]')).to_have_count(1)


def test_an_operator_types_a_plate_where_the_camera_is_down_and_the_read_is_recorded_and_decided(served, screen):
    gate, url = served
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    sign_in(screen, url, "operator")
    manual = screen.locator("#manual")
    manual.get_by_label("Checkpoint").select_option(desk.huu_nghi.checkpoints["waiting_area_entry"])
    manual.get_by_role("button", name="Record the read").click()
    expect(screen.locator('#manual [data-error="plate"]')).to_be_visible()  # nothing typed: said at the field

    manual.get_by_label("Plate").fill(truck.plate)
    manual.get_by_label("Note (optional)").fill("camera down, read by the gate guard")
    manual.get_by_role("button", name="Record the read").click()

    answer = screen.locator("[data-answer]")
    expect(answer).to_contain_text(truck.plate)
    expect(answer.locator("[data-decision]")).to_have_attribute("data-decision", "open")
    expect(screen.locator('[data-count="waiting"] .n')).to_have_text("1")  # the read checked the truck in
    with gate.reader() as uow:
        read, = uow.reads.of_declaration(truck.reference)
    assert (read.sighting.source.value, read.sighting.note, read.actor) == (
        "manual", "camera down, read by the gate guard", desk.world.operator.user_id)


def test_a_regulation_order_issued_on_the_board_shows_there_and_on_the_public_page_until_lifted(served, screen):
    gate, url = served
    a_queue_desk(gate).run()
    sign_in(screen, url, "operator")
    orders = screen.locator("#orders")
    orders.get_by_label("Staging area").fill("Km 18 parking, National Road 4A")
    orders.get_by_label("Message to drivers").fill("Stop at Km 18 until called")
    orders.get_by_role("button", name="Issue the order").click()

    expect(screen.locator("[data-order]")).to_contain_text("Stop at Km 18 until called")
    screen.goto(f"{url}/")
    expect(screen.locator('[data-point="HUU_NGHI"] .order')).to_contain_text("Stop at Km 18 until called")

    screen.goto(f"{url}/board")
    screen.get_by_role("button", name="Lift the order").click()
    expect(screen.locator("[data-order]")).to_have_count(0)
    with gate.reader() as uow:
        assert uow.regulation.in_force("HUU_NGHI") == []


def test_an_operator_closes_the_lane_for_two_hours_and_the_bookings_of_those_hours_move(served, screen):
    gate, url = served
    desk = a_queue_desk(gate)
    desk.book(desk.declare(), local(10))
    sign_in(screen, url, "operator")
    capacity = screen.locator("#capacity")
    capacity.get_by_label("From").fill("2026-11-27T10:00")
    capacity.get_by_label("Until").fill("2026-11-27T12:00")
    capacity.get_by_label("Trucks per hour meanwhile (0 closes)").fill("0")
    capacity.get_by_role("button", name="Change capacity").click()
    expect(capacity.locator('[data-error="reason"]')).to_be_visible()  # drivers are told why, so it is required
    expect(capacity.get_by_label("From")).to_have_value("2026-11-27T10:00")

    capacity.get_by_label("Reason drivers are told").fill("Chinese side closed for an inspection")
    capacity.get_by_role("button", name="Change capacity").click()

    expect(screen.locator('[data-notice="capacity"]')).to_contain_text("1 booking(s) moved")
    expect(capacity.locator("[data-change]")).to_contain_text("10:00 27/11 – 12:00 27/11")
    expect(capacity.locator("[data-change]")).to_contain_text("Chinese side closed for an inspection")


def test_the_board_counts_a_truck_checked_in_and_called_without_a_reload(served, screen):
    gate, url = served
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    sign_in(screen, url, "operator")
    waiting = screen.locator('[data-count="waiting"] .n')
    expect(waiting).to_have_text("0")
    expect(screen.locator('[data-count="booked"] .n')).to_have_text("1")
    screen.evaluate("window.loadedOnce = true")

    gate.bus.handle(commands.CheckIn(desk.world.operator, truck.reference))

    expect(waiting).to_have_text("1", timeout=10_000)
    expect(screen.locator(f'[data-waiting="{truck.reference}"]')).to_contain_text(truck.plate)
    desk.run()
    expect(screen.locator('[data-count="called"] .n')).to_have_text("1", timeout=10_000)
    expect(screen.locator(f'[data-called="{truck.reference}"] [data-due]')).to_have_text(re.compile(r"^1?\d:\d\d$"))
    assert screen.evaluate("window.loadedOnce") is True  # the same page, not a reload


def test_a_declarant_is_refused_the_board_and_its_forms(served, screen):
    gate, url = served
    a_queue_desk(gate)
    sign_in(screen, url, "lan")
    answer = screen.goto(f"{url}/board")
    assert answer.status == 403
    expect(screen.locator("[data-refused]")).to_contain_text("operators, administrators and the traffic police")
    sent = post_from_page(screen, "/board/orders?point=HUU_NGHI&direction=outbound", {
        "crossing_point": "HUU_NGHI", "staging_area": "Km 18", "message": "Stop"}, max_redirects=0)
    assert sent.status == 403
    assert "data-refused-form" not in sent.text()  # refused for the role, not as a forged form
    with gate.reader() as uow:
        assert uow.regulation.in_force() == []

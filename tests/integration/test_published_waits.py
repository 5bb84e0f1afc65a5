"""Use case: the public page's expected wait, with its range where it is wide, urgent cargo's wait, and how far
yesterday's published waits were from the waits trucks had."""
from __future__ import annotations

from datetime import timedelta

from bordergate.entrypoints.web import pages
from bordergate.services import queue_views
from tests.integration.queue_helpers import POINT, TODAY, WAY, a_queue_desk, local


def public_lane(gate) -> dict:
    """Huu Nghi's export lane as the public page and API give it now."""
    lanes = queue_views.public_queues(gate.reader(), "en", gate.clock.now(), gate.rules.perishable_urgent)
    return next(lane for lane in lanes if (lane["crossing_point"], lane["direction"]["code"]) == (POINT, WAY))


def status_html(gate) -> str:
    queues = queue_views.public_queues(gate.reader(), "en", gate.clock.now(), gate.rules.perishable_urgent)
    return pages.render("status_body.html", "en", **pages.status_context(queues))


def test_trucks_late_on_the_road_give_the_public_a_range_and_urgent_cargo_its_own_shorter_wait(gate):
    desk = a_queue_desk(gate)  # 4 trucks an hour
    here = [desk.declare() for _ in range(4)]
    late = [desk.declare(hours_ahead=0.25) for _ in range(2)]  # declared for 08:15, not come by 08:20
    for truck in here + late:
        desk.book(truck)
    for truck in here:
        desk.arrive_at_waiting_area(truck)
    called = []
    for at in (local(8), local(8, 20)):
        desk.at(at)
        desk.run()  # by 08:20 two of the four called; the other two at 08:30 and 08:45, then the late ones at 09:00
        called += desk.called(*here)
        for truck in desk.called(*here):
            desk.drive_in(truck)
    assert len(called) == 2
    lane = public_lane(gate)
    assert lane["expected_wait_high_minutes"] == lane["expected_wait_minutes"]
    assert lane["expected_wait_high_minutes"] - lane["expected_wait_low_minutes"] == 30, \
        "the two late trucks, called ahead of a newcomer if they come, are a quarter of an hour each"
    assert lane["expected_wait_range"] is True
    assert lane["urgent_wait_minutes"] < lane["expected_wait_low_minutes"], "spoiling cargo is called first"
    html = status_html(gate)
    low, high = lane["expected_wait_low_minutes"], lane["expected_wait_high_minutes"]
    assert f"Outbound (to China): {low}–{high} min, depending on the trucks still on the road" in html
    assert f"urgent cargo (a legal priority, or perishable cargo spoiling within a day): called first, about " \
           f"{lane['urgent_wait_minutes']} min" in html


def test_a_queue_that_will_be_served_as_published_shows_one_figure_not_a_range(gate):
    desk = a_queue_desk(gate)
    for truck in [desk.declare() for _ in range(3)]:
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
    desk.run()
    lane = public_lane(gate)
    assert lane["expected_wait_low_minutes"] == lane["expected_wait_high_minutes"] == lane["expected_wait_minutes"]
    assert lane["expected_wait_range"] is False
    assert "depending on the trucks still on the road" not in status_html(gate)


def test_the_public_page_says_how_far_yesterdays_published_waits_were_from_the_waits_trucks_had(gate):
    desk = a_queue_desk(gate)
    desk.run()  # 08:00, nobody waiting: "0 min" is published
    trucks = [desk.declare() for _ in range(3)]
    for truck in trucks:
        desk.book(truck)
    desk.minutes_later(1)
    for truck in trucks:
        desk.arrive_at_waiting_area(truck)  # all three drove in at 08:01 having read "0 min"
    for at in (local(8, 1), local(8, 15), local(8, 30)):
        desk.at(at)
        desk.run()
        for truck in desk.called(*trucks):
            desk.drive_in(truck)
    assert public_lane(gate)["yesterday"] is None, "today's trucks are scored tomorrow"

    desk.at(local(9, day=TODAY + timedelta(days=1)))
    desk.run()
    # Called at 08:01, 08:15 and 08:30: waits of 0, 14 and 29 minutes against the 0 on show.
    assert public_lane(gate)["yesterday"] == {"trucks": 3, "mean_error_minutes": 14, "bias_minutes": -14}
    assert "Outbound (to China): yesterday our published waits were off by 14 min on average, over 3 trucks." \
        in status_html(gate)

    desk.at(local(9, day=TODAY + timedelta(days=2)))
    assert public_lane(gate)["yesterday"] is None, "a day without trucks has nothing to score"

"""The declarant portal's form for empty trucks: "travelling empty" and "and back empty" with the time it comes back."""
from __future__ import annotations

from datetime import timedelta, timezone

from bordergate.services import views
from tests.builders import GOODS
from tests.e2e.test_cross_site_requests import signed_in
from tests.support.forms import post_form

GATE_TIME = timezone(timedelta(hours=7))


def typed(gate, hours: float) -> str:
    """A time as the form's date-time input sends it: the gate's clock, no zone."""
    return (gate.clock.now() + timedelta(hours=hours)).astimezone(GATE_TIME).strftime("%Y-%m-%dT%H:%M")


def the_form(gate, **more: str) -> dict[str, str]:
    return {"crossing_point": "HUU_NGHI", "flow": "export", "planned_arrival": typed(gate, 6),
            "vehicle.tractor_plate": "12C-123.45", "vehicle.vehicle_class": "rigid_truck",
            "vehicle.gross_weight_kg": "15000", "vehicle.axles": "2", "vehicle.container_size": "none",
            "driver.full_name": "Trần Văn Bình", "driver.document_number": "001088012345",
            "driver.nationality": "VN", "driver.phone": "0912345678", **more}


def with_durian(form: dict[str, str]) -> dict[str, str]:
    durian = GOODS["durian"]
    return {**form, **{f"goods[0].{name}": str(durian[name]) for name in (
        "hs_code", "description", "packages", "gross_weight_kg", "value", "currency", "origin_country",
        "shelf_life_hours")}, "goods[0].perishable": "on", "goods[0].gross_weight_kg": "9000"}


def test_a_truck_travelling_empty_is_declared_from_the_portal_and_its_page_says_so(client, gate, world):
    signed_in(client, "lan")
    answer = post_form(client, "/portal/declare", "/portal/declare", the_form(gate, empty="on"),
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"]).text
    assert "data-empty" in page and 'data-not-assessed="empty_vehicle_not_published"' in page


def test_and_back_empty_declares_the_return_with_the_outbound_trip_and_each_page_links_the_other(
        client, gate, world):
    signed_in(client, "lan")
    form = with_durian(the_form(gate, return_empty="on", **{"return_empty.planned_arrival": typed(gate, 30)}))
    answer = post_form(client, "/portal/declare", "/portal/declare", form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    outbound = answer.headers["location"].split("?")[0].rsplit("/", 1)[1]
    back = views.declaration(gate.reader(), world.lan, outbound)["return_trip"]
    assert f'href="/portal/{back}" data-return-trip' in client.get(f"/portal/{outbound}").text
    returning = client.get(f"/portal/{back}").text
    assert f'href="/portal/{outbound}" data-outbound-trip' in returning and "data-empty" in returning


def test_and_back_empty_without_its_time_comes_back_with_the_problem_at_the_field_and_nothing_saved(
        client, gate, world):
    signed_in(client, "lan")
    answer = post_form(client, "/portal/declare", "/portal/declare", with_durian(the_form(gate, return_empty="on")))
    assert answer.status_code == 422
    assert 'data-error="return_empty.planned_arrival"' in answer.text
    assert views.declarations(gate.reader(), world.lan) == []

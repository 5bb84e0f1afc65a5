"""Reading a trip from the form: every rule names its field, and a trip survives the way to plain data and back."""
from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.errors import Invalid
from bordergate.domain.identifiers import iso6346_check_digit
from bordergate.domain.trip import ContainerSize, Flow
from bordergate.domain.trip_form import (driver_to_plain, read_driver, read_trip, read_vehicle, trip_to_plain,
                                         vehicle_to_plain)
from bordergate.services.ports import FixedClock
from tests import builders

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
POINTS = frozenset({"HUU_NGHI", "TAN_THANH", "COC_NAM", "CHI_MA"})
# builders.a_trip only asks its gate for the time, so a clock standing at NOW is enough here.
_AT_NOW = SimpleNamespace(clock=FixedClock(NOW))


def a_trip(*, vehicle: dict | None = None, driver: dict | None = None, line: dict | None = None,
           **top: Any) -> dict[str, Any]:
    """The builders' durian export, with fields of the vehicle, driver or first goods line replaced."""
    trip = builders.a_trip(_AT_NOW, **top)
    trip["vehicle"].update(vehicle or {})
    trip["driver"].update(driver or {})
    if line:
        trip["goods"][0].update(line)
    return trip


def read(raw: dict[str, Any]):
    return read_trip(raw, now=NOW, crossing_points=POINTS)


def problems_of(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(Invalid) as refused:
        read(raw)
    return {p.field: p.message for p in refused.value.problems}


# A well-formed trip


def test_a_well_formed_trip_is_read_in_its_normal_form():
    trip = read(a_trip(driver={"phone": "0912 345 678", "full_name": "  Trần   Văn Bình "}))
    assert trip.flow is Flow.EXPORT
    assert trip.planned_arrival == NOW + timedelta(hours=6)
    assert trip.vehicle.tractor_plate.display == "12C-123.45"
    assert trip.vehicle.trailer_plate.is_trailer
    assert trip.vehicle.container_size is ContainerSize.FT40
    assert trip.driver.phone == "+84912345678"
    assert trip.driver.full_name == "Trần Văn Bình"
    assert trip.goods[0].hs_code == "081060"
    assert trip.goods[0].gross_weight_kg == Decimal("24000")
    assert trip.containers == ("MSKU9070323",)
    assert trip.perishable


def test_arrival_right_now_and_exactly_ninety_days_ahead_are_both_accepted():
    assert read(a_trip(hours_ahead=0)).planned_arrival == NOW
    assert read(a_trip(hours_ahead=90 * 24)).planned_arrival == NOW + timedelta(days=90)


def test_a_stored_arrival_that_has_passed_still_reads_when_the_arrival_check_is_off():
    old = a_trip(hours_ahead=-48)
    assert read_trip(old, now=NOW, crossing_points=POINTS, check_arrival=False).planned_arrival < NOW


def test_a_trip_without_containers_or_customs_number_needs_no_container_size():
    trip = read(a_trip(vehicle={"container_size": None, "trailer_plate": None}, containers=None,
                       customs_declaration_number=None))
    assert trip.containers == () and trip.customs_declaration_number is None
    assert trip.vehicle.container_size is ContainerSize.NONE and trip.vehicle.trailer_plate is None


# Every rule names its field


@pytest.mark.parametrize("raw, field", [
    pytest.param(a_trip(hours_ahead=-0.1), "planned_arrival", id="arrival in the past"),
    pytest.param(a_trip(hours_ahead=90 * 24 + 1), "planned_arrival", id="arrival more than 90 days ahead"),
    pytest.param(a_trip(planned_arrival="2026-11-27T08:00:00"), "planned_arrival", id="arrival without time zone"),
    pytest.param(a_trip(planned_arrival="next friday"), "planned_arrival", id="arrival that is not a time"),
    pytest.param(a_trip(point="NOWHERE"), "crossing_point", id="unknown crossing point"),
    pytest.param(a_trip(flow="smuggling"), "flow", id="unknown flow"),
    pytest.param(a_trip(vehicle={"gross_weight_kg": 0}), "vehicle.gross_weight_kg", id="zero vehicle weight"),
    pytest.param(a_trip(vehicle={"gross_weight_kg": -42000}), "vehicle.gross_weight_kg", id="negative vehicle weight"),
    pytest.param(a_trip(vehicle={"gross_weight_kg": 100_001}), "vehicle.gross_weight_kg", id="vehicle over 100 t"),
    pytest.param(a_trip(vehicle={"axles": 1}), "vehicle.axles", id="one axle"),
    pytest.param(a_trip(vehicle={"vehicle_class": "tank"}), "vehicle.vehicle_class", id="unknown vehicle class"),
    pytest.param(a_trip(vehicle={"tractor_plate": "12O-123.45"}), "vehicle.tractor_plate", id="misread plate"),
    pytest.param(a_trip(vehicle={"trailer_plate": "12C-678.90"}), "vehicle.trailer_plate",
                 id="trailer plate that is not a trailer plate"),
    pytest.param(a_trip(vehicle={"container_size": "none"}), "vehicle.container_size",
                 id="containers listed without container size"),
    pytest.param(a_trip(line={"gross_weight_kg": "-5"}), "goods[0].gross_weight_kg", id="negative goods weight"),
    pytest.param(a_trip(line={"gross_weight_kg": 0}), "goods[0].gross_weight_kg", id="zero goods weight"),
    pytest.param(a_trip(line={"value": "0"}), "goods[0].value", id="goods worth nothing"),
    pytest.param(a_trip(line={"gross_weight_kg": "42000.001"}), "goods", id="goods heavier than the vehicle"),
    pytest.param(a_trip(line={"shelf_life_hours": None}), "goods[0].shelf_life_hours",
                 id="perishable without shelf life"),
    pytest.param(a_trip(line={"hs_code": "7700.00"}), "goods[0].hs_code", id="reserved HS chapter"),
    pytest.param(a_trip(line={"packages": 0}), "goods[0].packages", id="no packages"),
    pytest.param(a_trip(line={"currency": "US$"}), "goods[0].currency", id="bad currency"),
    pytest.param(a_trip(line={"origin_country": "VNM"}), "goods[0].origin_country", id="bad origin country"),
    pytest.param(a_trip(line={"perishable": "yes"}), "goods[0].perishable", id="perishable that is not a flag"),
    pytest.param(a_trip(driver={"nationality": "Vietnam"}), "driver.nationality", id="bad nationality"),
    pytest.param(a_trip(driver={"phone": "12345"}), "driver.phone", id="bad phone"),
    pytest.param(a_trip(driver={"document_number": "12-34"}), "driver.document_number", id="bad document"),
    pytest.param({**a_trip(), "goods": []}, "goods", id="no goods"),
    pytest.param({**a_trip(), "vehicle": None}, "vehicle", id="no vehicle"),
    pytest.param({**a_trip(), "driver": "Bình"}, "driver", id="driver that is not an object"),
    pytest.param(a_trip(containers=["MSKU9070324"]), "containers[0]", id="wrong container check digit"),
    pytest.param(a_trip(containers=["MSKU9070323", "mskU 907032-3"]), "containers[1]", id="duplicate containers"),
    pytest.param(a_trip(customs_declaration_number="30512345678"), "customs_declaration_number",
                 id="customs declaration number of 11 digits"),
])
def test_each_broken_rule_is_reported_on_the_field_that_breaks_it(raw, field):
    problems = problems_of(raw)
    assert list(problems) == [field]
    assert problems[field]


def test_an_unknown_crossing_point_is_answered_with_the_known_ones():
    assert "CHI_MA, COC_NAM, HUU_NGHI, TAN_THANH" in problems_of(a_trip(point="NOWHERE"))["crossing_point"]


def test_several_bad_fields_are_all_reported_at_once():
    raw = a_trip(point="NOWHERE", hours_ahead=-1, vehicle={"axles": 1}, driver={"phone": "x"},
                 line={"currency": "dollars"}, containers=["MSKU9070323", "MSKU9070323"],
                 customs_declaration_number="abc")
    with pytest.raises(Invalid) as refused:
        read(raw)
    assert {p.field for p in refused.value.problems} == {
        "crossing_point", "planned_arrival", "vehicle.axles", "driver.phone", "goods[0].currency",
        "containers[1]", "customs_declaration_number"}
    assert refused.value.detail.startswith("7 field(s) need correcting")


def test_each_goods_line_is_named_by_its_position():
    raw = a_trip()
    raw["goods"].append({**copy.deepcopy(builders.GOODS["phones"]), "gross_weight_kg": "-1"})
    assert list(problems_of(raw)) == ["goods[1].gross_weight_kg"]


def test_two_unreadable_containers_are_not_also_reported_as_listed_twice():
    problems = problems_of(a_trip(containers=["BAD1", "BAD2"]))
    assert "None" not in problems["containers[1]"]


def test_a_goods_weight_that_is_not_a_number_says_so_in_words():
    assert "number" in problems_of(a_trip(line={"gross_weight_kg": "heavy"}))["goods[0].gross_weight_kg"]


def test_a_bad_shelf_life_is_reported_once_with_its_own_reason():
    with pytest.raises(Invalid) as refused:
        read(a_trip(line={"shelf_life_hours": 0}))
    assert [p.field for p in refused.value.problems] == ["goods[0].shelf_life_hours"]


def test_a_goods_value_too_large_to_record_is_refused():
    assert list(problems_of(a_trip(line={"value": "1e20"}))) == ["goods[0].value"]


# Vehicles and drivers alone (the saved fleet)


def test_a_vehicle_read_alone_comes_back_the_same_from_its_plain_form():
    vehicle = read_vehicle(a_trip()["vehicle"])
    assert read_vehicle(vehicle_to_plain(vehicle)) == vehicle
    assert vehicle_to_plain(vehicle)["tractor_plate"] == "12C-123.45"


def test_a_driver_read_alone_comes_back_the_same_from_its_plain_form():
    driver = read_driver(a_trip()["driver"])
    assert read_driver(driver_to_plain(driver)) == driver


def test_a_bad_vehicle_or_driver_alone_names_every_bad_field():
    with pytest.raises(Invalid) as vehicle:
        read_vehicle({"tractor_plate": "12R-012.34", "trailer_plate": "12C-123.45", "vehicle_class": "reefer",
                      "gross_weight_kg": "heavy", "axles": 5})
    with pytest.raises(Invalid) as driver:
        read_driver({"full_name": "Bình", "document_number": "001088012345", "nationality": "V"})
    with pytest.raises(Invalid) as nothing:
        read_vehicle(None)
    assert {p.field for p in vehicle.value.problems} == {"vehicle.trailer_plate", "vehicle.gross_weight_kg"}
    assert {p.field for p in driver.value.problems} == {"driver.nationality", "driver.phone"}
    assert [(p.field, p.message) for p in nothing.value.problems] == [("vehicle", "is required")]


# The way to plain data and back

_SERIES = st.sampled_from(["C", "H", "LD", "K", "E"])
_OFFSETS = st.integers(-12, 14).map(lambda h: timezone(timedelta(hours=h)))


@st.composite
def trips(draw) -> dict[str, Any]:
    """Plain trips within every rule: any plate, arrival, zone, goods lines and containers."""
    plate = f"{draw(st.integers(11, 99))}{draw(_SERIES)}{draw(st.integers(0, 99999)):05d}"
    serials = draw(st.lists(st.integers(0, 999_999), max_size=3, unique=True))
    containers = [f"MSKU{s:06d}{iso6346_check_digit(f'MSKU{s:06d}')}" for s in serials]
    arrival = NOW + timedelta(minutes=draw(st.integers(0, 90 * 24 * 60)))
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        perishable = draw(st.booleans())
        lines.append({
            **builders.GOODS["phones"], "perishable": perishable,
            "description": draw(st.text("abc xyzđươ", min_size=1).filter(str.strip)),
            "gross_weight_kg": str(draw(st.decimals("0.001", "10000", places=3))),
            "value": str(draw(st.decimals("0.01", "1000000000", places=2))),
            "currency": draw(st.sampled_from(["VND", "USD", "CNY"])),
            "shelf_life_hours": draw(st.integers(1, 8760)) if perishable else draw(st.none() | st.integers(1, 99)),
        })
    trip = builders.a_trip(_AT_NOW, plate=plate, planned_arrival=arrival.astimezone(draw(_OFFSETS)).isoformat(),
                           flow=draw(st.sampled_from([f.value for f in Flow])), containers=containers or None,
                           point=draw(st.sampled_from(sorted(POINTS))),
                           customs_declaration_number=draw(st.none() | st.from_regex(r"\A\d{18}\Z")))
    trip["goods"] = lines
    return trip


@given(trips())
def test_a_trip_read_back_from_its_plain_form_is_the_same_trip(raw):
    trip = read(raw)
    plain = trip_to_plain(trip)
    assert read(plain) == trip
    assert trip_to_plain(read(plain)) == plain

"""The empty crossing as pure rules: read and written back, which agencies act, what the tariff makes of it, and the
return trip's shape."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bordergate.domain.errors import Invalid
from bordergate.domain.fees import LANG_SON_09_2025, NotAssessed, assess
from bordergate.domain.inspection import LANG_SON_2025, Agency
from bordergate.domain.return_trips import return_trip
from bordergate.domain.tariff_form import read_tariff, tariff_to_plain
from bordergate.domain.trip import Flow
from bordergate.domain.trip_form import read_trip, trip_to_plain
from bordergate.services.ports import FixedClock
from tests import builders

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
POINTS = frozenset({"HUU_NGHI"})


def empty(flow: str = "import"):
    raw = builders.a_trip(SimpleNamespace(clock=FixedClock(NOW)), flow=flow, containers=[])
    raw.update(goods=[], empty=True)
    return read_trip(raw, now=NOW, crossing_points=POINTS)


def test_an_empty_trip_reads_back_the_same_from_plain_data():
    trip = empty()
    assert (trip.empty, trip.goods, trip.perishable) == (True, (), False)
    assert read_trip(trip_to_plain(trip), now=NOW, crossing_points=POINTS) == trip


def test_the_rule_table_sends_customs_for_the_vehicle_and_the_border_guard_to_an_empty_truck():
    found = dict(LANG_SON_2025.agencies_for(empty()))
    assert list(found) == [Agency.CUSTOMS, Agency.BORDER_GUARD]
    assert "empty" in found[Agency.CUSTOMS]


def test_without_an_empty_line_the_shipped_tariff_leaves_an_empty_vehicle_not_assessed_with_its_reason():
    assessment = assess(empty(), LANG_SON_09_2025)
    assert (assessment.assessed, assessment.total_vnd, assessment.not_assessed) == (
        False, 0, NotAssessed.EMPTY_VEHICLE_NOT_PUBLISHED)


def test_an_empty_line_prices_only_empty_vehicles_of_its_flows():
    document = tariff_to_plain(LANG_SON_09_2025)
    document["lines"].append({"key": "empty-in", "description": "an empty vehicle coming in", "amount_vnd": 150_000,
                              "flows": ["import"], "empty": True})
    tariff = read_tariff(document)
    assert read_tariff(tariff_to_plain(tariff)) == tariff
    assert (assess(empty("import"), tariff).total_vnd, assess(empty("import"), tariff).fee_class) == (
        150_000, "empty/empty-in/40ft")
    assert assess(empty("export"), tariff).not_assessed is NotAssessed.EMPTY_VEHICLE_NOT_PUBLISHED


def test_the_return_trip_goes_the_other_way_empty_with_the_same_truck_and_driver():
    outbound = read_trip(builders.a_trip(SimpleNamespace(clock=FixedClock(NOW))), now=NOW, crossing_points=POINTS)
    back_at = outbound.planned_arrival + timedelta(hours=20)
    back = return_trip(outbound, {"planned_arrival": back_at.isoformat()}, now=NOW, crossing_points=POINTS)
    assert (back.flow, back.empty, back.goods, back.planned_arrival) == (Flow.IMPORT, True, (), back_at)
    assert (back.vehicle, back.driver, back.crossing_point) == (outbound.vehicle, outbound.driver, "HUU_NGHI")


def test_a_transit_trip_must_say_which_way_its_return_goes():
    raw = builders.a_trip(SimpleNamespace(clock=FixedClock(NOW)), flow="transit")
    outbound = read_trip(raw, now=NOW, crossing_points=POINTS)
    later = (outbound.planned_arrival + timedelta(hours=20)).isoformat()
    with pytest.raises(Invalid) as refused:
        return_trip(outbound, {"planned_arrival": later}, now=NOW, crossing_points=POINTS)
    assert [p.field for p in refused.value.problems] == ["return_empty.flow"]

"""The Declaration aggregate: correcting fields of a submitted trip and cancelling it (who may: test_policy.py)."""
from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bordergate.domain.corrections import FieldChange, read_field, with_field
from bordergate.domain.declaration import Declaration, DeclarationStatus
from bordergate.domain.errors import Conflict, Invalid, InvalidValue
from bordergate.domain.events import DeclarationAmended, DeclarationCancelled, DeclarationSubmitted
from bordergate.domain.trip_form import read_trip, trip_to_plain
from bordergate.services.ports import FixedClock
from tests import builders

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
POINTS = frozenset({"HUU_NGHI", "TAN_THANH"})
LATER = NOW + timedelta(minutes=10)


def a_declaration(goods: str = "durian", **overrides) -> Declaration:
    """A durian export declared by Lan at NOW for the farm, arriving six hours later."""
    raw = builders.a_trip(SimpleNamespace(clock=FixedClock(NOW)), goods=goods, **overrides)
    trip = read_trip(raw, now=NOW, crossing_points=POINTS)
    return Declaration.submit(reference="BG261127-7K3M9Q", enterprise_id="farm", actor="lan", trip=trip, now=NOW)


def amend(declaration: Declaration, changes: dict, *, at: datetime = LATER, reason: str | None = None):
    return declaration.amend(changes, actor="lan", now=at, crossing_points=POINTS, reason=reason)


def refused_fields(declaration: Declaration, changes: dict, **kwargs) -> list[str]:
    with pytest.raises(Invalid) as refused:
        amend(declaration, changes, **kwargs)
    return [p.field for p in refused.value.problems]


# Submitting


def test_a_submitted_declaration_is_open_at_version_one_and_says_who_submitted_it():
    declaration = a_declaration()
    assert (declaration.status, declaration.version, declaration.declared_by) == (DeclarationStatus.SUBMITTED, 1, "lan")
    assert declaration.events == [DeclarationSubmitted(
        actor="lan", at=NOW, reference="BG261127-7K3M9Q", enterprise_id="farm", crossing_point="HUU_NGHI",
        tractor_plate="12C-123.45")]


# Correcting


def test_a_correction_records_field_old_and_new_and_bumps_the_version():
    declaration = a_declaration()
    made = amend(declaration, {"driver.phone": "+86 138 0013 8000", "goods[0].packages": 1100}, reason="new driver")
    assert made == [FieldChange("driver.phone", "+84912345678", "+8613800138000"),
                    FieldChange("goods[0].packages", 1200, 1100)]
    assert declaration.trip.driver.phone == "+8613800138000" and declaration.trip.goods[0].packages == 1100
    assert declaration.version == 2
    assert declaration.events[-1] == DeclarationAmended(
        actor="lan", at=LATER, reference="BG261127-7K3M9Q", reason="new driver",
        changes=({"field": "driver.phone", "old": "+84912345678", "new": "+8613800138000"},
                 {"field": "goods[0].packages", "old": 1200, "new": 1100}))


def test_a_correction_keeps_every_field_it_does_not_name():
    declaration = a_declaration()
    before = trip_to_plain(declaration.trip)
    amend(declaration, {"vehicle.tractor_plate": "12c 123.46"})
    assert trip_to_plain(declaration.trip) == with_field(before, "vehicle.tractor_plate", "12C-123.46")


@pytest.mark.parametrize("path", ["vehicle.colour", "goods[1].hs_code", "containers[4]", "driver.phone.area",
                                  "vehicle..axles", "goods[-1]", "Vehicle.axles", ""])
def test_correcting_a_field_that_does_not_exist_is_refused_naming_the_path(path):
    declaration = a_declaration()
    with pytest.raises(Invalid) as refused:
        amend(declaration, {path: "x"})
    assert [p.field for p in refused.value.problems] == [path]
    assert declaration.version == 1 and len(declaration.events) == 1


@pytest.mark.parametrize("changes", [{"driver.phone": "0912 345 678"}, {"vehicle.tractor_plate": "12c12345"},
                                     {"goods[0].hs_code": "081060"}, {"flow": "export"}])
def test_correcting_a_field_to_the_value_it_already_has_is_refused(changes):
    declaration = a_declaration()
    assert refused_fields(declaration, changes) == list(changes)
    assert declaration.version == 1


def test_a_phone_can_be_corrected_when_the_planned_arrival_already_lies_in_the_past():
    declaration = a_declaration()
    amend(declaration, {"driver.phone": "0987654321"}, at=NOW + timedelta(days=1))
    assert declaration.trip.driver.phone == "+84987654321"


def test_the_arrival_cannot_be_moved_into_the_past():
    declaration = a_declaration()
    assert refused_fields(declaration, {"planned_arrival": (LATER - timedelta(minutes=1)).isoformat()}) == \
        ["planned_arrival"]
    amend(declaration, {"planned_arrival": (LATER + timedelta(hours=1)).isoformat()})
    assert declaration.trip.planned_arrival == LATER + timedelta(hours=1)


def test_a_whole_goods_list_can_be_replaced():
    declaration = a_declaration()
    phones = copy.deepcopy(builders.GOODS["phones"])
    lines = [phones, {**phones, "description": "Phone chargers", "hs_code": "8504.40"}]
    made = amend(declaration, {"goods": lines})
    assert [g.description for g in declaration.trip.goods] == ["Mobile phones", "Phone chargers"]
    assert not declaration.trip.perishable
    assert made[0].old[0]["description"] == "Fresh durian" and len(made[0].new) == 2


def test_a_correction_that_breaks_a_rule_is_refused_and_changes_nothing():
    declaration = a_declaration()
    before = declaration.trip
    assert refused_fields(declaration, {"vehicle.gross_weight_kg": 20000, "driver.phone": "0987654321"}) == ["goods"]
    assert refused_fields(declaration, {"crossing_point": "NOWHERE"}) == ["crossing_point"]
    assert refused_fields(declaration, {}) == ["changes"]
    assert declaration.trip is before and declaration.version == 1 and len(declaration.events) == 1


def test_correcting_a_weight_to_the_same_amount_written_differently_is_refused():
    assert refused_fields(a_declaration(), {"goods[0].gross_weight_kg": "24000.0"}) == ["goods[0].gross_weight_kg"]


def test_changes_that_name_an_item_a_later_change_removes_are_refused_as_field_problems():
    declaration = a_declaration()
    amend(declaration, {"goods": [builders.GOODS["durian"], builders.GOODS["phones"]]})
    fields = refused_fields(declaration, {"goods[1].description": "Smart phones", "goods": [builders.GOODS["durian"]]})
    assert "goods[1].description" in fields


# Cancelling


def test_cancelling_marks_it_cancelled_with_actor_and_time_and_bumps_the_version():
    declaration = a_declaration()
    declaration.cancel(actor="agent-7", now=LATER, reason="order postponed")
    assert (declaration.status, declaration.cancelled_at, declaration.version) == \
        (DeclarationStatus.CANCELLED, LATER, 2)
    assert declaration.events[-1] == DeclarationCancelled(actor="agent-7", at=LATER, reference="BG261127-7K3M9Q",
                                                          reason="order postponed")


def test_a_cancelled_declaration_can_neither_be_cancelled_again_nor_corrected():
    declaration = a_declaration()
    declaration.cancel(actor="lan", now=LATER)
    with pytest.raises(Conflict, match="cancelled"):
        declaration.cancel(actor="lan", now=LATER)
    with pytest.raises(Conflict):
        amend(declaration, {"driver.phone": "0987654321"})
    assert declaration.version == 2 and len(declaration.events) == 2


# Field paths


def test_a_field_path_reads_and_replaces_one_field_and_leaves_the_original_untouched():
    plain = trip_to_plain(a_declaration().trip)
    changed = with_field(plain, "goods[0].packages", 7)
    assert read_field(changed, "goods[0].packages") == 7
    assert read_field(plain, "goods[0].packages") == 1200
    with pytest.raises(InvalidValue, match="not a field path"):
        read_field(plain, "goods.0")

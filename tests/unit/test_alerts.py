"""Alert rules: a skipped checkpoint, a plate in two places at once, a truck too long in the yard, a silent camera."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.alerts import (IDENTITY_IN_DOUBT, AlertKind, AlertStatus, ControlLimits, doubt_lifted,
                                      overstay_cutoff, silent_since, skipped_stops, too_close_for_travel)
from bordergate.domain.checkpoints import CheckpointKind, Direction, stops_before

OUTBOUND, INBOUND = Direction.OUTBOUND, Direction.INBOUND
(APPROACH, WAITING_AREA, YARD, INSPECTION, BORDER_OUT, BORDER_IN,
 GATE_EXIT) = (CheckpointKind.HIGHWAY_APPROACH, CheckpointKind.WAITING_AREA_ENTRY, CheckpointKind.YARD_ENTRY,
               CheckpointKind.INSPECTION, CheckpointKind.BORDER_OUT, CheckpointKind.BORDER_IN, CheckpointKind.GATE_EXIT)
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


# Skipped checkpoints


def test_a_truck_seen_at_every_checkpoint_before_the_border_skipped_none():
    assert skipped_stops(BORDER_OUT, OUTBOUND, {APPROACH, WAITING_AREA, YARD, INSPECTION}) == ()


def test_a_truck_that_came_by_a_local_road_and_was_not_inspected_skipped_none():
    assert skipped_stops(BORDER_OUT, OUTBOUND, {WAITING_AREA, YARD}) == ()


def test_a_truck_at_the_border_with_no_read_in_the_yard_skipped_the_yard():
    assert skipped_stops(BORDER_OUT, OUTBOUND, {WAITING_AREA, INSPECTION}) == (YARD,)


def test_a_truck_first_seen_at_the_gate_exit_skipped_the_border_line_and_the_yard_in_that_order():
    assert skipped_stops(GATE_EXIT, INBOUND, set()) == (BORDER_IN, YARD)


def test_nothing_is_skipped_before_the_first_checkpoint_of_a_direction():
    assert skipped_stops(WAITING_AREA, OUTBOUND, set()) == ()
    assert skipped_stops(BORDER_IN, INBOUND, set()) == ()


@given(st.sampled_from(CheckpointKind), st.sampled_from(Direction), st.sets(st.sampled_from(CheckpointKind)))
def test_the_skipped_stops_are_the_required_stops_before_with_no_read_in_route_order(kind, direction, passed):
    skipped = skipped_stops(kind, direction, passed)
    assert skipped == tuple(stop for stop in stops_before(kind, direction) if stop not in passed)
    assert not set(skipped) & passed


# Cloned plates


def test_one_plate_seen_at_two_crossing_points_minutes_apart_cannot_be_one_truck():
    assert too_close_for_travel(NOW, NOW + minutes(29), minutes(30))


def test_one_plate_seen_at_two_crossing_points_the_travel_time_apart_may_be_one_truck():
    assert not too_close_for_travel(NOW, NOW + minutes(30), minutes(30))
    assert not too_close_for_travel(NOW, NOW + timedelta(hours=3), minutes(30))


@given(st.datetimes(timezones=st.just(UTC)), st.datetimes(timezones=st.just(UTC)),
       st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=1)))
def test_which_sighting_came_first_makes_no_difference(a, b, window):
    assert too_close_for_travel(a, b, window) == too_close_for_travel(b, a, window)


# Overstay in the yard


def test_a_truck_in_the_yard_longer_than_the_limit_entered_before_the_cutoff():
    cutoff = overstay_cutoff(NOW, timedelta(hours=8))
    assert cutoff == NOW - timedelta(hours=8)
    assert NOW - timedelta(hours=8, minutes=1) < cutoff < NOW - timedelta(hours=7, minutes=59)


# Silent cameras


def test_a_camera_is_silent_since_it_was_last_heard():
    assert silent_since(NOW, NOW - timedelta(days=3)) == NOW


def test_a_camera_never_heard_is_silent_since_it_was_registered():
    assert silent_since(None, NOW - timedelta(days=3)) == NOW - timedelta(days=3)


# Settings and labels


def test_the_control_limits_default_to_the_gates_operating_rules():
    limits = ControlLimits()
    assert limits.min_confidence == 0.80
    assert limits.yard_dwell_limit == timedelta(hours=8)
    assert limits.camera_silence == minutes(5)
    assert limits.clone_window == minutes(30)


@pytest.mark.parametrize("enum", [AlertKind, AlertStatus])
def test_alerts_carry_a_label_in_each_language(enum):
    for locale in ("vi", "en", "zh"):
        labels = [member.label(locale) for member in enum]
        assert all(labels) and len(set(labels)) == len(labels), locale


def test_an_alert_is_named_for_what_a_person_must_look_at():
    assert AlertKind.CLONED_PLATE.label("en") == "Same plate in two places"
    assert AlertKind.CAMERA_SILENT.label("vi") == "Camera mất tín hiệu"
    assert AlertKind.EXIT_WITHOUT_CLEARANCE.label("zh") == "未放行即出境"
    assert {kind.colour for kind in AlertKind} <= {"red", "amber"}


def test_only_a_cloned_plate_puts_the_identity_of_a_matched_truck_in_doubt():
    assert IDENTITY_IN_DOUBT == {AlertKind.CLONED_PLATE}


def test_a_doubt_is_lifted_by_a_confirmation_after_every_sighting_elsewhere_and_comes_back_with_a_new_one():
    elsewhere = [NOW - timedelta(minutes=3)]
    assert not doubt_lifted([], elsewhere)
    assert doubt_lifted([NOW], elsewhere)
    assert not doubt_lifted([NOW], [*elsewhere, NOW + timedelta(minutes=1)])

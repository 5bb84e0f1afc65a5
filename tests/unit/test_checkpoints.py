"""Checkpoints and cameras: the way through the gate in each direction, and the keys cameras post reads with."""
from __future__ import annotations

import hashlib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.checkpoints import (OPTIONAL_STOPS, ROUTE, CameraStatus, CheckpointKind, Direction,
                                           allowed_kinds, camera_key, camera_of_key, direction_of, key_digest,
                                           key_matches, stops_before)
from bordergate.domain.trip import Flow

OUTBOUND, INBOUND = Direction.OUTBOUND, Direction.INBOUND
(APPROACH, WAITING_AREA, YARD, INSPECTION, BORDER_OUT, BORDER_IN,
 GATE_EXIT) = (CheckpointKind.HIGHWAY_APPROACH, CheckpointKind.WAITING_AREA_ENTRY, CheckpointKind.YARD_ENTRY,
               CheckpointKind.INSPECTION, CheckpointKind.BORDER_OUT, CheckpointKind.BORDER_IN, CheckpointKind.GATE_EXIT)


# The way through the gate


def test_an_outbound_truck_comes_off_the_highway_waits_is_cleared_in_the_yard_and_crosses():
    assert ROUTE[OUTBOUND] == (APPROACH, WAITING_AREA, YARD, INSPECTION, BORDER_OUT)


def test_an_inbound_truck_crosses_is_cleared_in_the_yard_and_leaves_inland():
    assert ROUTE[INBOUND] == (BORDER_IN, YARD, INSPECTION, GATE_EXIT)


def test_only_the_approach_camera_has_no_barrier():
    assert [kind for kind in CheckpointKind if not kind.has_barrier] == [APPROACH]


@pytest.mark.parametrize("direction", list(Direction))
def test_each_direction_ends_at_the_one_barrier_that_releases_the_truck(direction):
    releasing = [kind for kind in ROUTE[direction] if kind.releases_the_truck]
    assert releasing == [ROUTE[direction][-1]]


def test_the_truck_is_released_at_the_border_line_out_and_the_gate_exit_inland():
    assert {kind for kind in CheckpointKind if kind.releases_the_truck} == {BORDER_OUT, GATE_EXIT}


def test_the_approach_camera_and_the_inspection_area_are_not_on_every_trucks_way():
    assert OPTIONAL_STOPS == {APPROACH, INSPECTION}


@pytest.mark.parametrize(("flow", "direction"), [
    (Flow.EXPORT, OUTBOUND), (Flow.TEMPORARY_EXPORT_FOR_REIMPORT, OUTBOUND),
    (Flow.IMPORT, INBOUND), (Flow.TEMPORARY_IMPORT_FOR_REEXPORT, INBOUND),
    (Flow.TRANSIT, None), (Flow.TRANSSHIPMENT, None)])
def test_the_flow_of_a_trip_says_which_way_it_crosses(flow, direction):
    assert direction_of(flow) is direction


def test_every_flow_has_a_direction_or_may_go_either_way():
    assert {flow for flow in Flow if direction_of(flow) is None} == {Flow.TRANSIT, Flow.TRANSSHIPMENT}


@pytest.mark.parametrize(("kind", "direction", "before"), [
    (APPROACH, OUTBOUND, ()),
    (WAITING_AREA, OUTBOUND, ()),
    (YARD, OUTBOUND, (WAITING_AREA,)),
    (INSPECTION, OUTBOUND, (WAITING_AREA, YARD)),
    (BORDER_OUT, OUTBOUND, (WAITING_AREA, YARD)),
    (BORDER_IN, INBOUND, ()),
    (YARD, INBOUND, (BORDER_IN,)),
    (GATE_EXIT, INBOUND, (BORDER_IN, YARD)),
])
def test_a_truck_at_a_checkpoint_must_have_passed_the_ones_before_it_except_the_optional_ones(kind, direction, before):
    assert stops_before(kind, direction) == before


@pytest.mark.parametrize(("kind", "direction"), [(BORDER_IN, OUTBOUND), (GATE_EXIT, OUTBOUND), (APPROACH, INBOUND),
                                                 (WAITING_AREA, INBOUND), (BORDER_OUT, INBOUND)])
def test_a_checkpoint_off_the_route_of_a_direction_has_nothing_before_it(kind, direction):
    assert stops_before(kind, direction) == ()


@given(st.sampled_from(CheckpointKind), st.sampled_from(Direction))
def test_the_stops_before_a_checkpoint_come_earlier_on_its_route_and_are_never_optional(kind, direction):
    before = stops_before(kind, direction)
    route = ROUTE[direction]
    assert not set(before) & OPTIONAL_STOPS
    assert kind not in before
    assert list(before) == sorted(before, key=route.index)
    assert all(route.index(stop) < route.index(kind) for stop in before)


@pytest.mark.parametrize("direction", list(Direction))
def test_a_lane_can_be_any_checkpoint_on_its_directions_route(direction):
    assert allowed_kinds(direction) == ROUTE[direction]


def test_the_yard_and_inspection_area_serve_both_directions_and_the_rest_one():
    both = set(allowed_kinds(OUTBOUND)) & set(allowed_kinds(INBOUND))
    assert both == {YARD, INSPECTION}
    assert set(allowed_kinds(OUTBOUND)) | set(allowed_kinds(INBOUND)) == set(CheckpointKind)


# Camera keys

secrets = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=50)
camera_ids = st.uuids().map(str)


def test_a_camera_key_names_its_camera_then_carries_its_secret():
    assert camera_key("cam-7", "s3cret") == "cam-7.s3cret"
    assert camera_of_key("cam-7.s3cret") == "cam-7"


@given(camera_ids, secrets)
def test_the_camera_a_key_was_issued_to_is_read_back_from_it(camera_id, secret):
    assert camera_of_key(camera_key(camera_id, secret)) == camera_id


@pytest.mark.parametrize("key", ["", "no-dot-at-all", ".only-a-secret", "only-an-id.", "."])
def test_a_key_not_shaped_like_a_camera_key_names_no_camera(key):
    assert camera_of_key(key) is None


def test_only_a_sha256_digest_of_a_key_is_kept():
    key = camera_key("cam-7", "s3cret")
    digest = key_digest(key)
    assert digest == hashlib.sha256(b"cam-7.s3cret").hexdigest()
    assert len(digest) == 64 and "s3cret" not in digest


@given(camera_ids, secrets, secrets)
def test_a_camera_key_matches_its_own_digest_and_no_other(camera_id, secret, other):
    key = camera_key(camera_id, secret)
    assert key_matches(key, key_digest(key))
    assert key_matches(camera_key(camera_id, other), key_digest(key)) == (other == secret)


def test_a_key_does_not_match_a_digest_that_is_not_one():
    assert not key_matches("cam-7.s3cret", "")
    assert not key_matches("cam-7.s3cret", "cam-7.s3cret")


# Labels


@pytest.mark.parametrize("enum", [CheckpointKind, Direction, CameraStatus])
def test_checkpoints_directions_and_camera_statuses_carry_a_label_in_each_language(enum):
    for locale in ("vi", "en", "zh"):
        labels = [member.label(locale) for member in enum]
        assert all(labels) and len(set(labels)) == len(labels), locale


def test_a_checkpoint_is_named_the_way_the_gate_staff_name_it():
    assert BORDER_OUT.label("en") == "Border line, out"
    assert BORDER_IN.label("zh") == "边境线入境"
    assert YARD.label("vi") == "Cổng bãi kiểm hóa"
    assert OUTBOUND.label("en") == "Outbound (to China)"

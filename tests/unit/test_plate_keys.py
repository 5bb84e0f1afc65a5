"""Plate keys and plate reads: the few plates a read could be are found by key, a truck is one candidate, a
sighting says what is wrong with it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.plate_matching import Candidate, MatchOutcome, PlateIndex, PlateRole, filing_keys, lookup_keys
from bordergate.domain.plate_reads import ReadSource, Sighting, TripOnRecord, candidates_for
from tests.unit.test_plate_matching import CONFUSABLE, a_tractor, a_trailer, nasty_days, plates

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
PROVINCES = "桂粤云湘"


def filed_under(keys: set[str], candidates: list[Candidate]) -> list[Candidate]:
    """What the database returns for a read: the candidates with a filing key among the read's lookup keys."""
    return [c for c in candidates if filing_keys(c.plate) & keys]


def judged_both_ways(candidates: list[Candidate], text: str, confidence: float = 0.95):
    """The verdict from just the plates found by key, the verdict from every plate, and how many were found."""
    few = filed_under(lookup_keys(text), candidates)
    return PlateIndex(few).match(text, confidence), PlateIndex(candidates).match(text, confidence), len(few)


# Filing and lookup keys


def test_a_plate_is_filed_under_its_folded_compact_form_and_every_form_one_character_shorter():
    assert filing_keys("12C-123.45") == {"12C12345", "2C12345", "1C12345", "1212345", "12C2345", "12C1345",
                                         "12C1245", "12C1235", "12C1234"}


def test_a_plate_with_a_confusable_letter_is_filed_under_the_digit_cameras_read_it_as():
    assert "51812345" in filing_keys("51B-123.45")


def test_a_chinese_plate_is_also_filed_without_its_province_character():
    assert "F12345" in filing_keys("桂F·12345")


def test_a_read_is_looked_up_as_plate_characters_folded_to_digits():
    assert "12C10345" in lookup_keys("12c 1O3.45|")
    assert lookup_keys("12C12345") == filing_keys("12C12345")


@pytest.mark.parametrize("text", ["", "   ", "-.-", "\n"])
def test_a_read_with_no_plate_characters_looks_nothing_up(text):
    assert lookup_keys(text) == set()


A_CROWDED_MORNING = ["桂F12345", "粤F12345", "桂F1234S", "桂FB2345", "12C12345", "12C12346", "12C1234", "12CD12345",
                     "29LD54321", "51B67890", "29C99999", "桂A8888挂", "12R01234"]


@pytest.mark.parametrize(("text", "outcome"), [
    ("12C-123.45", MatchOutcome.AMBIGUOUS),       # 12C1234 is one character shorter
    ("29LD-543.21", MatchOutcome.MATCHED),
    ("5IB-678.9O", MatchOutcome.MATCHED),
    ("29C9999", MatchOutcome.LOW_CONFIDENCE),     # a digit dropped
    ("F12345", MatchOutcome.AMBIGUOUS),           # the province lost: 桂 or 粤
    ("湘F12345", MatchOutcome.AMBIGUOUS),
    ("桂A8888挂", MatchOutcome.MATCHED),
    ("98H77777", MatchOutcome.NO_MATCH),
    ("29LD54322", MatchOutcome.NO_MATCH),         # closest plate suggested from the keys too
])
def test_the_plates_found_by_key_are_few_and_judge_the_read_as_every_plate_would(text, outcome):
    candidates = [a_tractor(plate, f"LS-{i}") for i, plate in enumerate(A_CROWDED_MORNING)]
    few, everything, found = judged_both_ways(candidates, text)
    assert few == everything
    assert everything.outcome is outcome
    assert found < len(candidates) // 2


def test_among_a_thousand_trucks_a_read_finds_only_its_lookalikes():
    day = [a_tractor(f"{11 + i % 89}C{i:05d}", f"LS-{i}") for i in range(1000)]
    few, everything, found = judged_both_ways(day, "12C0OO01")
    assert few == everything
    assert everything.candidate == a_tractor("12C00001", "LS-1")
    assert found <= 3


# The property the database lookup rests on: the plates found by key are all the plates a verdict can depend on.

SEPARATORS = ["-", ".", " ", "·", "\n"]


@st.composite
def misreads_of(draw, plate: str) -> str:
    """What a camera may make of ``plate``: up to three usual confusions, lost, added or swapped characters."""
    text = plate
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        slip = draw(st.sampled_from(["confuse", "drop", "add", "swap", "province_lost", "province_misread"]))
        if slip == "confuse" and text[i] in CONFUSABLE:
            text = text[:i] + draw(st.sampled_from(CONFUSABLE[text[i]])) + text[i + 1:]
        elif slip == "drop":
            text = text[:i] + text[i + 1:]
        elif slip == "add":
            text = text[:i] + draw(st.sampled_from("1I7A0OB8Z")) + text[i:]
        elif slip == "swap" and i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        elif slip == "province_lost" and not text[0].isascii():
            text = text[1:]
        elif slip == "province_misread" and not text[0].isascii():
            text = draw(st.sampled_from(PROVINCES + "柱")) + text[1:]
    if text and draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(SEPARATORS)) + text[cut:]
    return text.lower() if draw(st.booleans()) else text


@st.composite
def crowded_days(draw) -> list[Candidate]:
    """Expected plates with near neighbours, the same number from several provinces, one truck on two trips."""
    day = draw(nasty_days())
    if not day[0][0].isascii():
        day += [p + day[0][1:] for p in draw(st.lists(st.sampled_from(PROVINCES), max_size=3))]
    day += draw(st.lists(st.sampled_from(day), max_size=2))  # the same plate declared again
    candidates = [draw(st.sampled_from([a_tractor, a_trailer]))(plate, f"LS-{i}") for i, plate in enumerate(day)]
    return draw(st.permutations(candidates))


@st.composite
def reads_on(draw, candidates: list[Candidate]) -> str:
    """A misread of an expected plate, of some other plate, or anything at all a camera might send."""
    return draw(st.one_of(
        st.sampled_from([c.plate for c in candidates]).flatmap(misreads_of),
        plates.flatmap(misreads_of),
        st.text(alphabet=st.sampled_from("0123456789ABCDFGILOQSZ桂粤挂-. "), max_size=12),
        st.text(max_size=10)))


@settings(max_examples=400)
@given(crowded_days(), st.data(), st.one_of(st.floats(0.8, 1), st.floats(0, 1)))
def test_the_plates_filed_under_a_reads_lookup_keys_judge_it_exactly_as_every_expected_plate_would(
        candidates, data, confidence):
    text = data.draw(reads_on(candidates), label="read")
    few, everything, found = judged_both_ways(candidates, text, confidence)
    event(f"outcome: {everything.outcome}")
    event("found fewer than all" if found < len(set(candidates)) else "found all")
    assert few == everything


@given(crowded_days(), st.data())
def test_the_trips_the_database_finds_by_key_choose_the_same_truck_as_every_open_trip_would(candidates, data):
    # Each plate may be on several open trips (one truck, several declarations), planned at various hours.
    trips = [TripOnRecord(c.key, c.plate, c.role, NOW + timedelta(hours=data.draw(st.integers(-48, 48))),
                          data.draw(st.booleans())) for c in candidates]
    text = data.draw(reads_on(candidates), label="read")
    keys = lookup_keys(text)
    found = [trip for trip in trips if filing_keys(trip.plate) & keys]
    assert (PlateIndex(candidates_for(found, NOW)).match(text, 0.95)
            == PlateIndex(candidates_for(trips, NOW)).match(text, 0.95))


# One candidate per truck


def a_trip(reference: str, plate: str = "12C12345", *, hours: float = 0, seen: bool = False,
           role: PlateRole = PlateRole.TRACTOR) -> TripOnRecord:
    """An open trip planned ``hours`` from now, seen at the gate already or not."""
    return TripOnRecord(reference, plate, role, NOW + timedelta(hours=hours), seen)


def test_each_truck_with_one_open_trip_is_one_candidate():
    trips = [a_trip("LS-1", "12C12345"), a_trip("LS-2", "12R01234", role=PlateRole.TRAILER)]
    assert candidates_for(trips, NOW) == [Candidate("LS-1", "12C12345", PlateRole.TRACTOR),
                                          Candidate("LS-2", "12R01234", PlateRole.TRAILER)]


def test_no_open_trips_no_candidates():
    assert candidates_for([], NOW) == []


def test_a_truck_with_several_open_trips_is_on_the_one_already_seen_at_the_gate():
    trips = [a_trip("LS-1", hours=0), a_trip("LS-2", hours=-30, seen=True), a_trip("LS-3", hours=1)]
    assert [c.key for c in candidates_for(trips, NOW)] == ["LS-2"]


@pytest.mark.parametrize(("hours", "chosen"), [((5, -1), "LS-2"), ((-1, 5), "LS-1"), ((-3, 2), "LS-2")])
def test_a_truck_not_yet_seen_is_on_the_trip_planned_nearest_the_read(hours, chosen):
    trips = [a_trip("LS-1", hours=hours[0]), a_trip("LS-2", hours=hours[1])]
    assert [c.key for c in candidates_for(trips, NOW)] == [chosen]


def test_two_trips_planned_equally_near_the_read_choose_the_first_reference():
    assert [c.key for c in candidates_for([a_trip("LS-9", hours=2), a_trip("LS-4", hours=-2)], NOW)] == ["LS-4"]


def test_a_truck_on_two_declarations_is_matched_not_ambiguous():
    trips = [a_trip("LS-1", hours=3), a_trip("LS-2", hours=20), a_trip("LS-3", "29LD54321")]
    match = PlateIndex(candidates_for(trips, NOW)).match("12C-123.45", 0.95)
    assert match.outcome is MatchOutcome.MATCHED and match.candidate.key == "LS-1"


trip_lists = st.lists(st.builds(a_trip, st.sampled_from(["LS-1", "LS-2", "LS-3", "LS-4"]),
                                st.sampled_from(["12C12345", "12R01234", "桂F12345"]),
                                hours=st.integers(-48, 48), seen=st.booleans()), max_size=8)


@given(trip_lists, st.randoms())
def test_one_candidate_per_plate_whatever_the_order_the_trips_come_in(trips, random):
    shuffled = list(trips)
    random.shuffle(shuffled)
    chosen = candidates_for(trips, NOW)
    assert sorted(c.plate for c in chosen) == sorted({t.plate for t in trips})
    assert set(chosen) == set(candidates_for(shuffled, NOW))
    assert all(any((t.reference, t.plate, t.role) == (c.key, c.plate, c.role) for t in trips) for c in chosen)


# Sightings as sent


def a_sighting(plate: str = "12C-123.45", *, confidence: float = 0.93, captured_at: datetime = NOW,
               direction: Direction | None = None) -> Sighting:
    return Sighting("CP-1", captured_at, plate, confidence, ReadSource.CAMERA, camera_id="cam-1",
                    direction=direction)


def fields(sighting: Sighting, lane: Direction = Direction.OUTBOUND) -> list[str]:
    return [problem.field for problem in sighting.problems(lane)]


@pytest.mark.parametrize("sighting", [a_sighting(), a_sighting(confidence=0.0), a_sighting(confidence=1.0),
                                      a_sighting("X" * 32), a_sighting(direction=Direction.OUTBOUND)])
def test_a_sighting_as_a_camera_sends_it_can_be_matched(sighting):
    assert sighting.problems(Direction.OUTBOUND) == []
    sighting.require_valid(Direction.OUTBOUND)


@pytest.mark.parametrize("plate", ["", "   ", "\n"])
def test_a_sighting_without_plate_text_is_refused(plate):
    assert a_sighting(plate).problems(Direction.OUTBOUND) == [
        FieldProblem("plate", "send the plate text the camera read (it has no letters or digits)")]


@pytest.mark.parametrize("plate", ["-.-", "·", "***"])
def test_a_sighting_with_no_plate_characters_is_refused_not_taken_for_an_undeclared_truck(plate):
    assert fields(a_sighting(plate)) == ["plate"]


def test_a_sighting_with_more_text_than_a_plate_has_is_refused():
    assert a_sighting("X" * 33).problems(Direction.OUTBOUND) == [
        FieldProblem("plate", "is 33 characters; a plate read has at most 32")]


@pytest.mark.parametrize("confidence", [-0.01, 1.01, 93.0, float("nan")])
def test_a_confidence_outside_zero_to_one_is_refused(confidence):
    assert fields(a_sighting(confidence=confidence)) == ["confidence"]


def test_a_capture_time_without_a_time_zone_is_refused():
    assert fields(a_sighting(captured_at=datetime(2026, 11, 27, 8, 15))) == ["captured_at"]


def test_a_sighting_from_a_lane_of_the_other_direction_points_at_the_cameras_registration():
    (problem,) = a_sighting(direction=Direction.INBOUND).problems(Direction.OUTBOUND)
    assert problem == FieldProblem("direction", "this camera's checkpoint carries outbound traffic, not inbound; "
                                                "check the camera's registration")


def test_every_problem_with_a_sighting_is_listed_at_once():
    sighting = a_sighting("", confidence=2, captured_at=datetime(2026, 11, 27), direction=Direction.INBOUND)
    assert fields(sighting) == ["plate", "confidence", "captured_at", "direction"]
    with pytest.raises(Invalid) as refused:
        sighting.require_valid(Direction.OUTBOUND)
    assert [p.field for p in refused.value.problems] == ["plate", "confidence", "captured_at", "direction"]

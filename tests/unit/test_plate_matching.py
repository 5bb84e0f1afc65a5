"""Matching camera plate reads to the trucks expected at the gate: when a barrier may open on a read alone."""
from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bordergate.domain.plate_matching import (
    Candidate,
    MatchOutcome,
    PlateIndex,
    PlateMatch,
    PlateRole,
    fold,
    normalise,
)
from bordergate.domain.plates import is_plate

MATCHED, LOW_CONFIDENCE, AMBIGUOUS, NO_MATCH = (
    MatchOutcome.MATCHED, MatchOutcome.LOW_CONFIDENCE, MatchOutcome.AMBIGUOUS, MatchOutcome.NO_MATCH)
CONFUSABLE = {char: group.replace(char, "") for group in ("0ODQ", "1IL", "2Z", "5S", "6G", "8B") for char in group}


def a_tractor(plate: str, key: str = "LS-1") -> Candidate:
    return Candidate(key, plate, PlateRole.TRACTOR)


def a_trailer(plate: str, key: str = "LS-1") -> Candidate:
    return Candidate(key, plate, PlateRole.TRAILER)


def expecting(*plates: str | Candidate, **settings) -> PlateIndex:
    """An index of the given plates, each plain plate on a declaration of its own."""
    return PlateIndex([p if isinstance(p, Candidate) else a_tractor(p, f"LS-{i}") for i, p in enumerate(plates)],
                      **settings)


def read(index: PlateIndex, text: str, confidence: float = 0.95) -> PlateMatch:
    return index.match(text, confidence)


# Reads that open the barrier


@pytest.mark.parametrize("text", ["12C12345", "12C-123.45", "12c 123.45", " 12C•123•45 ", "12C\n123.45"])
def test_an_exact_read_matches_its_truck_however_the_camera_lays_it_out(text):
    match = read(expecting("12C12345", "29LD54321"), text)
    assert match.outcome is MATCHED
    assert match.candidate == a_tractor("12C12345", "LS-0")
    assert match.read_as == "12C12345"
    assert match.distance == 0
    assert not match.needs_review


def test_a_read_with_o_for_zero_matches_its_truck():
    match = read(expecting("12C10345"), "12C1O345")
    assert match.outcome is MATCHED
    assert match.candidate.plate == "12C10345"
    assert match.distance == 0.25


def test_a_read_with_i_for_one_in_the_province_matches_its_truck():
    assert read(expecting("12C12345"), "I2C-123.45").outcome is MATCHED


def test_a_series_letter_read_as_a_digit_matches_its_truck():
    assert read(expecting("51B12345"), "51812345").candidate.plate == "51B12345"


def test_a_chinese_city_letter_read_as_a_digit_matches_its_truck():
    assert read(expecting("桂G12345"), "桂612345").candidate.plate == "桂G12345"


def test_a_matched_read_says_why_in_plain_words():
    match = read(expecting("12C10345"), "12C1O345")
    assert match.reasons == ("the read 12C1O345 matches 12C10345 (tractor of LS-0) once usual camera confusions"
                             " are undone; no other expected plate fits",)


def test_a_trailer_plate_matches_the_trailer_of_its_declaration():
    index = PlateIndex([a_tractor("12C12345", "LS-7"), a_trailer("12R01234", "LS-7")])
    match = read(index, "12R-012.34")
    assert match.candidate == a_trailer("12R01234", "LS-7")
    assert match.candidate.role == "trailer"


def test_a_semi_trailer_on_a_two_row_plate_matches():
    assert read(expecting(a_trailer("29RM01234")), "29RM\n012.34").candidate.plate == "29RM01234"


@pytest.mark.parametrize("text", ["桂F12345", "桂F·12345", "桂f 12345", "桂Ｆ１２３４５"])
def test_a_chinese_plate_matches_with_its_province_character(text):
    assert read(expecting("桂F12345", "粤B12345"), text).candidate.plate == "桂F12345"


def test_a_chinese_trailer_matches():
    assert read(expecting(a_trailer("桂F1234挂")), "桂F·1234挂").outcome is MATCHED


def test_the_confidence_threshold_is_a_setting():
    assert read(expecting("12C12345", min_confidence=0.6), "12C12345", confidence=0.7).outcome is MATCHED


# Reads that go to the operator


def test_a_read_below_the_confidence_threshold_goes_to_review_even_when_exact():
    match = read(expecting("12C12345"), "12C12345", confidence=0.62)
    assert match.outcome is LOW_CONFIDENCE
    assert match.candidate is None
    assert match.alternatives == (a_tractor("12C12345", "LS-0"),)
    assert "the camera's confidence 0.62 is below 0.80" in match.reasons


def test_two_trucks_one_confusion_apart_go_to_review():
    match = read(expecting("桂FBA2C3", "桂F8A2C3"), "桂F8A2C3")
    assert match.outcome is AMBIGUOUS
    assert match.candidate is None
    assert {c.plate for c in match.alternatives} == {"桂FBA2C3", "桂F8A2C3"}
    assert match.reasons[0].startswith("the read 桂F8A2C3 fits 2 expected plates")


def test_an_exact_read_goes_to_review_when_another_expected_plate_is_one_character_longer():
    match = read(expecting("12C1234", "12C12345"), "12C1234")
    assert match.outcome is AMBIGUOUS
    assert match.alternatives[0].plate == "12C1234"


def test_the_same_plate_on_two_declarations_goes_to_review():
    index = PlateIndex([a_tractor("12C12345", "LS-1"), a_tractor("12C12345", "LS-2")])
    assert read(index, "12C12345").outcome is AMBIGUOUS


def test_a_confusion_into_a_character_real_plates_carry_goes_to_review():
    # 桂F1234S is a well-formed Chinese plate of its own: the camera may be right and the truck undeclared.
    match = read(expecting("桂F12345"), "桂F1234S")
    assert match.outcome is LOW_CONFIDENCE
    assert match.alternatives == (a_tractor("桂F12345", "LS-0"),)
    assert "nearer another well-formed plate" in match.reasons[1]


@pytest.mark.parametrize("text", ["桂FO2345", "桂FI2345"])
def test_an_o_or_i_on_a_chinese_plate_could_be_several_real_characters_so_goes_to_review(text):
    # China never issues O or I, but O could be 0, D or Q and I could be 1 or L: more than one real plate fits.
    match = read(expecting("桂F02345", "桂F12345"), text)
    assert match.outcome is LOW_CONFIDENCE
    assert "as near" in match.reasons[1]


def test_a_read_as_near_a_two_letter_series_plate_goes_to_review():
    # I2C I23.4S is three confusions from 12C-123.45 and three from 12CL-2345, a plate the grammar allows.
    match = read(expecting("12C12345"), "I2C I23.4S")
    assert match.outcome is LOW_CONFIDENCE
    assert match.read_as == "I2CI234S"
    assert match.alternatives[0].plate == "12C12345"


def test_a_dropped_character_goes_to_review_with_its_truck_suggested():
    match = read(expecting("桂F12345"), "桂F1245", confidence=0.99)
    assert match.outcome is LOW_CONFIDENCE
    assert match.alternatives == (a_tractor("桂F12345", "LS-0"),)
    assert "missing or extra" in match.reasons[1]
    assert match.distance == 1


def test_an_extra_character_goes_to_review_with_its_truck_suggested():
    match = read(expecting("12C12345"), "12C123456", confidence=0.99)
    assert match.outcome is LOW_CONFIDENCE
    assert match.alternatives[0].plate == "12C12345"


def test_a_read_that_lost_its_chinese_province_suggests_the_truck_for_review():
    match = read(expecting("桂F12345", "12C12345"), "F12345")
    assert match.outcome is LOW_CONFIDENCE
    assert match.alternatives[0].plate == "桂F12345"
    assert "province character of 桂F12345 is missing or unreadable" in match.reasons[1]


def test_a_garbled_province_character_suggests_the_truck_for_review():
    match = read(expecting("桂F12345"), "柱F12345")
    assert match.outcome is LOW_CONFIDENCE
    assert match.alternatives[0].plate == "桂F12345"


def test_a_read_with_another_real_province_is_not_taken_for_this_truck():
    match = read(expecting("桂F12345"), "粤F12345")
    assert match.outcome is LOW_CONFIDENCE
    assert "province 粤, not 桂" in match.reasons[1]


def test_the_same_number_from_two_provinces_without_its_province_is_ambiguous():
    assert read(expecting("桂F12345", "粤F12345"), "F12345").outcome is AMBIGUOUS


def test_a_read_of_an_undeclared_truck_is_no_match_naming_the_closest_plates():
    match = read(expecting("12C12345", "29C99999"), "12C12346")
    assert match.outcome is NO_MATCH
    assert match.alternatives == (a_tractor("12C12345", "LS-0"),)
    assert match.reasons == ("no expected plate is within a usual camera misread of 12C12346",
                             "closest: 12C12345 (tractor of LS-0)")
    assert match.distance == 1


def test_a_read_nothing_resembles_is_no_match_without_alternatives():
    match = read(expecting("12C12345"), "98H77777")
    assert (match.outcome, match.alternatives, match.distance) == (NO_MATCH, (), float("inf"))


@pytest.mark.parametrize("text", ["", "   ", "-.-", "\n"])
def test_a_blank_read_is_no_match(text):
    match = read(expecting("12C12345"), text)
    assert match.outcome is NO_MATCH
    assert match.reasons == ("the camera read no plate characters",)


def test_every_outcome_but_matched_needs_review():
    assert [o for o in MatchOutcome if PlateMatch(o, None, "", 0).needs_review] == [LOW_CONFIDENCE, AMBIGUOUS,
                                                                                     NO_MATCH]


def test_outcomes_carry_their_labels_in_three_languages():
    assert MatchOutcome.AMBIGUOUS.label("en") == "Fits several trucks"
    assert MatchOutcome.MATCHED.label("zh") == "已匹配"
    assert MatchOutcome.NO_MATCH.colour == "red"


def test_the_same_candidate_given_twice_counts_once():
    assert read(PlateIndex([a_tractor("12C12345")] * 2), "12C12345").outcome is MATCHED


def test_a_read_is_normalised_to_plate_characters_and_folded_to_digits():
    assert normalise("12c-123.45|") == "12C12345"
    assert fold("I2CI234S") == "12C12345"
    assert fold("桂FBODQ") == "桂F8000"


# Properties: whatever the camera makes of a plate, the barrier never opens for another truck.

VN_LETTERS = "ABCDEFGHKLMNPRSTUVXYZ"
CN_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
vn_plates = st.builds(lambda p, s, d: f"{p}{s}{d}", st.integers(11, 99).map(str),
                      st.text(VN_LETTERS, min_size=1, max_size=2), st.text("0123456789", min_size=4, max_size=5))
cn_plates = st.builds(lambda p, c, b: f"{p}{c}{b}", st.sampled_from("桂粤云湘"), st.sampled_from("ABFGKDLZS"),
                      st.one_of(st.text(CN_ALNUM, min_size=5, max_size=5),
                                st.text(CN_ALNUM, min_size=4, max_size=4).map(lambda b: f"{b}挂")))
plates = st.one_of(vn_plates, cn_plates)


def confusions_of(plate: str) -> list[str]:
    """Every string one camera confusion away from ``plate``."""
    return [plate[:i] + other + plate[i + 1:] for i, char in enumerate(plate) for other in CONFUSABLE.get(char, "")]


def edits_of(plate: str) -> list[str]:
    """Every string with one character of ``plate`` dropped, or one of a few usual strays added."""
    dropped = [plate[:i] + plate[i + 1:] for i in range(len(plate))]
    added = [plate[:i] + stray + plate[i:] for i in range(len(plate) + 1) for stray in "1I7A"]
    return dropped + added


def mismatches(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


@st.composite
def nasty_days(draw) -> list[str]:
    """Expected plates where the first has well-formed neighbours one confusion or one character away."""
    first = draw(plates)
    neighbours = [p for p in confusions_of(first) + edits_of(first) if is_plate(p) and p != first]
    chosen = draw(st.lists(st.sampled_from(neighbours), max_size=4)) if neighbours else []
    others = draw(st.lists(plates, max_size=20))
    return list(dict.fromkeys([first, *chosen, *others]))


@given(nasty_days(), st.data())
def test_a_read_with_any_single_confusion_never_matches_a_different_candidate(day, data):
    truck = a_tractor(day[0], "LS-0")
    index = expecting(*day)
    reads = confusions_of(day[0])
    assume(reads)
    match = read(index, data.draw(st.sampled_from(reads)), confidence=1.0)
    assert match.candidate in (None, truck)


@given(nasty_days(), st.data())
def test_a_read_with_a_character_lost_or_added_never_opens_and_suggests_its_truck(day, data):
    truck = a_tractor(day[0], "LS-0")
    match = read(expecting(*day), data.draw(st.sampled_from(edits_of(day[0]))), confidence=1.0)
    assert match.outcome is not MATCHED
    assert truck in match.alternatives


@given(plates, st.lists(plates, max_size=10), st.data())
def test_an_undeclared_lookalike_misread_once_opens_only_for_a_plate_the_read_came_nearer(plate, others, data):
    # The undeclared truck's plate is one confusion from an expected one; the camera adds a confusion of its own.
    lookalikes = [p for p in confusions_of(plate) if is_plate(p) and p not in others]
    assume(lookalikes)
    undeclared = data.draw(st.sampled_from(lookalikes))
    text = data.draw(st.sampled_from(confusions_of(undeclared)))
    match = read(expecting(plate, *others), text, confidence=1.0)
    if match.outcome is MATCHED:
        assert mismatches(text, match.candidate.plate) < mismatches(text, undeclared)


@given(st.lists(plates, min_size=1, max_size=20), plates)
def test_a_well_formed_plate_read_as_it_stands_never_matches_another_plate(expected, text):
    match = read(expecting(*expected), text, confidence=1.0)
    assert match.candidate is None or match.candidate.plate == text


@given(nasty_days(), st.text(max_size=12), st.floats(0, 0.7999))
def test_an_unsure_camera_never_opens_the_barrier(day, text, confidence):
    assert read(expecting(*day), text, confidence).outcome is not MATCHED


@given(plates, st.sampled_from(["", "-", " ", "·", "\n"]), st.booleans())
def test_a_lone_expected_plate_read_exactly_always_matches(plate, separator, lower):
    text = f"{plate[:3]}{separator}{plate[3:]}"
    match = read(expecting(plate), text.lower() if lower else text, confidence=0.9)
    assert match.outcome is MATCHED


@given(nasty_days(), st.text(max_size=16))
def test_any_text_from_a_camera_gets_a_verdict_with_reasons(day, text):
    match = read(expecting(*day), text)
    assert match.reasons
    assert (match.candidate is not None) == (match.outcome is MATCHED)

"""Reading plates out of an OCR engine's text boxes: only text that fits a plate, two-row plates put together."""
from __future__ import annotations

import pytest

from bordergate.domain.plate_text import (
    PlateReading,
    PlateRecogniser,
    TextBox,
    fitted_to_grammar,
    plate_fragment,
    plate_readings,
    punctuated_as_printed,
    side_by_side,
    stacked,
)
from bordergate.domain.plates import PlateCountry


def a_line(text: str, confidence: float = 0.99, *, x: float = 100, y: float = 200, width: float | None = None,
           height: float = 40) -> TextBox:
    """A line of text as a detector boxes it; wide enough for its characters unless told otherwise."""
    width = width if width is not None else 0.6 * height * len(text)
    return TextBox.from_xywh(text, confidence, x, y, width, height)


def plates(boxes) -> list[str]:
    return [reading.plate for reading in plate_readings(boxes)]


# Keeping only what fits a plate


def test_a_one_row_vietnamese_plate_is_read_as_its_compact_key():
    [reading] = plate_readings([a_line("12C-123.45", 0.98)])
    assert reading == PlateReading("12C12345", PlateCountry.VN, 0.98, "12C-123.45", rows=1)


def test_a_chinese_plate_is_read_with_its_province_character():
    [reading] = plate_readings([a_line("桂F·12345", 0.97)])
    assert (reading.plate, reading.country, reading.rows) == ("桂F12345", PlateCountry.CN, 1)


def test_lettering_on_the_cab_and_a_phone_number_are_not_plates():
    boxes = [a_line("HOWO", y=50), a_line("0912.345.678", y=100), a_line("VAN TAI", y=150),
             a_line("12C-123.45", y=400, x=500)]
    assert plates(boxes) == ["12C12345"]


def test_a_picture_with_no_plate_gives_no_reading():
    assert plate_readings([a_line("DONGFENG"), a_line("货运", y=300)]) == []
    assert plate_readings([]) == []


def test_the_plate_frame_read_as_punctuation_is_ignored():
    assert plates([a_line("|12C-123.45]")]) == ["12C12345"]
    assert plates([a_line("[桂F·12345'")]) == ["桂F12345"]


def test_text_breaking_the_plate_grammar_is_dropped():
    # Province 00 does not exist; W is never a series letter and is no usual misread; a Chinese plate never starts
    # with a Latin letter; a Vietnamese number is 4 or 5 digits.
    boxes = [a_line("00C-123.45"), a_line("12W-123.45", y=400), a_line("F·12345", y=600), a_line("12C-123", y=800)]
    assert plate_readings(boxes) == []


# The usual misreads, undone where the grammar leaves one choice


@pytest.mark.parametrize("read, plate, corrections", [
    ("12C-I23.45", "12C12345", 1),  # a digit or a second series letter, but Vietnam never issues I
    ("I2C-123.4S", "12C12345", 2),  # province and number are digits
    ("12C-123.4B", "12C12348", 1),
    ("桂F·444NO", "桂F444N0", 1),  # China never issues O or I
    ("桂F·I2345", "桂F12345", 1),
])
def test_a_usual_misread_where_the_grammar_allows_one_character_is_undone(read, plate, corrections):
    [reading] = plate_readings([a_line(read)])
    assert (reading.plate, reading.corrections, reading.text) == (plate, corrections, read)


def test_a_character_the_grammar_leaves_open_is_not_guessed():
    """A series letter read as a digit is not guessed back: engines read K or C as 1 or 5 as often as I or S."""
    assert plate_readings([a_line("125-123.45"), a_line("120-123.45", y=400), a_line("12O-123.45", y=600)]) == []
    assert fitted_to_grammar("29LD1234") == "29LD1234"
    assert fitted_to_grammar("12C01234") == "12C01234"
    assert fitted_to_grammar("粤B8D123") == "粤B8D123"


def test_a_read_needing_more_than_two_corrections_is_no_plate():
    assert plate_readings([a_line("I2C-IZ3.45")]) == []
    assert plates([a_line("I2C-I23.45")]) == ["12C12345"]


def test_a_clean_read_has_no_corrections():
    [reading] = plate_readings([a_line("12C-123.45")])
    assert reading.corrections == 0


def test_a_dot_misplaced_by_a_lost_digit_is_not_a_plate():
    """12C-73.94 fits the grammar as the four-digit 12C7394, but a four-digit number is printed without a dot."""
    assert plate_readings([a_line("12C-73.94")]) == []
    assert plates([a_line("12C-1234")]) == ["12C1234"]
    assert punctuated_as_printed("12C-123.45") and punctuated_as_printed("12C-123,45")
    assert not punctuated_as_printed("12C-1234.5")


def test_a_dash_before_too_few_characters_is_not_a_plate():
    """30LD-740 fits the grammar as 30L-0740 once D is read as 0, but a dash is followed by the number or a series."""
    assert plate_readings([a_line("30LD-740")]) == []
    assert punctuated_as_printed("29-LD\n012.34") and punctuated_as_printed("12C-1234")
    assert punctuated_as_printed("-12C-\n575.22"), "a plate frame read as dashes at the ends is no dash inside"


def test_a_picture_full_of_text_is_read_in_bounded_time():
    page = [a_line(f"LINE {n} 0912.345.{n:03d}", 0.9, y=30 * n) for n in range(2000)]
    assert plates([*page, a_line("12C-123.45", 0.99, x=2000, y=100)]) == ["12C12345"]


def test_several_plates_in_one_picture_come_most_confident_first():
    boxes = [a_line("51C-111.22", 0.91, y=100), a_line("12C-123.45", 0.99, y=500)]
    assert plates(boxes) == ["12C12345", "51C11122"]


def test_the_same_plate_read_twice_is_one_reading_at_its_best_confidence():
    [reading] = plate_readings([a_line("12C-123.45", 0.90, y=100), a_line("12C 123.45", 0.95, y=500)])
    assert reading.confidence == 0.95


# Two-row plates


def test_a_two_row_plate_is_joined_upper_row_first():
    upper, lower = a_line("12C", 0.98, x=130, y=200), a_line("123.45", 0.96, x=100, y=245)
    [reading] = plate_readings([lower, upper])
    assert (reading.plate, reading.rows, reading.text) == ("12C12345", 2, "12C\n123.45")


def test_a_two_row_plate_with_a_two_letter_series_is_joined():
    assert plates([a_line("29-LD", x=110, y=200), a_line("012.34", x=100, y=244)]) == ["29LD01234"]


def test_a_two_row_chinese_truck_plate_is_joined():
    assert plates([a_line("桂F", x=140, y=200), a_line("12345", x=100, y=244)]) == ["桂F12345"]


def test_two_rows_are_confident_per_character_like_one_line():
    upper, lower = a_line("12C", 0.90, x=130, y=200), a_line("123.45", 1.0, x=100, y=245)
    [reading] = plate_readings([upper, lower])
    assert reading.confidence == pytest.approx((0.90 * 3 + 1.0 * 5) / 8, abs=1e-4)


def test_padded_detector_boxes_of_two_rows_that_overlap_still_join():
    upper = TextBox("15E", 0.998, 422, 577, 582, 642)
    lower = TextBox("355.96", 0.999, 423, 609, 585, 675)
    assert plates([upper, lower]) == ["15E35596"]


def test_rows_of_a_plate_are_read_from_the_top_down_never_upwards():
    """123.45 above 12C is not the plate 12C-123.45 read in the wrong order; no grammar allows it the other way."""
    assert plates([a_line("123.45", x=100, y=200), a_line("12C", x=130, y=245)]) == []


def test_lines_far_apart_are_not_two_rows_of_one_plate():
    assert plates([a_line("12C", x=130, y=100), a_line("123.45", x=100, y=400)]) == []


def test_lines_side_by_side_on_different_trucks_are_not_two_rows():
    assert plates([a_line("12C", x=100, y=200), a_line("123.45", x=700, y=245)]) == []


def test_a_row_in_a_much_larger_type_is_not_part_of_the_plate():
    assert plates([a_line("12C", x=100, y=100, height=90), a_line("123.45", x=100, y=200, height=40)]) == []


def test_a_plate_row_is_not_borrowed_by_a_second_reading():
    """One upper row over two candidate lower rows: the better pair wins, the row is not used twice."""
    upper = a_line("12C", 0.99, x=130, y=200)
    lower = a_line("123.45", 0.99, x=100, y=245)
    further = a_line("678.90", 0.80, x=105, y=255)
    assert plates([upper, lower, further]) == ["12C12345"]


def test_stacked_and_side_by_side_describe_the_geometry():
    upper, lower = a_line("12C", x=130, y=200), a_line("123.45", x=100, y=245)
    assert stacked(upper, lower) and not stacked(lower, upper)
    left, right = a_line("桂", x=100, y=200, width=40), a_line("F·12345", x=150, y=202, width=200)
    assert side_by_side(left, right) and not side_by_side(right, left)


# A plate the detector cut in two on one line


def test_a_chinese_plate_cut_at_its_province_character_is_joined():
    province, rest = a_line("桂", 0.60, x=100, y=200, width=40), a_line("F·12345", 0.99, x=150, y=202, width=200)
    [reading] = plate_readings([rest, province])
    assert (reading.plate, reading.rows, reading.text) == ("桂F12345", 1, "桂 F·12345")


def test_a_vietnamese_plate_cut_at_its_dash_is_joined():
    assert plates([a_line("12C", x=100, y=200, width=70), a_line("123.45", x=190, y=200, width=130)]) == ["12C12345"]


def test_pieces_too_far_apart_on_a_line_are_not_one_plate():
    assert plates([a_line("桂", x=100, y=200, width=40), a_line("F·12345", x=500, y=200, width=200)]) == []


# Geometry as engines give it


def test_a_box_is_taken_from_a_tilted_quadrilateral():
    box = TextBox.from_corners("12C", 0.9, [(10, 12), (90, 4), (92, 40), (12, 48)])
    assert (box.left, box.top, box.right, box.bottom) == (10, 4, 92, 48)
    assert TextBox.from_xywh("12C", 0.9, 10, 20, 30, 40) == TextBox("12C", 0.9, 10, 20, 40, 60)


def test_a_line_with_digits_may_be_a_piece_of_a_plate_and_lettering_may_not():
    assert plate_fragment("123.45") and plate_fragment("F·12345") and plate_fragment("12C")
    assert not plate_fragment("HOWO") and not plate_fragment("货运")


def test_any_engine_with_a_read_method_is_a_plate_recogniser():
    class SiteEngine:
        def read(self, image: bytes, *, crop: bool = False) -> list[PlateReading]:
            return [PlateReading("12C12345", PlateCountry.VN, 0.9, "12C-123.45")]

    recogniser: PlateRecogniser = SiteEngine()
    assert recogniser.read(b"...")[0].plate == "12C12345"

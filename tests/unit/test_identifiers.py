"""Reading container numbers, HS codes, tax codes and phone numbers the way declarants type them."""
from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bordergate.domain.errors import InvalidValue
from bordergate.domain.identifiers import (
    hs_chapter,
    iso6346_check_digit,
    parse_container_number,
    parse_hs_code,
    parse_phone,
    parse_tax_code,
)

# Container numbers


@pytest.mark.parametrize("number", ["CSQU3054383", "MSKU9070323", "TGHU9999995", "MSKU0000080"])
def test_real_container_numbers_are_accepted(number):
    assert parse_container_number(number) == number


def test_check_digits_follow_iso_6346():
    assert iso6346_check_digit("CSQU305438") == 3
    assert iso6346_check_digit("MSKU907032") == 3
    assert iso6346_check_digit("mscu123456") == 6


def test_a_remainder_of_ten_gives_check_digit_zero():
    # MSKU000008: the weighted sum is 10 mod 11, which the standard writes as 0.
    assert iso6346_check_digit("MSKU000008") == 0


def test_a_container_number_is_read_with_spaces_dashes_and_lower_case():
    assert parse_container_number(" mskU 907032-3 ") == "MSKU9070323"


def test_a_wrong_check_digit_says_which_digit_was_expected():
    with pytest.raises(InvalidValue) as refused:
        parse_container_number("MSCU1234563")
    assert str(refused.value) == "check digit of MSCU123456 should be 6, not 3"


def test_a_missing_check_digit_is_named_as_missing():
    with pytest.raises(InvalidValue, match="missing its check digit \\(it should be 3\\)"):
        parse_container_number("MSKU907032")


@pytest.mark.parametrize("typed", ["ABC", "MSK9070323", "MSKU90703234", "MSKU90703A3", "1SKU9070323"])
def test_a_malformed_container_number_shows_the_expected_shape(typed):
    with pytest.raises(InvalidValue) as refused:
        parse_container_number(typed)
    assert str(refused.value) == (
        f"{typed!r} is not an ISO 6346 container number (4 letters, 6 digits, 1 check digit, like MSKU9070323)"
    )


def test_the_fourth_letter_must_be_an_equipment_category():
    with pytest.raises(InvalidValue, match="must be U \\(freight container\\), J .*, not A"):
        parse_container_number("MSKA9070323")


def test_a_blank_container_number_is_asked_for():
    with pytest.raises(InvalidValue, match="a container number is required"):
        parse_container_number("  ")


serials = st.builds(
    lambda owner, category, digits: f"{owner}{category}{digits}",
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    st.sampled_from("UJZ"),
    st.text("0123456789", min_size=6, max_size=6),
)


@given(serials)
def test_a_container_number_with_its_computed_check_digit_always_reads(first10):
    number = f"{first10}{iso6346_check_digit(first10)}"
    assert parse_container_number(number) == number


@given(serials, st.integers(0, 9))
def test_any_other_check_digit_is_refused(first10, digit):
    expected = iso6346_check_digit(first10)
    if digit == expected:
        return
    with pytest.raises(InvalidValue, match=f"should be {expected}, not {digit}"):
        parse_container_number(f"{first10}{digit}")


@given(serials, st.data())
def test_a_single_mistyped_serial_digit_is_caught_when_the_check_digit_is_not_zero(first10, data):
    # Remainders 0 and 10 both print as 0, so only a zero check digit can hide a typo.
    check = iso6346_check_digit(first10)
    assume(check != 0)
    number = f"{first10}{check}"
    position = data.draw(st.integers(4, 9))
    wrong = data.draw(st.sampled_from("0123456789").filter(lambda d: d != number[position]))
    with pytest.raises(InvalidValue, match="check digit"):
        parse_container_number(number[:position] + wrong + number[position + 1 :])


def test_check_digit_needs_four_letters_and_six_digits():
    with pytest.raises(InvalidValue, match="first 10 characters"):
        iso6346_check_digit("MSKU90703")


# HS codes


@pytest.mark.parametrize(
    ("typed", "code"),
    [("0810.60", "081060"), ("0810.60.00", "08106000"), ("0810 60 00 00", "0810600000"), ("081060", "081060")],
)
def test_hs_codes_of_six_eight_and_ten_digits_are_read(typed, code):
    assert parse_hs_code(typed) == code


def test_the_chapter_is_the_first_two_digits():
    assert hs_chapter("0810.60") == 8
    assert hs_chapter("2601.11.00") == 26


@pytest.mark.parametrize("typed", ["0810", "0810600", "081060000", "08106000001"])
def test_hs_codes_of_other_lengths_are_refused(typed):
    with pytest.raises(InvalidValue, match="6 digits \\(WCO\\), 8 \\(Vietnam\\) or 10 \\(China\\)"):
        parse_hs_code(typed)


@pytest.mark.parametrize("chapter", ["00", "77", "98", "99"])
def test_chapters_that_do_not_exist_are_refused(chapter):
    with pytest.raises(InvalidValue, match=f"chapter {chapter} does not exist"):
        parse_hs_code(f"{chapter}0100")


def test_letters_in_an_hs_code_are_refused():
    with pytest.raises(InvalidValue, match="digits only"):
        parse_hs_code("08A060")


def test_a_blank_hs_code_is_asked_for():
    with pytest.raises(InvalidValue, match="an HS code is required"):
        parse_hs_code(" . ")


@given(st.integers(1, 97).filter(lambda c: c != 77), st.sampled_from([4, 6, 8]), st.data())
def test_every_real_chapter_reads_at_every_length(chapter, rest_length, data):
    rest = data.draw(st.text("0123456789", min_size=rest_length, max_size=rest_length))
    code = f"{chapter:02d}{rest}"
    assert parse_hs_code(code) == code
    assert hs_chapter(code) == chapter


# Tax codes (MST)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0101234567", "0101234567"),
        (" 0101234567 ", "0101234567"),
        ("01.01.234.567", "0101234567"),
        ("0101234567-001", "0101234567-001"),
        ("0101234567 - 001", "0101234567-001"),
        ("0101234567001", "0101234567-001"),
    ],
)
def test_tax_codes_and_branch_codes_are_normalised(typed, code):
    assert parse_tax_code(typed) == code


@pytest.mark.parametrize("typed", ["010123456", "01012345678", "0101234567-01", "0101234567-0001", "010123456A"])
def test_tax_codes_of_the_wrong_shape_are_refused(typed):
    with pytest.raises(InvalidValue, match="is not a Vietnamese tax code \\(MST\\): use 10 digits"):
        parse_tax_code(typed)


def test_branch_zero_does_not_exist():
    with pytest.raises(InvalidValue, match="branch numbers run from 001 to 999"):
        parse_tax_code("0101234567-000")


def test_a_blank_tax_code_is_asked_for():
    with pytest.raises(InvalidValue, match="a tax code \\(MST\\) is required"):
        parse_tax_code("")


# Phone numbers


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("+84 912 345 678", "+84912345678"),
        ("0912345678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 (0) 912 345 678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+86-138-0013-8000", "+8613800138000"),
    ],
)
def test_phone_numbers_are_normalised_to_international_form(typed, number):
    assert parse_phone(typed) == number


def test_a_number_without_plus_or_leading_zero_is_refused_as_ambiguous():
    with pytest.raises(InvalidValue, match="starting with \\+ and the country code"):
        parse_phone("13800138000")


@pytest.mark.parametrize("typed", ["+84 123", "+1234567890123456"])
def test_phone_numbers_of_the_wrong_length_are_refused(typed):
    with pytest.raises(InvalidValue, match="expected 8 to 15"):
        parse_phone(typed)


def test_letters_in_a_phone_number_are_refused():
    with pytest.raises(InvalidValue, match="is not a phone number"):
        parse_phone("+84 912 CALL ME")


def test_a_blank_phone_number_is_asked_for():
    with pytest.raises(InvalidValue, match="a phone number is required"):
        parse_phone("  ")

"""Reading licence plates: what the gate accepts from a person, a camera or a two-row truck plate."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.errors import InvalidValue
from bordergate.domain.plates import Plate, PlateCountry, compact, parse_plate

VN_SERIES_LETTERS = "ABCDEFGHKLMNPRSTUVXYZ"
CN_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
CN_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


# Vietnamese plates


@pytest.mark.parametrize(
    "typed",
    ["12C-123.45", "12c 12345", "12C12345", "12C\n123.45", " 12C - 123.45\t", "12C•123•45", "１２Ｃ-123.45"],
)
def test_a_vietnamese_plate_reads_the_same_however_it_is_typed(typed):
    plate = parse_plate(typed)
    assert plate == Plate(PlateCountry.VN, "12C12345", is_trailer=False)


def test_a_two_row_vietnamese_plate_reads_as_one():
    assert parse_plate("12C\n123.45").compact == "12C12345"
    assert compact("12C\n123.45") == "12C12345"


def test_a_vietnamese_plate_is_displayed_as_printed():
    assert parse_plate("12c12345").display == "12C-123.45"
    assert str(parse_plate("12c12345")) == "12C-123.45"


def test_an_older_four_digit_vietnamese_plate_has_no_dot():
    assert parse_plate("12C1234").display == "12C-1234"


def test_a_two_letter_series_is_kept_whole():
    plate = parse_plate("29ld-123.45")
    assert plate.compact == "29LD12345"
    assert plate.display == "29LD-123.45"
    assert not plate.is_trailer


@pytest.mark.parametrize("typed", ["12R-012.34", "12RM-012.34", "29R1234"])
def test_r_and_rm_series_are_trailers(typed):
    plate = parse_plate(typed)
    assert plate.country is PlateCountry.VN
    assert plate.is_trailer


def test_a_trailer_keeps_its_leading_zero():
    assert parse_plate("12R-012.34").display == "12R-012.34"


@pytest.mark.parametrize("province", ["00", "05", "10"])
def test_province_codes_below_11_are_refused(province):
    with pytest.raises(InvalidValue, match=f"province codes run from 11 to 99, not {province}"):
        parse_plate(f"{province}C-123.45")


@pytest.mark.parametrize("letter", list("IJOQW"))
def test_series_letters_vietnam_never_issues_are_refused(letter):
    with pytest.raises(InvalidValue, match="never include I, J, O, Q or W") as refused:
        parse_plate(f"12{letter}-123.45")
    assert f"found {letter}" in str(refused.value)


def test_a_forbidden_second_series_letter_is_refused_too():
    with pytest.raises(InvalidValue, match="never include I, J, O, Q or W"):
        parse_plate("29LO-123.45")


@pytest.mark.parametrize("typed", ["12C-1234567", "12C-123", "123C-123.45", "12-123.45", "12CDE-123.45", "ABC"])
def test_a_plate_of_neither_country_names_both_expected_formats(typed):
    with pytest.raises(InvalidValue) as refused:
        parse_plate(typed)
    assert str(refused.value) == (
        f"{typed!r} is not a Vietnamese plate (like 12C-123.45) or a Chinese plate (like 桂F·12345)"
    )


@pytest.mark.parametrize("blank", ["", "   ", "\n", "-.-"])
def test_a_blank_plate_is_asked_for(blank):
    with pytest.raises(InvalidValue, match="a licence plate is required"):
        parse_plate(blank)


def test_a_refused_plate_is_a_value_error_for_callers_that_only_know_python():
    with pytest.raises(ValueError):
        parse_plate("nonsense")


# Chinese plates


@pytest.mark.parametrize("typed", ["桂F·12345", "桂f12345", "桂F 12345", "桂F-12345", "桂Ｆ１２３４５"])
def test_a_chinese_plate_reads_the_same_however_it_is_typed(typed):
    assert parse_plate(typed) == Plate(PlateCountry.CN, "桂F12345", is_trailer=False)


def test_a_chinese_plate_is_displayed_with_a_dot_after_the_city_letter():
    assert parse_plate("桂F12345").display == "桂F·12345"
    assert str(parse_plate("粤B8A2C3")) == "粤B·8A2C3"


@pytest.mark.parametrize("typed", ["桂FD12345", "桂FFA1345", "桂F12345D", "京A54321F"])
def test_new_energy_plates_have_six_characters(typed):
    plate = parse_plate(typed)
    assert plate.country is PlateCountry.CN
    assert len(plate.compact) == 8
    assert not plate.is_trailer


@pytest.mark.parametrize("typed", ["桂F123456", "桂FA12345", "桂F1234D5", "桂FD1234A"])
def test_six_characters_without_the_new_energy_mark_in_place_are_refused(typed):
    with pytest.raises(InvalidValue, match="6 for a new-energy vehicle"):
        parse_plate(typed)


def test_a_chinese_trailer_ends_in_gua():
    plate = parse_plate("桂F1234挂")
    assert plate.is_trailer
    assert plate.display == "桂F·1234挂"


def test_a_chinese_trailer_needs_four_characters_before_gua():
    with pytest.raises(InvalidValue, match="4 and 挂 for a trailer"):
        parse_plate("桂F12345挂")


@pytest.mark.parametrize("typed", ["桂I12345", "桂F12O45", "桂FI2345"])
def test_chinese_plates_never_use_i_or_o(typed):
    with pytest.raises(InvalidValue, match="never use the letters I or O"):
        parse_plate(typed)


@pytest.mark.parametrize("typed", ["港A12345", "台F12345", "中F12345"])
def test_only_the_31_mainland_provinces_are_chinese_plates(typed):
    with pytest.raises(InvalidValue, match="not one of the 31 mainland province abbreviations"):
        parse_plate(typed)


def test_every_mainland_province_is_known():
    assert len(CN_PROVINCES) == 31
    for province in CN_PROVINCES:
        assert parse_plate(f"{province}A12345").country is PlateCountry.CN


def test_a_chinese_plate_needs_a_city_letter():
    with pytest.raises(InvalidValue, match="city letter"):
        parse_plate("桂123456")


# Properties


vn_plates = st.builds(
    lambda province, series, digits: f"{province}{series}{digits}",
    st.integers(11, 99).map(str),
    st.text(VN_SERIES_LETTERS, min_size=1, max_size=2),
    st.text("0123456789", min_size=4, max_size=5),
)

cn_plates = st.builds(
    lambda province, city, body: f"{province}{city}{body}",
    st.sampled_from(CN_PROVINCES),
    st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"),
    st.one_of(
        st.text(CN_ALNUM, min_size=5, max_size=5),
        st.builds(lambda m, c, d: f"{m}{c}{d}", st.sampled_from("DF"), st.sampled_from(CN_ALNUM),
                  st.text("0123456789", min_size=4, max_size=4)),
        st.builds(lambda d, m: f"{d}{m}", st.text("0123456789", min_size=5, max_size=5), st.sampled_from("DF")),
        st.text(CN_ALNUM, min_size=4, max_size=4).map(lambda body: f"{body}挂"),
    ),
)


@given(vn_plates)
def test_any_vietnamese_plate_survives_display_and_reading_back(key):
    plate = parse_plate(key)
    assert plate.compact == key
    assert parse_plate(plate.display) == plate


@given(cn_plates)
def test_any_chinese_plate_survives_display_and_reading_back(key):
    plate = parse_plate(key)
    assert plate.compact == key
    assert plate.is_trailer == key.endswith("挂")
    assert parse_plate(plate.display) == plate


@given(vn_plates, st.sampled_from([" ", "-", ".", "\n", "\t", "·"]), st.data())
def test_separators_anywhere_do_not_change_the_plate(key, separator, data):
    cut = data.draw(st.integers(0, len(key)))
    assert parse_plate(f"{key[:cut]}{separator}{key[cut:]}".lower()).compact == key


@given(st.text(max_size=12))
def test_reading_any_text_gives_a_plate_or_a_clear_refusal(text):
    try:
        plate = parse_plate(text)
    except InvalidValue as refused:
        assert "plate" in str(refused)
    else:
        assert plate.compact == compact(text)

"""Reading plates off generated camera pictures with the real, offline rapidocr engine (models from its wheel)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bordergate.domain.errors import InvalidValue
from bordergate.domain.plates import PlateCountry

pytest.importorskip("rapidocr", reason="the rapidocr plate reader needs rapidocr and onnxruntime installed")

from bordergate.adapters.anpr.rapidocr_reader import RapidOcrPlateReader  # noqa: E402
from tests.support.plate_images import Conditions, cn_plate, lettering, picture, vn_plate  # noqa: E402

TILTED_AND_SOFT = Conditions(px_per_mm=0.45, rotation=3.5, perspective=0.06, blur=0.9, noise=8)


@pytest.fixture(scope="module")
def reader() -> RapidOcrPlateReader:
    """One engine for the module, as a gate keeps one: loading the models is the slow part."""
    return RapidOcrPlateReader()


def best(readings) -> str | None:
    return readings[0].plate if readings else None


# Plate crops, as an ANPR box posts them: recognition only


def test_a_one_row_vietnamese_plate_crop_is_read(reader):
    [reading] = reader.read(picture(vn_plate("12C-123.45"), Conditions(px_per_mm=0.6)), crop=True)
    assert (reading.plate, reading.country, reading.rows) == ("12C12345", PlateCountry.VN, 1)
    assert reading.confidence > 0.9


def test_a_two_row_vietnamese_truck_plate_crop_is_read_as_one_plate(reader):
    [reading] = reader.read(picture(vn_plate("12C/123.45"), Conditions(px_per_mm=0.5)), crop=True)
    assert (reading.plate, reading.rows) == ("12C12345", 2)


def test_a_two_row_plate_with_a_two_letter_series_is_read(reader):
    image = picture(vn_plate("29-LD/012.34", commercial=False), Conditions(px_per_mm=0.5), seed=3)
    assert best(reader.read(image, crop=True)) == "29LD01234"


def test_a_blue_chinese_plate_crop_is_read_with_its_province(reader):
    [reading] = reader.read(picture(cn_plate("桂F·12345"), Conditions(px_per_mm=0.5)), crop=True)
    assert (reading.plate, reading.country) == ("桂F12345", PlateCountry.CN)


@pytest.mark.parametrize("design, plate", [
    (vn_plate("12C-456.78"), "12C45678"),
    (vn_plate("12H/907.15"), "12H90715"),
    (cn_plate("桂F·3K529", truck=True), "桂F3K529"),
])
def test_a_tilted_blurred_grainy_crop_is_still_read(reader, design, plate):
    assert best(reader.read(picture(design, TILTED_AND_SOFT, seed=7), crop=True)) == plate


# Whole camera frames: detection, then recognition


@pytest.mark.parametrize("design, plate", [
    (vn_plate("12C-123.45"), "12C12345"),
    (vn_plate("98C/345.67"), "98C34567"),
    (cn_plate("桂F·12345"), "桂F12345"),
])
def test_the_plate_is_found_in_a_camera_frame_among_the_cab_lettering(reader, design, plate):
    frame = Conditions(px_per_mm=0.45, rotation=-2, blur=0.6, noise=5, frame=True)
    assert best(reader.read(picture(design, frame, seed=11))) == plate


@pytest.mark.parametrize("design", [vn_plate("12C/123.45"), cn_plate("桂F·12345")])
def test_a_plate_past_what_the_engine_can_read_gives_no_reading_rather_than_a_guess(reader, design):
    """Known limit (benchmarks/plate_images.py, "hard"): at 0.27 px/mm, tilted 8 degrees, blurred, grainy and
    over-compressed, the detector misses a two-row plate's rows and a Chinese province character is a blot. No
    reading means nothing can open on a guess: the safe way to fail."""
    beyond = Conditions(px_per_mm=0.27, rotation=8, perspective=0.15, blur=2.0, noise=18, jpeg_quality=45, frame=True)
    assert reader.read(picture(design, beyond, seed=1)) == []


def test_cameras_posting_at_once_share_one_reader_safely(reader):
    """Calls are serialised inside the reader: each caller gets its own plate, whatever mode the others asked for."""
    jobs = [(picture(vn_plate("12C-123.45"), Conditions(px_per_mm=0.6)), True, "12C12345"),
            (picture(cn_plate("桂F·67890"), Conditions(px_per_mm=0.5, frame=True), seed=2), False, "桂F67890"),
            (picture(vn_plate("51C/246.80"), Conditions(px_per_mm=0.5)), True, "51C24680")] * 2
    with ThreadPoolExecutor(max_workers=3) as pool:
        read = list(pool.map(lambda job: best(reader.read(job[0], crop=job[1])), jobs))
    assert read == [plate for _, _, plate in jobs]


# Pictures that are not what they should be


def test_lettering_that_is_no_plate_gives_no_reading(reader):
    """The engine reads the text well; none of it fits a plate grammar, so there is nothing to hand on."""
    assert reader.read(lettering("VAN TAI 0912.345.678")) == []
    assert reader.read(lettering("重汽 货运 12 TAN"), crop=True) == []


def test_bytes_that_are_not_a_picture_are_refused_with_a_clear_message(reader):
    with pytest.raises(InvalidValue, match="could not be read as an image"):
        reader.read(b"not a jpeg", crop=True)

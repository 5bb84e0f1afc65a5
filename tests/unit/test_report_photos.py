"""A report's photos: only real pictures, never too big, kept clean of where and by what they were taken."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from bordergate.adapters.photos import FilesystemPhotoStore, PhotoLimits, PhotoPreparer
from bordergate.domain.errors import Invalid
from tests.support.photos import a_bomb, a_phone_photo

def refusal(sent: bytes, field: str = "photo") -> str:
    """The sentence a refused photo is answered with."""
    with pytest.raises(Invalid) as refused:
        preparer.prepare(sent, field)
    assert refused.value.problems[0].field == field
    return refused.value.problems[0].message


preparer = PhotoPreparer(PhotoLimits(max_bytes=2_000_000, max_pixels=40_000_000, long_side=320))


def test_a_phones_photo_is_kept_upright_scaled_down_and_with_no_exif_gps_or_icc_left():
    photo = preparer.prepare(a_phone_photo(600, 400))
    kept = Image.open(io.BytesIO(photo.jpeg))
    assert kept.format == "JPEG" and kept.size == (213, 320) == (photo.width, photo.height)  # turned, long side 320
    assert not kept.getexif() and "GPSInfo" not in str(kept.getexif()) and not kept.getexif().get_ifd(0x8825)
    assert not {"exif", "icc_profile", "xmp"} & set(kept.info)
    assert b"PhoneMaker" not in photo.jpeg and b"Exif" not in photo.jpeg
    assert Image.open(io.BytesIO(photo.thumbnail)).size[1] <= 320
    assert photo.storage_key == f"{photo.sha256}.jpg" and len(photo.sha256) == 64


def test_a_text_file_named_jpg_is_not_a_photo():
    minutes = b"Not a GIF89a: the minutes of a meeting, saved as photo.jpg\n" * 20
    assert refusal(minutes, "photos[0]") == "this file is not a photo: send a JPEG, PNG or WebP picture"


def test_a_picture_in_another_format_or_cut_short_is_not_a_photo():
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, "GIF")
    for sent in (gif.getvalue(), a_phone_photo()[:900]):
        assert "not a photo" in refusal(sent)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = a_bomb()
    assert len(bomb) < 100_000
    assert refusal(bomb) == refusal(a_bomb(8000, 6000)) == ("this picture has more than 40 megapixels; "
                                                            "send a smaller one")


def test_a_file_over_the_size_limit_is_refused_without_decoding_a_byte():
    assert refusal(b"\xff\xd8" + b"\x00" * 2_500_000) == "this photo is 2.5 MB; send one of at most 2.0 MB"


def test_the_photo_folder_keeps_each_file_once_under_its_digest(tmp_path):
    store = FilesystemPhotoStore(tmp_path)
    photo = preparer.prepare(a_phone_photo())
    store.put(photo.storage_key, photo.jpeg)
    store.put(photo.storage_key, photo.jpeg)
    assert store.get(photo.storage_key) == photo.jpeg and store.get("0" * 64 + ".jpg") is None
    assert [p.name for p in tmp_path.rglob("*.jpg")] == [photo.storage_key]
    with pytest.raises(ValueError):
        store.put("../../etc/passwd", b"")

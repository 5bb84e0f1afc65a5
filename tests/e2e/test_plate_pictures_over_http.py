"""Cameras without their own ANPR post a picture; bordergate reads the plate offline and answers as for text.

Slower than the other e2e tests: the real rapidocr engine reads generated plate pictures (its models load once per
module, about a second). The suite has no "slow" marker (markers are strict), so these run with the rest.
"""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

pytest.importorskip("rapidocr", reason="reading plate pictures needs rapidocr and onnxruntime installed")

from bordergate.adapters.anpr.rapidocr_reader import RapidOcrPlateReader  # noqa: E402
from tests.builders import Gateway, a_gateway, a_trip  # noqa: E402
from tests.e2e.test_problems_over_http import fields, problem  # noqa: E402
from tests.support.plate_images import Conditions, picture, vn_plate  # noqa: E402


class Recording:
    """The real recogniser, noting every picture it is asked to read."""

    def __init__(self, engine: RapidOcrPlateReader) -> None:
        self.engine = engine
        self.calls: list[tuple[int, bool]] = []

    def read(self, image: bytes, *, crop: bool = False):
        self.calls.append((len(image), crop))
        return self.engine.read(image, crop=crop)


@pytest.fixture(scope="module")
def engine() -> RapidOcrPlateReader:
    """One engine for the module, as a gate keeps one: loading the models is the slow part."""
    return RapidOcrPlateReader()


@pytest.fixture
def recogniser(gate, engine) -> Recording:
    """The gate's plate recogniser, plugged in as a site plugs its own (bootstrap's ``recogniser``)."""
    gate.recogniser = Recording(engine)
    return gate.recogniser


@pytest.fixture
def huu_nghi(gate, world) -> Gateway:
    return a_gateway(gate, world.operator)


def blank(size: tuple[int, int] = (400, 120)) -> bytes:
    """A white picture: the camera fired at nothing."""
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def posted(client, gate, key: str | None, image: bytes, *, filename: str = "plate.jpg", **form):
    """A camera posts a picture as multipart, with its key (when it has one) and what it knows of the moment."""
    data = {"captured_at": gate.clock.now().isoformat(), "crop": "true", **form}
    headers = {"X-Camera-Key": key} if key is not None else {}
    return client.post("/api/v1/plate-reads/image", files={"picture": (filename, image, "image/jpeg")},
                       data=data, headers=headers)


def stored(client, headers, reference: str) -> tuple[list[str], list[str]]:
    """The trip's reads and the open review queue, as an operator sees them."""
    reads = client.get(f"/api/v1/declarations/{reference}/timeline", headers=headers).json()["reads"]
    queue = client.get("/api/v1/reviews", headers=headers).json()
    return [read["read_id"] for read in reads], [read["read_id"] for read in queue]


@pytest.mark.parametrize("printed, rows", [("12C-123.45", 1), ("12C/123.45", 2)], ids=["one row", "two rows"])
def test_a_camera_posts_a_plate_picture_and_the_barrier_opens_for_the_declared_truck(
        client, gate, clock, huu_nghi, recogniser, sign_in, printed, rows):
    reference = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan")).json()["reference"]
    image = picture(vn_plate(printed), Conditions(px_per_mm=0.6), seed=5)
    key, sent = huu_nghi.keys["waiting_area_entry"], {"read_id": "cam3-000001", "direction": "outbound",
                                                      "captured_at": clock.now().isoformat()}
    answer = posted(client, gate, key, image, **sent)
    assert answer.status_code == 201, answer.text
    read = answer.json()
    assert (read["decision"]["code"], read["reasons"], read["reference"]) == ("open", [], reference)
    assert (read["source"]["code"], read["needs_review"]) == ("camera_image", False)
    assert read["image_ref"] == f"sha256:{hashlib.sha256(image).hexdigest()}"
    recognised = read["recognised"]
    assert (recognised["plate"], recognised["rows"]) == ("12C12345", rows)
    assert recognised["confidence"] > 0.8 and read["confidence"] == recognised["confidence"]
    assert recogniser.calls == [(len(image), True)]
    clock.advance(seconds=20)  # the answer was lost on the way; the camera posts the same picture again
    again = posted(client, gate, key, image, **sent)
    assert again.status_code == 200, again.text
    assert (again.json()["replayed"], again.json()["read_id"]) == (True, read["read_id"])
    assert stored(client, sign_in("operator"), reference) == ([read["read_id"]], [])


@pytest.mark.parametrize("image", [blank(), b""], ids=["a white picture", "an empty file"])
def test_a_picture_with_no_plate_in_it_is_refused_naming_the_picture_and_nothing_is_stored(
        client, gate, huu_nghi, recogniser, sign_in, image):
    reference = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan")).json()["reference"]
    body = problem(posted(client, gate, huu_nghi.keys["waiting_area_entry"], image), 422)
    assert fields(body) == ["picture"]
    assert stored(client, sign_in("operator"), reference) == ([], [])
    assert len(recogniser.calls) == (1 if image else 0)


def test_bytes_that_are_no_picture_are_refused_naming_the_picture(client, gate, huu_nghi, recogniser):
    body = problem(posted(client, gate, huu_nghi.keys["waiting_area_entry"], b"not a jpeg at all"), 422)
    assert fields(body) == ["picture"]


@pytest.mark.parametrize("credentials, status", [("missing", 401), ("wrong secret", 401), ("revoked", 403)])
def test_a_picture_from_a_camera_without_a_valid_key_is_refused_before_anything_is_read(
        client, gate, huu_nghi, recogniser, sign_in, credentials, status):
    reference = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan")).json()["reference"]
    operator, camera = sign_in("operator"), huu_nghi.cameras["waiting_area_entry"]
    key = {"missing": None, "wrong secret": f"{camera}.not-the-secret",
           "revoked": huu_nghi.keys["waiting_area_entry"]}[credentials]
    if credentials == "revoked":
        assert client.post(f"/api/v1/cameras/{camera}/revoke", json={}, headers=operator).status_code == 200
    image = picture(vn_plate("12C-123.45"), Conditions(px_per_mm=0.6))
    body = problem(posted(client, gate, key, image), status)
    if credentials == "missing":
        assert "X-Camera-Key" in body["detail"]
    assert recogniser.calls == []
    assert stored(client, operator, reference) == ([], [])


@pytest.mark.parametrize("form, field", [
    ({"captured_at": "2026-11-27T08:00:00"}, "captured_at"),
    ({"direction": "sideways"}, "direction"),
    ({"crop": "perhaps"}, "crop"),
    ({"read_id": "x" * 65}, "read_id"),
], ids=["no time zone", "unknown direction", "crop neither true nor false", "read id of 65"])
def test_a_picture_posted_with_a_bad_form_field_is_refused_by_name_before_anything_is_read(
        client, gate, huu_nghi, recogniser, form, field):
    image = picture(vn_plate("12C-123.45"), Conditions(px_per_mm=0.6))
    body = problem(posted(client, gate, huu_nghi.keys["waiting_area_entry"], image, **form), 422)
    assert fields(body) == [field]
    assert recogniser.calls == []

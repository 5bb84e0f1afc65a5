"""Filing from the phone over HTTP (SQLite and PostgreSQL): photos, the Idempotency-Key replay, who may, limits."""
from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bordergate.adapters.photos import InMemoryPhotoStore
from bordergate.adapters.sql.filing_tables import report_photos
from bordergate.adapters.sql.report_tables import reports
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands, report_commands as rc
from bordergate.entrypoints.api.app import create_app
from bordergate.services.authentication import SYSTEM
from tests.builders import PASSWORD
from tests.conftest import CHEAP_PASSWORDS, database_url  # noqa: F401 (both databases)
from tests.support.forms import post_form
from tests.support.photos import a_phone_photo

ORIGIN = "http://testserver"
POTHOLE = {"category": "road_damage", "description": "A deep pothole in front of the market",
           "lat": "21.853", "lon": "106.761", "commune_code": "DONG_DANG", "attributes": '{"hazard": "pothole"}'}


def a_filing_gate(database_url: str, clock, store: InMemoryPhotoStore) -> Gate:
    """A gate with the coordinating unit registered (every report reaches it) and a citizen, photos in memory."""
    settings = Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters",
                        public_url=ORIGIN, db_pool_size=5, session_idle_minutes=480, sweep_seconds=0)
    gate = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS, photo_store=store)
    centre = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Trung tâm Phục vụ hành chính công", "unit"))
    gate.bus.handle(rc.RegisterUnit(SYSTEM, "TT_PVHCC", centre, True))
    gate.bus.handle(commands.CreateUser(SYSTEM, "citizen", PASSWORD, "Citizen", "citizen", None))
    return gate


@pytest.fixture
def store() -> InMemoryPhotoStore:
    return InMemoryPhotoStore()


@pytest.fixture
def phone(database_url, clock, store) -> Iterator[TestClient]:
    gate = a_filing_gate(database_url, clock, store)
    with TestClient(create_app(gate)) as http:
        yield http
    gate.engine.dispose()


def signed_in(phone: TestClient) -> TestClient:
    answer = post_form(phone, "/signin", "/signin", {"username": "citizen", "password": PASSWORD},
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return phone


def send(phone: TestClient, fields: dict[str, str] = POTHOLE, photos: tuple[bytes, ...] = (), key: str | None = None,
         origin: str | None = ORIGIN):
    headers = {"Idempotency-Key": key} if key else {}
    if origin:
        headers["Origin"] = origin
    files = [("photos", (f"IMG_{n}.jpg", photo, "image/jpeg")) for n, photo in enumerate(photos)]
    return phone.post("/citizen/api/reports", data=fields, files=files or None, headers=headers)


def stored(phone: TestClient, table) -> int:
    with phone.app.state.gate.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_anyone_files_from_the_phone_a_citizen_with_photos_and_a_retry_with_the_same_key_answers_the_first_code(
        phone, store):
    # Not signed in: the secret link, once; a photo that is not one is named; a draft started signed in waits.
    anonymous = send(phone, {**POTHOLE, "description": "Rubbish burnt every night behind the school"})
    assert anonymous.status_code == 201, anonymous.text
    assert anonymous.json()["secret_url"].startswith(f"/r/{anonymous.json()['tracking_code']}?k=")
    refused = send(phone, photos=(a_phone_photo(), b"not a picture at all, just text" * 10))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "photos[1]",
                                         "message": "this file is not a photo: send a JPEG, PNG or WebP picture"}]
    lost_session = send(phone, {**POTHOLE, "signed_in": "1"}, key="draft-of-a-lost-session")
    assert lost_session.status_code == 401 and "sign in again" in lost_session.json()["detail"]
    assert stored(phone, reports) == 1
    # Signed in: another site cannot file in the citizen's name; the phone can, and may send it twice.
    signed_in(phone)
    assert send(phone, origin="https://evil.example").status_code == 403
    first = send(phone, photos=(a_phone_photo(), a_phone_photo(800, 600)), key="0b6e1c1e-draft-1")
    assert first.status_code == 201, first.text
    code = first.json()["tracking_code"]
    assert first.json() == {"tracking_code": code, "url": f"/r/{code}"} and first.headers["location"] == f"/r/{code}"
    again = send(phone, photos=(a_phone_photo(), a_phone_photo(800, 600)), key="0b6e1c1e-draft-1")
    assert again.status_code == 201 and again.json()["tracking_code"] == code
    assert again.headers["idempotent-replayed"] == "true"
    assert stored(phone, reports) == 2 and stored(phone, report_photos) == 2 and len(store.files) == 4


def test_the_same_text_again_is_answered_with_the_first_code_and_a_sixth_anonymous_report_waits(phone):
    first = send(phone).json()["tracking_code"]
    same = send(phone)
    assert same.status_code == 409 and same.json()["tracking_code"] == first
    for n in range(4):
        assert send(phone, {**POTHOLE, "description": f"Another pothole, number {n}"}).status_code == 201
    refused = send(phone, {**POTHOLE, "description": "One pothole too many today"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "without signing in from this connection today" in refused.json()["detail"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # no database in it: once is enough
def test_the_phone_app_installs_from_its_manifest_with_a_worker_that_keeps_the_new_report_page(phone):
    manifest = phone.get("/citizen/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    app = manifest.json()
    assert (app["name"], app["start_url"], app["scope"], app["display"], app["lang"]) == (
        "Công dân số xứ Lạng", "/citizen/", "/citizen/", "standalone", "vi")
    for icon in app["icons"]:
        png = phone.get(icon["src"])
        assert png.status_code == 200 and png.headers["cache-control"].endswith("immutable")
        side = int(icon["sizes"].split("x")[0])
        assert Image.open(io.BytesIO(png.content)).size == (side, side)
    worker = phone.get("/citizen/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript") and "/citizen/report" in worker.text
    assert re.search(r'"/static/citizen_report\.js\?v=[0-9a-f]{12}"', worker.text)

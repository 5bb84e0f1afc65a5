"""Administration in a real browser: giving people sign-ins, setting up checkpoints and cameras, publishing tariffs."""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from bordergate.domain import commands
from bordergate.domain.errors import Forbidden
from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.tariff_form import tariff_to_plain
from tests.browser.conftest import keep_screenshot
from tests.builders import a_world
from tests.support.forms import post_from_page

PASSWORD = "a-long-test-password"


def sign_in(screen: Page, url: str, username: str, password: str = PASSWORD, then: str | None = "/admin") -> None:
    screen.goto(f"{url}/signin?lang=en" + (f"&next={quote(then)}" if then else ""))
    screen.get_by_label("Username").fill(username)
    screen.get_by_label("Password").fill(password)
    screen.get_by_role("button", name="Sign in").click()


def test_the_administrator_gives_a_customs_officer_a_sign_in_that_lands_on_the_agency_console(served, screen):
    gate, url = served
    a_world(gate)
    sign_in(screen, url, "admin")
    expect(screen.locator("h1")).to_have_text("Administration")
    form = screen.locator('form[data-form="user"]')
    form.get_by_label("Username").fill("thu.customs")
    form.get_by_label("Full name").fill("Nguyễn Thị Thu")
    form.get_by_label("Password").fill("short")
    form.get_by_label("Role").select_option("customs")
    form.get_by_label("Organisation").select_option(label="Border Gate Management Center (Authority)")
    form.get_by_role("button", name="Create the user").click()

    expect(form.locator('[data-error-for="password"]')).to_contain_text("at least 10 characters")
    expect(form.get_by_label("Username")).to_have_value("thu.customs")  # what was typed stays (not the password)
    form.get_by_label("Password").fill("a-good-password-for-thu")
    form.get_by_role("button", name="Create the user").click()
    expect(screen.locator('[data-done="user"]')).to_be_visible()
    expect(screen.locator('[data-user="thu.customs"]')).to_contain_text("Nguyễn Thị Thu")  # listed with the role

    screen.get_by_role("button", name="Sign out").click()
    sign_in(screen, url, "thu.customs", "a-good-password-for-thu", then=None)
    expect(screen).to_have_url(re.compile(r"/agency$"))


def test_a_camera_is_registered_its_key_shown_once_works_and_a_revoked_camera_is_refused(served, screen):
    gate, url = served
    a_world(gate)
    sign_in(screen, url, "admin")
    point = screen.locator('#checkpoints article[data-point="TAN_THANH"]')
    point.get_by_text("Add a checkpoint").click()
    form = point.locator('form[data-form="checkpoint"]')
    form.get_by_label("Checkpoint name").fill("Tân Thanh yard gate")
    form.get_by_label("Kind").select_option("border_in")
    form.get_by_label("Direction").select_option("outbound")
    form.get_by_label("Lanes").fill("2")
    form.get_by_role("button", name="Add the checkpoint").click()
    expect(point.locator('[data-error-for="kind"]')).to_contain_text("not on the outbound way")

    point.locator('form[data-form="checkpoint"]').get_by_label("Kind").select_option("yard_entry")
    point.locator('form[data-form="checkpoint"]').get_by_role("button", name="Add the checkpoint").click()
    expect(screen.locator('[data-done="checkpoint"]')).to_be_visible()
    checkpoint = point.locator('[data-checkpoint-name="Tân Thanh yard gate"]')
    checkpoint.get_by_text("Register a camera").click()
    checkpoint.get_by_label("Camera name").fill("TT yard gate lane 2")
    checkpoint.get_by_label("Lane").fill("2")
    checkpoint.get_by_role("button", name="Register the camera").click()

    expect(screen.get_by_role("alert")).to_contain_text("Copy this key now: it is shown only this once.")
    key = screen.locator("[data-camera-key]").input_value()
    answer = gate.bus.handle(commands.RecordCameraRead(key, captured_at=gate.clock.now(), plate="12C-123.45",
                                                       confidence=0.95, direction="outbound"))
    assert answer.read.sighting.checkpoint_id == checkpoint_id_of(gate, "Tân Thanh yard gate")
    keep_screenshot(screen, "admin-camera-key")

    screen.goto(f"{url}/admin")
    camera = screen.locator('[data-checkpoint-name="Tân Thanh yard gate"] tr[data-camera]')
    expect(camera).to_contain_text("TT yard gate lane 2")
    assert key not in screen.content()  # shown once: never on the screen again
    camera.get_by_label("Reason (optional)").fill("stolen")
    camera.get_by_role("button", name="Revoke").click()
    expect(camera.locator("[data-camera-status]")).to_have_attribute("data-camera-status", "revoked")
    with pytest.raises(Forbidden, match="revoked"):
        gate.bus.handle(commands.RecordCameraRead(key, captured_at=gate.clock.now(), plate="12C-123.45",
                                                  confidence=0.95, direction="outbound", read_id="second"))


def checkpoint_id_of(gate, name: str) -> str:
    with gate.reader() as uow:
        return uow.checkpoints.named("TAN_THANH", name).id


def test_a_tariff_version_is_published_and_a_bad_document_is_refused_naming_its_fields(served, screen):
    gate, url = served
    world = a_world(gate)
    a_yard_gate_with_cameras(gate, world.operator)
    sign_in(screen, url, "admin")
    expect(screen.locator('[data-tariff="LS-09/2025"]')).to_contain_text("in force now")
    document = screen.locator('form[data-form="tariff"] textarea')
    bad = {**tariff_to_plain(LANG_SON_09_2025), "version": "LS-2027-1", "in_force_from": "2027-01-01"}
    bad["lines"][0]["amount_vnd"] = 100_000.5
    document.fill(json.dumps(bad))
    screen.get_by_role("button", name="Publish the version").click()

    errors = screen.locator("[data-tariff-errors]")
    expect(errors.locator('[data-error-for="lines[0].amount_vnd"]')).to_contain_text("whole number of VND")
    expect(screen.locator("[data-tariff]")).to_have_count(1)  # nothing was published
    assert json.loads(document.input_value())["lines"][0]["amount_vnd"] == 100_000.5  # the document stays to fix

    document.fill("{not json")
    screen.get_by_role("button", name="Publish the version").click()
    expect(errors.locator('[data-error-for="document"]')).to_contain_text("not valid JSON")

    bad["lines"][0]["amount_vnd"] = 120_000
    document.fill(json.dumps(bad))
    screen.get_by_role("button", name="Publish the version").click()
    expect(screen.locator('[data-done="tariff"]')).to_be_visible()
    published = screen.locator('[data-tariff="LS-2027-1"]')
    expect(published).to_contain_text("upcoming")
    expect(published.locator(f'tr[data-line="{bad["lines"][0]["key"]}"] [data-amount]')).to_have_attribute(
        "data-amount", "120000")
    keep_screenshot(screen, "admin")


def a_yard_gate_with_cameras(gate, operator) -> None:
    """Huu Nghi's yard entry with a camera on each lane (one revoked) and its approach camera, for the screenshot."""
    handle = gate.bus.handle
    yard = handle(commands.AddCheckpoint(operator, "HUU_NGHI", "yard_entry", "outbound", "Hữu Nghị yard gate", 2))
    handle(commands.RegisterCamera(operator, yard, "HN yard gate lane 1", 1))
    old, _ = handle(commands.RegisterCamera(operator, yard, "HN yard gate lane 2 (old)", 2))
    handle(commands.RevokeCamera(operator, old, "replaced"))
    handle(commands.RegisterCamera(operator, yard, "HN yard gate lane 2", 2))
    approach = handle(commands.AddCheckpoint(operator, "HUU_NGHI", "highway_approach", "outbound", "QL1A km 12", 1))
    handle(commands.RegisterCamera(operator, approach, "QL1A km 12 approach", 1))


def test_an_operator_manages_checkpoints_and_tariffs_but_not_accounts(served, screen):
    gate, url = served
    a_world(gate)
    sign_in(screen, url, "operator")
    expect(screen.locator("#checkpoints")).to_be_visible()
    expect(screen.locator("#tariffs")).to_be_visible()
    expect(screen.locator("#accounts")).to_have_count(0)
    posted = post_from_page(screen, "/admin/users", {"username": "mallory", "password": "x" * 12,
                                                     "full_name": "M", "role": "admin"})
    assert posted.status == 403
    assert "only an administrator can do this" in posted.text()
    published = json.dumps(tariff_to_plain(LANG_SON_09_2025))
    again = post_from_page(screen, "/admin/tariffs", {"document": published})
    assert again.status == 409
    assert "LS-09/2025 is already published" in again.text()
    lanes = post_from_page(screen, "/admin/checkpoints", {"crossing_point": "HUU_NGHI", "kind": "inspection",
                                                          "direction": "outbound", "name": "", "lanes": "two"})
    assert lanes.status == 422
    assert 'data-error-for="lanes"' in lanes.text()
    nowhere = post_from_page(screen, "/admin/checkpoints/no-such-checkpoint/cameras", {"name": "cam"})
    assert nowhere.status == 404
    assert "no checkpoint no-such-checkpoint" in nowhere.text()


def test_a_declarant_cannot_open_administration(served, screen):
    gate, url = served
    a_world(gate)
    sign_in(screen, url, "lan")
    expect(screen.locator("h1")).to_have_text("Not allowed")
    expect(screen.get_by_role("alert")).to_contain_text("gate's operators or an administrator")
    answer = screen.request.get(f"{url}/admin")
    assert answer.status == 403
    posted = post_from_page(screen, "/admin/users", {"username": "mallory", "password": "x" * 12,
                                                     "full_name": "M", "role": "admin"})
    assert posted.status == 403
    assert "data-refused-form" not in posted.text()  # refused for the role, not as a forged form

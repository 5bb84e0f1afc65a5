"""A citizen's phone files a report with a photo; without signal the report waits on the phone and goes once the
signal returns; an answer lost on the way still makes one report (chromium, the page's IndexedDB outbox)."""
from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import func, select

from bordergate.adapters.photos import InMemoryPhotoStore
from bordergate.adapters.sql.filing_tables import report_photos
from bordergate.adapters.sql.report_tables import reports
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands, report_commands as rc
from bordergate.services.authentication import SYSTEM
from tests.browser.conftest import _free_port, keep_screenshot, serving
from tests.builders import PASSWORD
from tests.conftest import CHEAP_PASSWORDS
from tests.support.photos import a_phone_photo

MARKET = {"latitude": 21.853, "longitude": 106.761}


@pytest.fixture
def citizens_gate(tmp_path, clock, sqlite_template) -> Iterator[tuple[Gate, str]]:
    """A served gate whose coordinating unit takes every report, with a citizen and photos kept in memory."""
    shutil.copy(sqlite_template, tmp_path / "citizen.db")
    url = f"sqlite:///{tmp_path / 'citizen.db'}"
    port = _free_port()
    settings = Settings(database_url=url, secret_key="test-secret-of-at-least-32-characters",
                        public_url=f"http://127.0.0.1:{port}", sweep_seconds=0, session_idle_minutes=480)
    gate = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS,
                     photo_store=InMemoryPhotoStore())
    centre = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Trung tâm Phục vụ hành chính công", "unit"))
    gate.bus.handle(rc.RegisterUnit(SYSTEM, "TT_PVHCC", centre, True))
    gate.bus.handle(commands.CreateUser(SYSTEM, "citizen", PASSWORD, "Citizen", "citizen", None))
    with serving(gate, port):
        yield gate, f"http://127.0.0.1:{port}"
    gate.engine.dispose()


def count(gate: Gate, table) -> int:
    with gate.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def sign_in(phone: Page, url: str) -> None:
    phone.goto(f"{url}/signin?next=/citizen/report")
    phone.fill('input[name="username"]', "citizen")
    phone.fill('input[name="password"]', PASSWORD)
    phone.locator('form[action="/signin"] button[type="submit"]').click()
    expect(phone).to_have_url(f"{url}/citizen/report")


def fill_in(phone: Page, description: str, *, located: bool = False, photo: bytes | None = None) -> None:
    """The four steps, as a thumb does them: what, where, not one of these, photo and text; then send."""
    phone.get_by_label("Hư hỏng đường").check()
    phone.locator('[data-step="category"] [data-next]').click()
    if located:
        phone.get_by_role("button", name="Dùng vị trí của tôi").click()
        expect(phone.locator("#located")).to_contain_text("Đã ghi nhận vị trí")
    else:
        phone.get_by_label("Địa chỉ hoặc địa điểm dễ nhận biết").fill("Trước chợ Đồng Đăng")
        phone.get_by_label("Xã hoặc phường").select_option("DONG_DANG")
    phone.locator('[data-step="place"] [data-next]').click()
    phone.locator('[data-step="nearby"] [data-next]').click()
    phone.get_by_label("Vấn đề là gì?").fill(description)
    if photo:
        phone.locator('input[name="photos"]').set_input_files(
            [{"name": "pothole.jpg", "mimeType": "image/jpeg", "buffer": photo}])
        expect(phone.locator("#previews img")).to_have_count(1)
    phone.get_by_role("button", name="Gửi", exact=True).click()


def test_a_report_with_a_photo_goes_at_once_and_one_sent_without_signal_goes_once_the_signal_returns(
        citizens_gate, phone):
    gate, url = citizens_gate
    gate.bus.handle(rc.FileReport(None, category="road_damage", description="Ổ gà lớn trước chợ",
                                  lat=21.8531, lon=106.7611))
    phone.context.grant_permissions(["geolocation"], origin=url)
    phone.context.set_geolocation(MARKET)
    sign_in(phone, url)
    # Step 3 offers the pothole someone reported 14 m away, to follow instead.
    phone.get_by_label("Hư hỏng đường").check()
    phone.locator('[data-step="category"] [data-next]').click()
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    phone.locator('[data-step="place"] [data-next]').click()
    expect(phone.locator("#nearby-list li")).to_have_count(1)
    expect(phone.locator("#nearby-list li")).to_contain_text("Ổ gà lớn trước chợ")
    phone.locator('[data-step="nearby"] [data-back]').click()
    phone.locator('[data-step="place"] [data-back]').click()

    fill_in(phone, "Một ổ gà mới ở làn bên phải", located=True, photo=a_phone_photo())
    sent = phone.locator("#sent .sent")
    expect(sent).to_have_count(1)
    expect(sent.first).to_contain_text(re.compile(r"Đã gửi\. Mã theo dõi của bạn: \S+"))
    keep_screenshot(phone, "citizen-filed")
    assert count(gate, reports) == 2 and count(gate, report_photos) == 1
    assert phone.evaluate("navigator.serviceWorker.ready.then(r => r.active !== null)")  # the shell is kept

    phone.context.set_offline(True)
    fill_in(phone, "Đèn đường trước cổng trường bị hỏng")
    waiting = "Đã lưu trên điện thoại: sẽ gửi khi có sóng trở lại (1 đang chờ)."
    expect(phone.locator("#waiting")).to_have_text(waiting)
    phone.reload()  # still no signal: the service worker opens the page, and the draft is still on the phone
    expect(phone.locator("#waiting")).to_have_text(waiting)
    assert count(gate, reports) == 2
    phone.context.set_offline(False)
    expect(phone.locator("#sent .sent")).to_have_count(1)
    expect(phone.locator("#waiting")).to_have_text("")
    assert count(gate, reports) == 3
    phone.goto(f"{url}/citizen/")  # my reports: the two sent, newest first
    expect(phone.locator(".my-reports li")).to_have_count(2)


def test_an_answer_lost_after_the_server_filed_the_report_still_makes_one_report(citizens_gate, phone):
    gate, url = citizens_gate
    answered = []

    def lose_the_first_answer(route: Route) -> None:
        if answered:
            route.continue_()
            return
        answered.append(route.fetch())  # the server files it and answers...
        route.abort("connectionreset")  # ...and the phone never hears back

    phone.route("**/citizen/api/reports", lose_the_first_answer)
    phone.goto(f"{url}/citizen/report")
    with phone.expect_event("requestfailed"):
        fill_in(phone, "Cây đổ chắn một nửa đường")
    expect(phone.locator("#waiting")).to_contain_text("(1 đang chờ)")
    first = json.loads(answered[0].text())
    assert answered[0].status == 201 and count(gate, reports) == 1
    phone.reload()  # the page tries its outbox again on load, with the draft's own key
    expect(phone.locator("#sent .sent a")).to_have_text(first["tracking_code"])
    expect(phone.locator("#waiting")).to_have_text("")
    assert count(gate, reports) == 1

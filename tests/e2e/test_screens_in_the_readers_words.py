"""Use case: a person reads the screens in Vietnamese or Chinese and meets no English or stored code, and switching
language keeps the page they were on."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from tests.builders import PASSWORD, a_trip
from tests.integration.queue_helpers import a_queue_desk
from tests.support.forms import post_form


def signed_in_on_screens(client, username: str) -> None:
    answer = post_form(client, "/signin", "/signin", {"username": username, "password": PASSWORD},
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text


def language_links(page: str) -> dict[str, str]:
    nav = re.search(r'<nav class="lang".*?</nav>', page, re.S).group(0)
    return {lang: html.unescape(href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', nav)}


def test_switching_language_on_the_board_keeps_its_crossing_point_and_direction(client, world):
    signed_in_on_screens(client, "operator")
    page = client.get("/board", params={"point": "TAN_THANH", "direction": "inbound", "lang": "vi"})
    assert page.status_code == 200, page.text
    assert language_links(page.text)["zh"] == "/board?point=TAN_THANH&direction=inbound&lang=zh"
    assert language_links(page.text)["en"] == "/board?point=TAN_THANH&direction=inbound&lang=en"


def test_switching_language_on_sign_in_keeps_the_page_to_go_to_next(client, world):
    page = client.get("/signin", params={"next": "/portal?x=1"})
    assert language_links(page.text)["zh"] == "/signin?next=%2Fportal%3Fx%3D1&lang=zh"
    switched = client.get(language_links(page.text)["zh"])
    assert 'name="next" value="/portal?x=1"' in switched.text and '<html lang="zh">' in switched.text


def test_a_next_page_on_another_site_is_refused_and_not_carried_by_the_language_links(client, world):
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example"):
        page = client.get("/signin", params={"next": elsewhere})
        assert 'name="next" value=""' in page.text
        assert all("evil" not in href for href in language_links(page.text).values())
        signed = post_form(client, "/signin", "/signin", {"username": "lan", "password": PASSWORD,
                                                         "next": elsewhere}, follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/portal"


# -- the receipt's QR code -------------------------------------------------------------------------------------------

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def receipt_url(client, gate, world, sign_in) -> str:
    """Lan's farm declares durian for re-export at Hữu Nghị and pays 4,000,000 VND online; the receipt's QR path."""
    lan = sign_in("lan")
    declared = client.post("/api/v1/declarations", json=a_trip(gate, flow="temporary_import_reexport"), headers=lan)
    assert declared.status_code == 201, declared.text
    started = client.post(f"/api/v1/declarations/{declared.json()['reference']}/payments", json={}, headers=lan)
    body, headers = gate.payments.callback(started.json()["order_id"], gate.clock.now())
    paid = client.post("/api/v1/payment-providers/sandbox/callback", content=body,
                       headers={"content-type": "application/json", **headers})
    assert paid.status_code == 200, paid.text
    return urlsplit(gate.receipt_url(paid.json()["receipt_number"])).path


def test_the_receipts_qr_code_opens_a_page_in_vietnamese_saying_it_is_genuine(client, receipt_url):
    page = client.get(receipt_url, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in page.text and "Biên lai hợp lệ do cửa khẩu phát hành" in page.text
    assert "4.000.000 VND" in page.text and "12C-123.45" in page.text and "Hữu Nghị" in page.text
    assert "Đã thanh toán" in page.text and "(UTC+7)" in page.text
    # Nothing about a person, and no stored code for the reader to decode.
    assert "Trần Văn Bình" not in page.text and "0912345678" not in page.text
    assert "HUU_NGHI</dd>" not in page.text and "12C12345" not in page.text


def test_the_receipt_page_in_chinese_names_the_crossing_point_in_chinese(client, receipt_url):
    page = client.get(receipt_url, params={"lang": "zh"}, headers=BROWSER)
    assert '<html lang="zh">' in page.text and "口岸开具的真实收据" in page.text
    assert "友谊关" in page.text and "4,000,000 VND" in page.text and "已支付" in page.text


def test_programs_still_get_the_receipt_as_json_and_a_wrong_key_gets_no_page(client, receipt_url):
    answer = client.get(receipt_url, headers={"Accept": "application/json", "Accept-Language": "zh"})
    assert answer.headers["content-type"].startswith("application/json")
    assert (answer.json()["genuine"], answer.json()["crossing_point_name"], answer.json()["plate"]) == (
        True, "友谊关", "12C-123.45")
    wrong = receipt_url.rsplit("/", 1)[0] + "/" + "x" * len(receipt_url.rsplit("/", 1)[1])
    refused = client.get(wrong, headers=BROWSER)
    assert refused.status_code == 404 and "4.000.000" not in refused.text


# -- the correction form -------------------------------------------------------------------------------------------


def declared_on_screens(client, gate, sign_in, **trip) -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate, **trip), headers=sign_in("lan"))
    assert answer.status_code == 201, answer.text
    signed_in_on_screens(client, "lan")
    return answer.json()["reference"]


def section(page: str, name: str) -> str:
    return re.search(rf'<section class="card" data-section="{name}">.*?</section>', page, re.S).group(0)


def shown(fragment: str) -> str:
    """What a person reads: the text without tags and attributes."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_the_correction_form_in_vietnamese_names_fields_and_values_in_words_not_codes(client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in)
    form = section(client.get(f"/portal/{reference}", params={"lang": "vi"}).text, "correct")
    words = shown(form)
    for code in ("HUU_NGHI", "driver.phone", "reefer", "export", "True", "False", "None", "goods[0]"):
        assert code not in words, f"{code} shown in the Vietnamese correction form"
    assert "Điện thoại lái xe: +84912345678" in words
    assert "Cửa khẩu: Hữu Nghị" in words and "Xe lạnh" in words and "Không" in words
    # The form still sends the field's path.
    assert '<option value="driver.phone">' in form


def test_the_correction_form_in_chinese_shows_the_crossing_point_and_choices_in_chinese(client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in)
    words = shown(section(client.get(f"/portal/{reference}", params={"lang": "zh"}).text, "correct"))
    assert "友谊关" in words and "冷藏车" in words and "否" in words
    assert "HUU_NGHI" not in words and "driver.phone" not in words and "False" not in words


def test_a_refused_correction_names_the_field_in_the_readers_words(client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in)
    refused = post_form(client, f"/portal/{reference}?lang=vi", f"/portal/{reference}/correct?lang=vi",
                        {"field": "goods[0].hs_code", "value": "12", "reason": ""})
    assert refused.status_code == 422, refused.text
    form = section(refused.text, "correct")
    assert '<option value="goods[0].hs_code" selected>' in form and "goods[0]" not in shown(form)


def test_a_choice_is_corrected_by_typing_its_name_in_the_readers_language(client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in)
    for field, typed, code in (("vehicle.vehicle_class", "Xe bồn", "tanker"),
                               ("vehicle.vehicle_class", "冷藏车", "reefer"), ("crossing_point", "浦寨", "TAN_THANH")):
        done = post_form(client, f"/portal/{reference}", f"/portal/{reference}/correct",
                         {"field": field, "value": typed, "reason": ""}, follow_redirects=False)
        assert done.status_code == 303, done.text
        trip = client.get(f"/api/v1/declarations/{reference}", headers=sign_in("lan")).json()
        assert (trip["vehicle"]["vehicle_class"] if field.startswith("vehicle") else trip["crossing_point"]) == code


# -- crossing points in the reader's language ------------------------------------------------------------------------


def test_the_chinese_screens_name_the_crossing_point_in_chinese_and_the_vietnamese_ones_with_diacritics(
        client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in)
    for path in ("/portal", f"/portal/{reference}", "/portal/declare"):
        assert "友谊关" in client.get(path, params={"lang": "zh"}).text, path
        vietnamese = client.get(path, params={"lang": "vi"}).text
        assert "Hữu Nghị" in vietnamese and "友谊关" not in vietnamese, path
    assert "浦寨" in client.get("/portal/declare", params={"lang": "zh"}).text
    signed_in_on_screens(client, "operator")
    board = client.get("/board", params={"point": "HUU_NGHI", "direction": "outbound", "lang": "zh"}).text
    assert "友谊关" in board and "爱店" in board


# -- fee lines, agencies' reasons and customs selection reasons --------------------------------------------------------


def test_the_trip_page_in_vietnamese_says_the_fee_lines_and_the_agencies_reasons_in_vietnamese(
        client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in, flow="temporary_import_reexport")
    page = client.get(f"/portal/{reference}", params={"lang": "vi"}).text
    fee, clearance = shown(section(page, "fee")), shown(section(page, "clearance"))
    assert "container 40 feet chở nông sản, tạm nhập tái xuất" in fee
    assert "40-ft container of agricultural goods" not in fee
    assert "mọi chuyến xe chở hàng qua cửa khẩu đều phải thông quan" in clearance
    assert "every trip crossing with goods" not in clearance
    assert "doanh nghiệp mới (0 chuyến đã thông quan): kiểm tra hồ sơ" in clearance
    assert "documents are checked" not in clearance


def test_the_trip_page_in_chinese_says_the_fee_lines_in_chinese(client, gate, world, sign_in):
    reference = declared_on_screens(client, gate, sign_in, flow="temporary_import_reexport")
    fee = shown(section(client.get(f"/portal/{reference}", params={"lang": "zh"}).text, "fee"))
    assert "40英尺集装箱装载农产品" in fee and "agricultural" not in fee


def test_the_drivers_page_and_the_public_page_name_the_crossing_point_in_chinese(client, gate):
    desk = a_queue_desk(gate)  # Hữu Nghị with a lane that runs a queue, and its own world
    truck = desk.declare()
    desk.run()  # the lane publishes its figures
    track = client.get(urlsplit(gate.tracking_url(truck.reference)).path, params={"lang": "zh"}, headers=BROWSER).text
    assert "友谊关" in track and "Hữu Nghị" not in track
    public = client.get("/", params={"lang": "zh"}).text
    assert re.search(r'data-point="HUU_NGHI">\s*<h2>友谊关</h2>', public)

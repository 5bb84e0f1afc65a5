"""Use case: a driver scans the declaration's QR code on a phone and sees the trip's state, in their language."""
from __future__ import annotations

from urllib.parse import urlsplit

from tests.builders import a_trip

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def declared(client, gate, sign_in) -> dict:
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan"))
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_qr_link_opens_a_page_with_the_trip_state_in_vietnamese_by_default(client, gate, world, sign_in):
    declaration = declared(client, gate, sign_in)
    page = client.get(urlsplit(declaration["tracking_url"]).path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in page.text
    assert "Đã khai báo" in page.text and declaration["reference"] in page.text
    assert ">12C-123.45<" in page.text and ">12R-012.34<" in page.text and "Hữu Nghị" in page.text
    assert "14:00 27/11/2026 (UTC+7)" in page.text  # six hours after 08:00 at the gate
    assert "Trần Văn Bình" not in page.text and "0912345678" not in page.text


def test_the_driver_switches_the_page_to_chinese(client, gate, world, sign_in):
    declaration = declared(client, gate, sign_in)
    page = client.get(urlsplit(declaration["tracking_url"]).path, params={"lang": "zh"}, headers=BROWSER)
    assert '<html lang="zh">' in page.text and "已申报" in page.text and "车辆行程状态" in page.text


def test_a_cancelled_trip_shows_as_cancelled(client, gate, world, sign_in):
    declaration = declared(client, gate, sign_in)
    client.post(f"/api/v1/declarations/{declaration['reference']}/cancel", json={}, headers=sign_in("lan"))
    page = client.get(urlsplit(declaration["tracking_url"]).path, params={"lang": "en"}, headers=BROWSER)
    assert 'data-status="cancelled"' in page.text and "Cancelled" in page.text


def test_programs_still_get_json_from_the_same_link(client, gate, world, sign_in):
    declaration = declared(client, gate, sign_in)
    answer = client.get(urlsplit(declaration["tracking_url"]).path)
    assert answer.json()["status"]["code"] == "submitted"

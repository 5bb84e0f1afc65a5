"""Use case: a person reads the screens in Vietnamese or Chinese and meets no English or stored code, and switching
language keeps the page they were on."""
from __future__ import annotations

import html
import re

from tests.builders import PASSWORD
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

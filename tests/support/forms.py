"""Posting a screen's form as a browser does: the csrf_token read from the page it is on, and the page's Origin."""
from __future__ import annotations

import re
from typing import Any

FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The csrf_token the page's forms carry (every form of a page carries the same one)."""
    found = FIELD.search(html)
    assert found, "the page has no form with a csrf_token"
    return found.group(1)


def post_form(client, page: str, action: str, data: dict[str, Any], **kwargs: Any):
    """Open ``page`` with the TestClient, then send one of its forms to ``action`` with the page's token and origin."""
    opened = client.get(page)
    assert opened.status_code == 200, opened.text
    origin = str(client.base_url).rstrip("/")
    return client.post(action, data={**data, "csrf_token": form_token(opened.text)},
                       headers={"Origin": origin, "Referer": origin + page}, **kwargs)


def post_from_page(page, action: str, form: dict[str, Any], **kwargs: Any):
    """From the Playwright ``page`` now open, post ``form`` to ``action`` as its own form would: its token, its origin.
    For what a person cannot do by clicking (a form the screen does not show them)."""
    token = page.locator('input[name="csrf_token"]').first.input_value()
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    return page.request.post(action if action.startswith("http") else origin + action,
                             form={**form, "csrf_token": token}, headers={"Origin": origin, "Referer": page.url},
                             **kwargs)
